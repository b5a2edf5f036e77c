import type {
  MarkovianArrivalProcess,
  PricingModel,
  ServiceTimeProfile,
  SystemConfiguration,
} from '@mbs/core';
import { billedMilliseconds, MbsError, megabytesToGigabytes } from '@mbs/core';
import { balanceMapDiagonal } from '@mbs/markov';
import { evaluateSystem } from './evaluate-system.js';
import { burstyMap, twitterHourOneMap } from './reference-maps.js';
import { replaySystem } from './reference-replay.js';
import type { ModelApproximation } from './wait-law-types.js';

/** One configuration of the validation grid. */
export interface ValidationCase {
  /** Workload name, e.g. `twitter-hour-1`. */
  readonly workload: string;
  readonly map: MarkovianArrivalProcess;
  /** Shares of the classes among all requests. */
  readonly classShares: readonly number[];
  readonly bufferCount: number;
  /** B and T of every buffer. */
  readonly batchSize: number;
  readonly timeoutSeconds: number;
  readonly system: SystemConfiguration;
}

/** What a discrete-event replay of a case measured (nearest-rank percentiles). */
export interface ReplayMeasurement {
  readonly p50Seconds: number;
  readonly p95Seconds: number;
  readonly p99Seconds: number;
  readonly meanCostPerRequestUsd: number;
}

/** A {@link ReplayMeasurement} from every request's latency (nearest-rank percentiles). */
export function measurementFromLatencies(
  latenciesSeconds: ArrayLike<number>,
  meanCostPerRequestUsd: number,
): ReplayMeasurement {
  const sorted = Float64Array.from(latenciesSeconds).sort();
  return {
    p50Seconds: nearestRank(sorted, 0.5),
    p95Seconds: nearestRank(sorted, 0.95),
    p99Seconds: nearestRank(sorted, 0.99),
    meanCostPerRequestUsd,
  };
}

/** Replays `requests` arrivals drawn from the case's MAP through its system. */
export type ReplayFunction = (input: {
  readonly validationCase: ValidationCase;
  readonly profile: ServiceTimeProfile;
  readonly pricing: PricingModel;
  readonly requests: number;
  readonly seed: number;
}) => ReplayMeasurement | Promise<ReplayMeasurement>;

/**
 * The package's own reference replay ({@link replaySystem}) as a {@link ReplayFunction}: written
 * apart from the analysis, so `validateAgainstReplay` can check the model without `@mbs/sim`.
 *
 * @example
 * ```ts
 * const rows = await validateAgainstReplay({ replay: referenceReplay, requests: 100_000 });
 * ```
 */
export const referenceReplay: ReplayFunction = ({
  validationCase,
  profile,
  pricing,
  requests,
  seed,
}) => {
  const sample = replaySystem({
    map: validationCase.map,
    classShares: validationCase.classShares,
    system: validationCase.system,
    profile,
    pricing,
    requests,
    seed,
  });
  return measurementFromLatencies(sample.latenciesSeconds, sample.meanCostPerRequestUsd);
};

/** Percentiles and cost of one source (replay or a model mode). */
export interface ValidationFigures {
  readonly p50Seconds: number;
  readonly p95Seconds: number;
  readonly p99Seconds: number;
  readonly costPerRequestUsd: number;
}

/** Relative errors model / replay − 1. */
export interface ValidationErrors {
  readonly p50: number;
  readonly p95: number;
  readonly p99: number;
  readonly cost: number;
}

/** One row of the validation table. */
export interface ValidationRow {
  readonly workload: string;
  readonly bufferCount: number;
  readonly batchSize: number;
  readonly timeoutSeconds: number;
  readonly replay: ValidationFigures;
  readonly exact: ValidationFigures & { readonly errors: ValidationErrors };
  readonly mbs: ValidationFigures & { readonly errors: ValidationErrors };
  /** Exact model within the tolerances on every figure. */
  readonly passed: boolean;
}

