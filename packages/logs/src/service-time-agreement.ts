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
  /**
   * The warm invocations whose batch was in flight (dispatched to ended, as the batch records
   * say) while another batch of the run was, beside those that ran alone: on a host shared by
   * the instances (the emulator) concurrent invocations slow each other down, which neither
   * Lambda nor the model (nor a profile measured one invocation at a time) has.
   */
  readonly overlapped: DurationComparison;
  readonly alone: DurationComparison;
}

/** Warm invocations of one kind: how many, and their mean Duration beside the profile's. */
export interface DurationComparison {
  readonly invocations: number;
  /** NaN without invocations. */
  readonly measuredMeanMs: number;
  readonly profileMeanMs: number;
}

function inFlightWithAnother(
  batches: readonly { dispatchedSeconds: number; endedSeconds: number }[],
): boolean[] {
  const order = batches.map((_, index) => index);
  order.sort((a, b) => batches[a]!.dispatchedSeconds - batches[b]!.dispatchedSeconds);
  const overlapped = new Array<boolean>(batches.length).fill(false);
  // Sweep by dispatch time: a batch overlaps the latest-ending one dispatched before it, if any.
  let latest = -1;
  for (const index of order) {
    const batch = batches[index]!;
    if (latest >= 0 && batches[latest]!.endedSeconds > batch.dispatchedSeconds) {
      overlapped[index] = true;
      overlapped[latest] = true;
    }
    if (latest < 0 || batch.endedSeconds > batches[latest]!.endedSeconds) latest = index;
  }
  return overlapped;
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
  const overlaps = inFlightWithAnother(joined.map((pair) => pair.batch));
  const kinds = { overlapped: [0, 0, 0], alone: [0, 0, 0] };
  for (const [index, { invocation, batch }] of joined.entries()) {
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
      const kind = overlaps[index] ? kinds.overlapped : kinds.alone;
      kind[0]! += 1;
      kind[1]! += invocation.durationMs;
      kind[2]! += serviceMs;
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
    overlapped: durationComparison(kinds.overlapped),
    alone: durationComparison(kinds.alone),
  };
}

function durationComparison([invocations, measuredMs, profileMs]: number[]): DurationComparison {
  return {
    invocations: invocations!,
    measuredMeanMs: invocations === 0 ? Number.NaN : measuredMs! / invocations!,
    profileMeanMs: invocations === 0 ? Number.NaN : profileMs! / invocations!,
  };
}
