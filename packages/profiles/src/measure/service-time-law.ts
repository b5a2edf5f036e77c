import { packageErrors } from '@mbs/core';

const errors = packageErrors('@mbs/profiles');

/** A measured mean service time at one point of the surface. */
export interface LawObservation {
  readonly memoryMb: number;
  readonly classIndex: number;
  readonly batchSize: number;
  /** Mean duration in milliseconds (> 0). */
  readonly meanMs: number;
  /**
   * Standard error of the mean over the mean. The fit weighs each point by the inverse of its
   * variance, so a point that load made noisy counts less than a steady one. Default (and least)
   * {@link RELATIVE_ERROR_FLOOR}.
   */
  readonly relativeStandardError?: number;
}

/**
 * Smallest relative standard error a point is weighed with: below 1 % the law's own error, not
 * the point's, dominates, and a point whose samples were all equal must not weigh infinitely.
 */
export const RELATIVE_ERROR_FLOOR = 0.01;

/** The weight of an observation in absolute terms: 1 / (its standard error in ms)². */
function weightOf(observation: LawObservation): number {
  const relative = Math.max(observation.relativeStandardError ?? 0, RELATIVE_ERROR_FLOOR);
  return 1 / (relative * observation.meanMs) ** 2;
}

/** The fitted times of one memory size. */
export interface MemoryLaw {
  readonly memoryMb: number;
  /** a_M: time of an invocation that does not grow with the batch, in ms. */
  readonly perInvocationMs: number;
  /** b_M: time per unit of work, in ms (one request of class c is w_c units). */
  readonly perWorkUnitMs: number;
}

/**
 * The service-time law of a profile:
 *
 *   t(M, c, B) = a_M + b_M x B x w_c
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
 * The batch is padded to its largest request, so every request of a batch of class c costs w_c.
 */
export interface ServiceTimeLaw {
  readonly memories: readonly MemoryLaw[];
  /** w_c, one per class. */
  readonly classWork: readonly number[];
  /**
   * Sum over observations of ((predicted - measured) / standard error)² at the optimum, each
   * standard error at least 1 % of the mean (a chi-square when the law holds).
   */
  readonly weightedSquaredError: number;
  /** Alternating least-squares rounds taken. */
  readonly iterations: number;
  /**
   * Predicted mean time in ms; memoryMb must be one of the fitted memories.
   */
  predictMs(memoryMb: number, classIndex: number, batchSize: number): number;
}

// Smallest positive work or slope, so that a degenerate fit stays usable and positive.
const FLOOR = 1e-12;

interface MemoryData {
  readonly memoryMb: number;
  readonly observations: LawObservation[];
  a: number;
  b: number;
}

/**
 * a, b minimising sum(w (a + b x - t)²) with a >= 0, b >= 0: weighted least squares, falling
 * back to a = 0 (or b = 0) when the free optimum leaves the constraint.
 */
function fitLine(
  xs: readonly number[],
  ts: readonly number[],
  ws: readonly number[],
): { a: number; b: number } {
  let s0 = 0; // sum w
  let s1 = 0; // sum w x
  let s2 = 0; // sum w x²
  let sy = 0; // sum w t
  let sxy = 0; // sum w x t
  for (let index = 0; index < xs.length; index++) {
    const weight = ws[index]!;
    const x = xs[index]!;
    s0 += weight;
    s1 += weight * x;
    s2 += weight * x * x;
    sy += weight * ts[index]!;
    sxy += weight * x * ts[index]!;
  }
  const determinant = s0 * s2 - s1 * s1;
  // With one distinct work value (or almost), a and b cannot be told apart: all goes to b.
  if (determinant > 1e-12 * s0 * s2) {
    const a = (s2 * sy - s1 * sxy) / determinant;
    const b = (s0 * sxy - s1 * sy) / determinant;
    if (a >= 0 && b >= 0) return { a, b };
  }
  const slopeOnly = sxy / s2;
  if (slopeOnly > 0) {
    // a = 0: compare with b = 0 (a flat line at the weighted mean) and keep the better.
    const flat = sy / s0;
    let errorSlope = 0;
    let errorFlat = 0;
    for (let index = 0; index < xs.length; index++) {
      errorSlope += ws[index]! * (slopeOnly * xs[index]! - ts[index]!) ** 2;
      errorFlat += ws[index]! * (flat - ts[index]!) ** 2;
    }
    return errorSlope <= errorFlat ? { a: 0, b: slopeOnly } : { a: flat, b: 0 };
  }
  return { a: sy / s0, b: 0 };
}

