import { parseDecimal } from './numbers.js';

/** A point in time split so that 100 ns fractions survive: whole epoch seconds plus a fraction. */
export interface TimePoint {
  /** Whole seconds since 1970-01-01T00:00:00 (of the wall clock when no zone is given). */
  epochSeconds: number;
  /** Fraction of a second, in [0, 1). */
  fractionSeconds: number;
}

/** How a time column is written; `auto` decides on the first value (see {@link createTimeParser}). */
export type TimeUnit = 'auto' | 'iso' | 'seconds' | 'milliseconds';

/** The accepted time units, for option validation and messages. */
export const TIME_UNITS: readonly TimeUnit[] = ['auto', 'iso', 'seconds', 'milliseconds'];

/**
 * Epoch values at or above this are milliseconds when `timeUnit` is `auto`: 1e11 seconds is the
 * year 5138, while 1e11 milliseconds is 1973, so no real trace sits on the wrong side.
 */
export const AUTO_MILLISECONDS_THRESHOLD = 1e11;

/** What the accepted forms look like, for error messages. */
export const ACCEPTED_TIMES =
  'an ISO-like date-time (2023-11-16 18:15:46.6805900, 2023-11-16T18:15:46Z, with an optional +HH:MM offset) or epoch seconds/milliseconds';

function digitsAt(text: string, start: number, count: number, end: number): number {
  if (start + count > end) return -1;
  let value = 0;
  for (let index = start; index < start + count; index++) {
    const code = text.charCodeAt(index);
    if (code < 48 || code > 57) return -1;
    value = value * 10 + (code - 48);
  }
  return value;
}

function isDigit(code: number): boolean {
  return code >= 48 && code <= 57;
}

/** The fraction written by the digits in [start, end) (after the point), or NaN unless all are digits. */
function parseFraction(text: string, start: number, end: number): number {
  if (end <= start) return Number.NaN;
  let fraction = 0;
  let scale = 1;
  for (let index = start; index < end; index++) {
    const code = text.charCodeAt(index);
    if (!isDigit(code)) return Number.NaN;
    // Digits past the 9th are below a nanosecond; they are checked but add no precision.
    if (index - start < 9) {
      fraction = fraction * 10 + (code - 48);
      scale *= 10;
    }
  }
  return fraction / scale;
}

