import { rename, writeFile } from 'node:fs/promises';
import { quantile } from '@mbs/core';
import { errors } from '../errors.js';
import type { ColdStartRecord, PointMeasurement } from './measurement.js';
import type { PlannedPoint, ProfilePlan } from './profile-plan.js';
import { summarizeSamples } from './repetitions.js';
import { type RoundSpeed, roundSpeedFactors } from './round-speed.js';
import { fitServiceTimeLaw, type MemoryLaw, type ServiceTimeLaw } from './service-time-law.js';
import type { WorkResponse } from './work-response.js';

/** Schema name of the `measurement` section of a measured profile. */
export const MEASURED_PROFILE_SCHEMA = 'mbs.measured-profile';

/** The law as written in the document. */
export const LAW_FORMULA = 't(M, c, B) = a_M + b_M * f(B * w_c)^k_M';

/** Whether a measured point was used by the fit or held out to test it. */
export type PointRole = 'fit' | 'held-out';

/** One measured point as the document reports it (times in ms). */
export interface MeasuredPointReport extends PlannedPoint {
  readonly size: number;
  readonly role: PointRole;
  readonly count: number;
  readonly meanMs: number;
  /**
   * The point's service time, which the law is fitted to and scored against: the 20 % trimmed
   * mean of its samples (see `summarizeSamples`).
   */
  readonly trimmedMeanMs: number;
  readonly standardDeviationMs: number;
  readonly minMs: number;
  readonly medianMs: number;
  readonly maxMs: number;
  /** Full width of the confidence interval of the trimmed mean over it. */
  readonly ciRelativeWidth: number;
  readonly stop: PointMeasurement['stop'];
  readonly retries: number;
  readonly coldStarts: number;
  /** What the fitted law (the table) gives here. */
  readonly predictedMs: number;
  /** (predicted - trimmed mean) / trimmed mean. */
  readonly relativeError: number;
}

/** Distribution of |relative error| over a set of points. */
export interface FitErrorSummary {
  readonly count: number;
  readonly meanAbs: number;
  readonly medianAbs: number;
  readonly p90Abs: number;
  readonly maxAbs: number;
  /** Points within 10 % of their measured (trimmed) mean. */
  readonly within10Percent: number;
  /**
   * Points within 10 % of their measured mean or, if not, inside the confidence interval of that
   * mean (the run's confidence): a point that load left too noisy to pin down to 10 % agrees with
   * the table when the table is within what was measured. Counted apart from
   * {@link FitErrorSummary.within10Percent}, which stays the strict figure.
   */
  readonly within10PercentOrInterval: number;
}

/** Init Duration of the cold starts of one memory, in ms. */
export interface InitDurationReport {
  readonly memoryMb: number;
  readonly count: number;
  readonly meanMs: number;
  readonly minMs: number;
  readonly maxMs: number;
}

/** The `measurement` section: how the table was obtained. Readers of the MBS format ignore it. */
export interface MeasurementSection {
  readonly schema: typeof MEASURED_PROFILE_SCHEMA;
  readonly version: 1;
  readonly createdAt: string;
  /** Where and what was measured (provider, model, package hash...), as the caller describes it. */
  readonly source: Readonly<Record<string, unknown>>;
  readonly law: {
    readonly formula: typeof LAW_FORMULA;
    readonly memories: readonly MemoryLaw[];
    /** w_c per class. */
    readonly classWork: readonly number[];
    /**
     * f: its knots, f piecewise linear in log-log between them and the end segments extended
     * (f(w) = w when the points call for no curve).
     */
    readonly response: WorkResponse;
  };
  readonly classes: {
    /** Size sent for each class. */
    readonly sizes: readonly number[];
    readonly upperEdges?: readonly number[];
    readonly representativeSizes?: readonly number[];
  };
  readonly memoriesMb: readonly number[];
  /** Batch sizes of the grid (the table covers 1..the largest). */
  readonly batchSizes: readonly number[];
  readonly referenceMemoriesMb: readonly number[];
  readonly full: boolean;
  readonly confidence: number;
  readonly initDurationMs: readonly InitDurationReport[];
  readonly points: readonly MeasuredPointReport[];
  readonly fitError: { readonly fit: FitErrorSummary; readonly heldOut?: FitErrorSummary };
  /**
   * The machine's speed factor of each round that had enough samples (see `roundSpeedFactors`):
   * every point's samples were divided by their round's factor before its statistics above.
   */
  readonly roundSpeed: readonly RoundSpeed[];
}

