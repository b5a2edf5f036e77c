import type { SyntheticTraceOptions } from './generate-synthetic-trace.js';
import {
  type OptionRule,
  positiveIntegerOption,
  positiveNumberOption,
  seedOption,
} from './options.js';

/** Which sample the readers that generate arrivals (`map`, `synthetic`) make, and how long. */
export interface SampleExtentOptions {
  /** Seed of the sampled arrivals; same seed, same arrivals. Default 1. */
  readonly seed?: number;
  /** Arrivals to sample. */
  readonly count?: number;
  /** Seconds of arrivals to sample; default 3600 when `count` is not given either. */
  readonly durationSeconds?: number;
}

/** The option rules of {@link SampleExtentOptions}, for a reader's rule table. */
export const SAMPLE_EXTENT_OPTION_RULES: Readonly<Record<keyof SampleExtentOptions, OptionRule>> = {
  seed: seedOption,
  count: positiveIntegerOption,
  durationSeconds: positiveNumberOption,
};

/** The extent options that are set, as {@link generateSyntheticTrace} takes them. */
export function sampleExtent(
  options: SampleExtentOptions,
): Pick<SyntheticTraceOptions, keyof SampleExtentOptions> {
  return {
    ...(options.seed === undefined ? {} : { seed: options.seed }),
    ...(options.count === undefined ? {} : { count: options.count }),
    ...(options.durationSeconds === undefined ? {} : { durationSeconds: options.durationSeconds }),
  };
}