/** Tolerances of the acceptance: 2 % on latency percentiles, 1 % on mean cost. */
export const VALIDATION_TOLERANCES = { latency: 0.02, cost: 0.01 } as const;

/** Shares of the 8 classes of the validation workload; the cumulative shares avoid 0.5/0.95/0.99. */
export const VALIDATION_CLASS_SHARES: readonly number[] = [
  0.21, 0.17, 0.15, 0.13, 0.11, 0.09, 0.08, 0.06,
];

/**
 * A synthetic service-time profile for validation: 8 classes, batches up to 32, time growing
 * with the largest class and sub-linearly with the batch, falling as 1 / memory.
 */
export function createValidationProfile(): ServiceTimeProfile {
  return {
    specificationVersion: 'v1',
    name: 'validation-synthetic',
    description: 'Synthetic profile for model-vs-replay validation',
    memorySizesMb: [1024, 2048, 4096],
    maxBatchSize: 32,
    classCount: VALIDATION_CLASS_SHARES.length,
    interpolation: 'inverse-memory',
    memoryRangeMb: { min: 128, max: 10_240 },
    serviceTimeSeconds(memoryMb, largestClass, batchSize) {
      return (0.02 + 0.008 * (largestClass + 1) * batchSize ** 0.8) * (2048 / memoryMb);
    },
  };
}

/** Lambda x86 pricing (USD 0.0000166667 per GB-second, 0.20 per million requests, 1 ms). */
export function createValidationPricing(): PricingModel {
  const priceUsdPerGbSecond = 0.0000166667;
  const requestFeeUsd = 0.0000002;
  return {
    specificationVersion: 'v1',
    name: 'validation-lambda-x86',
    architecture: 'x86_64',
    requestFeeUsd,
    priceUsdPerGbSecond,
    billingGranularityMs: 1,
    billsInitPhase: false,
    billedDurationMs: (usage) => billedMilliseconds(usage.durationMs, 1),
    invocationCostUsd: (usage) =>
      (billedMilliseconds(usage.durationMs, 1) / 1000) *
        megabytesToGigabytes(usage.memoryMb) *
        priceUsdPerGbSecond +
      requestFeeUsd,
  };
}

/** The reference workloads of the validation: near-Poisson Twitter hour 1 and a bursty MAP(2). */
export const VALIDATION_WORKLOADS: Readonly<Record<string, MarkovianArrivalProcess>> = {
  'twitter-hour-1': balanceMapDiagonal(twitterHourOneMap),
  'bursty-map2': burstyMap,
};

function systemOf(
  bufferCount: number,
  batchSize: number,
  timeoutSeconds: number,
): SystemConfiguration {
  const buffer = (first: number, last: number, firstShare = 1, lastShare = 1) => ({
    firstClass: first,
    lastClass: last,
    firstClassShare: firstShare,
    lastClassShare: lastShare,
    batchSize,
    timeoutSeconds,
    memoryMb: 2048,
  });
  if (bufferCount === 1) return { buffers: [buffer(0, 7)] };
  if (bufferCount === 4) {
    // Class 3 is split between the second and third buffers, as the optimizer may do.
    return { buffers: [buffer(0, 1), buffer(2, 3, 1, 0.5), buffer(3, 5, 0.5, 1), buffer(6, 7)] };
  }
  throw new MbsError(
    'OPTION_INVALID',
    `[@mbs/model] option bufferCounts: got ${bufferCount}; accepted: 1 or 4`,
  );
}

/** Options of {@link replayValidationCases}. */
export interface ValidationGridOptions {
  readonly batchSizes?: readonly number[];
  readonly timeoutsSeconds?: readonly number[];
  readonly bufferCounts?: readonly number[];
  readonly workloads?: readonly string[];
}

/**
 * The validation grid: B in {1, 2, 5, 10, 25}, T in {10, 50, 200, 500} ms, one and four buffers,
 * on the Twitter hour-1 and bursty MAPs (each list can be narrowed).
 */
