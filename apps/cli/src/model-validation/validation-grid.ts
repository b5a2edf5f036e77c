import type {
  MarkovianArrivalProcess,
  PricingModel,
  ServiceTimeProfile,
  SystemConfiguration,
} from '@mbs/core';
import { billedMilliseconds, megabytesToGigabytes } from '@mbs/core';
import { balanceMapDiagonal } from '@mbs/markov';
import { burstyMap, twitterHourOneMap } from '@mbs/model';
import { optionError } from '../options/option-error.js';

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

/** Lambda x86 pricing (USD 0.0000166667 per GB-second, 0.20 per million, 1 ms). */
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
  throw optionError('--buffers', `is ${bufferCount}; accepted: 1 or 4`, bufferCount);
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
      throw optionError(
        '--workloads',
        `has unknown workload ${JSON.stringify(workload)}; accepted: ${Object.keys(VALIDATION_WORKLOADS).join(', ')}`,
        workload,
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
