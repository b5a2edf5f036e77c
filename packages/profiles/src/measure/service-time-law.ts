import { regularizedIncompleteBeta } from '@mbs/core';
import { errors } from '../errors.js';
import {
  chooseMemoryLawFamily,
  fitMemoryLaw,
  type MemoryLawChoice,
  type MemoryLawFamily,
  type MemoryPoints,
  memoryLawMs,
} from './memory-law-fit.js';
import {
  fitWorkResponse,
  identityResponse,
  isotonic,
  type ResponseTarget,
  responseAt,
  responseSlopeAt,
  type WorkResponse,
} from './work-response.js';

/** A measured mean service time at one point of the surface. */
export interface LawObservation {
  readonly memoryMb: number;
  readonly classIndex: number;
  readonly batchSize: number;
  /** Mean duration in milliseconds (> 0). */
  readonly meanMs: number;
  /**
   * Standard error of the mean over the mean. The fit weighs each point by the inverse of its
   * variance plus the law's own ({@link LAW_RELATIVE_ERROR}), so a point that load made noisy
   * counts less than a steady one, but is never ignored. Default 0.
   */
  readonly relativeStandardError?: number;
}

/**
 * Relative error of the law itself, added in quadrature to each point's standard error: 5 %. A
 * law of a few parameters per memory does not meet a real surface to better than a few per
 * cent, so a point measured to 1 % is not 100 x more telling than one measured to 10 % (pure
 * inverse variance weighed it so, and the fit then ignored the heavy, noisier cells: up to 89 %
 * off at the largest batches of the smallest memory). It also keeps a point whose samples were
 * all equal from weighing infinitely.
 */
export const LAW_RELATIVE_ERROR = 0.05;

/** The weight of an observation in absolute terms: 1 / (its standard error and the law's, in ms)². */
function weightOf(observation: LawObservation): number {
  const relative = Math.hypot(observation.relativeStandardError ?? 0, LAW_RELATIVE_ERROR);
  return 1 / (relative * observation.meanMs) ** 2;
}

/** The fitted times of one memory size. */
export interface MemoryLaw {
  readonly memoryMb: number;
  /** a_M: time of an invocation that does not grow with the batch, in ms. */
  readonly perInvocationMs: number;
  /** b_M: time per unit of work (raised to k_M), in ms (one request of class c is w_c units). */
  readonly perWorkUnitMs: number;
  /** k_M: 1 for a `linear` law, fitted for a `power` one. */
  readonly exponent: number;
  /** The family chosen for this memory (see {@link chooseMemoryLawFamily}). */
  readonly family: MemoryLawFamily;
  /** Leave-one-out errors of both families, when the memory had enough points to compare them. */
  readonly crossValidation?: MemoryLawChoice['crossValidation'];
}

/**
 * The service-time law of a profile:
 *
 *   t(M, c, B) = a_M + b_M x f(B x w_c)^k_M
 *
 * - a_M >= 0 is what an invocation costs at memory M whatever it carries (runtime hand-off, event
 *   parsing set-up, launching the model);
 * - b_M is the time of one unit of work at memory M: it holds the CPU share of that memory, so
 *   any scaling with memory (Lambda's vCPU = M / 1769, Amdahl above one vCPU, the emulator's
 *   max(1/vCPU, 1/6)) is measured, not assumed;
 * - w_c is the work of one request of class c, shared by all memories, non-decreasing in c,
 *   normalised so that the largest measured class has w equal to its size. For a model whose
 *   cost is linear in the padded size, w_c / size_c is constant; a model with per-request
 *   overhead or a super-linear part (attention, caches) shows it in w_c / size_c.
 *
 * - f is the work response, shared by all memories (see work-response.ts): f(w) = w for a model
 *   whose cost is proportional to its padded work; otherwise a non-decreasing curve, piecewise
 *   linear in log-log, bent away from a power law only as far as generalised cross-validation
 *   finds it predicts better (a model runtime that changes regime with the size of its tensors:
 *   threads, caches);
 * - k_M is 1 (the `linear` family) unless the `power` family, with k_M fitted in 0.25..4,
 *   predicts that memory's points better by leave-one-out cross-validation: on the emulator, the
 *   smallest memories cap the heap near what the largest batches allocate, and garbage
 *   collection makes their time grow faster than their work (1.6 to 2.5 x the line at 128 MB).
 *
 * The batch is padded to its largest request, so every request of a batch of class c costs w_c.
 */