export function replayValidationCases(options: ValidationGridOptions = {}): ValidationCase[] {
  const {
    batchSizes = [1, 2, 5, 10, 25],
    timeoutsSeconds = [0.01, 0.05, 0.2, 0.5],
    bufferCounts = [1, 4],
    workloads = Object.keys(VALIDATION_WORKLOADS),
  } = options;
  const cases: ValidationCase[] = [];
  for (const workload of workloads) {
    const map = VALIDATION_WORKLOADS[workload];
    if (!map) {
      throw new MbsError(
        'OPTION_INVALID',
        `[@mbs/model] option workloads: unknown workload ${JSON.stringify(workload)}; accepted: ${Object.keys(VALIDATION_WORKLOADS).join(', ')}`,
      );
    }
    for (const bufferCount of bufferCounts) {
      for (const batchSize of batchSizes) {
        for (const timeoutSeconds of timeoutsSeconds) {
          cases.push({
            workload,
            map,
            classShares: VALIDATION_CLASS_SHARES,
            bufferCount,
            batchSize,
            timeoutSeconds,
            system: systemOf(bufferCount, batchSize, timeoutSeconds),
          });
        }
      }
    }
  }
  return cases;
}

/** Nearest-rank quantile of an already sorted array (the three percentiles share one sort). */
function nearestRank(sorted: Float64Array, percentile: number): number {
  return sorted[
    Math.min(sorted.length - 1, Math.max(0, Math.ceil(percentile * sorted.length) - 1))
  ]!;
}

function modelFigures(
  validationCase: ValidationCase,
  profile: ServiceTimeProfile,
  pricing: PricingModel,
  approximation: ModelApproximation,
): ValidationFigures {
  const prediction = evaluateSystem({
    map: validationCase.map,
    classShares: validationCase.classShares,
    system: validationCase.system,
    profile,
    pricing,
    percentile: 0.95,
    approximation,
  });
  return {
    p50Seconds: prediction.latency.percentile(0.5),
    p95Seconds: prediction.latencyPercentileSeconds,
    p99Seconds: prediction.latency.percentile(0.99),
    costPerRequestUsd: prediction.costPerRequestUsd,
  };
}

function errorsOf(model: ValidationFigures, replay: ValidationFigures): ValidationErrors {
  return {
    p50: model.p50Seconds / replay.p50Seconds - 1,
    p95: model.p95Seconds / replay.p95Seconds - 1,
    p99: model.p99Seconds / replay.p99Seconds - 1,
    cost: model.costPerRequestUsd / replay.costPerRequestUsd - 1,
  };
}

/** Options of {@link validateAgainstReplay}. */
export interface ValidateAgainstReplayOptions {
  readonly cases: readonly ValidationCase[];
  readonly replay: ReplayFunction;
  /** Requests per replay. */
  readonly requests: number;
  readonly seed?: number;
  readonly profile?: ServiceTimeProfile;
  readonly pricing?: PricingModel;
  /** Called after each row, for progress output. */
  readonly onRow?: (row: ValidationRow, index: number, total: number) => void;
}

/**
 * Runs the exact model, the MBS approximations and a replay on every case and compares p50, p95,
 * p99 latency and mean cost per request.
 *
 * @example
 * ```ts
 * const rows = await validateAgainstReplay({ cases: replayValidationCases(), replay, requests: 1e6 });
 * console.log(formatValidationTable(rows));
 * ```
 */
