import type { PricingModel, ServiceTimeProfile } from '@mbs/core';
import { evaluateSystem, type ModelApproximation } from '@mbs/model';
import {
  createValidationPricing,
  createValidationProfile,
  type ValidationCase,
} from './validation-grid.js';

/** Percentiles and mean cost per request of one source (the replay or a model mode). */
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

/**
 * Replays `requests` arrivals drawn from the case's MAP through its system and measures it:
 * nearest-rank percentiles of every request's latency and the mean cost per request.
 */
export type ReplayFunction = (input: {
  readonly validationCase: ValidationCase;
  readonly profile: ServiceTimeProfile;
  readonly pricing: PricingModel;
  readonly requests: number;
  readonly seed: number;
}) => ValidationFigures | Promise<ValidationFigures>;

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
    const replay = await options.replay({
      validationCase,
      profile,
      pricing,
      requests: options.requests,
      seed: seed + index,
    });
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
