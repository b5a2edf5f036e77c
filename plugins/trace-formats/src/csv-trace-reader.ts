import type { Trace, TraceReader, TraceReadOptions } from '@mbs/core';
import {
  cleanField,
  findColumn,
  findKnownColumn,
  isAzureHeader,
  SIZE_COLUMN_NAMES,
  sizeUnitOfColumn,
  TIME_COLUMN_NAMES,
} from './csv-columns.js';
import { contentLines, readFileHead } from './file-head.js';
import { createLineTrace, type LineParser, type ParsedArrival, parseError } from './line-trace.js';
import { parseDecimal } from './numbers.js';
import { booleanOption, type OptionRule, stringOption, validateOptions } from './options.js';
import {
  ACCEPTED_TIMES,
  createTimeParser,
  parseDateTime,
  TIME_UNITS,
  type TimePoint,
  type TimeUnit,
} from './timestamps.js';

/** Options of the `csv` trace reader. */
export interface CsvTraceReadOptions extends TraceReadOptions {
  /**
   * Sort arrivals by time instead of refusing time going backwards. Sorting buffers the whole
   * trace in memory (about 100 bytes per arrival), so use it only on traces that fit.
   */
  readonly sort?: boolean;
  /** Header name of the time column; default the first of `TIMESTAMP`, `time`, `timeSeconds`, `arrival_time`. */
  readonly timeColumn?: string;
  /** Header name of the size column; default `ContextTokens`, `size`, `tokens` or `bytes`. Without one, sizes are 0. */
  readonly sizeColumn?: string;
  /**
   * How times are written. `auto` (default) decides on the first value: a date-time string is
   * `iso`; a number >= 1e11 is epoch milliseconds, a smaller one epoch (or relative) seconds.
   */
  readonly timeUnit?: TimeUnit;
  /** Unit of sizes for the metadata; default from the column name (`tokens`, `bytes`). */
  readonly sizeUnit?: string;
}

const OPTION_RULES: Record<string, OptionRule> = {
  sort: booleanOption,
  timeColumn: stringOption,
  sizeColumn: stringOption,
  timeUnit: {
    check: (value) => TIME_UNITS.includes(value as TimeUnit),
    accepted: TIME_UNITS.join(', '),
  },
  sizeUnit: stringOption,
};

/** The reader's name in the plugin registry and in `--format`. */
export const CSV_TRACE_READER_NAME = 'csv';

function isHeader(fields: readonly string[]): boolean {
  const scratch: TimePoint = { epochSeconds: 0, fractionSeconds: 0 };
  return fields.every(
    (field) => Number.isNaN(parseDecimal(field)) && !parseDateTime(field, scratch),
  );
}

