import { MbsError } from '@mbs/core';

/** Throws OPTION_INVALID naming the first key of `options` that is not in `accepted`. */
export function rejectUnknownOptions(
  options: object,
  accepted: readonly string[],
  where: string,
): void {
  for (const key of Object.keys(options)) {
    if (!accepted.includes(key)) {
      throw new MbsError(
        'OPTION_INVALID',
        `[@mbs/logs] ${where}: unknown option "${key}"; accepted: ${accepted.join(', ')}`,
        { details: { option: key, accepted } },
      );
    }
  }
}

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
