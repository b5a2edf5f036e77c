import { errors } from '../errors.js';
import type { OptimizationProblem } from '../problem.js';
import type { Solution } from '../solution.js';
import { exceedancePredictionMargin } from './batch-means.js';
import type { ReplayMeasurement } from './replay-measurement.js';
import { checkVerifyOptions, type VerifySolutionOptions } from './verify-options.js';

/** With `confidence`: the share of a replay's requests over the SLO, and its prediction margin. */
export interface RequestsOverSlo {
  /** Share of the replayed requests whose latency exceeds the SLO, in [0, 1]. */
  readonly share: number;
  /** The margin `share` must clear besides: how far a later stretch of traffic may land above it. */
  readonly marginShare: number;
}

/** One solve and its replay. */
export interface VerificationAttempt {
  /**
   * Why it was solved: the first solution, a tightening round, a bisection after a tightening
   * step jumped to a far worse replay (or was infeasible), or a bisection back towards the SLO
   * after one met.
   */
  readonly phase: 'first' | 'tighten' | 'bisect' | 'refine';
  /** The SLO solved for, in seconds (NaN in cost mode). */
  readonly internalSloSeconds: number;
  readonly solution: Solution;
  readonly replay: ReplayMeasurement;
  /** Whether the replay met the constraint (with the standard-error or confidence margin, if any). */
  readonly meets: boolean;
  /**
   * With `confidence`: the share of replayed requests over the SLO, and the prediction margin on
   * it; the replay meets when their sum is at most 1 - percentile.
   */
  readonly requestsOverSlo?: RequestsOverSlo;
  /** A tightening or bisection whose replay was far worse than the one it started from. */
  readonly jump: boolean;
}

