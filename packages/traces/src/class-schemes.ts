import { type ClassScheme, classSchemeFromEdges, sortedQuantile } from '@mbs/core';
import { errors } from './errors.js';

/** How class edges are chosen: equal shares of requests, log-spaced sizes, or given edges. */
export type ClassMethod = 'quantile' | 'log' | 'edges';

/** The accepted class methods, for option validation. */
export const CLASS_METHODS: readonly ClassMethod[] = ['quantile', 'log', 'edges'];

/** How to build a class scheme from a trace's sizes. */
export interface ClassSchemeSpec {
  /** `quantile` (default): classes of about equal request share; `log`: log-spaced edges; `edges`: the given ones. */
  readonly by?: ClassMethod;
  /** Number of classes for `quantile` and `log` (default 8). Ties between quantiles merge classes. */
  readonly count?: number;
  /** Ascending upper edges, for `by: 'edges'`. */
  readonly edges?: readonly number[];
  /**
   * For `quantile` and `log`: refuse a trace without sizes ({@link hasNoSizes}) instead of
   * making one class of it, unless one class is asked for and its size is > 0. `mbs solve` sets
   * it: such a trace (often one without a size column) gives no size classes to optimise.
   */
  readonly requireSizes?: boolean;
}

/**
 * Whether a trace's sizes say nothing about sizes: there are some and all are equal, as when a
 * trace has no size column (every size reads 0) or a constant one.
 *
 * @param sorted every size of the trace, ascending
 * @example
 * ```ts
 * hasNoSizes(Float64Array.of(0, 0, 0)); // true
 * hasNoSizes(Float64Array.of(10, 20)); // false
 * ```
 */
export function hasNoSizes(sorted: ArrayLike<number>): boolean {
  return sorted.length > 0 && sorted[0] === sorted[sorted.length - 1];
}

function isIntegral(sorted: Float64Array): boolean {
  return sorted.every((size) => Number.isInteger(size));
}

/** Ascending distinct edges ending at the largest size; integer sizes get integer edges. */
function finishEdges(candidates: readonly number[], sorted: Float64Array): ClassScheme {
  const largest = sorted[sorted.length - 1]!;
  const integral = isIntegral(sorted);
  const edges: number[] = [];
  for (const candidate of candidates) {
    const edge = Math.min(integral ? Math.ceil(candidate) : candidate, largest);
    if (edges.length === 0 || edge > edges[edges.length - 1]!) edges.push(edge);
  }
  if (edges.length === 0 || edges[edges.length - 1]! < largest) edges.push(largest);
  return classSchemeFromEdges(edges);
}

function requireSizes(sorted: Float64Array): void {
  if (sorted.length === 0) {
    throw errors.error(
      'TRACE_EMPTY',
      'a class scheme needs at least one size; the trace has no arrivals',
    );
  }
}

/**
 * Classes holding about equal shares of requests: upper edge k is the k/count quantile (nearest
 * rank) of the sizes, so each edge is a size that occurred and the last is the largest size
 * seen. Equal quantiles (many requests of one size) merge, so there may be fewer classes than
 * asked. A class's representative size is its upper edge: the size a batch of it pads to.
 *
 * @param sorted every size, ascending (see `createSizeSample().sorted()`)
 * @example
 * ```ts
 * const scheme = classSchemeByQuantile(sample.sorted(), 8);
 * ```
 */
export function classSchemeByQuantile(sorted: Float64Array, count: number): ClassScheme {
  requireSizes(sorted);
  requireCount(count);
  const candidates: number[] = [];
  for (let k = 1; k <= count; k++) candidates.push(sortedQuantile(sorted, k / count));
  return finishEdges(candidates, sorted);
}

/**
 * Classes with log-spaced upper edges from the smallest positive size to the largest size seen:
 * edge k = low * (high / low)^(k / count). Integer sizes (tokens, bytes) get edges rounded up to
 * integers, which may merge the narrowest classes. Sizes of 0 fall in class 0.
 *
 * @param sorted every size, ascending
 */
