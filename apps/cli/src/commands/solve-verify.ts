import type { Arrival, ClassScheme, PricingModel, ServiceTimeProfile, Trace } from '@mbs/core';
import type { OptimizationProblem, SolveReport } from '@mbs/optimizer';
import { replayArrivals } from '@mbs/sim';

/** Re-solves a window when its replay misses the SLO, unless `--verify-rounds` says otherwise. */
export const DEFAULT_VERIFY_ROUNDS = 4;

/** What replaying a window's real arrivals through the chosen configuration showed. */
export interface WindowVerification {
  /** The kept report: the last configuration that met the SLO in replay, or else the last one. */
  readonly report: SolveReport;
  /** The model's latency percentile of the kept configuration, in seconds. */
  readonly modelPercentileSeconds: number;
  /** The same percentile measured by replaying the window's arrivals, in seconds. */
  readonly replayPercentileSeconds: number;
  /** Mean cost per request of the replay, in USD. */
  readonly replayCostPerRequestUsd: number;
  /** Arrivals replayed. */
  readonly replayedRequests: number;
  /** Whether the kept configuration met the constraint in replay. */
  readonly verified: boolean;
  /** Re-solves with a tightened SLO (0: the first configuration was kept). */
  readonly rounds: number;
  /** The SLO the kept configuration was solved for, in seconds (the SLO itself when not tightened). */
  readonly internalSloSeconds: number;
  /** Every configuration replayed, first solve first. */
  readonly attempts: readonly VerificationAttempt[];
}

/** One solve and its replay. */
export interface VerificationAttempt {
  /** The SLO solved for, in seconds (NaN in cost mode). */
  readonly internalSloSeconds: number;
  readonly modelPercentileSeconds: number;
  readonly modelCostPerRequestUsd: number;
  readonly replayPercentileSeconds: number;
  readonly replayCostPerRequestUsd: number;
  /** Whether the replay met the constraint. */
  readonly meets: boolean;
}

/** Everything {@link verifyWindow} needs besides the first solve. */
export interface VerifyWindowOptions {
  readonly problem: OptimizationProblem;
  /** The first report, solved for `problem` as given. */
  readonly report: SolveReport;
  /** Solves a problem the same way the first report was solved (strategy, baselines). */
  readonly solve: (problem: OptimizationProblem) => Promise<SolveReport>;
  /** The window's arrivals, times from its start, classed by `classScheme`. */
  readonly arrivals: readonly Arrival[];
  readonly classScheme: ClassScheme;
  readonly profile: ServiceTimeProfile;
  readonly pricing: PricingModel;
  /** Most re-solves with a tightened SLO. */
  readonly maxRounds: number;
  readonly onProgress?: (message: string) => void;
}

interface Replayed {
  readonly report: SolveReport;
  readonly percentileSeconds: number;
  readonly costPerRequestUsd: number;
  readonly meets: boolean;
  readonly sloSeconds: number;
}

/**
 * Replays a window's real arrivals through the solved configuration and, in latency mode, while
 * the replayed percentile misses the SLO, re-solves with the internal SLO scaled by
 * SLO / replayed: the MAP(2) fit can be smoother than the trace at short time scales, and the
 * model is exact for the fit, so the model's slack has to absorb the trace's extra burstiness.
 *
 * @example
 * ```ts
 * const verification = await verifyWindow({ problem, report, solve, arrivals, classScheme, profile, pricing, maxRounds: 4 });
 * console.log(verification.verified, verification.replayPercentileSeconds);
 * ```
 */
export async function verifyWindow(options: VerifyWindowOptions): Promise<WindowVerification> {
  const { problem, arrivals, classScheme, profile, pricing } = options;
  const { constraint, percentile } = problem;
  const attempts: VerificationAttempt[] = [];
  const replay = (report: SolveReport, sloSeconds: number): Replayed => {
    const { overall } = replayArrivals(arrivals, {
      system: report.solution.system,
      profile,
      pricing,
      classScheme,
      percentiles: [percentile],
    });
    const percentileSeconds = overall.latencyPercentilesSeconds[String(percentile)] ?? Number.NaN;
    const meets =
      constraint.mode === 'latency'
        ? percentileSeconds <= constraint.sloSeconds
        : overall.costPerRequestUsd <= constraint.budgetUsdPerRequest;
    attempts.push({
      internalSloSeconds: sloSeconds,
      modelPercentileSeconds: report.solution.latencyPercentile,
      modelCostPerRequestUsd: report.solution.costPerRequestUsd,
      replayPercentileSeconds: percentileSeconds,
      replayCostPerRequestUsd: overall.costPerRequestUsd,
      meets,
    });
    return {
      report,
      percentileSeconds,
      costPerRequestUsd: overall.costPerRequestUsd,
      meets,
      sloSeconds,
    };
  };
  const result = (kept: Replayed, verified: boolean, rounds: number): WindowVerification => ({
    report: kept.report,
    modelPercentileSeconds: kept.report.solution.latencyPercentile,
    replayPercentileSeconds: kept.percentileSeconds,
    replayCostPerRequestUsd: kept.costPerRequestUsd,
    replayedRequests: arrivals.length,
    verified,
    rounds,
    internalSloSeconds: kept.sloSeconds,
    attempts,
  });
  const initialSlo = constraint.mode === 'latency' ? constraint.sloSeconds : Number.NaN;
  let last = replay(options.report, initialSlo);
  // Tightening only makes sense against a latency objective, and only from a feasible solution.
  if (last.meets || constraint.mode !== 'latency' || !last.report.solution.feasible) {
    return result(last, last.meets, 0);
  }
  for (let round = 1; round <= options.maxRounds; round++) {
    // Compounding the correction keeps it monotone when a round overshoots only a little.
    const sloSeconds = (last.sloSeconds * constraint.sloSeconds) / last.percentileSeconds;
    options.onProgress?.(
      `verify round ${round}: replay p${percentile * 100} ${last.percentileSeconds.toFixed(3)} s > SLO; re-solving for ${sloSeconds.toFixed(3)} s`,
    );
    const report = await options.solve({
      ...problem,
      constraint: { mode: 'latency', sloSeconds },
    });
    // The model cannot meet the tighter SLO: keep the last feasible configuration.
    if (!report.solution.feasible) return result(last, false, round - 1);
    last = replay(report, sloSeconds);
    if (last.meets) return result(last, true, round);
  }
  return result(last, false, options.maxRounds);
}

/**
 * Reads consecutive windows of a trace: each call returns the next `count` arrivals with times
 * shifted by `-startSeconds` and without the trace's class ids (the solve's classes come from
 * sizes). One pass over the trace, holding one window at a time.
 */
export function createWindowReader(trace: Trace) {
  const iterator = trace[Symbol.asyncIterator]();
  return {
    async next(count: number, startSeconds: number): Promise<Arrival[]> {
      const arrivals: Arrival[] = [];
      while (arrivals.length < count) {
        const next = await iterator.next();
        if (next.done) break;
        arrivals.push({
          timeSeconds: next.value.timeSeconds - startSeconds,
          size: next.value.size,
        });
      }
      return arrivals;
    },
    /** Releases the trace (its file) when windows were left unread. */
    async close(): Promise<void> {
      await iterator.return?.();
    },
  };
}