/** What replaying the solutions showed, and the configuration kept. */
export interface Verification {
  /**
   * The kept solution: the cheapest that met the constraint in replay; when none met, the first
   * (unverified) one, never a later configuration that also missed.
   */
  readonly solution: Solution;
  /** Its replay. */
  readonly replay: ReplayMeasurement;
  /** Whether the kept solution met the constraint in replay. */
  readonly verified: boolean;
  /** With `confidence`: the kept replay's share over the SLO and the margin it had to clear. */
  readonly requestsOverSlo?: RequestsOverSlo;
  /** Tightening re-solves (0: the first solution met, or could not be tightened). */
  readonly rounds: number;
  /** Bisection re-solves after tightening steps that jumped to a far worse replay or were infeasible. */
  readonly bisections: number;
  /** Tightening steps (or bisections) detected as jumps and not taken. */
  readonly jumps: number;
  /** Bisection re-solves after a round met. */
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
 * sample's percentile is noisy: the model's slack has to absorb both.
 *
 * It cannot make things worse: it keeps the cheapest configuration whose replay met the SLO, and
 * when none did, the first solution, marked unverified, never a later miss. The replay of a
 * configuration need not fall as its internal SLO tightens (a tighter SLO can move the search to a
 * configuration with a latency cliff just past the SLO that the model does not see), so a
 * tightening step whose replay is more than `jumpTolerance` worse than the replay it started from
 * (or whose SLO the model cannot meet) is not taken: the internal SLO is bisected between the
 * step's start and its end, up to `jumpBisections` times, and tightening resumes from the first
 * bisection that is no jump. After a round meets, `refineRounds` bisections between the tightest
 * miss above it and the SLO that met win back slack a whole step gave away. With `confidence`,
 * a replay meets when the share of its requests over the SLO, plus a prediction margin on that
 * share from how it varies over stretches of the traffic, leaves room for the percentile: so the
 * configuration should meet on later traffic like it too, not only on the replayed stretch.
 * Cost mode replays once and does not re-solve: there is no SLO to tighten.
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
  const {
    maxRounds,
    refineRounds,
    standardErrors,
    confidence,
    laterLengthRatio,
    jumpTolerance,
    jumpBisections,
  } = checkVerifyOptions(options);
  const { problem, replay, onProgress } = options;
  const { constraint, percentile } = problem;
  const attempts: VerificationAttempt[] = [];
  // The replayed percentile the SLO must clear: the sample's noise is part of the measurement.
  const margin = (measured: ReplayMeasurement) =>
    standardErrors * (measured.standardErrorSeconds ?? 0);
  const requestsOverSloOf = (measured: ReplayMeasurement) => {
    if (confidence === undefined || constraint.mode !== 'latency') return undefined;
    if (!measured.latencyStretches) {
      throw errors.error(
        'OPTION_INVALID',
        `verifySolution option confidence (${confidence}) needs a replay that reports latencyStretches: createArrivalsReplay with its stretches option`,
        { details: { option: 'confidence', value: confidence } },
      );
    }
    const estimate = measured.latencyStretches.exceedance(constraint.sloSeconds);
    return {
      share: estimate.share,
      marginShare: exceedancePredictionMargin(estimate, confidence, laterLengthRatio),
    };
  };
  const measure = (
    solution: Solution,
  ): Pick<VerificationAttempt, 'replay' | 'meets' | 'requestsOverSlo'> => {
    const measured = replay(solution.system, percentile);
    const requestsOverSlo = requestsOverSloOf(measured);
    const meets =
      constraint.mode === 'cost'
        ? measured.costPerRequestUsd <= constraint.budgetUsdPerRequest
        : requestsOverSlo
          ? requestsOverSlo.share + requestsOverSlo.marginShare <= 1 - percentile
          : measured.percentileSeconds + margin(measured) <= constraint.sloSeconds;
    return { replay: measured, meets, ...(requestsOverSlo ? { requestsOverSlo } : {}) };
  };
  const first: VerificationAttempt = {
    phase: 'first',
    internalSloSeconds: constraint.mode === 'latency' ? constraint.sloSeconds : Number.NaN,
    solution: options.solution,
    ...measure(options.solution),
    jump: false,
  };
  attempts.push(first);
  let rounds = 0;
  let bisections = 0;
  let refinements = 0;
  const result = (): Verification => {
    // The cheapest that met, else the first: a miss never replaces the unverified solution.
    const met = attempts.filter((attempt) => attempt.meets);
    const kept = met.reduce<VerificationAttempt>(
      (best, attempt) =>
        attempt.solution.costPerRequestUsd < best.solution.costPerRequestUsd ? attempt : best,
      met[0] ?? first,
    );
    return {
      solution: kept.solution,
      replay: kept.replay,
      verified: kept.meets,
      ...(kept.requestsOverSlo ? { requestsOverSlo: kept.requestsOverSlo } : {}),
      rounds,
      bisections,
      jumps: attempts.filter((attempt) => attempt.jump).length,
      refinements,
      internalSloSeconds: kept.internalSloSeconds,
      costPremiumShare: kept.solution.costPerRequestUsd / first.solution.costPerRequestUsd - 1,
      attempts,
    };
  };
  // Tightening only makes sense against a latency objective, from a feasible solution, and from a
  // replay that measured something (an empty window has no percentile to scale by).
  if (
    first.meets ||
    constraint.mode !== 'latency' ||
    !first.solution.feasible ||
    !Number.isFinite(first.replay.percentileSeconds)
  ) {
    return result();
  }
  const sloSeconds = constraint.sloSeconds;
  const label = `p${Number((percentile * 100).toFixed(3))}`;
  /** How much to scale the internal SLO by after a miss, and why, for the progress line. */
  const tightening = (from: VerificationAttempt): { ratio: number; reason: string } => {
    const measured = from.replay;
    const stretches = measured.latencyStretches;
    if (from.requestsOverSlo && stretches) {
      // The share over the SLO must fall to 1 - percentile - margin: the SLO has to hold at the
      // percentile raised by the margin, so scale by how far that quantile is from the SLO.
      const level = Math.min(1, percentile + from.requestsOverSlo.marginShare);
      const raised = stretches.quantile(level);
      return {
        ratio: sloSeconds / raised,
        reason: `${(from.requestsOverSlo.share * 100).toFixed(2)} % of the replay over ${sloSeconds} s, + margin ${(from.requestsOverSlo.marginShare * 100).toFixed(2)} % > ${Number(((1 - percentile) * 100).toFixed(3))} % (replay p${Number((level * 100).toFixed(2))} ${raised.toFixed(3)} s)`,
      };
    }
    const target = sloSeconds - margin(measured);
    return {
      ratio: target / measured.percentileSeconds,
      reason: `replay ${label} ${measured.percentileSeconds.toFixed(3)} s > ${target.toFixed(3)} s`,
    };
  };
  /** Solves for an internal SLO and replays; undefined when the model cannot meet it. */
  const attempt = async (
    internalSloSeconds: number,
    phase: VerificationAttempt['phase'],
    from: VerificationAttempt,
  ): Promise<VerificationAttempt | undefined> => {
    const tightened: OptimizationProblem = {
      ...problem,
      constraint: { mode: 'latency', sloSeconds: internalSloSeconds },
    };
    const solution = await options.solve(tightened);
    if (!solution.feasible) return undefined;
    const measured = measure(solution);
    const jump =
      phase !== 'refine' &&
      !measured.meets &&
      !(measured.replay.percentileSeconds <= from.replay.percentileSeconds * (1 + jumpTolerance));
    const made: VerificationAttempt = { phase, internalSloSeconds, solution, ...measured, jump };
    attempts.push(made);
    return made;
  };

