import type { InvocationRecord, PricingModel, ServiceTimeProfile } from '@mbs/core';
import { secondsToMilliseconds } from '@mbs/core';
import { billedInvocationCostUsd } from './billed-invocation-cost.js';
import type { JoinedInvocation } from './join-records.js';

/**
 * A run's invocations set against the profile the prediction used: what they cost as billed, and
 * what the same batches (memory, largest class, batch size) would have cost had each taken the
 * profile's service time. Splits a cost error in two: batches (sizes and classes: the arrival side
 * of the model) and service time (the functions ran slower or faster than they were profiled).
 */
export interface ServiceTimeAgreement {
  /** Invocations compared: matched to a batch the profile covers. */
  readonly invocations: number;
  /** Matched invocations left out: their batch size or class is outside the profile. */
  readonly uncovered: number;
  /** Mean Duration the platform reported for them, in ms (init phases not included). */
  readonly measuredMeanMs: number;
  /** Mean service time the profile gives for the same batches, in ms. */
  readonly profileMeanMs: number;
  /** measuredMeanMs / profileMeanMs: how much slower than profiled the functions ran. */
  readonly durationRatio: number;
  /** What the compared invocations cost as billed (init phases included), in USD. */
  readonly measuredCostUsd: number;
  /** What they would have cost at the profile's service times, in USD. */
  readonly profileCostUsd: number;
}

/**
 * Compares each matched invocation with the profile: its Duration and billed cost beside the
 * profile's service time of its batch and the cost model's price of that time, summed.
 *
 * @example
 * ```ts
 * const { joined } = joinRecords(invocations, batches, requests);
 * const agreement = serviceTimeAgreement(joined, profile, pricing);
 * agreement.durationRatio; // 1.94: the functions ran 1.94 times slower than profiled
 * ```
 */
export function serviceTimeAgreement(
  joined: readonly JoinedInvocation<InvocationRecord>[],
  profile: ServiceTimeProfile,
  pricing: Pick<PricingModel, 'invocationCostUsd'>,
): ServiceTimeAgreement {
  let invocations = 0;
  let uncovered = 0;
  let measuredMs = 0;
  let profileMs = 0;
  let measuredCostUsd = 0;
  let profileCostUsd = 0;
  for (const { invocation, batch } of joined) {
    if (
      batch.size > profile.maxBatchSize ||
      batch.largestClass >= profile.classCount ||
      batch.largestClass < 0
    ) {
      uncovered++;
      continue;
    }
    const memoryMb = invocation.memorySizeMb;
    const serviceMs = secondsToMilliseconds(
      profile.serviceTimeSeconds(memoryMb, batch.largestClass, batch.size),
    );
    invocations++;
    measuredMs += invocation.durationMs;
    profileMs += serviceMs;
    measuredCostUsd += billedInvocationCostUsd(invocation, pricing);
    profileCostUsd += pricing.invocationCostUsd({ durationMs: serviceMs, memoryMb });
  }
  const measuredMeanMs = invocations === 0 ? Number.NaN : measuredMs / invocations;
  const profileMeanMs = invocations === 0 ? Number.NaN : profileMs / invocations;
  return {
    invocations,
    uncovered,
    measuredMeanMs,
    profileMeanMs,
    durationRatio: profileMeanMs > 0 ? measuredMeanMs / profileMeanMs : Number.NaN,
    measuredCostUsd,
    profileCostUsd,
  };
}
