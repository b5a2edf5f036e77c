/**
 * Does a verification margin drawn from one stretch of traffic cover the next? Cheap: replays
 * only, no solves. For independent seeds of the bursty hard case (`hard`, `drift`) and the Azure
 * conversation trace (one split), a few fixed configurations (parametric profile, 8 quantile
 * classes) are replayed on the first part and on the held-out rest. The threshold is the first
 * part's p95 (what a verification tuned to just meet leaves); each margin's bound at confidence C
 * is compared with the held-out figure:
 *
 * - `share`: the share over the threshold + t(C, k-1) x batch-means SE x sqrt(2) (k stretches),
 *   against the held-out share over it (`verifySolution`'s `confidence`);
 * - `p95`: the p95 + t(C, k-1) x batch-means SE of the p95 x sqrt(2), against the held-out p95;
 * - `scaled share`: the share bound with a long-memory (variance-time) correction of its SE, an
 *   experiment: it covers no better than the plain one on these traces.
 *
 * It prints how often each bound covers (goal: about C), how often the held-out p95 is more than
 * 2 % over the threshold, and how often it is more than 2 % over the SLO the share margin would
 * have asked for (the tuning part's quantile at 0.95 + margin), with that SLO's latency price.
 *
 * Run: `npx tsx scripts/margin-coverage.ts [--seeds 20] [--confidence 0.9] [--stretches 10]
 * [--holdout 0.5]` from apps/validation. Seconds to a minute.
 */
import {
  type Arrival,
  classSchemeFromEdges,
  type ServiceTimeProfile,
  type SystemConfiguration,
  sortedQuantile,
  studentTQuantile,
} from '@mbs/core';
import { createArrivalsReplay, exceedancePredictionMargin } from '@mbs/optimizer';
import { createAwsPricing } from '@mbs/pricing-aws';
import { createParametricProfile } from '@mbs/profiles';
import { replayArrivals } from '@mbs/sim';
import { loadTrace, sliceTrace, type TraceArrays } from '../src/bursty-cases.js';
import { generateBurstyArrivals } from '../src/bursty-trace.js';
import { errors } from '../src/errors.js';
import { realDataPresent } from '../src/real-data.js';

function numberOption(name: string, fallback: number): number {
  const index = process.argv.indexOf(`--${name}`);
  const value = index >= 0 ? Number(process.argv[index + 1]) : fallback;
  if (!(value > 0 && Number.isFinite(value))) {
    throw errors.error('OPTION_INVALID', `--${name}: give a number > 0`);
  }
  return value;
}
const seeds = numberOption('seeds', 20);
const confidence = numberOption('confidence', 0.9);
const stretches = numberOption('stretches', 10);
const holdout = numberOption('holdout', 0.5);
const pricing = createAwsPricing({ architecture: 'x86_64' });

/** Fixed configurations over 8 classes: one buffer, or small and large sizes apart. */
const one = (batchSize: number, timeoutSeconds: number): SystemConfiguration => ({
  buffers: [
    {
      firstClass: 0,
      lastClass: 7,
      firstClassShare: 1,
      lastClassShare: 1,
      batchSize,
      timeoutSeconds,
      memoryMb: 2048,
    },
  ],
});
const two = (batchSize: number, timeoutSeconds: number): SystemConfiguration => ({
  buffers: [
    {
      firstClass: 0,
      lastClass: 3,
      firstClassShare: 1,
      lastClassShare: 1,
      batchSize,
      timeoutSeconds,
      memoryMb: 2048,
    },
    {
      firstClass: 4,
      lastClass: 7,
      firstClassShare: 1,
      lastClassShare: 1,
      batchSize: Math.max(1, Math.round(batchSize / 2)),
      timeoutSeconds,
      memoryMb: 3008,
    },
  ],
});
const CONFIGURATIONS: Record<string, SystemConfiguration> = {
  'B4 T50ms': one(4, 0.05),
  'B8 T100ms': one(8, 0.1),
  'B16 T200ms': one(16, 0.2),
  '2 buffers B8 T100ms': two(8, 0.1),
  '2 buffers B16 T300ms': two(16, 0.3),
};