export interface ServiceTimeLaw {
  readonly memories: readonly MemoryLaw[];
  /** w_c, one per class. */
  readonly classWork: readonly number[];
  /** f, the work response (identity when the points do not call for a curve). */
  readonly response: WorkResponse;
  /**
   * Sum over observations of ((predicted - measured) / standard error)² at the optimum, each
   * standard error with the law's own added in quadrature (see {@link LAW_RELATIVE_ERROR}).
   */
  readonly weightedSquaredError: number;
  /** Alternating least-squares rounds taken. */
  readonly iterations: number;
  /**
   * Predicted mean time in ms; memoryMb must be one of the fitted memories.
   */
  predictMs(memoryMb: number, classIndex: number, batchSize: number): number;
}

/**
 * Significance the curved work response must reach against f(w) = w: an F test of the nested
 * laws (the fall in error per degree of freedom the curve adds, over the error per degree of
 * freedom left) at 5 %; a curve that only follows the noise of a few points stays out.
 */
const CURVE_SIGNIFICANCE = 0.05;

/**
 * Fewest points left over the parameters of the curved law for the curve to be considered: with
 * fewer, it can pass through the points and the test above says nothing.
 */
const CURVE_MIN_FREEDOM = 10;

/** Most rounds of choosing the memories' families and refitting the class work. */
const FAMILY_ROUNDS = 4;

// Smallest positive work or slope, so that a degenerate fit stays usable and positive.
const FLOOR = 1e-12;

interface MemoryData {
  readonly memoryMb: number;
  readonly observations: LawObservation[];
  family: MemoryLawFamily;
  choice: MemoryLawChoice;
  a: number;
  b: number;
  k: number;
}

function checkObservations(observations: readonly LawObservation[], classSizes: readonly number[]) {
  if (observations.length === 0) {
    throw errors.error('FIT_FAILED', 'service-time law: no measured point to fit');
  }
  for (const observation of observations) {
    const { memoryMb, classIndex, batchSize, meanMs } = observation;
    if (
      !(Number.isInteger(classIndex) && classIndex >= 0 && classIndex < classSizes.length) ||
      !(Number.isInteger(batchSize) && batchSize >= 1) ||
      !(Number.isFinite(meanMs) && meanMs > 0)
    ) {
      throw errors.error(
        'FIT_FAILED',
        `service-time law: point (memory ${memoryMb} MB, class ${classIndex}, batch ${batchSize}) has mean ${meanMs} ms; need a class in 0..${classSizes.length - 1}, a batch >= 1 and a mean > 0`,
        { details: { ...observation } },
      );
    }
  }
}

/**
 * Classes never measured take the work per size unit of their nearest measured neighbours,
 * interpolated linearly in class index (constant beyond the ends).
 */
function fillUnmeasured(work: number[], measured: readonly boolean[], sizes: readonly number[]) {
  const known = measured.flatMap((isMeasured, index) => (isMeasured ? [index] : []));
  for (let index = 0; index < work.length; index++) {
    if (measured[index]) continue;
    const below = known.filter((k) => k < index).at(-1);
    const above = known.find((k) => k > index);
    const ratio = (k: number) => work[k]! / sizes[k]!;
    const perSize =
      below === undefined
        ? ratio(above!)
        : above === undefined
          ? ratio(below)
          : ratio(below) + ((ratio(above) - ratio(below)) * (index - below)) / (above - below);
    work[index] = perSize * sizes[index]!;
  }
}

/**
 * Fits the {@link ServiceTimeLaw} to measured means by alternating least squares, each point
 * weighed by the inverse variance of its mean (its relative standard error and the law's 5 % in
 * quadrature, so with steady points this is least squares on the relative error): per memory, (a_M, b_M, k_M)
 * given the class work; per class, w_c given the memories' laws (a Gauss-Newton step, exact for
 * linear laws), then made non-decreasing (pool adjacent violators, the exact constrained minimum
 * of that step); until the objective stops falling. Starts from w_c = size_c with every memory
 * linear; then chooses each memory's family by leave-one-out cross-validation on that shape, and
 * fits again with the families chosen. Classes never measured take the work per size of their
 * neighbours.
 *
 * @param classSizes the size sent for each class (the starting w_c and its normalisation)
 * @example
 * ```ts
 * const law = fitServiceTimeLaw(observations, [128, 512, 2048]);
 * law.predictMs(1769, 2, 8); // ms for a batch of 8 of the 2048-token class at 1769 MB
 * ```
 */
