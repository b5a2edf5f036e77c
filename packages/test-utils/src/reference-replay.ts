/**
 * A reference discrete-event replay of the buffer policy for tests: MAP sampling event by event,
 * classes as independent marks, routing by class, and the dispatch rule (B requests or T after
 * the first). It shares no code with the analysis of `@mbs/model` nor with `@mbs/sim` (the
 * project's replay), so it is an independent check of both.
 */
import type {
  MarkovianArrivalProcess,
  PricingModel,
  ServiceTimeProfile,
  SystemConfiguration,
} from '@mbs/core';
import { bufferClassShare, createRandom, secondsToMilliseconds } from '@mbs/core';
import { errors } from './errors.js';

function pick(weights: readonly number[], total: number, uniform: number): number {
  let threshold = uniform * total;
  for (let index = 0; index < weights.length; index++) {
    threshold -= weights[index]!;
    if (threshold < 0) return index;
  }
  return weights.length - 1;
}

/**
 * Arrival times (seconds) drawn from a MAP by simulating its phase process event by event;
 * `phasesAfter`, when given, receives the phase just after each arrival.
 */
export function sampleArrivalTimes(
  map: MarkovianArrivalProcess,
  count: number,
  uniform: () => number,
  initialPhase = 0,
  phasesAfter?: Int32Array,
): Float64Array {
  const order = map.d0.length;
  const times = new Float64Array(count);
  let phase = initialPhase;
  let time = 0;
  let produced = 0;
  while (produced < count) {
    const hiddenRow = map.d0[phase]!;
    const arrivalRow = map.d1[phase]!;
    const events: number[] = [];
    for (let to = 0; to < order; to++) events.push(to === phase ? 0 : hiddenRow[to]!);
    for (let to = 0; to < order; to++) events.push(arrivalRow[to]!);
    const total = events.reduce((sum, rate) => sum + rate, 0);
    time += -Math.log(1 - uniform()) / total;
    const event = pick(events, total, uniform());
    if (event >= order) {
      phase = event - order;
      if (phasesAfter) phasesAfter[produced] = phase;
      times[produced++] = time;
    } else {
      phase = event;
    }
  }
  return times;
}

/** What a Monte Carlo run of one buffer measured. */
export interface BufferSample {
  readonly latencies: Float64Array;
  readonly waits: Float64Array;
  readonly classes: Int32Array;
  /** Size of each request's batch. */
  readonly batchSizeOfRequest: Int32Array;
  readonly batchSizes: number[];
  /** Index of the opening request of each batch. */
  readonly openingRequests: number[];
  readonly meanCostPerRequestUsd: number;
}

/**
 * Replays the buffer policy (open on an arrival into an empty buffer, dispatch at B requests or
 * T after the first) on given arrival times and classes: an independent check of the model.
 */
export function replayBuffer(options: {
  readonly arrivalTimes: Float64Array;
  readonly classes: Int32Array;
  readonly batchSize: number;
  readonly timeoutSeconds: number;
  readonly memoryMb: number;
  readonly profile: ServiceTimeProfile;
  readonly pricing: PricingModel;
}): BufferSample {
  const { arrivalTimes, classes, batchSize, timeoutSeconds, memoryMb, profile, pricing } = options;
  const count = arrivalTimes.length;
  const latencies = new Float64Array(count);
  const waits = new Float64Array(count);
  const batchSizeOfRequest = new Int32Array(count);
  const batchSizes: number[] = [];
  const openingRequests: number[] = [];
  let totalCost = 0;
  let members: number[] = [];
  let deadline = 0;
  const dispatch = (at: number) => {
    let largest = 0;
    for (const member of members) largest = Math.max(largest, classes[member]!);
    const service = profile.serviceTimeSeconds(memoryMb, largest, members.length);
    totalCost += pricing.invocationCostUsd({
      durationMs: secondsToMilliseconds(service),
      memoryMb,
    });
    for (const member of members) {
      waits[member] = at - arrivalTimes[member]!;
      latencies[member] = waits[member]! + service;
      batchSizeOfRequest[member] = members.length;
    }
    batchSizes.push(members.length);
    members = [];
  };
  for (let index = 0; index < count; index++) {
    const time = arrivalTimes[index]!;
    if (members.length > 0 && time > deadline) dispatch(deadline);
    if (members.length === 0) {
      deadline = time + timeoutSeconds;
      openingRequests.push(index);
    }
    members.push(index);
    if (members.length === batchSize) dispatch(time);
  }
  if (members.length > 0) dispatch(deadline);
  return {
    latencies,
    waits,
    classes,
    batchSizeOfRequest,
    batchSizes,
    openingRequests,
    meanCostPerRequestUsd: totalCost / count,
  };
}

