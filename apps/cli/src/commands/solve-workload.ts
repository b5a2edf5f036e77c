import { MbsError, type ServiceTimeProfile, type WorkloadDocument } from '@mbs/core';
import { validateMap, validateMarkedMap } from '@mbs/markov';
import { createParametricProfile, readMbsProfile } from '@mbs/profiles';
import { readMapFiles } from '@mbs/trace-formats';
import {
  type ClassMarksMode,
  fitWorkload,
  type HoldoutSplit,
  splitTraceForHoldout,
} from '@mbs/traces';
import { readWorkloadFile } from '../options/document-options.js';
import { type ClassOptions, classSpec, openTrace } from './trace.js';

/** Where `mbs solve` takes its workload from. */
export interface WorkloadSource extends ClassOptions {
  readonly workload?: string;
  readonly trace?: string;
  readonly format?: string;
  readonly classShares?: string;
  readonly window?: number;
  readonly seed?: number;
}

/** The built-in default workload: the seeded synthetic trace, fitted on the fly. */
export const DEFAULT_TRACE = 'synthetic';

function parseShares(text: string, count: number): number[] {
  const shares = text.split(',').map((part) => Number(part.trim()));
  if (shares.length !== count || shares.some((share) => !Number.isFinite(share) || share < 0)) {
    throw new MbsError(
      'OPTION_INVALID',
      `[@mbs/cli] --class-shares: give ${count} non-negative comma-separated numbers (one per profile class); got ${JSON.stringify(text)}`,
    );
  }
  const total = shares.reduce((sum, share) => sum + share, 0);
  if (total <= 0)
    throw new MbsError('OPTION_INVALID', '[@mbs/cli] --class-shares must not all be 0');
  return shares.map((share) => share / total);
}

/** How a trace is fitted on the fly. */
export interface TraceFitOptions {
  /** Window lengths (the T grid) at which candidate fits are compared with the trace's counts. */
  readonly countWindowsSeconds: readonly number[];
  /** How classes are modelled (`fitWorkload`'s `marks`); default auto. */
  readonly marks?: ClassMarksMode;
  /** Hold out this fraction of the trace's end: fit on the rest only. */
  readonly holdoutFraction?: number;
}

/** The workload to solve, and with a holdout, the trace's held-out end. */
export interface LoadedWorkload {
  readonly workload: WorkloadDocument;
  readonly holdout?: HoldoutSplit;
}

/**
 * The workload `mbs solve` optimises: a workload JSON of `mbs fit`, a MAP given as its two files
 * (`D0.csv,D1.csv`, classes from the profile, shares from --class-shares or equal), a trace fitted
 * on the fly (the fit chosen by counting statistics at the T grid, a marked MAP when sizes depend
 * on the arrivals; with a holdout, fitted on the trace's first part only), or the built-in
 * default (the synthetic trace).
 */
export async function loadWorkload(
  source: WorkloadSource,
  profileClassCount: number | undefined,
  fit: TraceFitOptions,
): Promise<LoadedWorkload> {
  if (source.workload !== undefined && source.trace !== undefined) {
    throw new MbsError('OPTION_INVALID', '[@mbs/cli] give --workload or --trace, not both');
  }
  if (source.workload?.includes(',')) {
    const [d0Path, d1Path, ...rest] = source.workload.split(',');
    if (!d0Path || !d1Path || rest.length > 0) {
      throw new MbsError(
        'OPTION_INVALID',
        `[@mbs/cli] --workload ${source.workload}: a MAP pair is written D0.csv,D1.csv`,
      );
    }
    if (profileClassCount === undefined) {
      throw new MbsError(
        'OPTION_INVALID',
        "[@mbs/cli] --workload D0.csv,D1.csv needs --profile: its classes are the profile's",
      );
    }
    const map = validateMap(await readMapFiles(d0Path, d1Path), { source: source.workload });
    const shares = source.classShares
      ? parseShares(source.classShares, profileClassCount)
      : new Array<number>(profileClassCount).fill(1 / profileClassCount);
    const classIds = Array.from({ length: profileClassCount }, (_, classId) => classId + 1);
    return {
      workload: {
        schema: 'mbs.workload',
        version: 1,
        source: source.workload,
        sizeUnit: 'class',
        classUpperEdges: classIds,
        classRepresentativeSizes: classIds,
        windows: [{ startSeconds: 0, endSeconds: 3600, arrivals: 0, map, classShares: shares }],
      },
    };
  }
  if (source.workload !== undefined) {
    const document = await readWorkloadFile(source.workload);
    for (const [index, window] of document.windows.entries()) {
      const label = `${source.workload} windows[${index}]`;
      validateMap(window.map, { source: label });
      if (window.classArrivals) {
        validateMarkedMap(
          { ...window.map, classArrivals: window.classArrivals },
          { source: label, tolerance: 1e-6 },
        );
      }
    }
    return { workload: document };
  }
  const file = source.trace ?? DEFAULT_TRACE;
  const trace = await openTrace({
    file,
    ...(source.format === undefined ? {} : { format: source.format }),
    ...(source.seed === undefined ? {} : { seed: source.seed }),
  });
  const holdout =
    fit.holdoutFraction === undefined
      ? undefined
      : await splitTraceForHoldout(trace, fit.holdoutFraction);
  const workload = await fitWorkload(holdout?.head ?? trace, {
    classes: classSpec(source),
    countWindowsSeconds: fit.countWindowsSeconds,
    ...(fit.marks === undefined ? {} : { marks: fit.marks }),
    ...(source.window === undefined ? {} : { windowSeconds: source.window }),
  });
  return { workload, ...(holdout ? { holdout } : {}) };
}

/** The profile: an MBS-format JSON file, or the parametric profile over the workload's classes. */
export async function loadProfile(
  path: string | undefined,
  workload?: WorkloadDocument,
): Promise<ServiceTimeProfile> {
  if (path !== undefined) return readMbsProfile(path);
  return createParametricProfile(
    workload ? { representativeSizes: workload.classRepresentativeSizes } : {},
  );
}
