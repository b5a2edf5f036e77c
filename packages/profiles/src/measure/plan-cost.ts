import type { PricingModel } from '@mbs/core';
import type { PlannedPoint, ProfilePlan } from './profile-plan.js';
import type { RepetitionRule } from './repetitions.js';

/** A range: what the plan costs when every point converges at once, and when none does. */
export interface CostRange {
  readonly min: number;
  readonly max: number;
}

/** What a plan is expected to cost, before it runs. */
export interface PlanCost {
  /** Invocations: warm-ups and repetitions of every point, plus one cold start per memory. */
  readonly invocations: CostRange;
  /** Price on the pricing model, in USD (request fees included; Init not billed in the estimate). */
  readonly priceUsd: CostRange;
  /** Sum of the expected durations of those invocations, in seconds. */
  readonly durationSeconds: CostRange;
}

/** What {@link estimatePlanCost} needs. */
export interface PlanCostOptions {
  readonly pricing: PricingModel;
  /** Expected duration of one invocation of a point, in ms (a prior profile's time, say). */
  readonly expectedDurationMs: (point: PlannedPoint) => number;
  readonly rule: RepetitionRule;
  readonly warmUpInvocations: number;
  /** Points already measured (resume): not counted. */
  readonly skip?: (point: PlannedPoint) => boolean;
}

/**
 * The invocations, expected compute time and price of a plan, as a range from every point
 * stopping at the fewest repetitions to every point needing the most.
 *
 * @example
 * ```ts
 * const cost = estimatePlanCost(plan, { pricing, expectedDurationMs, rule, warmUpInvocations: 1 });
 * console.log(`${cost.invocations.min}..${cost.invocations.max} invocations`);
 * ```
 */
export function estimatePlanCost(plan: ProfilePlan, options: PlanCostOptions): PlanCost {
  const { pricing, rule, warmUpInvocations } = options;
  const remaining = plan.points.filter((point) => !options.skip?.(point));
  // Each memory starts its function (or a reconfigured one) cold once.
  const coldStarts = new Set(remaining.map((point) => point.memoryMb)).size;
  let invocationsMin = coldStarts;
  let invocationsMax = coldStarts;
  let priceMin = 0;
  let priceMax = 0;
  let secondsMin = 0;
  let secondsMax = 0;
  const firstOfMemory = new Map<number, PlannedPoint>();
  for (const point of remaining) {
    if (!firstOfMemory.has(point.memoryMb)) firstOfMemory.set(point.memoryMb, point);
    const durationMs = options.expectedDurationMs(point);
    const each = pricing.invocationCostUsd({ durationMs, memoryMb: point.memoryMb });
    const fewest = warmUpInvocations + rule.minRepetitions;
    const most = warmUpInvocations + rule.maxRepetitions;
    invocationsMin += fewest;
    invocationsMax += most;
    priceMin += fewest * each;
    priceMax += most * each;
    secondsMin += (fewest * durationMs) / 1000;
    secondsMax += (most * durationMs) / 1000;
  }
  // The cold start of each memory runs its first point once more.
  for (const point of firstOfMemory.values()) {
    const durationMs = options.expectedDurationMs(point);
    const each = pricing.invocationCostUsd({ durationMs, memoryMb: point.memoryMb });
    priceMin += each;
    priceMax += each;
    secondsMin += durationMs / 1000;
    secondsMax += durationMs / 1000;
  }
  return {
    invocations: { min: invocationsMin, max: invocationsMax },
    priceUsd: { min: priceMin, max: priceMax },
    durationSeconds: { min: secondsMin, max: secondsMax },
  };
}
