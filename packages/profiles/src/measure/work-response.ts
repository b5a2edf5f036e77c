// The work response f of the service-time law (see service-time-law.ts): how a batch's time grows
// with its work w = B x w_c, shared by every memory size. A model whose cost is proportional to
// its padded work has f(w) = w; a real one need not: on this project's emulator the default
// model costs 1.2 µs per token below ~2,500 tokens of batch and 3 to 4 µs above (the model
// runtime's threads and the caches change regime), which no a + b w^k of one memory fits at both
// ends. f is piecewise linear in log-log between knots a factor 2 apart, non-decreasing, and
// penalised towards a straight line in log-log (a power law): how far it bends is chosen by
// generalised cross-validation, so linear data keep f(w) = w up to noise.

/** The work response: knots (work, f) with f piecewise linear in log-log between them. */
export interface WorkResponse {
  /** Work at each knot, ascending (> 0). */
  readonly works: readonly number[];
  /** f at each knot, non-decreasing (> 0). */
  readonly values: readonly number[];
}

/** The identity response f(w) = w over [smallest, largest]. */
export function identityResponse(smallest: number, largest: number): WorkResponse {
  const works = knotWorks(smallest, largest);
  return { works, values: [...works] };
}

/** Knots a factor of at most 2 apart from `smallest` to `largest` (two at least). */
function knotWorks(smallest: number, largest: number): number[] {
  if (!(largest > smallest)) return [smallest, smallest * 2];
  const intervals = Math.max(1, Math.ceil(Math.log2(largest / smallest) - 1e-9));
  const step = Math.log(largest / smallest) / intervals;
  return Array.from({ length: intervals + 1 }, (_, index) =>
    index === intervals ? largest : smallest * Math.exp(step * index),
  );
}

/** Segment of `x` (log work) and its interpolation weight, the end segments extended. */
function locate(logWorks: readonly number[], x: number): { index: number; t: number } {
  const last = logWorks.length - 2;
  let index = 0;
  while (index < last && x > logWorks[index + 1]!) index++;
  const t = (x - logWorks[index]!) / (logWorks[index + 1]! - logWorks[index]!);
  return { index, t };
}

/** f(work): log-log interpolation between knots, the end segments extended beyond them. */
export function responseAt(response: WorkResponse, work: number): number {
  const logWorks = response.works.map(Math.log);
  const { index, t } = locate(logWorks, Math.log(work));
  const y0 = Math.log(response.values[index]!);
  const y1 = Math.log(response.values[index + 1]!);
  return Math.exp(y0 + t * (y1 - y0));
}

/** df/dwork at `work` (f / work x the log-log slope of its segment). */
export function responseSlopeAt(response: WorkResponse, work: number): number {
  const logWorks = response.works.map(Math.log);
  const { index } = locate(logWorks, Math.log(work));
  const slope =
    (Math.log(response.values[index + 1]!) - Math.log(response.values[index]!)) /
    (logWorks[index + 1]! - logWorks[index]!);
  return (responseAt(response, work) / work) * slope;
}

/** One observation for the response: its work, the log f that would fit it, and the weight. */
export interface ResponseTarget {
  readonly work: number;
  readonly logValue: number;
  readonly weight: number;
}

/** Solves the symmetric positive system A x = b (Gaussian elimination, partial pivoting). */
function solve(matrix: number[][], vector: number[]): number[] | undefined {
  const size = vector.length;
  const a = matrix.map((row, index) => [...row, vector[index]!]);
  for (let column = 0; column < size; column++) {
    let pivot = column;
    for (let row = column + 1; row < size; row++) {
      if (Math.abs(a[row]![column]!) > Math.abs(a[pivot]![column]!)) pivot = row;
    }
    if (!(Math.abs(a[pivot]![column]!) > 1e-300)) return undefined;
    [a[column], a[pivot]] = [a[pivot]!, a[column]!];
    for (let row = column + 1; row < size; row++) {
      const factor = a[row]![column]! / a[column]![column]!;
      for (let k = column; k <= size; k++) a[row]![k]! -= factor * a[column]![k]!;
    }
  }
  const x = new Array<number>(size).fill(0);
  for (let row = size - 1; row >= 0; row--) {
    let sum = a[row]![size]!;
    for (let k = row + 1; k < size; k++) sum -= a[row]![k]! * x[k]!;
    x[row] = sum / a[row]![row]!;
  }
  return x.every(Number.isFinite) ? x : undefined;
}

