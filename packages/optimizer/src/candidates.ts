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

/** Every (B, T, M) of the grid. B = 1 needs no timeout, so it is tried with T = 0 only. */
export function gridSettings(bounds: SearchBounds): BufferSettings[] {
  const settings: BufferSettings[] = [];
  for (const batchSize of bounds.batchSizes) {
    const timeouts = batchSize === 1 ? [0] : bounds.timeoutsSeconds;
    for (const timeoutSeconds of timeouts) {
      for (const memoryMb of bounds.memoriesMb)
        settings.push({ batchSize, timeoutSeconds, memoryMb });
    }
  }
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
 * Outcomes of every grid setting of each range, evaluated once and kept: partitions share ranges,
 * and a new latency limit reprices outcomes without evaluating the model again.
 */
export class RangeOutcomeCache {
  readonly #outcomes = new Map<string, { settings: BufferSettings; outcome: BufferOutcome }[]>();

  constructor(
    private readonly evaluator: BufferEvaluator,
    private readonly settings: readonly BufferSettings[],
  ) {}

  /** The outcomes of every grid setting for a range. */
  outcomes(range: ClassRange): readonly { settings: BufferSettings; outcome: BufferOutcome }[] {
    let entry = this.#outcomes.get(range.key);
    if (!entry) {
      entry = this.settings.map((settings) => ({
        settings,
        outcome: this.evaluator.evaluate(range, settings),
      }));
      this.#outcomes.set(range.key, entry);
    }
    return entry;
  }

  /** The Pareto front of a range's grid against a latency limit. */
  front(range: ClassRange, limit: number): Candidate[] {
    return paretoFront(
      this.outcomes(range).map(({ settings, outcome }) =>
        toCandidate(range, settings, outcome, limit),
      ),
    );
  }
}
