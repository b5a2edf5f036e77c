import { errors } from '../errors.js';
import type { OptimizationProblem } from '../problem.js';
import type { Solution } from '../solution.js';
import type { SystemReplay } from './replay-measurement.js';

/** What {@link verifySolution} needs: the problem, its first solution, a solver and a replay. */
export interface VerifySolutionOptions {
  /** The problem as the user posed it (its SLO is the one the replay must meet). */
  readonly problem: OptimizationProblem;
  /** The first solution, solved for `problem` as given. */
  readonly solution: Solution;
  /** Solves a problem the same way the first solution was solved (strategy, bounds). */
  readonly solve: (problem: OptimizationProblem) => Promise<Solution>;
  /** Replays a configuration and measures its percentile and cost. */
  readonly replay: SystemReplay;
  /** Most re-solves with a tightened SLO; default 4. */
  readonly maxRounds?: number;
  /**
   * After a round that meets the SLO, re-solves bisecting the internal SLO between the last one
   * that missed and the one that met, keeping the cheapest configuration that meets: this
   * recovers the slack a full tightening step overshoots by. Default 0 (no bisection).
   */
  readonly refineRounds?: number;
  /**
   * Margin for a sampled replay, in standard errors of its percentile: the replay meets the SLO
   * only when percentile + standardErrors x standard error <= SLO, so the configuration does not
   * pass on one sample's luck. Ignored when the replay reports no standard error; default 0.
   */
  readonly standardErrors?: number;
  /**
   * Confidence, in (0, 1), that a later stretch of the same traffic (as long as the replayed one,
   * or see `laterLengthRatio`) meets the SLO too: the replay meets only when the share of its
   * requests over the SLO, plus the one-sided prediction margin of that share at this confidence
   * (Student's t over the stretches' batch means, x sqrt(1 + 1 / laterLengthRatio)), is at most
   * 1 - percentile. A bound on the share over the SLO rather than on the percentile, because
   * where the latency distribution has a step near the SLO a few more requests over the line move
   * the percentile a lot, and its batch means are far from normal. Needs a replay that reports
   * `latencyStretches` (`createArrivalsReplay` with `stretches`); latency mode only; not with
   * `standardErrors`. Absent: no such margin.
   */
  readonly confidence?: number;
  /**
   * With `confidence`: how long the later traffic the bound is for is, relative to the replayed
   * traffic (e.g. a held-out part half as long: 0.5). A shorter later stretch has a noisier share
   * over the SLO, so its margin is wider (see `exceedancePredictionMargin`). Default 1.
   */
  readonly laterLengthRatio?: number;
  /**
   * A tightening step whose replayed percentile is more than this share worse than the replay it
   * tightened from is a jump (the search landed on a different kind of configuration, with a cliff
   * the model does not see): it is not taken; the internal SLO is bisected back towards the step's
   * start instead. Default 0.05.
   */
  readonly jumpTolerance?: number;
  /** Bisection solves per detected jump (or infeasible tightening); default 2. */
  readonly jumpBisections?: number;
  /** Receives one line per re-solve. */
  readonly onProgress?: (message: string) => void;
}

/** Default of {@link VerifySolutionOptions.maxRounds}. */
export const DEFAULT_VERIFY_ROUNDS = 4;

const OPTION_KEYS = new Set([
  'problem',
  'solution',
  'solve',
  'replay',
  'maxRounds',
  'refineRounds',
  'standardErrors',
  'confidence',
  'laterLengthRatio',
  'jumpTolerance',
  'jumpBisections',
  'onProgress',
]);

/** The numeric options with their defaults. */
export interface CheckedVerifyOptions {
  readonly maxRounds: number;
  readonly refineRounds: number;
  readonly standardErrors: number;
  readonly confidence: number | undefined;
  readonly laterLengthRatio: number;
  readonly jumpTolerance: number;
  readonly jumpBisections: number;
}

function invalid(option: string, value: unknown, accepted: string): never {
  throw errors.error(
    'OPTION_INVALID',
    `verifySolution option ${option} is ${JSON.stringify(value)}; ${accepted}`,
    { details: { option, value } },
  );
}

function count(option: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value < 0) invalid(option, value, 'give an integer >= 0');
  return value;
}

/** Rejects unknown keys and out-of-range numbers; fills in the defaults. */
export function checkVerifyOptions(options: VerifySolutionOptions): CheckedVerifyOptions {
  for (const key of Object.keys(options)) {
    if (!OPTION_KEYS.has(key)) {
      invalid(
        key,
        (options as unknown as Record<string, unknown>)[key],
        `unknown; accepted: ${[...OPTION_KEYS].join(', ')}`,
      );
    }
  }
  if (typeof options.solve !== 'function')
    invalid('solve', typeof options.solve, 'give a function');
  if (typeof options.replay !== 'function') {
    invalid('replay', typeof options.replay, 'give a function');
  }
  const standardErrors = options.standardErrors ?? 0;
  if (!(Number.isFinite(standardErrors) && standardErrors >= 0)) {
    invalid('standardErrors', standardErrors, 'give a finite number >= 0');
  }
  const confidence = options.confidence;
  if (confidence !== undefined) {
    if (!(typeof confidence === 'number' && confidence > 0 && confidence < 1)) {
      invalid('confidence', confidence, 'give a probability in (0, 1), e.g. 0.9');
    }
    if (standardErrors > 0) {
      invalid(
        'confidence',
        confidence,
        `not with standardErrors (${standardErrors}): give one margin, not both`,
      );
    }
  }
  const laterLengthRatio = options.laterLengthRatio ?? 1;
  if (!(Number.isFinite(laterLengthRatio) && laterLengthRatio > 0)) {
    invalid('laterLengthRatio', laterLengthRatio, 'give a finite ratio > 0, e.g. 1');
  }
  const jumpTolerance = options.jumpTolerance ?? 0.05;
  if (!(Number.isFinite(jumpTolerance) && jumpTolerance >= 0)) {
    invalid('jumpTolerance', jumpTolerance, 'give a finite share >= 0, e.g. 0.05');
  }
  return {
    maxRounds: count('maxRounds', options.maxRounds, DEFAULT_VERIFY_ROUNDS),
    refineRounds: count('refineRounds', options.refineRounds, 0),
    standardErrors,
    confidence,
    laterLengthRatio,
    jumpTolerance,
    jumpBisections: count('jumpBisections', options.jumpBisections, 2),
  };
}
