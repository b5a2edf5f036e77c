import type { BufferEvaluator, BufferOutcome, BufferSettings } from './evaluator.js';
import type { SearchBounds } from './problem.js';
import type { ClassRange } from './ranges.js';

/** One setting of one range, priced for the search. */
export interface Candidate {
  readonly range: ClassRange;
  readonly settings: BufferSettings;
  readonly outcome: BufferOutcome;
  /** requestShare x cost per request: this buffer's part of the system's mean cost. */
  readonly cost: number;
  /** requestShare x fraction over the limit: this buffer's part of the system's misses. */
  readonly miss: number;
}

// One list per bounds object: evaluators keep what they price per list, so searches of one
// problem at several limits (an SLO sweep) share it.
const settingsOfBounds = new WeakMap<SearchBounds, readonly BufferSettings[]>();

/**
 * Every (B, T, M) of the grid. B = 1 needs no timeout, so it is tried with T = 0 only. The same
 * (frozen) list for the same bounds object.
 */
export function gridSettings(bounds: SearchBounds): readonly BufferSettings[] {
  const known = settingsOfBounds.get(bounds);
  if (known) return known;
  const settings: BufferSettings[] = [];
  for (const batchSize of bounds.batchSizes) {
    const timeouts = batchSize === 1 ? [0] : bounds.timeoutsSeconds;
    for (const timeoutSeconds of timeouts) {
      for (const memoryMb of bounds.memoriesMb)
        settings.push({ batchSize, timeoutSeconds, memoryMb });
    }
  }
  Object.freeze(settings);
  settingsOfBounds.set(bounds, settings);
  return settings;
}

/** Prices one outcome against a latency limit. */
export function toCandidate(
  range: ClassRange,
  settings: BufferSettings,
  outcome: BufferOutcome,
  limit: number,
): Candidate {
  return {
    range,
    settings,
    outcome,
    cost: outcome.requestShare * outcome.costPerRequestUsd,
    miss: outcome.requestShare * Math.max(0, 1 - outcome.fractionWithin(limit)),
  };
}

/**
 * The candidates no other candidate beats on both cost and misses, by ascending miss (so
 * descending cost). Ties keep the first.
 */
export function paretoFront(candidates: readonly Candidate[]): Candidate[] {
  const sorted = [...candidates].sort((a, b) => a.miss - b.miss || a.cost - b.cost);
  const front: Candidate[] = [];
  let cheapest = Number.POSITIVE_INFINITY;
  for (const candidate of sorted) {
    if (candidate.cost < cheapest) {
      front.push(candidate);
      cheapest = candidate.cost;
    }
  }
  return front;
}

/**
 * The Pareto front of every range's grid against a latency limit, computed once per (range,
 * limit) and kept: partitions share ranges, so a range is priced once however many partitions use
 * it. Only front candidates are kept (outcomes of dominated settings are dropped at once), which
 * bounds memory on large grids; a new limit re-evaluates the range through the evaluator, whose
 * wait-law cache makes that cheap.
 */
export class RangeOutcomeCache {
  readonly #fronts = new Map<string, Candidate[]>();

  /**
   * @param missCap Candidates missing more than this (the miss budget: no system can use them)
   *   are left off the fronts, so evaluators with `screenFront` may skip them. Default: none.
   */
  /**
   * @param capOf A range's own miss cap at a limit, at most `missCap` (the budget less what the
   *   other classes surely miss: a candidate above it fits in no system). Default: `missCap`.
   */
  constructor(
    private readonly evaluator: BufferEvaluator,
    private readonly settings: readonly BufferSettings[],
    private readonly missCap = Number.POSITIVE_INFINITY,
    private readonly capOf?: (range: ClassRange, limit: number) => number,
  ) {}

  /** The Pareto front of a range's grid against a latency limit, within the miss cap. */
  front(range: ClassRange, limit: number): Candidate[] {
    const key = `${range.key}@${limit}`;
    let front = this.#fronts.get(key);
    if (!front) {
      const cap = Math.min(this.missCap, this.capOf?.(range, limit) ?? this.missCap);
      if (!(cap >= 0)) front = [];
      else if (this.evaluator.screenFront) front = this.#prunedFront(range, limit, cap);
      else {
        front = this.evaluator.screen
          ? this.#screenedFront(range, limit)
          : this.#evaluatedFront(range, limit);
        front = front.filter((candidate) => candidate.miss <= cap);
      }
      this.#fronts.set(key, front);
    }
    return front;
  }

  /** Number of (range, limit) fronts held. */
  get size(): number {
    return this.#fronts.size;
  }

  // The screen's cost and miss are what `evaluate` gives (the evaluator's contract), so a front
  // candidate's outcome is built only when read (for the chosen system), not for every one.
  #prunedFront(range: ClassRange, limit: number, cap: number): Candidate[] {
    const { indices, costs, misses } = this.evaluator.screenFront!(
      range,
      this.settings,
      limit,
      cap,
    );
    const evaluator = this.evaluator;
    return paretoFront(
      indices.map((index, position) => {
        const settings = this.settings[index]!;
        let outcome: BufferOutcome | undefined;
        return {
          range,
          settings,
          get outcome() {
            outcome ??= evaluator.evaluate(range, settings);
            return outcome;
          },
          cost: costs[position]!,
          miss: misses[position]!,
        };
      }),
    ).filter((candidate) => candidate.miss <= cap);
  }

  #evaluatedFront(range: ClassRange, limit: number): Candidate[] {
    return paretoFront(
      this.settings.map((settings) =>
        toCandidate(range, settings, this.evaluator.evaluate(range, settings), limit),
      ),
    );
  }

  // Screens every setting with the fast path, then builds full outcomes for the front only.
  #screenedFront(range: ClassRange, limit: number): Candidate[] {
    const values = this.evaluator.screen!(range, this.settings, limit);
    const order = Array.from({ length: this.settings.length }, (_, index) => index).sort(
      (a, b) => values[2 * a + 1]! - values[2 * b + 1]! || values[2 * a]! - values[2 * b]!,
    );
    const front: Candidate[] = [];
    let cheapest = Number.POSITIVE_INFINITY;
    for (const index of order) {
      if (values[2 * index]! < cheapest) {
        cheapest = values[2 * index]!;
        const settings = this.settings[index]!;
        front.push(toCandidate(range, settings, this.evaluator.evaluate(range, settings), limit));
      }
    }
    return paretoFront(front);
  }
}
