import { MbsError } from '@mbs/core';

/** Throws OPTION_INVALID unless `value` is an integer in [min, max]. */
export function requireInteger(
  value: number,
  name: string,
  min: number,
  max: number,
  where: string,
): number {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new MbsError(
      'OPTION_INVALID',
      `[@mbs/logs] ${where}: ${name} must be an integer in [${min}, ${max}]; got ${value}`,
      { details: { option: name, value, min, max } },
    );
  }
  return value;
}
