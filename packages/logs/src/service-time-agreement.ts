import type { InvocationRecord, PricingModel, ServiceTimeProfile } from '@mbs/core';
import { secondsToMilliseconds } from '@mbs/core';
import { billedInvocationCostUsd } from './billed-invocation-cost.js';
import type { JoinedInvocation } from './join-records.js';

/**
 * A run's invocations set against the profile the prediction used: what they cost as billed, and
 * what the same batches (memory, largest class, batch size) would have cost had each taken the
 * profile's service time. Splits a cost error in two: batches (sizes and classes: the arrival side
 * of the model), service time (the warm functions ran slower or faster than they were profiled)
 * and cold starts (which the model does not have).
 */
export interface ServiceTimeAgreement {
  /** Invocations compared: matched to a batch the profile covers. */
  readonly invocations: number;
  /** Matched invocations left out: their batch size or class is outside the profile. */
  readonly uncovered: number;
  /** Compared invocations that started cold (their REPORT has an Init Duration). */
  readonly coldStarts: number;
  /** Mean Duration the platform reported for the warm ones, in ms. */
  readonly measuredMeanMs: number;
  /** Mean service time the profile gives for the same (warm) batches, in ms. */
  readonly profileMeanMs: number;
  /** measuredMeanMs / profileMeanMs: how much slower than profiled the warm functions ran. */
  readonly durationRatio: number;
  /** What the compared invocations cost as billed (init phases included), in USD. */
  readonly measuredCostUsd: number;
  /** What the cold ones among them cost as billed (init phases included), in USD. */
  readonly coldCostUsd: number;
  /** What the compared invocations would have cost at the profile's service times, in USD. */
  readonly profileCostUsd: number;
  /** What the cold ones among them would have cost at the profile's service times, in USD. */
  readonly coldProfileCostUsd: number;
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
  let coldStarts = 0;
  let warmMeasuredMs = 0;
  let warmProfileMs = 0;
  let measuredCostUsd = 0;
  let coldCostUsd = 0;
  let profileCostUsd = 0;
  let coldProfileCostUsd = 0;
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
    const billedUsd = billedInvocationCostUsd(invocation, pricing);
    const atProfileUsd = pricing.invocationCostUsd({ durationMs: serviceMs, memoryMb });
    invocations++;
    measuredCostUsd += billedUsd;
    profileCostUsd += atProfileUsd;
    // A cold invocation's Duration holds the first run's warm-up (sessions, caches) and its bill
    // the init phase: neither is a service time, and the model has no cold starts.
    if (invocation.initDurationMs !== undefined) {
      coldStarts++;
      coldCostUsd += billedUsd;
      coldProfileCostUsd += atProfileUsd;
    } else {
      warmMeasuredMs += invocation.durationMs;
      warmProfileMs += serviceMs;
    }
  }
  const warm = invocations - coldStarts;
  const measuredMeanMs = warm === 0 ? Number.NaN : warmMeasuredMs / warm;
  const profileMeanMs = warm === 0 ? Number.NaN : warmProfileMs / warm;
  return {
    invocations,
    uncovered,
    coldStarts,
    measuredMeanMs,
    profileMeanMs,
    durationRatio: profileMeanMs > 0 ? measuredMeanMs / profileMeanMs : Number.NaN,
    measuredCostUsd,
    coldCostUsd,
    profileCostUsd,
    coldProfileCostUsd,
  };
}
