import { type MbsError, optionError as packageOptionError } from '@mbs/core';

/**
 * The usage error for one option: `OPTION_INVALID` (exit code 2) with the message
 * `[@mbs/cli] <option> <problem>`, where the problem gives the value and what is accepted.
 *
 * @example
 * ```ts
 * throw optionError('--speed', 'is 0; give a finite number > 0', 0);
 * ```
 */
export function optionError(option: string, problem: string, value?: unknown): MbsError {
  return packageOptionError('@mbs/cli', option, problem, value);
}

/**
 * Checks a count option (requests, a length): undefined passes, otherwise it must be a safe
 * integer >= 1.
 */
export function checkCountOption(value: number | undefined, option: string): void {
  if (value !== undefined && !(Number.isSafeInteger(value) && value >= 1)) {
    throw optionError(option, `is ${value}; give an integer >= 1`, value);
  }
}
