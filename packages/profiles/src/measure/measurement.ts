import { LAMBDA_MAX_FUNCTION_TIMEOUT_SECONDS } from '@mbs/core';
import type { PlannedPoint } from './profile-plan.js';
import type { StopReason } from './repetitions.js';

// What a profile run records, point by point, so that a run can be written as it goes and resumed.

/** The measurement of one point: its kept durations and what was discarded or retried. */
export interface PointMeasurement extends PlannedPoint {
  /** Function invoked. */
  readonly functionName: string;
  /** Size sent for every request of the batch (the class's representative size). */
  readonly size: number;
  /** Durations kept, in ms, from the provider's REPORT records (warm invocations only). */
  readonly durationsMs: readonly number[];
  /** Billed durations of the kept invocations, in ms. */
  readonly billedDurationsMs: readonly number[];
  /** Durations of the warm-up invocations discarded before the kept ones, in ms. */
  readonly warmUpDurationsMs: readonly number[];
  /** Invocations of this point that started cold and were discarded. */
  readonly coldStarts: number;
  /** Provider refusals (throttling, transient errors) retried while measuring this point. */
  readonly retries: number;
  /** Why repetitions stopped: the confidence width was reached, or the most repetitions. */
  readonly stop: StopReason;
  /**
   * The run and measurer that took the samples; rounds of different sessions are unrelated.
   * Absent in logs written before it was recorded.
   */
  readonly session?: string;
  /**
   * The measurer's round of each kept sample. Within a session, the samples of one round were
   * taken at about the same time, one per point under way (memories measured in turn keep their
   * rounds in step), so they share the machine's speed of that moment: the profile divides it
   * out (see `roundSpeedFactors`). Absent in logs written before it was recorded.
   */
  readonly rounds?: readonly number[];
}

/** One cold start: an invocation that started an instance, discarded from the service times. */
export interface ColdStartRecord {
  readonly memoryMb: number;
  readonly functionName: string;
  /** Init Duration of the REPORT record, in ms. */
  readonly initDurationMs: number;
  /** Duration of the cold invocation itself, in ms (not a service time). */
  readonly durationMs: number;
}

/** One refusal that was retried. */
export interface RetryRecord {
  readonly memoryMb: number;
  readonly functionName: string;
  /** MbsError code of the refusal (THROTTLED, PROVIDER_ERROR). */
  readonly code: string;
  /** Attempt that was refused, 1 for the first. */
  readonly attempt: number;
  /** Backoff before the next attempt, in ms. */
  readonly delayMs: number;
  readonly message: string;
}

/** Progress of a run, after every invocation. */
export interface MeasurementProgress {
  readonly pointsDone: number;
  readonly pointsTotal: number;
  /**
   * Share of the plan done, 0..1: a measured point counts 1, a point under way its kept samples
   * over the most repetitions (so the share never runs ahead, and moves while points measured in
   * turn are all under way).
   */
  readonly share: number;
  readonly invocations: number;
  readonly retries: number;
  readonly coldStarts: number;
  /** Memories being measured now. */
  readonly activeMemoriesMb: readonly number[];
}

const isWhole = (value: unknown, least: number): value is number =>
  Number.isSafeInteger(value) && (value as number) >= least;
// No REPORT of a Lambda invocation lasts longer than the longest function timeout.
const MAX_DURATION_MS = LAMBDA_MAX_FUNCTION_TIMEOUT_SECONDS * 1000;
const isTimeList = (value: unknown, positive: boolean): value is number[] =>
  Array.isArray(value) &&
  value.every(
    (item) => Number.isFinite(item) && (positive ? item > 0 : item >= 0) && item <= MAX_DURATION_MS,
  );

/**
 * What is wrong with a point read back from a measurement log (a file, so hostile: hand-edited,
 * from another version), or undefined when it is a {@link PointMeasurement} the profile can use:
 * whole memory, class and batch size, at least one kept duration, every duration > 0 (a zero
 * would divide a point's time to nothing) and at most Lambda's longest timeout (no NaN or
 * Infinity downstream), billed durations one per kept one, and rounds, when given, whole and one
 * per kept duration.
 *
 * @example
 * ```ts
 * pointMeasurementProblem({
 *   memoryMb: 512, classIndex: 0, batchSize: 1, functionName: 'p-m512', size: 128, durationsMs: [],
 * });
 * // "durationsMs must hold at least one duration in ms, each > 0 and at most 900000 (Lambda's longest timeout)"
 * ```
 */
export function pointMeasurementProblem(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null) return 'is not an object';
  const point = value as Record<string, unknown>;
  if (!isWhole(point.memoryMb, 1)) return `memoryMb is ${String(point.memoryMb)}; need whole MB`;
  if (!isWhole(point.classIndex, 0))
    return `classIndex is ${String(point.classIndex)}; need 0, 1, ...`;
  if (!isWhole(point.batchSize, 1))
    return `batchSize is ${String(point.batchSize)}; need 1, 2, ...`;
  if (typeof point.functionName !== 'string') return 'functionName must be a string';
  if (!(Number.isFinite(point.size) && (point.size as number) > 0)) {
    return `size is ${String(point.size)}; need a number > 0`;
  }
  const durations = point.durationsMs;
  if (!isTimeList(durations, true) || durations.length === 0) {
    return `durationsMs must hold at least one duration in ms, each > 0 and at most ${MAX_DURATION_MS} (Lambda's longest timeout)`;
  }
  if (
    !isTimeList(point.billedDurationsMs, false) ||
    point.billedDurationsMs.length !== durations.length
  ) {
    return `billedDurationsMs must hold one billed duration (0..${MAX_DURATION_MS} ms) per kept duration`;
  }
  if (!isTimeList(point.warmUpDurationsMs, false)) {
    return `warmUpDurationsMs must be a list of durations in 0..${MAX_DURATION_MS} ms`;
  }
  if (!isWhole(point.coldStarts, 0) || !isWhole(point.retries, 0)) {
    return 'coldStarts and retries must be whole numbers >= 0';
  }
  if (point.stop !== 'confidence' && point.stop !== 'max-repetitions') {
    return `stop is ${String(point.stop)}; need confidence or max-repetitions`;
  }
  if (point.session !== undefined && typeof point.session !== 'string') {
    return 'session must be a string';
  }
  const rounds = point.rounds;
  if (
    rounds !== undefined &&
    !(
      Array.isArray(rounds) &&
      rounds.length === durations.length &&
      rounds.every((round) => isWhole(round, 0))
    )
  ) {
    return 'rounds must hold one whole round number >= 0 per kept duration';
  }
  return undefined;
}