/** Weighted pool-adjacent-violators: the non-decreasing sequence nearest `values`. */
export function isotonic(values: readonly number[], weights: readonly number[]): number[] {
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

/** Penalties tried, as multiples of the data's mean weight per knot (the GCV chooses one). */
const PENALTIES = [1e-4, 1e-3, 1e-2, 1e-1, 1, 10, 100, 1e3, 1e4, 1e6];

/**
 * Fits the response to targets (log f at each observation's work): weighted least squares of
 * log f, piecewise linear in log work between knots a factor 2 apart over the targets' range,
 * plus a penalty on its second differences (zero for a power law), the penalty chosen by
 * generalised cross-validation; then made non-decreasing and scaled so that f(largest) is the
 * largest work; with its effective degrees of freedom (the trace of the smoother). Undefined when
 * the targets cannot fix it (fewer than 3 distinct works).
 */
export function fitWorkResponse(
  targets: readonly ResponseTarget[],
): { readonly response: WorkResponse; readonly freedom: number } | undefined {
  const used = targets.filter(
    (target) => target.weight > 0 && Number.isFinite(target.logValue) && target.work > 0,
  );
  if (new Set(used.map((target) => target.work)).size < 3) return undefined;
  const smallest = Math.min(...used.map((target) => target.work));
  const largest = Math.max(...used.map((target) => target.work));
  const works = knotWorks(smallest, largest);
  const logWorks = works.map(Math.log);
  const size = works.length;
  const gram = Array.from({ length: size }, () => new Array<number>(size).fill(0));
  const right = new Array<number>(size).fill(0);
  const rows = used.map((target) => {
    const { index, t } = locate(logWorks, Math.log(target.work));
    return { index, t, target };
  });
  for (const { index, t, target } of rows) {
    const basis: [number, number][] = [
      [index, 1 - t],
      [index + 1, t],
    ];
    for (const [i, phi] of basis) {
      right[i]! += target.weight * phi * target.logValue;
      for (const [j, psi] of basis) gram[i]![j]! += target.weight * phi * psi;
    }
  }
  // Second differences of log f over log work (knots are evenly spaced in log work).
  const penalty = Array.from({ length: size }, () => new Array<number>(size).fill(0));
  for (let middle = 1; middle < size - 1; middle++) {
    const row: [number, number][] = [
      [middle - 1, 1],
      [middle, -2],
      [middle + 1, 1],
    ];
    for (const [i, u] of row) for (const [j, v] of row) penalty[i]![j]! += u * v;
  }
  const scale = gram.reduce((sum, row, index) => sum + row[index]!, 0) / size;
  const count = rows.length;
  let best: { score: number; values: number[]; trace: number } | undefined;
  for (const multiple of PENALTIES) {
    const lambda = multiple * scale;
    const system = gram.map((row, i) => row.map((value, j) => value + lambda * penalty[i]![j]!));
    const logValues = solve(system, right);
    if (logValues === undefined) continue;
    // GCV: n x weighted RSS / (n - trace of the hat matrix)²; trace = tr(system⁻¹ gram).
    let residual = 0;
    for (const { index, t, target } of rows) {
      const fitted = (1 - t) * logValues[index]! + t * logValues[index + 1]!;
      residual += target.weight * (fitted - target.logValue) ** 2;
    }
    let trace = 0;
    for (let column = 0; column < size; column++) {
      const solved = solve(
        system,
        gram.map((row) => row[column]!),
      );
      if (solved === undefined) continue;
      trace += solved[column]!;
    }
    const freedom = count - trace;
    if (!(freedom > 0.5)) continue;
    const score = (count * residual) / freedom ** 2;
    if (best === undefined || score < best.score) best = { score, values: logValues, trace };
  }
  if (best === undefined) return undefined;
  // Non-decreasing: the table must not get faster as its batch grows.
  const monotone = isotonic(
    best.values,
    gram.map((row, index) => row[index]! + 1e-12 * scale),
  );
  const shift = logWorks.at(-1)! - monotone.at(-1)!;
  return {
    response: { works, values: monotone.map((value) => Math.exp(value + shift)) },
    freedom: best.trace,
  };
}