function createCsvParser(path: string, options: CsvTraceReadOptions): LineParser {
  const parseTime = createTimeParser(options.timeUnit ?? 'auto');
  const point: TimePoint = { epochSeconds: 0, fractionSeconds: 0 };
  const arrival: ParsedArrival = { timeSeconds: 0, size: 0, classId: undefined };
  let columnsKnown = false;
  let header: string[] | undefined;
  let timeIndex = 0;
  let sizeIndex = -1;
  let neededFields = 1;
  /** Fields of a row: the header's, else the first data line's. */
  let rowFields = 1;
  let sizeUnit = options.sizeUnit;
  let baseEpochSeconds: number | undefined;
  let baseFraction = 0;
  let timeStart = 0;
  let timeEnd = 0;
  let sizeStart = 0;
  let sizeEnd = 0;

  function resolveColumns(fields: string[], lineNumber: number): boolean {
    columnsKnown = true;
    if (isHeader(fields)) {
      header = fields;
      const named = (option: 'timeColumn' | 'sizeColumn', name: string) => {
        const index = findColumn(fields, name);
        if (index === -1) {
          throw parseError(
            path,
            lineNumber,
            `the header has no column "${name}" (option ${option}); columns: ${fields.join(', ')}`,
          );
        }
        return index;
      };
      timeIndex =
        options.timeColumn !== undefined
          ? named('timeColumn', options.timeColumn)
          : findKnownColumn(fields, TIME_COLUMN_NAMES);
      if (timeIndex === -1) {
        throw parseError(
          path,
          lineNumber,
          `no time column among ${fields.join(', ')}; name it with the timeColumn option (--time-column)`,
        );
      }
      sizeIndex =
        options.sizeColumn !== undefined
          ? named('sizeColumn', options.sizeColumn)
          : isAzureHeader(fields)
            ? 1
            : findKnownColumn(fields, SIZE_COLUMN_NAMES);
      if (sizeIndex !== -1) sizeUnit ??= sizeUnitOfColumn(fields[sizeIndex]!);
      neededFields = Math.max(timeIndex, sizeIndex) + 1;
      rowFields = fields.length;
      return true;
    }
    if (options.timeColumn !== undefined || options.sizeColumn !== undefined) {
      throw parseError(
        path,
        lineNumber,
        'timeColumn/sizeColumn name header columns, but the first line is data, not a header; drop the options to read column 1 as time and column 2 as size',
      );
    }
    timeIndex = 0;
    sizeIndex = fields.length > 1 ? 1 : -1;
    neededFields = fields.length > 1 ? 2 : 1;
    rowFields = fields.length;
    return false;
  }

  return {
    arrival,
    metadata() {
      return {
        ...(sizeUnit === undefined ? {} : { sizeUnit }),
        ...(baseEpochSeconds === undefined
          ? {}
          : { startEpochMs: (baseEpochSeconds + baseFraction) * 1000 }),
      };
    },
    parse(line, lineNumber) {
      const length = line.length;
      let first = 0;
      while (first < length && isBlankCode(line.charCodeAt(first))) first++;
      if (first === length) return 'blank';
      if (line.charCodeAt(first) === 35) return 'comment';
      if (!columnsKnown && resolveColumns(line.split(',').map(cleanField), lineNumber)) {
        return 'header';
      }
      // Locate the needed fields by their commas instead of splitting: no strings per line.
      let fieldCount = 0;
      let fieldStart = 0;
      let fieldEnd = 0;
      for (;;) {
        fieldEnd = line.indexOf(',', fieldStart);
        if (fieldEnd === -1) fieldEnd = length;
        if (fieldCount === timeIndex) {
          timeStart = fieldStart;
          timeEnd = fieldEnd;
        }
        if (fieldCount === sizeIndex) {
          sizeStart = fieldStart;
          sizeEnd = fieldEnd;
        }
        fieldCount++;
        if (fieldCount === neededFields || fieldEnd === length) break;
        fieldStart = fieldEnd + 1;
      }
      if (fieldCount < neededFields) {
        throw parseError(
          path,
          lineNumber,
          `${fieldCount} fields where at least ${neededFields} are needed${header ? ` (columns: ${header.join(', ')})` : ''}`,
        );
      }
      if (fieldEnd < length) {
        // The fields after the needed ones: one per remaining comma.
        let total = fieldCount;
        for (let comma = fieldEnd; comma !== -1; comma = line.indexOf(',', comma + 1)) total++;
        if (total > rowFields) {
          throw parseError(
            path,
            lineNumber,
            `${total} fields, more than the ${rowFields} ${header ? `columns of the header (${header.join(', ')})` : 'of the first line'}; a comma inside a value? (quoted fields holding commas are not supported)`,
          );
        }
      }
      unquote(line, timeStart, timeEnd);
      if (!parseTime(line, point, bounds.start, bounds.end)) {
        const column = header ? ` in column ${header[timeIndex]}` : '';
        throw parseError(
          path,
          lineNumber,
          `unparseable time ${JSON.stringify(cleanField(line.slice(timeStart, timeEnd)))}${column}; accepted: ${ACCEPTED_TIMES}, one kind per file (option timeUnit: ${TIME_UNITS.join('|')})`,
        );
      }
      if (baseEpochSeconds === undefined) {
        baseEpochSeconds = point.epochSeconds;
        baseFraction = point.fractionSeconds;
      }
      const timeSeconds =
        point.epochSeconds - baseEpochSeconds + (point.fractionSeconds - baseFraction);
      if (!Number.isFinite(timeSeconds)) {
        throw parseError(
          path,
          lineNumber,
          `time ${JSON.stringify(cleanField(line.slice(timeStart, timeEnd)))} is too far from the first line's to be represented in seconds`,
        );
      }
      arrival.timeSeconds = timeSeconds;
      if (sizeIndex === -1) {
        arrival.size = 0;
      } else {
        unquote(line, sizeStart, sizeEnd);
        const size = parseDecimal(line, bounds.start, bounds.end);
        if (!(size >= 0)) {
          const column = header ? ` in column ${header[sizeIndex]}` : '';
          throw parseError(
            path,
            lineNumber,
            `size ${JSON.stringify(cleanField(line.slice(sizeStart, sizeEnd)))}${column} is not a finite number >= 0; sizes are non-negative decimal numbers`,
          );
        }
        arrival.size = size;
      }
      return undefined;
    },
  };
}

