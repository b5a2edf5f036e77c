import { type Arrival, type Trace, usdPerMillionRequests } from '@mbs/core';
import type { RequestsOverSlo, Verification } from '@mbs/optimizer';

/**
 * The verification as `mbs solve --json` prints it: the kept solution's model and replay figures,
 * and every attempt without its solution object (NaN SLOs of cost mode as null).
 */
export function jsonVerification(verification: Verification) {
  const seconds = (value: number) => (Number.isNaN(value) ? null : value);
  return {
    modelPercentileSeconds: verification.solution.latencyPercentile,
    replayPercentileSeconds: verification.replay.percentileSeconds,
    replayCostPerRequestUsd: verification.replay.costPerRequestUsd,
    replayCostPerMillionRequestsUsd: usdPerMillionRequests(verification.replay.costPerRequestUsd),
    replayedRequests: verification.replay.requests,
    verified: verification.verified,
    rounds: verification.rounds,
    bisections: verification.bisections,
    jumps: verification.jumps,
    refinements: verification.refinements,
    internalSloSeconds: seconds(verification.internalSloSeconds),
    costPremiumShare: verification.costPremiumShare,
    // With --verify-confidence: the kept replay's share over the SLO and the margin it cleared.
    ...jsonOverSlo(verification),
    attempts: verification.attempts.map((attempt) => ({
      phase: attempt.phase,
      internalSloSeconds: seconds(attempt.internalSloSeconds),
      modelPercentileSeconds: attempt.solution.latencyPercentile,
      modelCostPerRequestUsd: attempt.solution.costPerRequestUsd,
      replayPercentileSeconds: attempt.replay.percentileSeconds,
      replayCostPerRequestUsd: attempt.replay.costPerRequestUsd,
      meets: attempt.meets,
      jump: attempt.jump,
      ...jsonOverSlo(attempt),
    })),
  };
}

/** A replay's share over the SLO and its margin, when verified with a confidence. */
function jsonOverSlo({ requestsOverSlo }: { readonly requestsOverSlo?: RequestsOverSlo }) {
  return requestsOverSlo
    ? {
        requestsOverSloShare: requestsOverSlo.share,
        requestsOverSloMarginShare: requestsOverSlo.marginShare,
      }
    : {};
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