/** A measured profile: the MBS table, plus the measurement section. */
export interface MeasuredProfileDocument {
  /** `{"<MB>": [[ms for B = 1..max] for class 0..C-1]}`, the format `parseMbsProfile` reads. */
  readonly service_time: Readonly<Record<string, readonly (readonly number[])[]>>;
  readonly measurement: MeasurementSection;
}

/** What {@link buildMeasuredProfile} needs. */
export interface MeasuredProfileInput {
  readonly plan: ProfilePlan;
  readonly points: readonly PointMeasurement[];
  readonly coldStarts: readonly ColdStartRecord[];
  /** Confidence of the intervals reported per point (the run's rule). */
  readonly confidence: number;
  /** Points the law is fitted on; the others are held out and scored. Default: all. */
  readonly fitOn?: (point: PlannedPoint) => boolean;
  readonly classes?: {
    readonly upperEdges?: readonly number[];
    readonly representativeSizes?: readonly number[];
  };
  readonly source?: Readonly<Record<string, unknown>>;
  /** Creation time; default now. */
  readonly createdAt?: Date;
}

function summarizeErrors(reports: readonly MeasuredPointReport[]): FitErrorSummary {
  const absolute = reports.map((report) => Math.abs(report.relativeError));
  const count = absolute.length;
  return {
    count,
    meanAbs: count === 0 ? 0 : absolute.reduce((sum, value) => sum + value, 0) / count,
    medianAbs: count === 0 ? 0 : quantile(absolute, 0.5),
    p90Abs: count === 0 ? 0 : quantile(absolute, 0.9),
    maxAbs: count === 0 ? 0 : Math.max(...absolute),
    within10Percent: absolute.filter((value) => value <= 0.1).length,
    within10PercentOrInterval: reports.filter(
      (report) =>
        Math.abs(report.relativeError) <= 0.1 ||
        // A single sample has no interval (width Infinity): it does not get one for free.
        (Number.isFinite(report.ciRelativeWidth) &&
          Math.abs(report.relativeError) <= report.ciRelativeWidth / 2),
    ).length,
  };
}

// Six significant digits: far below measurement noise, and a readable file.
const round = (value: number) => Number(value.toPrecision(6));

/**
 * Fits the service-time law to the measured points (each point's trimmed mean, weighed by its
 * standard error: see `summarizeSamples`) and builds the measured profile: the full
 * table (every memory of the grid, every class, batch 1..largest) from the law, and the
 * `measurement` section with the law, each measured point marked with its spread, its fitted
 * value and relative error, the fit error distribution (fit and held-out points apart) and the
 * Init Duration of cold starts per memory. FIT_FAILED names what is missing when the points do
 * not cover every memory of the grid.
 *
 * @example
 * ```ts
 * const { document } = buildMeasuredProfile({ plan, points, coldStarts, confidence: 0.95 });
 * parseMbsProfile(document, 'measured.json').serviceTimeSeconds(1769, 3, 8);
 * ```
 */