/** Days from 1970-01-01 to a proleptic Gregorian date (H. Hinnant's days_from_civil). */
function daysFromCivil(year: number, month: number, day: number): number {
  const shiftedYear = month <= 2 ? year - 1 : year;
  const era = Math.floor(shiftedYear / 400);
  const yearOfEra = shiftedYear - era * 400;
  const dayOfYear = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const dayOfEra =
    yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146097 + dayOfEra - 719468;
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/**
 * Parses `YYYY-MM-DD[T| ]HH:MM[:SS[.fraction]][Z|±HH[:MM]]` into `into`. Without a zone the
 * wall-clock fields are taken as they are (as if UTC), so a trace in local time keeps its spacing
 * whatever the machine's time zone; with a zone the time is converted to UTC. Returns false
 * for anything else, including impossible dates (2023-02-30) and hours past 23.
 */
export function parseDateTime(text: string, into: TimePoint, from = 0, to = text.length): boolean {
  let end = to;
  let start = from;
  while (start < end && text.charCodeAt(start) === 32) start++;
  while (end > start && text.charCodeAt(end - 1) === 32) end--;
  if (end - start < 16) return false;
  const year = digitsAt(text, start, 4, end);
  const month = digitsAt(text, start + 5, 2, end);
  const day = digitsAt(text, start + 8, 2, end);
  const hour = digitsAt(text, start + 11, 2, end);
  const minute = digitsAt(text, start + 14, 2, end);
  const separator = text.charCodeAt(start + 10);
  if (
    year < 0 ||
    month < 1 ||
    month > 12 ||
    day < 1 ||
    hour < 0 ||
    hour > 23 ||
    minute < 0 ||
    minute > 59 ||
    text.charCodeAt(start + 4) !== 45 ||
    text.charCodeAt(start + 7) !== 45 ||
    (separator !== 32 && separator !== 84) ||
    text.charCodeAt(start + 13) !== 58 ||
    day > daysInMonth(year, month)
  ) {
    return false;
  }
  let index = start + 16;
  let second = 0;
  let fraction = 0;
  if (index < end && text.charCodeAt(index) === 58) {
    second = digitsAt(text, index + 1, 2, end);
    if (second < 0 || second > 59) return false;
    index += 3;
    if (index < end && text.charCodeAt(index) === 46) {
      let fractionEnd = index + 1;
      while (fractionEnd < end && isDigit(text.charCodeAt(fractionEnd))) fractionEnd++;
      fraction = parseFraction(text, index + 1, fractionEnd);
      if (Number.isNaN(fraction)) return false;
      index = fractionEnd;
    }
  }
  let offsetSeconds = 0;
  if (index < end) {
    const code = text.charCodeAt(index);
    if (code === 90 && index + 1 === end) {
      index++;
    } else if (code === 43 || code === 45) {
      const offsetHours = digitsAt(text, index + 1, 2, end);
      let offsetMinutes = 0;
      let next = index + 3;
      if (next < end) {
        if (text.charCodeAt(next) === 58) next++;
        offsetMinutes = digitsAt(text, next, 2, end);
        next += 2;
      }
      if (offsetHours < 0 || offsetHours > 23 || offsetMinutes < 0 || offsetMinutes > 59) {
        return false;
      }
      offsetSeconds = (code === 43 ? 1 : -1) * (offsetHours * 3600 + offsetMinutes * 60);
      index = next;
    }
  }
  if (index !== end) return false;
  into.epochSeconds =
    daysFromCivil(year, month, day) * 86400 + hour * 3600 + minute * 60 + second - offsetSeconds;
  into.fractionSeconds = fraction;
  return true;
}

/** Splits epoch seconds (possibly fractional) into a {@link TimePoint}. */
export function splitEpochSeconds(seconds: number, into: TimePoint): void {
  const whole = Math.floor(seconds);
  into.epochSeconds = whole;
  into.fractionSeconds = seconds - whole;
}

/** Splits epoch milliseconds into a {@link TimePoint}. */
export function splitEpochMilliseconds(milliseconds: number, into: TimePoint): void {
  const whole = Math.floor(milliseconds / 1000);
  into.epochSeconds = whole;
  into.fractionSeconds = (milliseconds - whole * 1000) / 1000;
}

/** Formats whole epoch seconds plus 100 ns ticks as `YYYY-MM-DD HH:MM:SS.fffffff` (Azure style). */
export function formatAzureTimestamp(epochSeconds: number, ticks: number): string {
  const date = new Date(epochSeconds * 1000);
  const pad = (value: number, width: number) => String(value).padStart(width, '0');
  return `${pad(date.getUTCFullYear(), 4)}-${pad(date.getUTCMonth() + 1, 2)}-${pad(date.getUTCDate(), 2)} ${pad(date.getUTCHours(), 2)}:${pad(date.getUTCMinutes(), 2)}:${pad(date.getUTCSeconds(), 2)}.${pad(ticks, 7)}`;
}

/** Parses one time field into a {@link TimePoint}; false when it is not a time of its unit. */
export type TimeFieldParser = (
  text: string,
  into: TimePoint,
  from?: number,
  to?: number,
) => boolean;

/**
 * A parser for one time column. With `auto`, the first value decides for the whole column: a
 * date-time string means `iso`; a number at or above {@link AUTO_MILLISECONDS_THRESHOLD} means
 * epoch milliseconds, below it epoch seconds (relative seconds such as `0.25` read as seconds
 * too). Later values must be of the same kind.
 */
export function createTimeParser(unit: TimeUnit): TimeFieldParser {
  let resolved: Exclude<TimeUnit, 'auto'> | undefined = unit === 'auto' ? undefined : unit;
  const parseIso = createCachingDateTimeParser();
  return (text, into, from = 0, to = text.length) => {
    if (resolved === undefined) {
      const value = parseDecimal(text, from, to);
      if (Number.isNaN(value)) resolved = 'iso';
      else resolved = Math.abs(value) >= AUTO_MILLISECONDS_THRESHOLD ? 'milliseconds' : 'seconds';
    }
    if (resolved === 'iso') return parseIso(text, into, from, to);
    const value = parseDecimal(text, from, to);
    if (Number.isNaN(value)) return false;
    if (resolved === 'seconds') splitEpochSeconds(value, into);
    else splitEpochMilliseconds(value, into);
    return true;
  };
}

/** Whether `text` at `start` begins with `prefix`; compares from the end, where seconds change. */
function samePrefix(prefix: string, text: string, start: number): boolean {
  for (let index = prefix.length - 1; index >= 0; index--) {
    if (prefix.charCodeAt(index) !== text.charCodeAt(start + index)) return false;
  }
  return true;
}

/** Length of `YYYY-MM-DD HH:MM:SS`, the part consecutive lines of a trace usually share. */
const SECOND_PREFIX_LENGTH = 19;

/**
 * {@link parseDateTime} that remembers the last zone-less `YYYY-MM-DD HH:MM:SS` it parsed: a line
 * within the same second (most lines of a busy trace) then only parses its fraction. The result
 * is the same as a full parse, since the cached prefix was itself parsed in full.
 */
export function createCachingDateTimeParser(): TimeFieldParser {
  let prefix = '';
  let prefixEpochSeconds = 0;
  const zoneless = (text: string, start: number, end: number) =>
    end > start + SECOND_PREFIX_LENGTH + 1 &&
    text.charCodeAt(start + SECOND_PREFIX_LENGTH) === 46 &&
    isDigit(text.charCodeAt(end - 1));
  return (text, into, from = 0, to = text.length) => {
    let start = from;
    let end = to;
    while (start < end && text.charCodeAt(start) === 32) start++;
    while (end > start && text.charCodeAt(end - 1) === 32) end--;
    if (prefix.length > 0 && zoneless(text, start, end) && samePrefix(prefix, text, start)) {
      const fraction = parseFraction(text, start + SECOND_PREFIX_LENGTH + 1, end);
      if (!Number.isNaN(fraction)) {
        into.epochSeconds = prefixEpochSeconds;
        into.fractionSeconds = fraction;
        return true;
      }
    }
    if (!parseDateTime(text, into, start, end)) return false;
    if (
      zoneless(text, start, end) &&
      !Number.isNaN(parseFraction(text, start + SECOND_PREFIX_LENGTH + 1, end))
    ) {
      prefix = text.slice(start, start + SECOND_PREFIX_LENGTH);
      prefixEpochSeconds = into.epochSeconds;
    }
    return true;
  };
}
