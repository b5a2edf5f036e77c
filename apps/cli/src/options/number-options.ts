import { optionError } from './option-error.js';

// yargs reads `--slo abc` as NaN and `--slo Infinity` as Infinity; a command then either says
// "is null" (NaN through JSON) or runs with an infinite value. Every number option is checked
// here once, before any command sees it, against the text that was typed.

/**
 * The text given for an option on the command line (`--name value` or `--name=value`), if any;
 * with `list`, every value up to the next option (array options take several).
 */
function typedText(
  args: readonly string[],
  names: readonly string[],
  list: boolean,
): string | undefined {
  for (let index = 0; index < args.length; index++) {
    const arg = args[index]!;
    for (const name of names) {
      if (arg.startsWith(`--${name}=`)) return arg.slice(name.length + 3);
      if (arg !== `--${name}`) continue;
      if (!list) return args[index + 1];
      const values: string[] = [];
      for (const next of args.slice(index + 1)) {
        if (next.startsWith('--')) break;
        values.push(next);
      }
      return values.join(' ');
    }
  }
  return undefined;
}

/** An option's camelCase key as its command-line name, e.g. `verifyHoldout` -> `verify-holdout`. */
export const kebab = (key: string) => key.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`);

/**
 * Refuses a number option whose value is not a finite number (NaN from text such as `abc`, or
 * ±Infinity), with OPTION_INVALID naming the option and the text typed.
 *
 * @param numberKeys - the keys yargs parses as numbers
 * @example
 * ```ts
 * parser.middleware((argv, yargs) => checkNumberOptions(argv, yargs.getOptions().number, args));
 * ```
 */
export function checkNumberOptions(
  argv: Readonly<Record<string, unknown>>,
  numberKeys: readonly string[],
  args: readonly string[],
): void {
  for (const key of numberKeys) {
    const value = argv[key];
    const values = Array.isArray(value) ? value : [value];
    for (const entry of values) {
      if (entry === undefined || (typeof entry === 'number' && Number.isFinite(entry))) continue;
      const option = kebab(key);
      const text =
        typedText(args, [...new Set([option, key])], Array.isArray(value)) ?? String(entry);
      throw optionError(
        `--${option}`,
        `is ${JSON.stringify(text)}; give a finite number (see mbs --help of the command for its range)`,
        text,
      );
    }
  }
}
