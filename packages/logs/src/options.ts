import { errors } from './errors.js';

/** Throws OPTION_INVALID unless `value` is an integer in [min, max]. */
export function requireInteger(
  value: number,
  name: string,
  min: number,
  max: number,
  where: string,
): number {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw errors.error(
      'OPTION_INVALID',
      `${where}: ${name} must be an integer in [${min}, ${max}]; got ${value}`,
      { details: { option: name, value, min, max } },
    );
  }
  return value;
}
