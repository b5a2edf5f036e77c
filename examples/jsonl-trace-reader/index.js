import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { MbsError } from '@mbs/core';

const OPTIONS = ['sort'];

function traceError(source, line, problem) {
  return new MbsError('TRACE_PARSE', `[jsonl] ${source} line ${line}: ${problem}`, {
    details: { source, line },
  });
}

/**
 * A trace reader `jsonl`: one `{"t": seconds, "size": n}` object per line (blank lines skipped and
 * counted). Times must not go backwards unless `sort` is set, which reads the whole file first.
 */
export function createJsonLinesTraceReader() {
  return {
    specificationVersion: 'v1',
    name: 'jsonl',
    description: 'JSON lines: {"t": seconds, "size": n} per line',
    formats: ['jsonl'],
    async canRead(source) {
      return source.endsWith('.jsonl');
    },
    read(source, options = {}) {
      for (const key of Object.keys(options)) {
        if (!OPTIONS.includes(key)) {
          throw new MbsError(
            'OPTION_INVALID',
            `[jsonl] option ${key} is not accepted; accepted: ${OPTIONS.join(', ')}`,
            { details: { option: key } },
          );
        }
      }
      let report = { linesRead: 0, arrivals: 0, skipped: {} };
      async function* arrivals() {
        let linesRead = 0;
        let blank = 0;
        let previous = Number.NEGATIVE_INFINITY;
        for await (const line of createInterface({ input: createReadStream(source) })) {
          linesRead++;
          if (line.trim() === '') {
            blank++;
            continue;
          }
          let value;
          try {
            value = JSON.parse(line);
          } catch {
            throw traceError(source, linesRead, 'is not JSON; give {"t": seconds, "size": n}');
          }
          const { t, size } = value ?? {};
          if (!Number.isFinite(t) || t < 0 || !Number.isFinite(size) || size <= 0) {
            throw traceError(
              source,
              linesRead,
              `needs "t" (seconds, finite, >= 0) and "size" (finite, > 0); got ${line.slice(0, 80)}`,
            );
          }
          if (t < previous && !options.sort) {
            throw traceError(source, linesRead, `time ${t} goes backwards (give sort: true)`);
          }
          previous = t;
          yield { timeSeconds: t, size };
        }
        report = { linesRead, arrivals: 0, skipped: blank > 0 ? { blank } : {} };
      }
      return {
        metadata: { source, format: 'jsonl', sizeUnit: 'tokens' },
        report: () => report,
        async *[Symbol.asyncIterator]() {
          const read = [];
          let count = 0;
          for await (const arrival of arrivals()) {
            count++;
            if (options.sort) read.push(arrival);
            else yield arrival;
          }
          if (options.sort) yield* read.sort((a, b) => a.timeSeconds - b.timeSeconds);
          report = { ...report, arrivals: count };
        },
      };
    },
  };
}
