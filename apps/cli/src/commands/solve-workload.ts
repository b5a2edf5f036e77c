import type { Trace, WorkloadDocument } from '@mbs/core';
import type { ClassedWorkload, ClassMarksMode, HoldoutSplit } from '@mbs/traces';
import { optionError } from '../options/option-error.js';
import type { CliPlugins } from '../plugin-loading/cli-plugins.js';
import { type ClassOptions, classSpec, hasClassOptions } from '../resolvers/classes.js';
import type { ProfileChoice } from '../resolvers/profile.js';
import {
  isMapTrace,
  openClassedTrace,
  type TraceReaderOptions,
  traceSource,
} from '../resolvers/trace.js';
import { resolveWorkload, type WorkloadOptions } from '../resolvers/workload.js';

/** Where `mbs solve` takes its workload from. */
export interface WorkloadSource extends ClassOptions, TraceReaderOptions, WorkloadOptions {
  readonly trace?: string;
  readonly window?: number;
}

/** The built-in default workload: the seeded synthetic trace, fitted on the fly. */
export const DEFAULT_TRACE = 'synthetic';

/**
 * The trace `mbs solve` fits (or verifies against): `--trace`, else the built-in synthetic one. A
 * MAP source takes the profile's classes, with `--class-shares` or equal shares.
 */
export async function openSolveTrace(
  plugins: CliPlugins,
  source: WorkloadSource,
  profile: ProfileChoice,
): Promise<Trace> {
  return openClassedTrace(
    plugins,
    traceSource(source.trace ?? DEFAULT_TRACE, source),
    profile.frame,
    source.classShares,
    source.seed ?? 1,
  );
}

/** How a trace is fitted on the fly. */
export interface TraceFitOptions {
  /** Window lengths (the T grid) at which candidate fits are compared with the trace's counts. */
  readonly countWindowsSeconds: readonly number[];
  /** How classes are modelled (`fitWorkload`'s `marks`); default auto. */
  readonly marks?: ClassMarksMode;
  /** Hold out this fraction of the trace's end: fit on the rest only. */
  readonly holdoutFraction?: number;
  /** Progress of the fit (EM iterations with their log-likelihood). */
  readonly onProgress?: (message: string) => void;
  /** Called with the classes and each window's shares before any arrivals are fitted. */
  readonly onClasses?: (classes: ClassedWorkload) => void | Promise<void>;
}

/** The workload to solve, and with a holdout, the trace's held-out end. */
export interface LoadedWorkload {
  readonly workload: WorkloadDocument;
  readonly holdout?: HoldoutSplit;
}

/**
 * The workload `mbs solve` optimises: a workload JSON of `mbs fit`, a MAP given as its two files
 * (`D0.csv,D1.csv`, the profile's classes, shares from --class-shares or equal), a trace fitted
 * on the fly (a MAP trace into the profile's classes unless class options say otherwise; the fit
 * chosen by counting statistics at the T grid, a marked MAP when sizes depend on the arrivals;
 * with a holdout, fitted on the trace's first part only), or the built-in default (the synthetic
 * trace).
 */
export async function loadWorkload(
  plugins: CliPlugins,
  source: WorkloadSource,
  profile: ProfileChoice,
  fit: TraceFitOptions,
): Promise<LoadedWorkload> {
  if (source.workload !== undefined && source.trace !== undefined) {
    throw optionError('--workload', 'and --trace: give one, not both');
  }
  if (source.workload !== undefined) {
    const workload = await resolveWorkload(source.workload, profile.frame, source.classShares);
    await fit.onClasses?.(workload);
    return { workload };
  }
  const trace = await openSolveTrace(plugins, source, profile);
  const classes =
    isMapTrace(trace) && !hasClassOptions(source)
      ? { by: 'edges' as const, edges: [...profile.frame.upperEdges] }
      : // Size classes from a trace without sizes would be one class, or a class of size 0.
        { ...classSpec(source), requireSizes: true };
  const { fitWorkload, splitTraceForHoldout } = await import('@mbs/traces');
  const holdout =
    fit.holdoutFraction === undefined
      ? undefined
      : await splitTraceForHoldout(trace, fit.holdoutFraction);
  const workload = await fitWorkload(holdout?.head ?? trace, {
    classes,
    countWindowsSeconds: fit.countWindowsSeconds,
    ...(fit.marks === undefined ? {} : { marks: fit.marks }),
    ...(fit.onClasses === undefined ? {} : { onClasses: fit.onClasses }),
    ...(fit.onProgress === undefined ? {} : { onProgress: fit.onProgress }),
    ...(source.window === undefined ? {} : { windowSeconds: source.window }),
  });
  return { workload, ...(holdout ? { holdout } : {}) };
}