interface Row {
  readonly trace: string;
  readonly configuration: string;
  readonly shareCovered: boolean;
  readonly p95Covered: boolean;
  readonly scaledCovered: boolean;
  readonly heldOutOver: number;
  /**
   * The held-out p95 over the SLO a confidence margin would have asked for: the SLO at which the
   * tuning part's share plus margin is exactly 5 % (its quantile at 0.95 + margin), minus 1.
   */
  readonly heldOutOverWithMargin: number;
  /** That SLO over the threshold, minus 1: the price of the margin in latency. */
  readonly marginLatency: number;
  /** The same for the p95 margin: the held-out p95 over the p95 bound, minus 1. */
  readonly heldOutOverP95Bound: number;
  /** The p95 bound over the threshold, minus 1. */
  readonly p95MarginLatency: number;
}

/** The latencies of a replay in arrival order (as `createArrivalsReplay` cuts its stretches). */
function latenciesOf(
  arrivals: readonly Arrival[],
  system: SystemConfiguration,
  profile: ServiceTimeProfile,
): Float64Array {
  const records: { arrival: number; latency: number }[] = [];
  replayArrivals(arrivals, {
    profile,
    pricing,
    system,
    percentiles: [0.95],
    onRequest: (record) => {
      records.push({ arrival: record.arrivalSeconds, latency: record.latencySeconds });
    },
  });
  records.sort((left, right) => left.arrival - right.arrival);
  return Float64Array.from(records, (record) => record.latency);
}

/**
 * Variance-time scaled margin: block-mean variances of the share over the threshold at k/2, k,
 * 2k, 4k blocks give the slope beta of log variance against log block size (-1 without long
 * memory); the half's mean then has variance Var_k x k^beta, and two adjacent halves differ with
 * variance Var_half x 4 (1 - 2^beta) (exact for second-order self-similar traffic).
 */
function scaledMargin(latencies: Float64Array, threshold: number, k: number, t: number): number {
  const variance = (blocks: number) => {
    const size = Math.floor(latencies.length / blocks);
    const means = Array.from({ length: blocks }, (_, block) => {
      let over = 0;
      for (let index = block * size; index < (block + 1) * size; index++) {
        if (latencies[index]! > threshold) over++;
      }
      return over / size;
    });
    const mean = means.reduce((sum, value) => sum + value, 0) / blocks;
    return means.reduce((sum, value) => sum + (value - mean) ** 2, 0) / (blocks - 1);
  };
  const levels = [k / 2, k, 2 * k, 4 * k].map(Math.round);
  const points = levels.map((blocks) => ({
    x: Math.log(latencies.length / blocks),
    y: Math.log(Math.max(variance(blocks), 1e-12)),
  }));
  const mx = points.reduce((sum, point) => sum + point.x, 0) / points.length;
  const my = points.reduce((sum, point) => sum + point.y, 0) / points.length;
  const slope =
    points.reduce((sum, point) => sum + (point.x - mx) * (point.y - my), 0) /
    points.reduce((sum, point) => sum + (point.x - mx) ** 2, 0);
  const beta = Math.min(-0.05, Math.max(-1, slope));
  const half = variance(k) * k ** beta;
  return t * Math.sqrt(half * 4 * (1 - 2 ** beta));
}

function split(trace: TraceArrays) {
  const end = trace.times[trace.times.length - 1]! + 1e-9;
  const cut = end * (1 - holdout);
  return { tuning: sliceTrace(trace, 0, cut), heldOut: sliceTrace(trace, cut, end) };
}

