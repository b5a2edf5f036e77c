import { type Arrival, createRandom, type RandomSource, type Trace } from '@mbs/core';
import { errors } from './errors.js';

/**
 * Options of {@link generateBurstyTrace}. The defaults give the hard case of real LLM-serving
 * traffic: on/off bursts, about a third of the gaps under 5 ms, inter-arrival SCV above 100 and
 * about a tenth of the minutes empty, at about 5 req/s over an hour.
 */
export interface BurstyTraceOptions {
  /** Seed of every draw; the same seed gives the same trace. */
  readonly seed: number;
  /** Seconds of traffic generated; default 3600. */
  readonly durationSeconds?: number;
  /**
   * Sizes drift with time: each on period has its own size level, the level wanders slowly over
   * the hour, and the requests of one cluster (a conversation's turns) share a context that
   * grows turn by turn. Without it sizes are independent of time (independent marks).
   */
  readonly sizeDrift?: boolean;
}

/** The parameters of the process; see {@link generateBurstyTrace} for what each does. */
const PARAMETERS = {
  /** Median on-period length, s, and the log-standard deviation of its lognormal law. */
  onMedianSeconds: 60,
  onSigma: 0.6,
  /** Off periods: Pareto of this index from this minimum, s, cut at the maximum. */
  offIndex: 1.2,
  offMinimumSeconds: 8,
  offMaximumSeconds: 600,
  /** Clusters per second in an on period, before the period's own intensity factor. */
  clusterRatePerSecond: 4,
  /** Log-standard deviation of an on period's intensity factor (median 1). */
  intensitySigma: 0.4,
  /** Mean number of extra requests in a cluster (geometric): clusters hold 1.5 requests on average. */
  extraRequestsMean: 0.5,
  /** Mean gap inside a cluster, s (exponential). */
  clusterGapSeconds: 0.0012,
  /** Size law: lognormal median (tokens) and log-standard deviation, cut to [minimum, maximum]. */
  sizeMedian: 900,
  sizeSigma: 0.9,
  sizeMinimum: 2,
  sizeMaximum: 14_000,
  /** With drift: log-standard deviation of an on period's size level. */
  periodSizeSigma: 0.5,
  /** With drift: amplitude (log scale) and period, s, of the slow wander of the size level. */
  driftAmplitude: 0.4,
  driftPeriodSeconds: 1800,
  /** With drift: spread (log scale) of a cluster's turns around its context, and growth per turn. */
  turnSigma: 0.15,
  turnGrowth: 0.25,
} as const;

function normal(random: RandomSource): number {
  const radius = Math.sqrt(-2 * Math.log(1 - random.next()));
  return radius * Math.cos(2 * Math.PI * random.next());
}

function exponential(random: RandomSource, mean: number): number {
  return -Math.log(1 - random.next()) * mean;
}

function clampSize(size: number): number {
  return Math.round(Math.min(PARAMETERS.sizeMaximum, Math.max(PARAMETERS.sizeMinimum, size)));
}

/**
 * Arrival times (s) and sizes (tokens) of a seeded bursty trace, in time order: the hard case
 * for a MAP fitted to a trace. The process is not a MAP (heavy-tailed off periods, lognormal on
 * periods, clustered arrivals), so no fit reproduces it exactly:
 *
 * - traffic alternates between on periods (lognormal, median 100 s) and off periods without any
 *   arrival (Pareto of index 1.4 from 15 s, cut at 900 s): the long off periods empty whole
 *   minutes and make the inter-arrival SCV large;
 * - in an on period, clusters arrive as a Poisson process whose rate (4/s) is scaled by the
 *   period's own lognormal intensity factor; a cluster holds 1 + a geometric number (mean 0.5)
 *   of requests about 1.2 ms apart, so about a third of the gaps are under 5 ms;
 * - sizes are lognormal tokens (median 900), independent of time; with `sizeDrift`, each on
 *   period draws its own size level, the level wanders with a 30-minute sine, and the requests of
 *   a cluster share its context, growing by a quarter per turn (a conversation's turns).
 *
 * @example
 * ```ts
 * const { times, sizes } = generateBurstyArrivals({ seed: 1, sizeDrift: true });
 * ```
 */
