// The law of one memory size, t = a + b x w^k over the work w = B x w_c of each point, fitted by
// weighted least squares, and the choice between its two families by leave-one-out
// cross-validation. The class work w_c is fitted across memories in service-time-law.ts.

/** The family of a memory's law: `linear` (k = 1) or `power` (k fitted). */
export type MemoryLawFamily = 'linear' | 'power';

/** a, b and k of one memory's law t = a + b x w^k (a, b >= 0). */
export interface MemoryLawParameters {
  readonly a: number;
  readonly b: number;
  readonly k: number;
}

/** Points of one memory: work, measured mean and weight (1 / its variance) of each. */
export interface MemoryPoints {
  readonly works: readonly number[];
  readonly means: readonly number[];
  readonly weights: readonly number[];
}

/**
 * Range of the exponent of a `power` law. Below 1: an invocation amortises a fixed set-up over
 * its work; above 1: the work costs more per unit as it grows (garbage collection near a small
 * heap's limit, caches outgrown). Outside, the data are not a law of this shape.
 */
export const POWER_EXPONENT_RANGE = { min: 0.25, max: 4 } as const;

/**
 * Fewest points of a memory for which the `power` family is considered: leaving one out must leave
 * more points (4) than the law has parameters (3), else every fold interpolates exactly and the
 * cross-validation error says nothing.
 */
export const POWER_LAW_MIN_POINTS = 5;

/**
 * a, b minimising sum(weight (a + b x - t)²) with a >= 0, b >= 0: weighted least squares, falling
 * back to a = 0 (or b = 0) when the free optimum leaves the constraint.
 */