function rowsOf(trace: TraceArrays, name: string): Row[] {
  const { tuning, heldOut } = split(trace);
  // 8 quantile classes of the tuning part's sizes, as the bursty validation classes them.
  const sorted = Float64Array.from(tuning.sizes).sort();
  const edges = Array.from({ length: 8 }, (_, index) =>
    index === 7 ? Number.POSITIVE_INFINITY : sortedQuantile(sorted, (index + 1) / 8),
  );
  const representative = Array.from({ length: 8 }, (_, index) =>
    sortedQuantile(sorted, (index + 0.5) / 8),
  );
  const scheme = classSchemeFromEdges(
    edges.map((edge, index) => (Number.isFinite(edge) ? edge : sorted[sorted.length - 1]! + index)),
    representative,
  );
  const profile = createParametricProfile({ representativeSizes: representative });
  const classed = (arrays: TraceArrays): Arrival[] =>
    Array.from(arrays.times, (timeSeconds, index) => {
      const size = arrays.sizes[index]!;
      return { timeSeconds, size, classId: scheme.classOf(size) };
    });
  const tuningArrivals = classed(tuning);
  const replayTuning = createArrivalsReplay(tuningArrivals, { profile, pricing, stretches });
  const replayHeldOut = createArrivalsReplay(classed(heldOut), { profile, pricing, stretches });
  const t = studentTQuantile(confidence, stretches - 1);
  return Object.entries(CONFIGURATIONS).map(([configuration, system]) => {
    const tuned = replayTuning(system, 0.95);
    const later = replayHeldOut(system, 0.95);
    const threshold = tuned.percentileSeconds;
    const estimate = tuned.latencyStretches!.exceedance(threshold);
    const laterShare = later.latencyStretches!.exceedance(threshold).share;
    const margin = exceedancePredictionMargin(estimate, confidence);
    const withMargin = tuned.latencyStretches!.quantile(Math.min(1, 0.95 + margin));
    const p95Bound = threshold + t * (tuned.standardErrorSeconds ?? 0) * Math.SQRT2;
    const scaled = scaledMargin(
      latenciesOf(tuningArrivals, system, profile),
      threshold,
      stretches,
      t,
    );
    return {
      trace: name,
      configuration,
      shareCovered: laterShare <= estimate.share + exceedancePredictionMargin(estimate, confidence),
      p95Covered: later.percentileSeconds <= p95Bound,
      scaledCovered: laterShare <= estimate.share + scaled,
      heldOutOver: later.percentileSeconds / threshold - 1,
      heldOutOverWithMargin: later.percentileSeconds / withMargin - 1,
      marginLatency: withMargin / threshold - 1,
      heldOutOverP95Bound: later.percentileSeconds / p95Bound - 1,
      p95MarginLatency: p95Bound / threshold - 1,
    };
  });
}

const median = (values: number[]) =>
  `${(
    sortedQuantile(
      values.sort((left, right) => left - right),
      0.5,
    ) * 100
  ).toFixed(1)} %`;

const rows: Row[] = [];
for (const variant of ['hard', 'drift'] as const) {
  for (let seed = 1; seed <= seeds; seed++) {
    const { times, sizes } = generateBurstyArrivals({ seed, sizeDrift: variant === 'drift' });
    rows.push(...rowsOf({ name: `${variant} ${seed}`, times, sizes }, variant));
  }
}
if (realDataPresent()) rows.push(...rowsOf(await loadTrace('azure'), 'azure'));

console.log(
  `\nCoverage at confidence ${confidence}, ${stretches} stretches, holdout ${holdout}, threshold = in-sample p95\n`,
);
console.log(
  '| trace | cases | share bound covers | p95 bound covers | scaled share bound covers | held-out p95 > threshold +2 % | median held-out p95 over | share margin: held-out p95 > its SLO +2 % | its median latency price | p95 margin: held-out p95 > its SLO +2 % | its median latency price |',
);
console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
for (const trace of ['hard', 'drift', 'azure']) {
  const group = rows.filter((row) => row.trace === trace);
  if (group.length === 0) continue;
  const share = (predicate: (row: Row) => boolean) =>
    `${((group.filter(predicate).length / group.length) * 100).toFixed(1)} %`;
  console.log(
    `| ${trace} | ${group.length} | ${share((row) => row.shareCovered)} | ${share((row) => row.p95Covered)} | ${share((row) => row.scaledCovered)} | ${share((row) => row.heldOutOver > 0.02)} | ${median(group.map((row) => row.heldOutOver))} | ${share((row) => row.heldOutOverWithMargin > 0.02)} | ${median(group.map((row) => row.marginLatency))} | ${share((row) => row.heldOutOverP95Bound > 0.02)} | ${median(group.map((row) => row.p95MarginLatency))} |`,
  );
}
