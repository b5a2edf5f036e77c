/** Megabytes in one gigabyte, as AWS bills memory (GB = MB / 1024). */
export const MB_PER_GB = 1024;

/** Seconds from milliseconds. */
export function millisecondsToSeconds(milliseconds: number): number {
  return milliseconds / 1000;
}

/** Milliseconds from seconds. */
export function secondsToMilliseconds(seconds: number): number {
  return seconds * 1000;
}

/** Gigabytes from megabytes, as AWS bills memory. */
export function megabytesToGigabytes(megabytes: number): number {
  return megabytes / MB_PER_GB;
}

/**
 * A duration rounded up to the billing granularity, in milliseconds. A tiny epsilon absorbs
 * floating-point noise so that 12.000000000001 ms bills as 12 ms, not 13.
 */
export function billedMilliseconds(durationMs: number, granularityMs = 1): number {
  if (durationMs <= 0) return 0;
  return Math.ceil(durationMs / granularityMs - 1e-9) * granularityMs;
}

/** US dollars per million requests from US dollars per request. */
export function usdPerMillionRequests(usdPerRequest: number): number {
  return usdPerRequest * 1e6;
}

/**
 * US dollars with enough significant digits for per-request costs, e.g. `$0.0000021` or `$4.17`.
 */
export function formatUsd(usd: number, significantDigits = 4): string {
  if (!Number.isFinite(usd)) return String(usd);
  if (usd === 0) return '$0';
  const abs = Math.abs(usd);
  const text = abs >= 1 ? usd.toFixed(2) : usd.toPrecision(significantDigits);
  return `${usd < 0 ? '-' : ''}$${text.replace(/^-/, '')}`;
}

/** Seconds as a short human string: `850 µs`, `12.3 ms`, `1.25 s`. */
export function formatSeconds(seconds: number): string {
  if (!Number.isFinite(seconds)) return String(seconds);
  const abs = Math.abs(seconds);
  if (abs === 0) return '0 s';
  // Thresholds sit where rounding to three digits would carry into the next unit (999.96 ms).
  if (abs < 0.9995e-3) return `${(seconds * 1e6).toPrecision(3)} µs`;
  if (abs < 0.9995) return `${(seconds * 1e3).toPrecision(3)} ms`;
  if (abs < 999.5) return `${seconds.toPrecision(3)} s`;
  return `${Math.round(seconds)} s`;
}