export function classSchemeByLog(sorted: Float64Array, count: number): ClassScheme {
  requireSizes(sorted);
  requireCount(count);
  const high = sorted[sorted.length - 1]!;
  const low = sorted.find((size) => size > 0) ?? high;
  if (!(low > 0) || low === high) return finishEdges([high], sorted);
  const ratio = high / low;
  const candidates: number[] = [];
  for (let k = 1; k <= count; k++) candidates.push(k === count ? high : low * ratio ** (k / count));
  return finishEdges(candidates, sorted);
}

/**
 * Classes from given ascending upper edges. When the largest size seen is above the last edge,
 * the last edge is raised to it, so every request has a class and the last class pads to the
 * largest size that occurs.
 *
 * @param largestSize the largest size of the trace
 */
export function classSchemeByEdges(edges: readonly number[], largestSize: number): ClassScheme {
  // An edge of 0 makes a class whose requests pad to size 0: no profile or model serves it.
  if (edges.length === 0 || edges.some((edge) => !Number.isFinite(edge) || edge <= 0)) {
    throw errors.error(
      'OPTION_INVALID',
      `class edges ${JSON.stringify(edges)}: give at least one finite edge > 0, ascending`,
      { details: { edges } },
    );
  }
  const raised = [...edges];
  if (largestSize > raised[raised.length - 1]!) raised[raised.length - 1] = largestSize;
  try {
    return classSchemeFromEdges(raised);
  } catch (error) {
    throw errors.error(
      'OPTION_INVALID',
      `class edges ${JSON.stringify(edges)} must be strictly ascending`,
      { cause: error, details: { edges } },
    );
  }
}

function requireCount(count: number): void {
  if (!Number.isSafeInteger(count) || count < 1 || count > 4096) {
    throw errors.error('OPTION_INVALID', `class count ${count}: give an integer from 1 to 4096`, {
      details: { count },
    });
  }
}

/**
 * The class scheme a spec asks for, over a trace's sizes.
 *
 * @param sorted every size of the trace, ascending
 * @param source the trace's name, for messages
 * @example
 * ```ts
 * const scheme = buildClassScheme({ by: 'log', count: 16 }, sample.sorted());
 * ```
 */
export function buildClassScheme(
  spec: ClassSchemeSpec,
  sorted: Float64Array,
  source = 'the trace',
): ClassScheme {
  const by = spec.by ?? (spec.edges === undefined ? 'quantile' : 'edges');
  if (!CLASS_METHODS.includes(by)) {
    throw errors.error(
      'OPTION_INVALID',
      `class method "${by}"; accepted: ${CLASS_METHODS.join(', ')}`,
      { details: { by } },
    );
  }
  if (by === 'edges') {
    if (spec.edges === undefined) {
      throw errors.error('OPTION_INVALID', 'classes by edges need the edges');
    }
    requireSizes(sorted);
    return classSchemeByEdges(spec.edges, sorted[sorted.length - 1]!);
  }
  const count = spec.count ?? DEFAULT_CLASS_COUNT;
  if (spec.requireSizes === true && hasNoSizes(sorted) && (count > 1 || !(sorted[0]! > 0))) {
    const size = sorted[0]!;
    throw errors.error(
      'OPTION_INVALID',
      `${source}: every request has size ${size}${size === 0 ? ' (as when the trace has no size column)' : ''}, so ${count} size classes by ${by} cannot be told apart; give the class upper edges (--edges, e.g. --edges 512: every request padded to 512)${size > 0 ? ' or one class (--classes 1)' : ''}`,
      { details: { source, size, count, by } },
    );
  }
  return by === 'log' ? classSchemeByLog(sorted, count) : classSchemeByQuantile(sorted, count);
}

/** Classes made when a spec gives no count. */
export const DEFAULT_CLASS_COUNT = 8;

/**
 * The share of sizes in each class of a scheme; the shares sum to 1 (all zeros for no sizes).
 *
 * @example
 * ```ts
 * classShares(scheme, sample.values()); // [0.12, 0.3, ...]
 * ```
 */
export function classShares(scheme: ClassScheme, sizes: ArrayLike<number>): number[] {
  const counts = new Array<number>(scheme.count).fill(0);
  for (let index = 0; index < sizes.length; index++) {
    const classId = scheme.classOf(sizes[index]!);
    counts[classId] = counts[classId]! + 1;
  }
  return counts.map((count) => (sizes.length === 0 ? 0 : count / sizes.length));
}
