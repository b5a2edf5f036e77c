import type { ConfigurationDocument, ConfigurationWindow } from '@mbs/core';
import { functionNamesByWindow } from '@mbs/core';
import { optionError } from '../options/option-error.js';

// Inputs shared by `mbs run` and `mbs logs`: the functions a configuration names, the window in
// force at a trace time, the request inputs and time options.

export { functionNamesByWindow };

/** Every distinct function name of a configuration, in window then buffer order. */
export async function configurationFunctionNames(
  config: ConfigurationDocument,
  prefix: string,
): Promise<string[]> {
  return [...new Set(functionNamesByWindow(config, prefix).flat())];
}

/** An ISO-8601 date or date-time: `2025-01-01`, `2025-01-01T10:00:00Z`, with an optional offset. */
const ISO_DATE_TIME =
  /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/;

/** Latest instant a time option may name: JavaScript dates end at 8.64e15 ms. */
const LATEST_EPOCH_MS = 8.64e15;

/**
 * A time option as epoch milliseconds: an ISO-8601 date-time (`2025-01-01T10:00:00Z`) or a
 * whole number of milliseconds since the epoch (0 or more). Anything else, a negative number
 * included (`-5` would otherwise be read as a date in 2001), is OPTION_INVALID.
 */
export function parseTimeOption(value: string | number, option: string): number {
  const text = String(value).trim();
  const milliseconds = /^\d+$/.test(text)
    ? Number(text)
    : ISO_DATE_TIME.test(text)
      ? Date.parse(text)
      : Number.NaN;
  if (!(Number.isFinite(milliseconds) && milliseconds >= 0 && milliseconds <= LATEST_EPOCH_MS)) {
    throw optionError(
      option,
      `is ${JSON.stringify(text)}: not a time; give an ISO-8601 date-time (2025-01-01T10:00:00Z) or epoch milliseconds (a whole number >= 0, as run.json's startEpochMs)`,
      text,
    );
  }
  return milliseconds;
}

/** The window of a schedule in force at a trace time: the last one started, else the earliest. */
export function windowAtTraceTime(
  windows: readonly ConfigurationWindow[],
  traceSeconds: number,
): number {
  let chosen: number | undefined;
  let earliest = 0;
  windows.forEach((window, index) => {
    if (window.startSeconds < windows[earliest]!.startSeconds) earliest = index;
    const started = window.startSeconds <= traceSeconds;
    if (started && (chosen === undefined || window.startSeconds >= windows[chosen]!.startSeconds)) {
      chosen = index;
    }
  });
  return chosen ?? earliest;
}

/** What `mbs run` sends as each request's input. */
export type RequestInputKind = 'tokens' | 'size';

/**
 * A request's input for the function: `tokens` is the packaged handler's tensor
 * (`{ dims: [n], data, dtype: 'int64' }`, n = the size rounded up and clamped to
 * 1..maxLength, token id 1 throughout); `size` is `{ size }` for handlers that only need it.
 */
export function requestInput(kind: RequestInputKind, size: number, maxLength: number): unknown {
  if (kind === 'size') return { size };
  const length = Math.min(maxLength, Math.max(1, Math.ceil(size)));
  return { dims: [length], data: new Array<number>(length).fill(1), dtype: 'int64' };
}
