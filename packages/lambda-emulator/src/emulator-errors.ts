import { type MbsError, packageErrors } from '@mbs/core';

/** The error factory of this package: every message starts with `[@mbs/lambda-emulator]`. */
export const emulatorErrors = packageErrors('@mbs/lambda-emulator');

/**
 * OPTION_INVALID for one emulator or server option, worded `option <path>: <problem>; got
 * <value>` with details `{ option, value }`. The wording differs from core's `optionError` on
 * purpose: `mbs emulator start` strips the `option <path>: ` part to put its flag in its place.
 */
export function invalidOption(option: string, problem: string, value: unknown): MbsError {
  return emulatorErrors.error(
    'OPTION_INVALID',
    `option ${option}: ${problem}; got ${JSON.stringify(value)}`,
    { details: { option, value } },
  );
}
