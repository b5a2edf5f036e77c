import type { MarkovianArrivalProcess } from '@mbs/core';
import { errors } from './errors.js';

/** Options of {@link validateMap}. */
export interface ValidateMapOptions {
  /** Where the MAP came from (file, window, function), named in error messages. */
  readonly source?: string;
  /**
   * Largest accepted |row sum of D0 + D1|, relative to the row's largest absolute rate.
   * Default 1e-8.
   */
  readonly tolerance?: number;
}

/** One broken validity rule, as listed in the `violations` detail of a `MAP_INVALID` error. */
export interface MapViolation {
  /** The rule, e.g. `d1-nonnegative`. */
  readonly rule:
    | 'not-empty'
    | 'square'
    | 'same-order'
    | 'finite'
    | 'd0-off-diagonal-nonnegative'
    | 'd0-diagonal-negative'
    | 'd1-nonnegative'
    | 'd1-has-arrivals'
    | 'rows-sum-to-zero';
  /** Human-readable statement of where and how the rule is broken. */
  readonly message: string;
  readonly row?: number;
  readonly column?: number;
}

function listViolations(map: MarkovianArrivalProcess, tolerance: number): MapViolation[] {
  const violations: MapViolation[] = [];
  const { d0, d1 } = map;
  if (!Array.isArray(d0) || !Array.isArray(d1) || d0.length === 0) {
    violations.push({
      rule: 'not-empty',
      message: 'd0 and d1 must be non-empty arrays of rows',
    });
    return violations;
  }
  const order = d0.length;
  if (d1.length !== order) {
    violations.push({
      rule: 'same-order',
      message: `d1 has ${d1.length} rows but d0 has ${order}; both must have the same order`,
    });
  }
  for (const [name, matrix] of [
    ['d0', d0],
    ['d1', d1],
  ] as const) {
    matrix.forEach((row, rowIndex) => {
      if (!Array.isArray(row) || row.length !== order) {
        violations.push({
          rule: 'square',
          row: rowIndex,
          message: `${name} row ${rowIndex} has ${Array.isArray(row) ? row.length : 'no'} entries; the order is ${order}, so each row needs ${order}`,
        });
      }
    });
  }
  if (violations.length > 0) return violations;
  let anyArrival = false;
  for (let row = 0; row < order; row++) {
    let rowSum = 0;
    let largestRate = 0;
    let rowFinite = true;
    for (let column = 0; column < order; column++) {
      const hidden = d0[row]![column]!;
      const arrival = d1[row]![column]!;
      for (const [name, value] of [
        ['d0', hidden],
        ['d1', arrival],
      ] as const) {
        if (typeof value !== 'number' || !Number.isFinite(value)) {
          rowFinite = false;
          violations.push({
            rule: 'finite',
            row,
            column,
            message: `${name}[${row}][${column}] is ${String(value)}; rates must be finite numbers`,
          });
        }
      }
      if (!rowFinite) continue;
      if (row !== column && hidden < 0) {
        violations.push({
          rule: 'd0-off-diagonal-nonnegative',
          row,
          column,
          message: `d0[${row}][${column}] = ${hidden} < 0; off-diagonal rates of d0 must be >= 0`,
        });
      }
      if (row === column && !(hidden < 0)) {
        violations.push({
          rule: 'd0-diagonal-negative',
          row,
          column,
          message: `d0[${row}][${row}] = ${hidden}; diagonal entries of d0 must be < 0 (every phase is left at a positive rate)`,
        });
      }
      if (arrival < 0) {
        violations.push({
          rule: 'd1-nonnegative',
          row,
          column,
          message: `d1[${row}][${column}] = ${arrival} < 0; arrival rates in d1 must be >= 0`,
        });
      }
      if (arrival > 0) anyArrival = true;
      rowSum += hidden + arrival;
      largestRate = Math.max(largestRate, Math.abs(hidden), Math.abs(arrival));
    }
    if (rowFinite && Math.abs(rowSum) > tolerance * largestRate) {
      violations.push({
        rule: 'rows-sum-to-zero',
        row,
        message: `row ${row} of d0 + d1 sums to ${rowSum}; it must sum to 0 within ${tolerance} x ${largestRate} (the row's largest rate)`,
      });
    }
  }
  if (!anyArrival && violations.every((violation) => violation.rule !== 'finite')) {
    violations.push({
      rule: 'd1-has-arrivals',
      message: 'd1 holds no positive rate, so the process never produces an arrival',
    });
  }
  return violations;
}

/**
 * Checks the validity rules of a Markovian Arrival Process and returns it unchanged: d0 and d1
 * are square of the same order, every entry is finite, d0's off-diagonal entries and all of d1
 * are >= 0, d0's diagonal is < 0, d1 holds a positive rate, and each row of d0 + d1 sums to 0
 * within `tolerance` x the row's largest rate.
 *
 * @example
 * ```ts
 * const map = validateMap(JSON.parse(text).map, { source: 'workload.json windows[0]' });
 * ```
 * @throws MbsError `MAP_INVALID` naming every broken rule with its row and column and the
 *   source; `details.violations` lists them as {@link MapViolation}s.
 */
export function validateMap(
  map: MarkovianArrivalProcess,
  options: ValidateMapOptions = {},
): MarkovianArrivalProcess {
  const source = options.source ?? 'MAP';
  const tolerance = options.tolerance ?? 1e-8;
  if (!(tolerance >= 0) || !Number.isFinite(tolerance)) {
    throw errors.error(
      'OPTION_INVALID',
      `validateMap option tolerance = ${tolerance}; must be a finite number >= 0`,
    );
  }
  const violations =
    typeof map === 'object' && map !== null
      ? listViolations(map, tolerance)
      : [{ rule: 'not-empty' as const, message: 'must be an object with d0 and d1' }];
  if (violations.length > 0) {
    const shown = violations
      .slice(0, 8)
      .map((violation) => `${violation.rule}: ${violation.message}`);
    const more = violations.length > 8 ? `; and ${violations.length - 8} more` : '';
    throw errors.error(
      'MAP_INVALID',
      `${source}: invalid MAP (${violations.length} rule violation${violations.length === 1 ? '' : 's'}): ${shown.join('; ')}${more}`,
      { details: { source, violations } },
    );
  }
  return map;
}

/** The number of phases of a MAP (the order of d0 and d1). */
export function mapOrder(map: MarkovianArrivalProcess): number {
  return map.d0.length;
}

/**
 * The Poisson process of the given rate as a MAP of order 1: d0 = [[-rate]], d1 = [[rate]].
 *
 * @example
 * ```ts
 * const poisson = poissonMap(50); // 50 arrivals per second on average
 * ```
 * @param ratePerSecond - arrivals per second, finite and > 0.
 * @throws MbsError `OPTION_INVALID` when the rate is not finite and positive.
 */
export function poissonMap(ratePerSecond: number): MarkovianArrivalProcess {
  if (!(ratePerSecond > 0) || !Number.isFinite(ratePerSecond)) {
    throw errors.error(
      'OPTION_INVALID',
      `poissonMap ratePerSecond = ${ratePerSecond}; must be a finite number > 0`,
    );
  }
  return { d0: [[-ratePerSecond]], d1: [[ratePerSecond]] };
}