export function generateBurstyArrivals(options: BurstyTraceOptions): {
  readonly times: Float64Array;
  readonly sizes: Float64Array;
} {
  const duration = options.durationSeconds ?? 3600;
  if (!Number.isSafeInteger(options.seed)) {
    throw errors.error('OPTION_INVALID', `seed is ${options.seed}; give an integer`);
  }
  if (!(duration > 0 && Number.isFinite(duration))) {
    throw errors.error('OPTION_INVALID', `durationSeconds is ${duration}; give finite seconds > 0`);
  }
  const p = PARAMETERS;
  const random = createRandom(options.seed);
  const times: number[] = [];
  const sizes: number[] = [];
  let start = 0;
  while (start < duration) {
    const onLength = p.onMedianSeconds * Math.exp(p.onSigma * normal(random));
    const end = Math.min(duration, start + onLength);
    const rate = p.clusterRatePerSecond * Math.exp(p.intensitySigma * normal(random));
    const periodLevel = Math.log(p.sizeMedian) + p.periodSizeSigma * normal(random);
    let time = start + exponential(random, 1 / rate);
    while (time < end) {
      // The drifting size level at this time; without drift every size is drawn afresh.
      const level =
        periodLevel + p.driftAmplitude * Math.sin((2 * Math.PI * time) / p.driftPeriodSeconds);
      const context = level + p.sizeSigma * 0.6 * normal(random);
      let turns = 1;
      while (random.next() < p.extraRequestsMean / (1 + p.extraRequestsMean)) turns++;
      let turnTime = time;
      for (let turn = 0; turn < turns && turnTime < duration; turn++) {
        const size = options.sizeDrift
          ? Math.exp(context + p.turnSigma * normal(random)) * (1 + p.turnGrowth * turn)
          : Math.exp(Math.log(p.sizeMedian) + p.sizeSigma * normal(random));
        times.push(turnTime);
        sizes.push(clampSize(size));
        turnTime += exponential(random, p.clusterGapSeconds);
      }
      time = Math.max(time + exponential(random, 1 / rate), turnTime);
    }
    const u = 1 - random.next();
    start = end + Math.min(p.offMaximumSeconds, p.offMinimumSeconds / u ** (1 / p.offIndex));
  }
  return { times: Float64Array.from(times), sizes: Float64Array.from(sizes) };
}

/**
 * {@link generateBurstyArrivals} as a `Trace` (sizes in tokens), for the readers' consumers
 * (`fitWorkload`, replays).
 *
 * @example
 * ```ts
 * const workload = await fitWorkload(generateBurstyTrace({ seed: 1 }));
 * ```
 */
export function generateBurstyTrace(options: BurstyTraceOptions): Trace {
  const { times, sizes } = generateBurstyArrivals(options);
  return arraysTrace(
    times,
    sizes,
    `bursty:seed=${options.seed}${options.sizeDrift ? ',drift' : ''}`,
  );
}

/** Arrays of times and sizes as a `Trace` (format `bursty`, sizes in tokens). */
export function arraysTrace(
  times: ArrayLike<number>,
  sizes: ArrayLike<number>,
  source: string,
): Trace {
  return {
    metadata: { source, format: 'bursty', sizeUnit: 'tokens' },
    report: () => ({ linesRead: times.length, arrivals: times.length, skipped: {} }),
    async *[Symbol.asyncIterator](): AsyncGenerator<Arrival> {
      for (let index = 0; index < times.length; index++) {
        yield { timeSeconds: times[index]!, size: sizes[index]! };
      }
    },
  };
}

/** The statistics that make a trace the hard case. */
export interface BurstinessSummary {
  readonly arrivals: number;
  readonly ratePerSecond: number;
  /** Share of inter-arrival gaps under 5 ms. */
  readonly shortGapShare: number;
  readonly scv: number;
  /** Share of whole minutes (from the first arrival) without any arrival. */
  readonly emptyMinuteShare: number;
}

/** Measures {@link BurstinessSummary} of ascending arrival times in seconds (at least two). */
export function burstinessSummary(times: ArrayLike<number>): BurstinessSummary {
  const count = times.length;
  let sum = 0;
  let squares = 0;
  let short = 0;
  for (let index = 1; index < count; index++) {
    const gap = times[index]! - times[index - 1]!;
    sum += gap;
    squares += gap * gap;
    if (gap < 0.005) short++;
  }
  const gaps = count - 1;
  const mean = sum / gaps;
  const first = times[0]!;
  const minutes = Math.max(1, Math.floor((times[count - 1]! - first) / 60));
  const occupied = new Uint8Array(minutes);
  for (let index = 0; index < count; index++) {
    const minute = Math.floor((times[index]! - first) / 60);
    if (minute < minutes) occupied[minute] = 1;
  }
  const empty = occupied.reduce((total, value) => total + (value === 0 ? 1 : 0), 0);
  return {
    arrivals: count,
    ratePerSecond: gaps / sum,
    shortGapShare: short / gaps,
    scv: squares / gaps / (mean * mean) - 1,
    emptyMinuteShare: empty / minutes,
  };
}
