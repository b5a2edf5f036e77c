/**
 * Stable error codes. Callers branch on `code`, never on message text, so a code once published
 * keeps its meaning.
 */
export const MBS_ERROR_CODES = [
  /** A command-line option or function option is missing, unknown or out of range. */
  'OPTION_INVALID',
  /** A plugin declares a specificationVersion this core does not know. */
  'PLUGIN_VERSION',
  /** A plugin with the same kind and name is already registered. */
  'PLUGIN_DUPLICATE',
  /** A plugin lacks a required method or property. */
  'PLUGIN_INVALID',
  /** No plugin of that kind and name is registered. */
  'PLUGIN_NOT_FOUND',
  /** A file could not be opened, read or written. */
  'IO',
  /** A trace line could not be parsed (timestamp, size, class, column). */
  'TRACE_PARSE',
  /** Timestamps go backwards in a trace that was not asked to be sorted. */
  'TRACE_ORDER',
  /** A trace holds no usable arrivals. */
  'TRACE_EMPTY',
  /** A Markovian Arrival Process breaks one of the validity rules. */
  'MAP_INVALID',
  /** A fit could not be made, or could only be approximated. */
  'FIT_FAILED',
  /** A service-time profile is malformed or does not cover the request. */
  'PROFILE_INVALID',
  /** A configuration or workload document is malformed. */
  'CONFIG_INVALID',
  /** A numerical routine failed to converge or met an ill-conditioned system. */
  'NUMERIC',
  /** No configuration meets the service-level objective. */
  'SLO_INFEASIBLE',
  /** The provider refused the call (throttled, too large, unknown function, transport). */
  'PROVIDER_ERROR',
  /** The provider throttled the call and retries were exhausted. */
  'THROTTLED',
  /** The function ran and failed (thrown error, timeout, crash). */
  'FUNCTION_ERROR',
  /** A limit on pending work was reached; the request was refused at once. */
  'BACKPRESSURE',
  /** The component was closed before or while the request was handled. */
  'CLOSED',
  /** The caller withdrew the request (aborted its signal) before its batch was sent. */
  'CANCELLED',
  /** A handler event is malformed. */
  'EVENT_INVALID',
  /** An invariant of MBS itself was broken: a bug. */
  'INTERNAL',
] as const;

/** One of {@link MBS_ERROR_CODES}. */
export type MbsErrorCode = (typeof MBS_ERROR_CODES)[number];

/** Options of {@link MbsError}. */
export interface MbsErrorOptions {
  /** The error this one wraps. */
  readonly cause?: unknown;
  /** Machine-readable context (file, line, option, value, accepted range...). */
  readonly details?: Readonly<Record<string, unknown>>;
}

/**
 * The one error class of MBS. Messages start with the package in brackets and name the input and
 * the fix, e.g. `[@mbs/traces] azure.csv line 17: timestamp goes backwards (use --sort)`.
 *
 * @example
 * ```ts
 * throw new MbsError('OPTION_INVALID', '[@mbs/cli] --percentile must be in (0, 1); got 95');
 * ```
 */
export class MbsError extends Error {
  override readonly name = 'MbsError';
  /** Stable machine-readable code. */
  readonly code: MbsErrorCode;
  /** Machine-readable context. */
  readonly details: Readonly<Record<string, unknown>>;

  constructor(code: MbsErrorCode, message: string, options: MbsErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.details = options.details ?? {};
  }

  /** A plain JSON form, for `--json` output and error payloads. */
  toJSON(): { code: MbsErrorCode; message: string; details: Readonly<Record<string, unknown>> } {
    return { code: this.code, message: this.message, details: this.details };
  }
}

/** True when `value` is an {@link MbsError}, optionally with the given code. */
export function isMbsError(value: unknown, code?: MbsErrorCode): value is MbsError {
  // Checked structurally too, because two copies of @mbs/core in one tree give two classes.
  const candidate = value as { name?: unknown; code?: unknown } | null;
  const structural =
    value instanceof MbsError ||
    (typeof candidate === 'object' &&
      candidate !== null &&
      candidate.name === 'MbsError' &&
      typeof candidate.code === 'string');
  return structural && (code === undefined || candidate?.code === code);
}