export async function validateAgainstReplay(
  options: ValidateAgainstReplayOptions,
): Promise<ValidationRow[]> {
  const profile = options.profile ?? createValidationProfile();
  const pricing = options.pricing ?? createValidationPricing();
  const seed = options.seed ?? 1;
  const rows: ValidationRow[] = [];
  for (const [index, validationCase] of options.cases.entries()) {
    const measured = await options.replay({
      validationCase,
      profile,
      pricing,
      requests: options.requests,
      seed: seed + index,
    });
    const replay: ValidationFigures = {
      p50Seconds: measured.p50Seconds,
      p95Seconds: measured.p95Seconds,
      p99Seconds: measured.p99Seconds,
      costPerRequestUsd: measured.meanCostPerRequestUsd,
    };
    const exact = modelFigures(validationCase, profile, pricing, 'exact');
    const mbs = modelFigures(validationCase, profile, pricing, 'mbs');
    const exactErrors = errorsOf(exact, replay);
    const row: ValidationRow = {
      workload: validationCase.workload,
      bufferCount: validationCase.bufferCount,
      batchSize: validationCase.batchSize,
      timeoutSeconds: validationCase.timeoutSeconds,
      replay,
      exact: { ...exact, errors: exactErrors },
      mbs: { ...mbs, errors: errorsOf(mbs, replay) },
      passed:
        Math.abs(exactErrors.p50) <= VALIDATION_TOLERANCES.latency &&
        Math.abs(exactErrors.p95) <= VALIDATION_TOLERANCES.latency &&
        Math.abs(exactErrors.p99) <= VALIDATION_TOLERANCES.latency &&
        Math.abs(exactErrors.cost) <= VALIDATION_TOLERANCES.cost,
    };
    rows.push(row);
    options.onRow?.(row, index, options.cases.length);
  }
  return rows;
}

const percent = (value: number) => `${value >= 0 ? '+' : ''}${(value * 100).toFixed(2)}%`;
const milliseconds = (seconds: number) => (seconds * 1000).toFixed(1);

/** The validation rows as a fixed-width text table (one line per case). */
export function formatValidationTable(rows: readonly ValidationRow[]): string {
  const header = [
    'workload',
    'buf',
    'B',
    'T ms',
    'replay p50/p95/p99 ms',
    'exact err p50',
    'p95',
    'p99',
    'cost',
    'mbs err p50',
    'p95',
    'p99',
    'cost',
    'ok',
  ];
  const lines = rows.map((row) => [
    row.workload,
    String(row.bufferCount),
    String(row.batchSize),
    milliseconds(row.timeoutSeconds),
    `${milliseconds(row.replay.p50Seconds)}/${milliseconds(row.replay.p95Seconds)}/${milliseconds(row.replay.p99Seconds)}`,
    percent(row.exact.errors.p50),
    percent(row.exact.errors.p95),
    percent(row.exact.errors.p99),
    percent(row.exact.errors.cost),
    percent(row.mbs.errors.p50),
    percent(row.mbs.errors.p95),
    percent(row.mbs.errors.p99),
    percent(row.mbs.errors.cost),
    row.passed ? 'yes' : 'NO',
  ]);
  const widths = header.map((cell, column) =>
    Math.max(cell.length, ...lines.map((line) => line[column]!.length)),
  );
  const format = (cells: readonly string[]) =>
    cells
      .map((cell, column) =>
        column === 0 ? cell.padEnd(widths[column]!) : cell.padStart(widths[column]!),
      )
      .join('  ');
  const passed = rows.filter((row) => row.passed).length;
  const worst = (pick: (row: ValidationRow) => number) =>
    rows.reduce((largest, row) => Math.max(largest, Math.abs(pick(row))), 0);
  const summary = [
    `${passed}/${rows.length} configurations within ${VALIDATION_TOLERANCES.latency * 100} % (p50, p95, p99) and ${VALIDATION_TOLERANCES.cost * 100} % (cost).`,
    `Largest |error| exact: p50 ${percent(worst((r) => r.exact.errors.p50))}, p95 ${percent(worst((r) => r.exact.errors.p95))}, p99 ${percent(worst((r) => r.exact.errors.p99))}, cost ${percent(worst((r) => r.exact.errors.cost))}`,
    `Largest |error| mbs:   p50 ${percent(worst((r) => r.mbs.errors.p50))}, p95 ${percent(worst((r) => r.mbs.errors.p95))}, p99 ${percent(worst((r) => r.mbs.errors.p99))}, cost ${percent(worst((r) => r.mbs.errors.cost))}`,
  ];
  return `${[format(header), widths.map((width) => '-'.repeat(width)).join('  '), ...lines.map(format), '', ...summary].join('\n')}\n`;
}