export function fitLine(
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

/** What the law predicts for work `w`. */
export function memoryLawMs(law: MemoryLawParameters, work: number): number {
  return law.a + law.b * work ** law.k;
}

/** sum(weight (predicted - mean)²) of a law over points. */
function squaredError(law: MemoryLawParameters, points: MemoryPoints): number {
  let total = 0;
  for (let index = 0; index < points.works.length; index++) {
    total +=
      points.weights[index]! * (memoryLawMs(law, points.works[index]!) - points.means[index]!) ** 2;
  }
  return total;
}

function fitWithExponent(points: MemoryPoints, k: number): MemoryLawParameters {
  // Work scaled to its largest value before the power: w^k of 10^5 to the 4th stays finite and
  // the line's sums well conditioned; b absorbs the scale.
  const largest = Math.max(...points.works);
  const line = fitLine(
    points.works.map((work) => (work / largest) ** k),
    points.means,
    points.weights,
  );
  return { a: line.a, b: line.b / largest ** k, k };
}

const GOLDEN = (Math.sqrt(5) - 1) / 2;

/**
 * The power law a + b w^k nearest the points: for each k the line in w^k is closed form; k
 * minimises the error, found on a grid in log k (the error need not be unimodal over the whole
 * range) and refined by golden section around the best grid value.
 */
export function fitPowerLaw(points: MemoryPoints): MemoryLawParameters {
  const low = Math.log(POWER_EXPONENT_RANGE.min);
  const high = Math.log(POWER_EXPONENT_RANGE.max);
  const steps = 24;
  const errorAt = (logK: number) => squaredError(fitWithExponent(points, Math.exp(logK)), points);
  let bestStep = 0;
  let bestError = Number.POSITIVE_INFINITY;
  for (let step = 0; step <= steps; step++) {
    const error = errorAt(low + ((high - low) * step) / steps);
    if (error < bestError) {
      bestError = error;
      bestStep = step;
    }
  }
  let left = low + ((high - low) * Math.max(0, bestStep - 1)) / steps;
  let right = low + ((high - low) * Math.min(steps, bestStep + 1)) / steps;
  let inner1 = right - GOLDEN * (right - left);
  let inner2 = left + GOLDEN * (right - left);
  let error1 = errorAt(inner1);
  let error2 = errorAt(inner2);
  for (let iteration = 0; iteration < 40; iteration++) {
    if (error1 <= error2) {
      right = inner2;
      inner2 = inner1;
      error2 = error1;
      inner1 = right - GOLDEN * (right - left);
      error1 = errorAt(inner1);
    } else {
      left = inner1;
      inner1 = inner2;
      error1 = error2;
      inner2 = left + GOLDEN * (right - left);
      error2 = errorAt(inner2);
    }
  }
  const refined = fitWithExponent(points, Math.exp((left + right) / 2));
  const gridBest = fitWithExponent(points, Math.exp(low + ((high - low) * bestStep) / steps));
  return squaredError(refined, points) <= squaredError(gridBest, points) ? refined : gridBest;
}

/** The law of a family nearest the points. */
export function fitMemoryLaw(points: MemoryPoints, family: MemoryLawFamily): MemoryLawParameters {
  if (family === 'power') return fitPowerLaw(points);
  const line = fitLine(points.works, points.means, points.weights);
  return { a: line.a, b: line.b, k: 1 };
}

/**
 * Leave-one-out cross-validation error of a family: each point predicted by the law fitted on
 * the others, weight (predicted - mean)² averaged over the folds (with the fit's inverse-variance
 * weights: a squared miss in standard errors of the left-out mean). Only points inside the range of the others' work are left
 * out: the plan always measures the smallest and the largest work of a memory (its corners), so
 * the table only ever interpolates, and an extrapolation fold would judge the families on what
 * they are never asked (from four small works, any curve misses the largest by far).
 */
export function leaveOneOutError(points: MemoryPoints, family: MemoryLawFamily): number {
  let total = 0;
  let folds = 0;
  const smallest = Math.min(...points.works);
  const largest = Math.max(...points.works);
  const count = (work: number) => points.works.filter((other) => other === work).length;
  for (let out = 0; out < points.works.length; out++) {
    const work = points.works[out]!;
    if ((work === smallest || work === largest) && count(work) === 1) continue;
    const keep = (_: number, index: number) => index !== out;
    const law = fitMemoryLaw(
      {
        works: points.works.filter(keep),
        means: points.means.filter(keep),
        weights: points.weights.filter(keep),
      },
      family,
    );
    total +=
      points.weights[out]! * (memoryLawMs(law, points.works[out]!) - points.means[out]!) ** 2;
    folds++;
  }
  return folds === 0 ? 0 : total / folds;
}

/**
 * Mean squared miss of the line on left-out points, in standard errors of their means, above
 * which the line is doubted: 16, a miss of 4 standard errors. Not 2: a left-out point's miss also
 * holds the error of the law fitted on the others, and a sample skewed by the machine's load
 * understates its standard error; under load the lines of a linear handler missed by 2 to 3.
 */
export const LINE_MISS = 16;

/** Share of the linear law's cross-validation error the power law must stay under to be chosen. */
export const POWER_LAW_GAIN = 0.8;

/** The family chosen for a memory, and the cross-validation errors it was chosen by. */
export interface MemoryLawChoice {
  readonly family: MemoryLawFamily;
  /** Leave-one-out error per family; absent with fewer than {@link POWER_LAW_MIN_POINTS} points. */
  readonly crossValidation?: { readonly linear: number; readonly power: number };
}

/**
 * Chooses the family of a memory's law: `power` when it predicts left-out points clearly better
 * than `linear` (leave-one-out error under {@link POWER_LAW_GAIN} of the linear's) while the line
 * misses them by more than their noise ({@link LINE_MISS}); this needs at least
 * {@link POWER_LAW_MIN_POINTS} points; `linear`
 * otherwise, the law of a model whose cost is proportional to its padded work.
 */
export function chooseMemoryLawFamily(points: MemoryPoints): MemoryLawChoice {
  if (points.works.length < POWER_LAW_MIN_POINTS) return { family: 'linear' };
  const linear = leaveOneOutError(points, 'linear');
  const power = leaveOneOutError(points, 'power');
  // The line is given up only when it misses left-out points by more than their own noise (under
  // load, curves drawn through noise predict no better), and for a power law that predicts
  // clearly better: a tie keeps the simpler law (k = 1 exactly, memories that read alike).
  const better = linear > LINE_MISS && power < POWER_LAW_GAIN * linear;
  return { family: better ? 'power' : 'linear', crossValidation: { linear, power } };
}
