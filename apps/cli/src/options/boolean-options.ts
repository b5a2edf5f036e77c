import { kebab } from './number-options.js';
import { optionError } from './option-error.js';

// yargs reads `--bill-init=nope` (or `--json=`) as false: a typo would turn a switch off without
// a word. Every boolean option given with `=` is checked here once, before any command sees it.

/**
 * Refuses a boolean option written `--name=text` (or `--no-name=text`) where the text is not
 * `true` or `false`, with OPTION_INVALID naming the option and the text typed.
 *
 * @param booleanKeys - the keys yargs parses as booleans
 * @example
 * ```ts
 * checkBooleanOptions(['billInit'], ['emulator', 'start', '--bill-init=nope']); // throws
 * ```
 */
export function checkBooleanOptions(booleanKeys: readonly string[], args: readonly string[]): void {
  const names = new Set(booleanKeys.flatMap((key) => [key, kebab(key)]));
  for (const arg of args) {
    if (arg === '--') return;
    const match = /^--(?:no-)?([^=]+)=(.*)$/s.exec(arg);
    if (match === null || !names.has(match[1]!)) continue;
    const text = match[2]!;
    if (text === 'true' || text === 'false') continue;
    throw optionError(
      `--${match[1]}`,
      `is ${JSON.stringify(text)}; a switch takes true or false (or none: --${match[1]}, --no-${match[1]})`,
      text,
    );
  }
}
