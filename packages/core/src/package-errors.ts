import { MbsError, type MbsErrorCode, type MbsErrorOptions } from './errors.js';

/** Errors of one package, their messages prefixed with the package name in brackets. */
export interface PackageErrors {
  /** The package name as it appears in messages, e.g. `@mbs/traces`. */
  readonly source: string;
  /** An {@link MbsError} whose message reads `[<source>] <message>`. */
  error(code: MbsErrorCode, message: string, options?: MbsErrorOptions): MbsError;
  /**
   * The error for one bad option: `OPTION_INVALID`, message `[<source>] <option> <problem>`,
   * details `{ option, value }`. The problem gives the value and what is accepted.
   */
  option(option: string, problem: string, value?: unknown): MbsError;
  /**
   * `[<source>] <text>`: the prefix rule for messages built elsewhere (a Lambda-shaped error,
   * the `where` of `rejectUnknownOptions`).
   */
  prefix(text: string): string;
}

/**
 * The error factory of one package, so messages share one prefix rule instead of hand-typed
 * `[@mbs/x]` strings.
 *
 * @example
 * ```ts
 * const errors = packageErrors('@mbs/traces');
 * throw errors.error('TRACE_ORDER', 'azure.csv line 17: timestamp goes backwards (use --sort)');
 * throw errors.option('timeoutSeconds', 'is -1; give a finite number > 0', -1);
 * ```
 */
export function packageErrors(source: string): PackageErrors {
  return {
    source,
    error: (code, message, options) => new MbsError(code, `[${source}] ${message}`, options),
    option: (option, problem, value) => optionError(source, option, problem, value),
    prefix: (text) => `[${source}] ${text}`,
  };
}

/**
 * The usage error for one option: `OPTION_INVALID` with the message `[<source>] <option>
 * <problem>` and details `{ option, value }`.
 *
 * @example
 * ```ts
 * throw optionError('@mbs/cli', '--speed', 'is 0; give a finite number > 0', 0);
 * ```
 */
export function optionError(
  source: string,
  option: string,
  problem: string,
  value?: unknown,
): MbsError {
  return new MbsError('OPTION_INVALID', `[${source}] ${option} ${problem}`, {
    details: value === undefined ? { option } : { option, value },
  });
}
