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

/**
 * A time option as epoch milliseconds: an ISO-8601 date-time (`2025-01-01T10:00:00Z`) or a
 * number of milliseconds since the epoch.
 */
export function parseTimeOption(value: string | number, option: string): number {
  const text = String(value).trim();
  const milliseconds = /^\d+(\.\d+)?$/.test(text) ? Number(text) : Date.parse(text);
  if (!Number.isFinite(milliseconds)) {
    throw optionError(
      option,
      `${text}: not a time; give an ISO-8601 date-time (2025-01-01T10:00:00Z) or epoch milliseconds`,
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
