// The Node.js Lambda runtimes MBS packages for, deploys to and emulates: one list, so that
// `mbs package --runtime`, `mbs deploy --runtime` and the local emulator accept the same names.

/**
 * Lambda's Node.js runtimes that MBS supports. `nodejs20.x` stays for functions already on it
 * (its Node line reached end of life upstream in April 2026); new deployments use the default.
 */
export const LAMBDA_RUNTIMES = ['nodejs20.x', 'nodejs22.x', 'nodejs24.x'] as const;

/** One of {@link LAMBDA_RUNTIMES}. */
export type LambdaRuntime = (typeof LAMBDA_RUNTIMES)[number];

/** The runtime used when none is named: a supported Node.js line. */
export const DEFAULT_LAMBDA_RUNTIME: LambdaRuntime = 'nodejs22.x';

/**
 * Whether `value` names a runtime of {@link LAMBDA_RUNTIMES}.
 *
 * @example
 * ```ts
 * isLambdaRuntime('nodejs22.x'); // true
 * isLambdaRuntime('python3.12'); // false
 * ```
 */
export function isLambdaRuntime(value: unknown): value is LambdaRuntime {
  return typeof value === 'string' && (LAMBDA_RUNTIMES as readonly string[]).includes(value);
}