export function fitServiceTimeLaw(
  observations: readonly LawObservation[],
  classSizes: readonly number[],
): ServiceTimeLaw {
  checkObservations(observations, classSizes);
  const byMemory = new Map<number, MemoryData>();
  for (const observation of observations) {
    let data = byMemory.get(observation.memoryMb);
    if (data === undefined) {
      data = {
        memoryMb: observation.memoryMb,
        observations: [],
        family: 'linear',
        choice: { family: 'linear' },
        a: 0,
        b: 0,
        k: 1,
      };
      byMemory.set(observation.memoryMb, data);
    }
    data.observations.push(observation);
  }
  const memories = [...byMemory.values()].sort((x, y) => x.memoryMb - y.memoryMb);
  const classCount = classSizes.length;
  const measured = classSizes.map((_, classIndex) =>
    observations.some((observation) => observation.classIndex === classIndex),
  );
  const lastMeasured = measured.lastIndexOf(true);
  const work = [...classSizes];
  const rawWorks = observations.map((o) => o.batchSize * classSizes[o.classIndex]!);
  let response = identityResponse(Math.min(...rawWorks), Math.max(...rawWorks));
  /** f(B x w_c) of an observation. */
  const responseOf = (o: LawObservation) => responseAt(response, o.batchSize * work[o.classIndex]!);

  const pointsOf = (memory: MemoryData): MemoryPoints => ({
    works: memory.observations.map(responseOf),
    means: memory.observations.map((o) => o.meanMs),
    weights: memory.observations.map(weightOf),
  });
  const fitMemories = () => {
    for (const memory of memories) {
      const law = fitMemoryLaw(pointsOf(memory), memory.family);
      memory.a = law.a;
      memory.b = law.b;
      memory.k = law.k;
    }
  };
  const objective = () => {
    let total = 0;
    for (const memory of memories) {
      for (const o of memory.observations) {
        total += weightOf(o) * (memoryLawMs(memory, responseOf(o)) - o.meanMs) ** 2;
      }
    }
    return total;
  };
  const fitClasses = () => {
    // Gauss-Newton in w_c: residual r = a + b f(B w)^k - t, derivative
    // J = b k f(B w)^(k-1) f'(B w) B. For k = 1 and f(w) = w, r is linear in w and the step lands
    // on the exact minimum.
    const gradient = new Array<number>(classCount).fill(0);
    const curvature = new Array<number>(classCount).fill(0);
    for (const memory of memories) {
      for (const o of memory.observations) {
        const w = work[o.classIndex]!;
        const f = responseOf(o);
        const residual = memoryLawMs(memory, f) - o.meanMs;
        const derivative =
          memory.b *
          memory.k *
          f ** (memory.k - 1) *
          responseSlopeAt(response, o.batchSize * w) *
          o.batchSize;
        const weight = weightOf(o);
        gradient[o.classIndex]! += weight * derivative * residual;
        curvature[o.classIndex]! += weight * derivative ** 2;
      }
    }
    for (let classIndex = 0; classIndex < classCount; classIndex++) {
      if (measured[classIndex] && curvature[classIndex]! > 0) {
        const w = work[classIndex]!;
        // A power law's step may overshoot far from the optimum: at most a factor 4 per round.
        const stepped = w - gradient[classIndex]! / curvature[classIndex]!;
        work[classIndex] = Math.min(4 * w, Math.max(FLOOR, w / 4, stepped));
      }
    }
    fillUnmeasured(work, measured, classSizes);
    const monotone = isotonic(
      work,
      curvature.map((value, index) => (measured[index] ? value : 0)),
    );
    // Normalise: the largest measured class does w = its size; b_M absorbs the scale.
    const scale = classSizes[lastMeasured]! / Math.max(FLOOR, monotone[lastMeasured]!);
    for (let classIndex = 0; classIndex < classCount; classIndex++) {
      work[classIndex] = Math.max(FLOOR, monotone[classIndex]! * scale);
    }
  };
  const fitResponse = () => {
    // Each point asks for the f that its memory's law would need to meet it exactly:
    // log f = log(((t - a) / b)^(1/k)), weighed by its inverse variance carried to log f
    // (dt / d log f = k (t - a)). A point at or below a_M says nothing about f.
    const targets: ResponseTarget[] = [];
    for (const memory of memories) {
      if (!(memory.b > 0)) continue;
      for (const o of memory.observations) {
        const above = o.meanMs - memory.a;
        if (!(above > 1e-9 * o.meanMs)) continue;
        targets.push({
          work: o.batchSize * work[o.classIndex]!,
          logValue: Math.log(above / memory.b) / memory.k,
          weight: weightOf(o) * (memory.k * above) ** 2,
        });
      }
    }
    const fitted = fitWorkResponse(targets);
    if (fitted !== undefined) {
      response = fitted.response;
      responseFreedom = fitted.freedom;
    }
  };
  // With one class, or one class measured, there is no class shape to learn; with fewer than 3
  // distinct works, no response.
  const learnShape = measured.filter(Boolean).length > 1;
  const learnResponse = new Set(rawWorks).size >= 3;
  let iterations = 0;
  let responseFreedom = 0;
  const alternate = (withResponse: boolean) => {
    fitMemories();
    let previous = objective();
    let best = { value: previous, work: [...work], response, freedom: responseFreedom };
    let stale = 0;
    for (let round = 0; (learnShape || withResponse) && round < 500 && stale < 5; round++) {
      iterations++;
      if (learnShape) fitClasses();
      if (withResponse) {
        fitMemories();
        fitResponse();
      }
      fitMemories();
      const current = objective();
      if (current < best.value * (1 - 1e-9)) {
        best = { value: current, work: [...work], response, freedom: responseFreedom };
        stale = 0;
      } else {
        // No better than the best seen (a response step need not descend): a few more tries.
        stale++;
      }
      if (Math.abs(previous - current) <= 1e-12 * Math.max(previous, 1e-300)) break;
      previous = current;
    }
    // A Gauss-Newton round, or a response smoothed by its penalty, may end above the best fit
    // seen: keep the best.
    work.splice(0, classCount, ...best.work);
    response = best.response;
    responseFreedom = best.freedom;
    fitMemories();
    return objective();
  };

  // First the law with f(w) = w, its families chosen on it; then f is learned from there, kept
  // only as far as it lowers the error (so points of that form keep f(w) = w exactly).
  let weightedSquaredError = alternate(false);
  // A curved memory fitted as a line bends the class work that every memory shares, and a
  // straight memory then looks curved on that shape: choose again on the shape refitted with the
  // choices, until they hold (a few rounds; the last fit is kept if they still flip).
  for (let round = 0; round < FAMILY_ROUNDS; round++) {
    let changed = false;
    for (const memory of memories) {
      memory.choice = chooseMemoryLawFamily(pointsOf(memory));
      changed ||= memory.choice.family !== memory.family;
      memory.family = memory.choice.family;
    }
    if (!changed) break;
    weightedSquaredError = alternate(false);
  }
  if (learnResponse) {
    const straight = { value: weightedSquaredError, work: [...work], response };
    const curved = alternate(true);
    // The curve is kept when it lowers the error by more than noise would (an F test of the
    // nested laws, see CURVE_SIGNIFICANCE); otherwise the straight law, which cannot chase the
    // noise of a few points.
    const added = Math.max(1, responseFreedom - 1);
    const parameters =
      memories.reduce((sum, memory) => sum + (memory.family === 'power' ? 3 : 2), 0) +
      measured.filter(Boolean).length -
      1 +
      added;
    const left = observations.length - parameters;
    const ratio = (straight.value - curved) / added / (curved / left);
    // P(F(added, left) > ratio) = 1 - I_x(added / 2, left / 2), x = added ratio / (added ratio + left).
    const pValue =
      left >= CURVE_MIN_FREEDOM && ratio > 0
        ? 1 -
          regularizedIncompleteBeta((added * ratio) / (added * ratio + left), added / 2, left / 2)
        : 1;
    if (pValue < CURVE_SIGNIFICANCE) {
      weightedSquaredError = curved;
    } else {
      work.splice(0, classCount, ...straight.work);
      response = straight.response;
      fitMemories();
    }
  }
  const lawByMemory = new Map(memories.map((memory) => [memory.memoryMb, memory]));
  const classWork = [...work];
  const finalResponse = response;
  return {
    memories: memories.map((memory) => ({
      memoryMb: memory.memoryMb,
      perInvocationMs: memory.a,
      perWorkUnitMs: memory.b,
      exponent: memory.k,
      family: memory.family,
      ...(memory.choice.crossValidation === undefined
        ? {}
        : { crossValidation: memory.choice.crossValidation }),
    })),
    classWork,
    response: finalResponse,
    weightedSquaredError,
    iterations,
    predictMs(memoryMb, classIndex, batchSize) {
      const memory = lawByMemory.get(memoryMb);
      const classWorkUnits = classWork[classIndex];
      if (memory === undefined || classWorkUnits === undefined) {
        throw errors.error(
          'PROFILE_INVALID',
          `service-time law: no fit for memory ${memoryMb} MB, class ${classIndex}; fitted memories ${[...lawByMemory.keys()].join(', ')}, classes 0..${classCount - 1}`,
        );
      }
      return memoryLawMs(memory, responseAt(finalResponse, batchSize * classWorkUnits));
    },
  };
}
