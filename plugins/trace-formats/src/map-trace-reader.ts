import type {
  Arrival,
  MarkovianArrivalProcess,
  Trace,
  TraceReader,
  TraceReadOptions,
} from '@mbs/core';
import { readFileHead } from './file-head.js';
import { generateSyntheticTrace } from './generate-synthetic-trace.js';
import { parseMapJson, readMapFiles, readMapJson } from './map-files.js';
import { parseMatrixCsv } from './matrix-csv.js';
import { booleanOption, type OptionRule, validateOptions } from './options.js';
import {
  SAMPLE_EXTENT_OPTION_RULES,
  type SampleExtentOptions,
  sampleExtent,
} from './sample-extent.js';
import type { SizeDistribution } from './size-distribution.js';

/** Options of the `map` trace reader. */
export interface MapTraceReadOptions extends TraceReadOptions, SampleExtentOptions {
  /** Sizes of the sampled arrivals; default 0 (a MAP has no sizes). */
  readonly sizes?: SizeDistribution;
  /** Accepted for the common contract; sampled arrivals are always in order. */
  readonly sort?: boolean;
}

const OPTION_RULES: Record<string, OptionRule> = {
  ...SAMPLE_EXTENT_OPTION_RULES,
  sizes: {
    check: (value) => typeof value === 'object' && value !== null && 'kind' in value,
    accepted:
      'a size distribution ({ kind: "constant", size } or { kind: "lognormal-pareto", ... })',
  },
  sort: booleanOption,
};

/** The reader's name in the plugin registry and in `--format`. */
export const MAP_TRACE_READER_NAME = 'map';

/** The two paths of a `D0.csv,D1.csv` source, or undefined when the source is not a pair. */
export function splitMapPair(source: string): [string, string] | undefined {
  const parts = source.split(',');
  if (parts.length !== 2 || parts[0]!.length === 0 || parts[1]!.length === 0) return undefined;
  return [parts[0]!, parts[1]!];
}

/** Reads the MAP of a source: a `D0,D1` pair of matrix files or a JSON file. */
export async function readMapSource(source: string): Promise<MarkovianArrivalProcess> {
  const pair = splitMapPair(source);
  return pair ? readMapFiles(pair[0], pair[1]) : readMapJson(source);
}

async function isMatrixFile(path: string): Promise<number | undefined> {
  const head = await readFileHead(path, 1 << 20);
  if (head === undefined) return undefined;
  try {
    const matrix = parseMatrixCsv(head.join('\n'), path);
    return matrix.length;
  } catch {
    return undefined;
  }
}

/**
 * Most arrivals the `map` reader samples when neither `count` nor `durationSeconds` is given: an
 * hour of a fast MAP would be billions of arrivals; a million fit a MAP and its statistics well.
 */
export const DEFAULT_MAX_MAP_SAMPLE_ARRIVALS = 1_000_000;

/**
 * The `map` trace reader: samples arrivals from a Markovian Arrival Process stored as two matrix
 * files (source `D0.csv,D1.csv`, as the Twitter MAPs) or as JSON (`{"d0": [[...]], "d1": [[...]]}`).
 * Options `seed`, `count`, `durationSeconds` (default one hour, and at most
 * {@link DEFAULT_MAX_MAP_SAMPLE_ARRIVALS} arrivals) pick the sample; same seed, same arrivals. Sizes are 0 unless a `sizes` distribution is given. The MAP is checked on the first
 * iteration (MAP_INVALID naming the files).
 *
 * @example
 * ```ts
 * const trace = createMapTraceReader().read('hour1_D0.csv,hour1_D1.csv', { seed: 7, count: 100_000 });
 * ```
 */
export function createMapTraceReader(): TraceReader {
  return {
    specificationVersion: 'v1',
    name: MAP_TRACE_READER_NAME,
    description: 'Samples arrivals from a MAP: D0.csv,D1.csv matrix pair or {"d0","d1"} JSON',
    formats: ['D0.csv,D1.csv', 'json'],
    async canRead(source: string): Promise<boolean> {
      const pair = splitMapPair(source);
      if (pair) {
        const [d0Order, d1Order] = await Promise.all(pair.map(isMatrixFile));
        return d0Order !== undefined && d0Order === d1Order;
      }
      if (!source.toLowerCase().endsWith('.json')) return false;
      const head = await readFileHead(source, 1 << 20);
      if (head === undefined) return false;
      try {
        parseMapJson(head.join('\n'), source);
        return true;
      } catch {
        return false;
      }
    },
    read(source: string, options?: TraceReadOptions): Trace {
      const checked = validateOptions<MapTraceReadOptions>(
        MAP_TRACE_READER_NAME,
        options,
        OPTION_RULES,
      );
      let inner: Trace | undefined;
      return {
        metadata: { source, format: MAP_TRACE_READER_NAME },
        report() {
          return inner?.report() ?? { linesRead: 0, arrivals: 0, skipped: {} };
        },
        async *[Symbol.asyncIterator](): AsyncGenerator<Arrival, void, undefined> {
          const map = await readMapSource(source);
          inner = generateSyntheticTrace({
            arrivals: { kind: 'map', map },
            sizes: checked.sizes ?? { kind: 'constant', size: 0 },
            sizeUnit: 'none',
            source,
            format: MAP_TRACE_READER_NAME,
            ...sampleExtent(checked),
            // A MAP of 10^6 req/s would otherwise sample 3.6 * 10^9 arrivals for its default hour.
            ...(checked.count === undefined && checked.durationSeconds === undefined
              ? { count: DEFAULT_MAX_MAP_SAMPLE_ARRIVALS, durationSeconds: 3600 }
              : {}),
          });
          yield* inner;
        },
      };
    },
  };
}
