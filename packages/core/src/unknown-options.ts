import { MbsError } from './errors.js';

/**
 * Throws MbsError('OPTION_INVALID') naming the first key of `options` that is not in `accepted`,
 * with the accepted keys, so an option misspelt by a caller fails at once instead of being ignored.
 *
 * @param where the package in brackets and the function, e.g. `[@mbs/logs] collectInvocationRecords`;
 *   the message reads `<where>: unknown option "<key>"; accepted: <keys>`
 * @example
 * ```ts
 * rejectUnknownOptions(options, ['region', 'endpoint'], '[@mbs/provider-aws-lambda] deploy');
 * ```
 */
export function rejectUnknownOptions(
  options: object,
  accepted: readonly string[],
  where: string,
): void {
  for (const key of Object.keys(options)) {
    if (!accepted.includes(key)) {
      throw new MbsError(
        'OPTION_INVALID',
        `${where}: unknown option "${key}"; accepted: ${accepted.join(', ')}`,
        { details: { option: key, accepted } },
      );
    }
  }
}
