import type { OptimizationProblem } from '../problem.js';
import type { Solution } from '../solution.js';
import type { ReplayMeasurement } from './replay-measurement.js';
import { checkVerifyOptions, type VerifySolutionOptions } from './verify-options.js';

/** One solve and its replay. */
export interface VerificationAttempt {
  /** Why it was solved: the first solution, a tightening round, or a bisection step. */
  readonly phase: 'first' | 'tighten' | 'refine';
  /** The SLO solved for, in seconds (NaN in cost mode). */
  readonly internalSloSeconds: number;
  readonly solution: Solution;
  readonly replay: ReplayMeasurement;
  /** Whether the replay met the constraint (with the standard-error margin, if any). */
  readonly meets: boolean;
}

/** What replaying the solutions showed, and the configuration kept. */
export interface Verification {
  /** The kept solution: the cheapest that met the constraint in replay, else the last feasible. */
  readonly solution: Solution;
  /** Its replay. */
  readonly replay: ReplayMeasurement;
  /** Whether the kept solution met the constraint in replay. */
  readonly verified: boolean;
  /** Re-solves with a tightened SLO (0: the first solution met, or could not be tightened). */
  readonly rounds: number;
  /** Bisection re-solves after the tightening met. */
  readonly refinements: number;
  /** The SLO the kept solution was solved for, in seconds (NaN in cost mode). */
  readonly internalSloSeconds: number;
  /** Model cost of the kept solution over the first one's, minus 1 (0.01: 1 % dearer). */
  readonly costPremiumShare: number;
  /** Every solution replayed, in order, the first solve first. */
  readonly attempts: readonly VerificationAttempt[];
}

/**
 * Replays the first solution and, in latency mode, while the replayed percentile misses the SLO,
 * re-solves with the internal SLO scaled by SLO / replayed percentile. The model is exact for
 * its MAP, but a real trace can be burstier at short time scales than its fitted MAP, and a
 * sample's percentile is noisy: the model's slack has to absorb both. Optionally bisects the
 * internal SLO afterwards to win back the slack a whole step gave away. When a tightened SLO is
 * beyond what the model can meet, the last feasible solution is kept, unverified. Cost mode
 * replays once and does not re-solve: there is no SLO to tighten.
 *
 * @example
 * ```ts
 * const strategy = createFrontierStrategy();
 * const verification = await verifySolution({
 *   problem,
 *   solution: await strategy.search(problem),
 *   solve: (tightened) => strategy.search(tightened),
 *   replay: createArrivalsReplay(arrivals, { profile, pricing, classScheme }),
 *   refineRounds: 2,
 * });
 * console.log(verification.verified, verification.replay.percentileSeconds, verification.costPremiumShare);
 * ```
 */
export async function verifySolution(options: VerifySolutionOptions): Promise<Verification> {
  const { maxRounds, refineRounds, standardErrors } = checkVerifyOptions(options);
  const { problem, replay, onProgress } = options;
  const { constraint, percentile } = problem;
  const attempts: VerificationAttempt[] = [];
  // The replayed percentile the SLO must clear: the sample's noise is part of the measurement.
  const margin = (measured: ReplayMeasurement) =>
    standardErrors * (measured.standardErrorSeconds ?? 0);
  const measure = (
    solution: Solution,
    internalSloSeconds: number,
    phase: VerificationAttempt['phase'],
  ): VerificationAttempt => {
    const measured = replay(solution.system, percentile);
    const meets =
      constraint.mode === 'latency'
        ? measured.percentileSeconds + margin(measured) <= constraint.sloSeconds
        : measured.costPerRequestUsd <= constraint.budgetUsdPerRequest;
    const attempt = { phase, internalSloSeconds, solution, replay: measured, meets };
    attempts.push(attempt);
    return attempt;
  };
  const first = measure(
    options.solution,
    constraint.mode === 'latency' ? constraint.sloSeconds : Number.NaN,
    'first',
  );
  const result = (kept: VerificationAttempt, rounds: number, refinements: number) => ({
    solution: kept.solution,
    replay: kept.replay,
    verified: kept.meets,
    rounds,
    refinements,
    internalSloSeconds: kept.internalSloSeconds,
    costPremiumShare: kept.solution.costPerRequestUsd / first.solution.costPerRequestUsd - 1,
    attempts,
  });
  // Tightening only makes sense against a latency objective, from a feasible solution, and from a
  // replay that measured something (an empty window has no percentile to scale by).
  if (
    first.meets ||
    constraint.mode !== 'latency' ||
    !first.solution.feasible ||
    !Number.isFinite(first.replay.percentileSeconds)
  ) {
    return result(first, 0, 0);
  }
  const sloSeconds = constraint.sloSeconds;
  const solveFor = (internalSloSeconds: number) => {
    const tightened: OptimizationProblem = {
      ...problem,
      constraint: { mode: 'latency', sloSeconds: internalSloSeconds },
    };
    return options.solve(tightened);
  };
  const label = `p${Number((percentile * 100).toFixed(3))}`;
  let missed = first;
  let met: VerificationAttempt | undefined;
  let rounds = 0;
  while (
    met === undefined &&
    rounds < maxRounds &&
    Number.isFinite(missed.replay.percentileSeconds)
  ) {
    rounds++;
    const target = sloSeconds - margin(missed.replay);
    // Compounding the correction keeps it monotone when a round overshoots only a little; the
    // floor of 0.1 % guarantees progress when the replay sits right on the target.
    const internalSloSeconds =
      missed.internalSloSeconds * Math.min(target / missed.replay.percentileSeconds, 0.999);
    onProgress?.(
      `verify round ${rounds}: replay ${label} ${missed.replay.percentileSeconds.toFixed(3)} s > ${target.toFixed(3)} s; re-solving for ${internalSloSeconds.toFixed(3)} s`,
    );
    const solution = await solveFor(internalSloSeconds);
    // The model cannot meet the tighter SLO: keep the last feasible solution.
    if (!solution.feasible) return result(missed, rounds, 0);
    const attempt = measure(solution, internalSloSeconds, 'tighten');
    if (attempt.meets) met = attempt;
    else missed = attempt;
  }
  if (met === undefined) return result(missed, rounds, 0);
  let kept = met;
  let meetingSlo = met.internalSloSeconds;
  let missingSlo = missed.internalSloSeconds;
  let refinements = 0;
  while (refinements < refineRounds) {
    refinements++;
    const internalSloSeconds = (meetingSlo + missingSlo) / 2;
    onProgress?.(
      `verify refinement ${refinements}: re-solving for ${internalSloSeconds.toFixed(3)} s (met at ${meetingSlo.toFixed(3)} s, missed at ${missingSlo.toFixed(3)} s)`,
    );
    const solution = await solveFor(internalSloSeconds);
    // Looser than an SLO the model met, so this cannot happen with a sound solver; stop anyway.
    if (!solution.feasible) break;
    const attempt = measure(solution, internalSloSeconds, 'refine');
    if (attempt.meets) {
      meetingSlo = internalSloSeconds;
      if (attempt.solution.costPerRequestUsd < kept.solution.costPerRequestUsd) kept = attempt;
    } else {
      missingSlo = internalSloSeconds;
    }
  }
  return result(kept, rounds, refinements);
}