/** Classes drawn independently with the given shares. */
export function sampleClasses(
  shares: readonly number[],
  count: number,
  uniform: () => number,
): Int32Array {
  const total = shares.reduce((sum, share) => sum + share, 0);
  const classes = new Int32Array(count);
  for (let index = 0; index < count; index++) classes[index] = pick(shares, total, uniform());
  return classes;
}

/**
 * Replays a whole system on `requests` arrivals drawn from `map`: classes drawn by share, then
 * {@link replaySystemOnArrivals}.
 */
export function replaySystem(options: {
  readonly map: MarkovianArrivalProcess;
  readonly classShares: readonly number[];
  readonly system: SystemConfiguration;
  readonly profile: ServiceTimeProfile;
  readonly pricing: PricingModel;
  readonly requests: number;
  readonly seed: number;
}): SystemSample {
  const { map, classShares, requests, seed } = options;
  const uniform = createRandom(seed).next;
  const arrivalTimes = sampleArrivalTimes(map, requests, uniform);
  const classes = sampleClasses(classShares, requests, uniform);
  return replaySystemOnArrivals({ ...options, arrivalTimes, classes, uniform });
}

/** What a system replay measured. */
export interface SystemSample {
  /** Latency of every request, grouped by buffer. */
  readonly latenciesSeconds: Float64Array;
  readonly meanCostPerRequestUsd: number;
  /** Invocations per second of trace time. */
  readonly invocationsPerSecond: number;
}

/**
 * Replays a whole system on given arrivals (e.g. a real trace): each request goes to the buffer
 * of its class (a split class by a coin with the buffers' shares), and each buffer is replayed
 * with {@link replayBuffer}.
 */
export function replaySystemOnArrivals(options: {
  readonly arrivalTimes: Float64Array;
  readonly classes: Int32Array;
  readonly system: SystemConfiguration;
  readonly profile: ServiceTimeProfile;
  readonly pricing: PricingModel;
  readonly uniform: () => number;
}): SystemSample {
  const { arrivalTimes, classes, system, profile, pricing, uniform } = options;
  const requests = arrivalTimes.length;
  const classCount = classes.reduce((largest, classId) => Math.max(largest, classId + 1), 0);
  const routes = Array.from({ length: classCount }, (_, classId) =>
    system.buffers.flatMap((buffer, index) =>
      classId < buffer.firstClass || classId > buffer.lastClass
        ? []
        : [{ index, share: bufferClassShare(buffer, classId) }],
    ),
  );
  const members: number[][] = system.buffers.map(() => []);
  for (let request = 0; request < requests; request++) {
    const candidates = routes[classes[request]!]!;
    if (candidates.length === 0) {
      throw errors.error(
        'CONFIG_INVALID',
        `replay: class ${classes[request]} is routed to no buffer`,
      );
    }
    let threshold = candidates.length > 1 ? uniform() : 0;
    let chosen = candidates[candidates.length - 1]!.index;
    for (const candidate of candidates) {
      threshold -= candidate.share;
      if (threshold < 0) {
        chosen = candidate.index;
        break;
      }
    }
    members[chosen]!.push(request);
  }
  const latenciesSeconds = new Float64Array(requests);
  let filled = 0;
  let totalCost = 0;
  let batches = 0;
  system.buffers.forEach((buffer, index) => {
    const chosen = members[index]!;
    if (chosen.length === 0) return;
    const sample = replayBuffer({
      arrivalTimes: Float64Array.from(chosen, (request) => arrivalTimes[request]!),
      classes: Int32Array.from(chosen, (request) => classes[request]!),
      batchSize: buffer.batchSize,
      timeoutSeconds: buffer.timeoutSeconds,
      memoryMb: buffer.memoryMb,
      profile,
      pricing,
    });
    latenciesSeconds.set(sample.latencies, filled);
    filled += chosen.length;
    totalCost += sample.meanCostPerRequestUsd * chosen.length;
    batches += sample.batchSizes.length;
  });
  const span = requests > 1 ? arrivalTimes[requests - 1]! - arrivalTimes[0]! : 0;
  return {
    latenciesSeconds,
    meanCostPerRequestUsd: totalCost / requests,
    invocationsPerSecond: span > 0 ? batches / span : Number.NaN,
  };
}