export function buildMeasuredProfile(input: MeasuredProfileInput): {
  readonly document: MeasuredProfileDocument;
  readonly law: ServiceTimeLaw;
} {
  const { plan, points, confidence } = input;
  const { memoriesMb, batchSizes, classSizes } = plan.grid;
  const fitOn = input.fitOn ?? (() => true);
  // The machine's speed per round, from the points the law is fitted on, divided out of every
  // point's samples before anything is estimated from them.
  const speed = roundSpeedFactors(points.filter(fitOn));
  const summaries = points.map((point) => summarizeSamples(speed.correct(point), confidence));
  const fitted = points.flatMap((point, index) => {
    const { trimmedMeanMs, trimmedStandardErrorMs } = summaries[index]!;
    return fitOn(point)
      ? [
          {
            ...point,
            meanMs: trimmedMeanMs,
            relativeStandardError: trimmedStandardErrorMs / trimmedMeanMs,
          },
        ]
      : [];
  });
  for (const memoryMb of memoriesMb) {
    if (!fitted.some((point) => point.memoryMb === memoryMb)) {
      throw errors.error(
        'FIT_FAILED',
        `measured profile: memory ${memoryMb} MB has no measured point to fit; ${points.length} of ${plan.points.length} planned points are measured (run again to resume)`,
        { details: { memoryMb } },
      );
    }
  }
  const law = fitServiceTimeLaw(fitted, classSizes);
  const maxBatchSize = batchSizes.at(-1)!;
  const serviceTime: Record<string, number[][]> = {};
  for (const memoryMb of memoriesMb) {
    serviceTime[String(memoryMb)] = classSizes.map((_, classIndex) =>
      Array.from({ length: maxBatchSize }, (_, batch) =>
        round(law.predictMs(memoryMb, classIndex, batch + 1)),
      ),
    );
  }
  const reports: MeasuredPointReport[] = points.map((point, index) => {
    const summary = summaries[index]!;
    const predictedMs = law.predictMs(point.memoryMb, point.classIndex, point.batchSize);
    return {
      memoryMb: point.memoryMb,
      classIndex: point.classIndex,
      batchSize: point.batchSize,
      size: point.size,
      role: fitOn(point) ? 'fit' : 'held-out',
      count: summary.count,
      meanMs: summary.meanMs,
      trimmedMeanMs: summary.trimmedMeanMs,
      standardDeviationMs: summary.standardDeviationMs,
      minMs: summary.minMs,
      medianMs: summary.medianMs,
      maxMs: summary.maxMs,
      ciRelativeWidth: summary.relativeWidth,
      stop: point.stop,
      retries: point.retries,
      coldStarts: point.coldStarts,
      predictedMs,
      relativeError: (predictedMs - summary.trimmedMeanMs) / summary.trimmedMeanMs,
    };
  });
  const heldOut = reports.filter((report) => report.role === 'held-out');
  const initDurationMs = memoriesMb.flatMap((memoryMb) => {
    const inits = input.coldStarts
      .filter((cold) => cold.memoryMb === memoryMb)
      .map((cold) => cold.initDurationMs);
    return inits.length === 0
      ? []
      : [
          {
            memoryMb,
            count: inits.length,
            meanMs: inits.reduce((sum, value) => sum + value, 0) / inits.length,
            minMs: Math.min(...inits),
            maxMs: Math.max(...inits),
          },
        ];
  });
  const document: MeasuredProfileDocument = {
    service_time: serviceTime,
    measurement: {
      schema: MEASURED_PROFILE_SCHEMA,
      version: 1,
      createdAt: (input.createdAt ?? new Date()).toISOString(),
      source: input.source ?? {},
      law: {
        formula: LAW_FORMULA,
        memories: law.memories,
        classWork: law.classWork,
        response: {
          works: law.response.works.map(round),
          values: law.response.values.map(round),
        },
      },
      classes: { sizes: classSizes, ...input.classes },
      memoriesMb,
      batchSizes,
      referenceMemoriesMb: plan.referenceMemoriesMb,
      full: plan.full,
      confidence,
      initDurationMs,
      points: reports,
      fitError: {
        fit: summarizeErrors(reports.filter((report) => report.role === 'fit')),
        ...(heldOut.length > 0 ? { heldOut: summarizeErrors(heldOut) } : {}),
      },
      roundSpeed: speed.rounds.map((entry) => ({ ...entry, factor: round(entry.factor) })),
    },
  };
  return { document, law };
}

/**
 * Writes a measured profile as JSON, atomically (a temporary file renamed over `path`), so an
 * interrupted write never leaves half a profile.
 */
export async function writeMeasuredProfile(
  path: string,
  document: MeasuredProfileDocument,
): Promise<void> {
  const temporary = `${path}.${process.pid}.tmp`;
  try {
    await writeFile(temporary, `${JSON.stringify(document, null, 2)}\n`, 'utf8');
    await rename(temporary, path);
  } catch (cause) {
    throw errors.error('IO', `${path}: cannot write the profile (${(cause as Error).message})`, {
      cause,
      details: { path },
    });
  }
}
