import type { Trace, TraceReader, TraceReadOptions } from '@mbs/core';
import { contentLines, readFileHead } from './file-head.js';
import { createLineTrace, type LineParser, type ParsedArrival, parseError } from './line-trace.js';
import { parseDecimal } from './numbers.js';
import { type OptionRule, stringOption, validateOptions } from './options.js';

/** Options of the `inter-arrivals` trace reader. */
export interface InterArrivalTraceReadOptions extends TraceReadOptions {
  /** Unit of sizes for the metadata; default `class` when lines carry class ids. */
  readonly sizeUnit?: string;
}

const OPTION_RULES: Record<string, OptionRule> = {
  // Accepted for the common contract; inter-arrival times are never negative, so order holds.
  sort: { check: (value) => typeof value === 'boolean', accepted: 'true or false' },
  sizeUnit: stringOption,
};

/** The reader's name in the plugin registry and in `--format`. */
export const INTER_ARRIVAL_TRACE_READER_NAME = 'inter-arrivals';

/** Splits a line on commas, spaces or tabs, dropping empty pieces. */
function splitFields(line: string): string[] {
  return line.split(/[\s,]+/).filter((field) => field.length > 0);
}

function startsWithLetter(field: string): boolean {
  const code = field.charCodeAt(0) | 32;
  return code >= 97 && code <= 122;
}

function createInterArrivalParser(path: string, options: InterArrivalTraceReadOptions): LineParser {
  const arrival: ParsedArrival = { timeSeconds: 0, size: 0, classId: undefined };
  let sawContent = false;
  let sawClass = false;
  let clock = 0;
  return {
    arrival,
    metadata() {
      const sizeUnit = options.sizeUnit ?? (sawClass ? 'class' : undefined);
      return sizeUnit === undefined ? {} : { sizeUnit };
    },
    parse(line, lineNumber) {
      const trimmed = line.trim();
      if (trimmed.length === 0) return 'blank';
      if (trimmed.charCodeAt(0) === 35) return 'comment';
      const fields = splitFields(trimmed);
      if (!sawContent) {
        sawContent = true;
        if (fields.every(startsWithLetter)) return 'header';
      }
      if (fields.length > 2) {
        throw parseError(
          path,
          lineNumber,
          `${fields.length} fields; a line holds an inter-arrival time in seconds, optionally followed by a class id`,
        );
      }
      const interArrival = parseDecimal(fields[0]!);
      if (!(interArrival >= 0)) {
        throw parseError(
          path,
          lineNumber,
          `inter-arrival time ${JSON.stringify(fields[0])} is not a finite number of seconds >= 0`,
        );
      }
      clock += interArrival;
      if (!Number.isFinite(clock)) {
        throw parseError(
          path,
          lineNumber,
          'the arrival time overflows (sum of inter-arrival times is infinite)',
        );
      }
      arrival.timeSeconds = clock;
      if (fields.length === 2) {
        const classId = parseDecimal(fields[1]!);
        if (!Number.isSafeInteger(classId) || classId < 0) {
          throw parseError(
            path,
            lineNumber,
            `class id ${JSON.stringify(fields[1])} is not an integer >= 0`,
          );
        }
        sawClass = true;
        arrival.classId = classId;
        arrival.size = classId;
      } else {
        arrival.classId = undefined;
        arrival.size = 0;
      }
      return undefined;
    },
  };
}

/** Whether a line looks like `0.0312`, `0.0312 3` or `0.0312,3`. */
function isInterArrivalLine(line: string): boolean {
  const fields = splitFields(line.trim());
  if (fields.length === 0 || fields.length > 2) return false;
  const interArrival = parseDecimal(fields[0]!);
  if (!(interArrival >= 0)) return false;
  if (fields.length === 1) return true;
  const classId = parseDecimal(fields[1]!);
  return Number.isSafeInteger(classId) && classId >= 0;
}

/**
 * The `inter-arrivals` trace reader: the MBS replay client's format, one inter-arrival time in
 * seconds per line, optionally followed by a class id (separated by spaces, a tab or a comma).
 * Arrival i comes at the sum of the first i inter-arrival times. When a line gives a class id,
 * the arrival's `classId` is it and its `size` is the class id too (the format has no sizes; a
 * class scheme built on these sizes keeps the classes); otherwise the size is 0. Blank lines,
 * `#` comments and a first line of words (a header) are skipped and counted. It does not claim
 * `.csv` or `.json` files by name (MAP matrices look alike); ask for it with `--format`.
 *
 * @example
 * ```ts
 * const trace = createInterArrivalTraceReader().read('replay.txt');
 * for await (const arrival of trace) console.log(arrival.timeSeconds, arrival.classId);
 * ```
 */
export function createInterArrivalTraceReader(): TraceReader {
  return {
    specificationVersion: 'v1',
    name: INTER_ARRIVAL_TRACE_READER_NAME,
    description:
      'One inter-arrival time (s) per line, optionally followed by a class id (MBS replay format)',
    formats: ['txt', 'dat', 'iat'],
    async canRead(source: string): Promise<boolean> {
      // CSV names belong to the csv and map readers (a two-column D1 matrix looks like this
      // format); `--format inter-arrivals` still reads such a file.
      if (/\.(csv|json)$/i.test(source)) return false;
      const head = await readFileHead(source);
      if (head === undefined) return false;
      const lines = contentLines(head);
      const data =
        lines.length > 0 &&
        lines[0]!
          .trim()
          .split(/[\s,]+/)
          .every(startsWithLetter)
          ? lines.slice(1)
          : lines;
      const sample = data.slice(0, 20);
      return sample.length > 0 && sample.every(isInterArrivalLine);
    },
    read(source: string, options?: TraceReadOptions): Trace {
      const checked = validateOptions<InterArrivalTraceReadOptions>(
        INTER_ARRIVAL_TRACE_READER_NAME,
        options,
        OPTION_RULES,
      );
      return createLineTrace({
        path: source,
        format: INTER_ARRIVAL_TRACE_READER_NAME,
        sort: false,
        createParser: () => createInterArrivalParser(source, checked),
      });
    },
  };
}
