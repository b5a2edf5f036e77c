import type { Trace, TraceReader, TraceReadOptions } from '@mbs/core';
import { errors } from './errors.js';
import { generateSyntheticTrace } from './generate-synthetic-trace.js';
import {
  booleanOption,
  type OptionRule,
  positiveNumberOption,
  validateOptions,
} from './options.js';
import {
  SAMPLE_EXTENT_OPTION_RULES,
  type SampleExtentOptions,
  sampleExtent,
} from './sample-extent.js';

/** Options of the `synthetic` trace reader (also settable in the source, see the reader). */
export interface SyntheticTraceReadOptions extends TraceReadOptions, SampleExtentOptions {
  /** Poisson arrivals at this rate (req/s) instead of the default MAP(2). */
  readonly rateRequestsPerSecond?: number;
  /** Accepted for the common contract; generated arrivals are always in order. */
  readonly sort?: boolean;
}

const OPTION_RULES: Record<string, OptionRule> = {
  ...SAMPLE_EXTENT_OPTION_RULES,
  rateRequestsPerSecond: positiveNumberOption,
  sort: booleanOption,
};

/** Keys of a `synthetic:key=value,...` source and the option each sets. */
const SOURCE_KEYS: Record<string, keyof SyntheticTraceReadOptions> = {
  seed: 'seed',
  count: 'count',
  duration: 'durationSeconds',
  rate: 'rateRequestsPerSecond',
};

/** The reader's name in the plugin registry and in `--format`. */
export const SYNTHETIC_TRACE_READER_NAME = 'synthetic';

/** The options written in a `synthetic:seed=7,count=1000,duration=60,rate=5` source. */
export function parseSyntheticSource(source: string): Record<string, number> {
  const options: Record<string, number> = {};
  const colon = source.indexOf(':');
  if (colon === -1) return options;
  for (const part of source.slice(colon + 1).split(',')) {
    if (part.trim().length === 0) continue;
    const [key, value, extra] = part.split('=').map((piece) => piece.trim());
    const option = key === undefined ? undefined : SOURCE_KEYS[key];
    const number = Number(value);
    if (
      option === undefined ||
      value === undefined ||
      extra !== undefined ||
      value === '' ||
      !Number.isFinite(number)
    ) {
      throw errors.error(
        'OPTION_INVALID',
        `${source}: "${part}" is not key=number; keys: ${Object.keys(SOURCE_KEYS).join(', ')}`,
        { details: { source, part } },
      );
    }
    options[option] = number;
  }
  return options;
}

/**
 * The `synthetic` trace reader: the built-in default workload ({@link DEFAULT_SYNTHETIC_WORKLOAD}),
 * generated from a seed. It recognises the source `synthetic` and `synthetic:key=value,...` with
 * keys seed, count, duration (seconds) and rate (Poisson req/s instead of the MAP(2)); options of
 * the same meaning override the source. Default: seed 1, one hour.
 *
 * @example
 * ```ts
 * const trace = createSyntheticTraceReader().read('synthetic:seed=7,count=100000');
 * ```
 */
export function createSyntheticTraceReader(): TraceReader {
  return {
    specificationVersion: 'v1',
    name: SYNTHETIC_TRACE_READER_NAME,
    description: 'Seeded synthetic workload: bursty MAP(2) at 30 req/s, heavy-tailed token sizes',
    formats: ['synthetic[:seed=N,count=N,duration=S,rate=R]'],
    async canRead(source: string): Promise<boolean> {
      return source === 'synthetic' || source.startsWith('synthetic:');
    },
    read(source: string, options?: TraceReadOptions): Trace {
      if (source !== 'synthetic' && !source.startsWith('synthetic:')) {
        throw errors.error(
          'OPTION_INVALID',
          `${source}: the synthetic reader reads sources "synthetic" or "synthetic:key=value,..."`,
        );
      }
      const merged = { ...parseSyntheticSource(source), ...(options ?? {}) };
      const checked = validateOptions<SyntheticTraceReadOptions>(
        SYNTHETIC_TRACE_READER_NAME,
        merged,
        OPTION_RULES,
      );
      return generateSyntheticTrace({
        source,
        format: SYNTHETIC_TRACE_READER_NAME,
        ...(checked.rateRequestsPerSecond === undefined
          ? {}
          : {
              arrivals: { kind: 'poisson', rateRequestsPerSecond: checked.rateRequestsPerSecond },
            }),
        ...sampleExtent(checked),
      });
    },
  };
}