  let current = first;
  let met: VerificationAttempt | undefined;
  while (met === undefined && rounds < maxRounds) {
    rounds++;
    const { ratio, reason } = tightening(current);
    // Compounding the correction keeps it monotone when a round overshoots only a little; the
    // floor of 0.1 % guarantees progress when the replay sits right on the target.
    const stepSlo = current.internalSloSeconds * Math.min(ratio, 0.999);
    onProgress?.(`verify round ${rounds}: ${reason}; re-solving for ${stepSlo.toFixed(3)} s`);
    const step = await attempt(stepSlo, 'tighten', current);
    if (step?.meets) {
      met = step;
      break;
    }
    if (step && !step.jump) {
      current = step;
      continue;
    }
    // The step jumped to a far worse replay, or asked for more than the model can meet: bisect
    // between where it started (missed, but not as badly) and where it ended.
    let tight = stepSlo;
    let progressed = false;
    for (let bisection = 0; bisection < jumpBisections && met === undefined; bisection++) {
      bisections++;
      const middle = (tight + current.internalSloSeconds) / 2;
      onProgress?.(
        `verify round ${rounds}: ${step ? `replay ${label} ${step.replay.percentileSeconds.toFixed(3)} s is a jump` : `${stepSlo.toFixed(3)} s is infeasible`}; bisecting at ${middle.toFixed(3)} s`,
      );
      const probe = await attempt(middle, 'bisect', current);
      if (probe?.meets) met = probe;
      else if (probe && !probe.jump) {
        current = probe;
        progressed = true;
        break;
      } else tight = middle;
    }
    // No bisection moved on: tightening from here only finds more of the same.
    if (!progressed && met === undefined) break;
  }
  if (met === undefined) return result();

  // Bisect between the loosest SLO that met and the tightest one above it that missed.
  let meetingSlo = met.internalSloSeconds;
  let missingSlo = Math.min(
    ...attempts
      .filter((made) => !made.meets && made.internalSloSeconds > meetingSlo)
      .map((made) => made.internalSloSeconds),
  );
  while (refinements < refineRounds && Number.isFinite(missingSlo)) {
    refinements++;
    const internalSloSeconds = (meetingSlo + missingSlo) / 2;
    onProgress?.(
      `verify refinement ${refinements}: re-solving for ${internalSloSeconds.toFixed(3)} s (met at ${meetingSlo.toFixed(3)} s, missed at ${missingSlo.toFixed(3)} s)`,
    );
    const probe = await attempt(internalSloSeconds, 'refine', met);
    // Looser than an SLO the model met, so this cannot happen with a sound solver; stop anyway.
    if (!probe) break;
    if (probe.meets) meetingSlo = internalSloSeconds;
    else missingSlo = internalSloSeconds;
  }
  return result();
}
