import type { MarkovianArrivalProcess } from '@mbs/core';
import { toRowMajor } from './dense-matrix.js';
import { validateMap } from './validate-map.js';

/** A validated MAP in row-major form, for the numerical routines. */
export interface DenseMap {
  readonly order: number;
  readonly d0: Float64Array;
  readonly d1: Float64Array;
}

/** Validates a MAP and returns its matrices row-major. */
export function toDenseMap(map: MarkovianArrivalProcess, source = 'MAP'): DenseMap {
  validateMap(map, { source });
  const d0 = toRowMajor(map.d0, `${source} d0`);
  const d1 = toRowMajor(map.d1, `${source} d1`);
  return { order: d0.order, d0: d0.values, d1: d1.values };
}
