import type { WorkloadDocument } from '@mbs/core';
import { readWorkloadFile } from '../options/document-options.js';
import { optionError } from '../options/option-error.js';
import { type ClassFrame, classShares } from './classes.js';

// The one way every command resolves `--workload`: a workload document of `mbs fit --out`, or a
// MAP as its two matrix files `D0.csv,D1.csv`, whose classes are given by the command (the
// profile's in `mbs solve`, the configuration's in `mbs simulate`) with shares from
// `--class-shares` (default equal).

/** Values of `--workload` and `--class-shares`. */
export interface WorkloadOptions {
  readonly workload?: string;
  readonly classShares?: string;
}

/** Seconds a MAP pair's one window spans (the Twitter MAPs are fitted per hour). */
const MAP_PAIR_WINDOW_SECONDS = 3600;

/**
 * The workload `--workload` names: a workload document (each window's MAP checked), or a MAP pair
 * `D0.csv,D1.csv` as one window over `classes`, with `--class-shares` or equal shares.
 *
 * @param classes - the classes a MAP pair's requests fall into
 * @example
 * ```ts
 * const workload = await resolveWorkload(argv.workload, profile.frame, argv.classShares);
 * ```
 */
export async function resolveWorkload(
  source: string,
  classes: ClassFrame,
  sharesText?: string,
): Promise<WorkloadDocument> {
  const [{ validateMap, validateMarkedMap }, { readMapFiles }] = await Promise.all([
    import('@mbs/markov'),
    import('@mbs/trace-formats'),
  ]);
  if (source.includes(',')) {
    const [d0Path, d1Path, ...rest] = source.split(',');
    if (!d0Path || !d1Path || rest.length > 0) {
      throw optionError('--workload', `${source}: a MAP pair is written D0.csv,D1.csv`, source);
    }
    const map = validateMap(await readMapFiles(d0Path, d1Path), { source });
    return {
      schema: 'mbs.workload',
      version: 1,
      source,
      sizeUnit: 'class',
      classUpperEdges: classes.upperEdges,
      classRepresentativeSizes: classes.representativeSizes,
      windows: [
        {
          startSeconds: 0,
          endSeconds: MAP_PAIR_WINDOW_SECONDS,
          arrivals: 0,
          map,
          classShares: classShares(sharesText, classes.upperEdges.length),
        },
      ],
    };
  }
  if (sharesText !== undefined) {
    throw optionError(
      '--class-shares',
      'applies to a MAP (D0.csv,D1.csv); a workload document has its own shares',
    );
  }
  const document = await readWorkloadFile(source);
  for (const [index, window] of document.windows.entries()) {
    const label = `${source} windows[${index}]`;
    validateMap(window.map, { source: label });
    // A marked MAP's class matrices must sum to its D1 (within rounding of the JSON).
    if (window.classArrivals) {
      validateMarkedMap(
        { ...window.map, classArrivals: window.classArrivals },
        { source: label, tolerance: 1e-6 },
      );
    }
  }
  return document;
}