/** Weighted pool-adjacent-violators: the non-decreasing sequence nearest `values` in weighted L2. */
function isotonic(values: readonly number[], weights: readonly number[]): number[] {
  const blocks: { value: number; weight: number; count: number }[] = [];
  values.forEach((value, index) => {
    blocks.push({ value, weight: weights[index]!, count: 1 });
    while (blocks.length > 1 && blocks.at(-2)!.value > blocks.at(-1)!.value) {
      const last = blocks.pop()!;
      const previous = blocks.pop()!;
      const weight = previous.weight + last.weight;
      blocks.push({
        value:
          weight > 0
            ? (previous.value * previous.weight + last.value * last.weight) / weight
            : (previous.value + last.value) / 2,
        weight,
        count: previous.count + last.count,
      });
    }
  });
  return blocks.flatMap((block) => new Array<number>(block.count).fill(block.value));
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
 * weighed by the inverse variance of its mean (its relative standard error, at least 1 %, so
 * with steady points this is least squares on the relative error): per memory, (a_M, b_M) given
 * the class work; per class, w_c given the memories' lines, then made non-decreasing (pool
 * adjacent violators, the exact constrained minimum of that step); until the objective stops
 * falling. Starts from w_c = size_c. Classes never measured take the work per size of their
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
      data = { memoryMb: observation.memoryMb, observations: [], a: 0, b: 0 };
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

  const fitMemories = () => {
    for (const memory of memories) {
      const line = fitLine(
        memory.observations.map((o) => o.batchSize * work[o.classIndex]!),
        memory.observations.map((o) => o.meanMs),
        memory.observations.map(weightOf),
      );
      memory.a = line.a;
      memory.b = line.b;
    }
  };
  const objective = () => {
    let total = 0;
    for (const memory of memories) {
      for (const o of memory.observations) {
        total +=
          ((memory.a + memory.b * o.batchSize * work[o.classIndex]! - o.meanMs) / o.meanMs) ** 2;
      }
    }
    return total;
  };
  const fitClasses = () => {
    const numerator = new Array<number>(classCount).fill(0);
    const curvature = new Array<number>(classCount).fill(0);
    for (const memory of memories) {
      for (const o of memory.observations) {
        const slope = memory.b * o.batchSize;
        const weight = weightOf(o);
        numerator[o.classIndex]! += weight * slope * (o.meanMs - memory.a);
        curvature[o.classIndex]! += weight * slope ** 2;
      }
    }
    for (let classIndex = 0; classIndex < classCount; classIndex++) {
      if (measured[classIndex] && curvature[classIndex]! > 0) {
        work[classIndex] = Math.max(FLOOR, numerator[classIndex]! / curvature[classIndex]!);
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

  fitMemories();
  let previous = objective();
  let iterations = 0;
  // With one class, or one class measured, there is no shape to learn: one memory pass is all.
  const learnShape = measured.filter(Boolean).length > 1;
  while (learnShape && iterations < 500) {
    iterations++;
    fitClasses();
    fitMemories();
    const current = objective();
    if (previous - current <= 1e-12 * Math.max(previous, 1e-300)) {
      previous = current;
      break;
    }
    previous = current;
  }
  const lawByMemory = new Map(memories.map((memory) => [memory.memoryMb, memory]));
  const classWork = [...work];
  return {
    memories: memories.map((memory) => ({
      memoryMb: memory.memoryMb,
      perInvocationMs: memory.a,
      perWorkUnitMs: memory.b,
    })),
    classWork,
    weightedSquaredError: previous,
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
      return memory.a + memory.b * batchSize * classWorkUnits;
    },
  };
}