/** Space, tab or carriage return: what a blank line holds. */
function isBlankCode(code: number): boolean {
  return code === 32 || code === 9 || code === 13;
}

/** Bounds of the last field given to {@link unquote}, reused to avoid an object per line. */
const bounds = { start: 0, end: 0 };

/** Sets {@link bounds} to a field without surrounding spaces and one pair of double quotes. */
function unquote(line: string, start: number, end: number): void {
  while (start < end && isBlankCode(line.charCodeAt(start))) start++;
  while (end > start && isBlankCode(line.charCodeAt(end - 1))) end--;
  if (end - start >= 2 && line.charCodeAt(start) === 34 && line.charCodeAt(end - 1) === 34) {
    start++;
    end--;
  }
  bounds.start = start;
  bounds.end = end;
}

/**
 * The `csv` trace reader: timestamped, sized CSV. It recognises the Azure LLM inference trace
 * (header `TIMESTAMP,ContextTokens,GeneratedTokens`, wall-clock timestamps with 7 fractional
 * digits, size = ContextTokens in tokens) without options, and any CSV whose header names a
 * time column; other columns are picked with `timeColumn` / `sizeColumn`. Times are ISO-like
 * date-times (wall time without a zone is read as is, never shifted by the machine's zone) or
 * epoch seconds/milliseconds (see {@link CsvTraceReadOptions.timeUnit}); a CSV without a header
 * reads column 1 as time and column 2 as size. Times are seconds from the first data line. Blank
 * lines, `#` comments and the header are skipped and counted. Fields are split on every comma:
 * quoted fields holding commas are not supported.
 *
 * @example
 * ```ts
 * const reader = createCsvTraceReader();
 * const trace = reader.read('azure-llm-conv-2023.csv');
 * for await (const arrival of trace) console.log(arrival.timeSeconds, arrival.size);
 * console.log(trace.report()); // { linesRead: 19366, arrivals: 19365, skipped: { header: 1 } }
 * ```
 */
export function createCsvTraceReader(): TraceReader {
  return {
    specificationVersion: 'v1',
    name: CSV_TRACE_READER_NAME,
    description:
      'Timestamped, sized CSV: the Azure LLM trace (TIMESTAMP,ContextTokens,...) or any CSV with timeColumn/sizeColumn',
    formats: ['csv'],
    async canRead(source: string): Promise<boolean> {
      if (!source.toLowerCase().endsWith('.csv')) return false;
      const head = await readFileHead(source);
      const first = head === undefined ? undefined : contentLines(head)[0];
      if (first === undefined) return false;
      const fields = first.split(',').map(cleanField);
      return isHeader(fields) && findKnownColumn(fields, TIME_COLUMN_NAMES) !== -1;
    },
    read(source: string, options?: TraceReadOptions): Trace {
      const checked = validateOptions<CsvTraceReadOptions>(
        CSV_TRACE_READER_NAME,
        options,
        OPTION_RULES,
      );
      return createLineTrace({
        path: source,
        format: CSV_TRACE_READER_NAME,
        sort: checked.sort ?? false,
        createParser: () => createCsvParser(source, checked),
      });
    },
  };
}
