import { errors } from './errors.js';

/** One accepted option: how to check its value, and what is accepted (for the message). */
export interface OptionRule {
  readonly check: (value: unknown) => boolean;
  readonly accepted: string;
}

/** Rule for a boolean option. */
export const booleanOption: OptionRule = {
  check: (value) => typeof value === 'boolean',
  accepted: 'true or false',
};

/** Rule for a non-empty string option. */
export const stringOption: OptionRule = {
  check: (value) => typeof value === 'string' && value.length > 0,
  accepted: 'a non-empty string',
};

/** Rule for a positive finite number. */
export const positiveNumberOption: OptionRule = {
  check: (value) => typeof value === 'number' && Number.isFinite(value) && value > 0,
  accepted: 'a positive finite number',
};

/** Rule for a positive safe integer. */
export const positiveIntegerOption: OptionRule = {
  check: (value) => Number.isSafeInteger(value) && (value as number) > 0,
  accepted: 'a positive integer',
};

/** Rule for an integer seed. */
export const seedOption: OptionRule = {
  check: (value) => Number.isSafeInteger(value),
  accepted: 'an integer',
};

/**
 * Checks reader options against their rules and returns them typed; an unknown key or a value
 * outside its rule is an MbsError('OPTION_INVALID') naming the option, the value and what is
 * accepted. Keys whose value is `undefined` count as absent.
 */
export function validateOptions<T>(
  reader: string,
  options: Readonly<Record<string, unknown>> | undefined,
  rules: Readonly<Record<string, OptionRule>>,
): T {
  const given = options ?? {};
  for (const [key, value] of Object.entries(given)) {
    if (value === undefined) continue;
    const rule = rules[key];
    if (rule === undefined) {
      throw errors.error(
        'OPTION_INVALID',
        `the ${reader} reader has no option "${key}"; accepted: ${Object.keys(rules).join(', ')}`,
        { details: { reader, option: key } },
      );
    }
    if (!rule.check(value)) {
      throw errors.error(
        'OPTION_INVALID',
        `${reader} reader option ${key} is ${JSON.stringify(value)}; accepted: ${rule.accepted}`,
        { details: { reader, option: key, value } },
      );
    }
  }
  return given as T;
}
