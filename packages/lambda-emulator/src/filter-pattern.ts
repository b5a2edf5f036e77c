import { logsError } from './lambda-errors.js';

/** A compiled CloudWatch Logs filter pattern: whether a message matches. */
export type MessageFilter = (message: string) => boolean;

function tokenize(pattern: string): string[] {
  const tokens: string[] = [];
  let index = 0;
  while (index < pattern.length) {
    const character = pattern[index]!;
    if (character === ' ' || character === '\t') {
      index++;
      continue;
    }
    let prefix = '';
    if ((character === '?' || character === '-') && pattern[index + 1] === '"') {
      prefix = character;
      index++;
    }
    if (pattern[index] === '"') {
      let text = '';
      index++;
      while (index < pattern.length && pattern[index] !== '"') {
        if (pattern[index] === '\\' && index + 1 < pattern.length) index++;
        text += pattern[index];
        index++;
      }
      if (index >= pattern.length) invalid(pattern, 'a quoted term is not closed');
      index++;
      tokens.push(prefix + text);
      continue;
    }
    let end = index;
    while (end < pattern.length && pattern[end] !== ' ' && pattern[end] !== '\t') end++;
    tokens.push(pattern.slice(index, end));
    index = end;
  }
  return tokens;
}

function invalid(pattern: string, problem: string): never {
  throw logsError(
    'InvalidParameterException',
    `Invalid filter pattern ${JSON.stringify(pattern)}: ${problem}`,
  );
}

/**
 * Compiles the text forms of CloudWatch Logs filter patterns: empty (everything), bare terms and
 * `"quoted phrases"` that must all occur (case-sensitive substrings), `?term` of which at least
 * one must occur, `-term` that must not occur, and `%regex%`. JSON (`{ $.x = 1 }`) and
 * space-delimited (`[a, b]`) patterns are refused with InvalidParameterException.
 *
 * @example
 * ```ts
 * compileFilterPattern('"REPORT RequestId" ?cold ?warm')('REPORT RequestId: 1 warm'); // true
 * ```
 */
export function compileFilterPattern(pattern: string | undefined): MessageFilter {
  const trimmed = (pattern ?? '').trim();
  if (trimmed === '') return () => true;
  if (trimmed.length >= 2 && trimmed.startsWith('%') && trimmed.endsWith('%')) {
    let expression: RegExp;
    try {
      expression = new RegExp(trimmed.slice(1, -1));
    } catch (error) {
      invalid(trimmed, `bad regular expression (${(error as Error).message})`);
    }
    return (message) => expression.test(message);
  }
  if (trimmed.startsWith('{') || trimmed.startsWith('[')) {
    invalid(
      trimmed,
      'JSON and space-delimited patterns are not supported by the emulator; use terms, "phrases" or %regex%',
    );
  }
  const required: string[] = [];
  const anyOf: string[] = [];
  const excluded: string[] = [];
  for (const token of tokenize(trimmed)) {
    if (token.startsWith('?') && token.length > 1) anyOf.push(token.slice(1));
    else if (token.startsWith('-') && token.length > 1) excluded.push(token.slice(1));
    else required.push(token);
  }
  return (message) =>
    required.every((term) => message.includes(term)) &&
    !excluded.some((term) => message.includes(term)) &&
    (anyOf.length === 0 || anyOf.some((term) => message.includes(term)));
}
