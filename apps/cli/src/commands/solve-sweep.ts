import type { PricingModel, ServiceTimeProfile } from '@mbs/core';
import { formatSeconds, usdPerMillionRequests, type WorkloadDocument } from '@mbs/core';
import {
  createModelEvaluator,
  type EvaluatorFactory,
  type OptimizationProblem,
  type SearchBounds,
  type SloSweepPoint,
  searchWaitLaws,
  sweepSlos,
} from '@mbs/optimizer';
import { kebab } from '../options/number-options.js';
import { optionError } from '../options/option-error.js';
import type { ProgressReporter } from '../progress.js';
import { formatTable } from '../table.js';
import { STRATEGIES } from './solve-windows.js';

/** The options `--slos` cannot be combined with. */
const EXCLUSIVE = ['budget'] as const;

/**
 * Options that need one configuration per window: with `--slos` they are honoured only together
 * with `--slo`, which picks the SLO solved in full (the sweep is then attached as its frontier).
 */
const NEED_SLO = ['verify', 'out', 'report', 'verifyHoldout'] as const;

/**
 * Parses `--slos a,b,c` (seconds, or seconds per size unit with --per-size): at least two
 * distinct positive numbers. Undefined when the option is absent.
 */
export function parseSloList(
  value: string | undefined,
  options: Readonly<Record<string, unknown>>,
): number[] | undefined {
  if (value === undefined) return undefined;
  const slos = String(value)
    .split(',')
    .map((part) => part.trim());
  const numbers = slos.map(Number);
  if (slos.length < 2 || numbers.some((slo) => !(Number.isFinite(slo) && slo > 0))) {
    throw optionError(
      '--slos',
      `is ${JSON.stringify(value)}; give two or more positive SLOs in seconds, comma-separated, e.g. 2,5,10`,
      value,
    );
  }
  for (const name of EXCLUSIVE) {
    const given = options[name];
    if (given !== undefined && given !== false) {
      throw optionError(
        '--slos',
        `cannot be used with --${name}: a sweep gives one configuration per SLO`,
        value,
      );
    }
  }
  if (options.slo === undefined) {
    for (const name of NEED_SLO) {
      const given = options[name];
      if (given !== undefined && given !== false) {
        throw optionError(
          '--slos',
          `with --${kebab(name)} needs --slo: the configuration written and checked is the one solved for --slo, with the sweep as its frontier`,
          value,
        );
      }
    }
  }
  if (options.constraint === 'cost')
    throw optionError(
      '--slos',
      'sweeps latency SLOs; it cannot be used with --constraint cost',
      value,
    );
  if (typeof options.frontEnds === 'number' && options.frontEnds > 1)
    throw optionError('--slos', 'cannot be used with --front-ends', value);
  return numbers;
}

/** One window's cost frontier. */
export interface WindowSweep {
  readonly startSeconds: number;
  readonly endSeconds: number;
  readonly points: readonly SloSweepPoint[];
}

/** Solves every window of the workload at every SLO of the sweep, one shared evaluator per window. */
export async function sweepWindows(
  slos: readonly number[],
  inputs: {
    readonly workload: WorkloadDocument;
    readonly profile: ServiceTimeProfile;
    readonly pricing: PricingModel;
    readonly bounds: SearchBounds;
    readonly percentile: number;
    readonly perSize: boolean;
    readonly strategy: string;
    readonly progress: ProgressReporter;
  },
): Promise<WindowSweep[]> {
  const { workload, progress } = inputs;
  const sweeps: WindowSweep[] = [];
  for (const [index, window] of workload.windows.entries()) {
    const problem: OptimizationProblem = {
      map: window.map,
      classShares: window.classShares,
      classRepresentativeSizes: workload.classRepresentativeSizes,
      profile: inputs.profile,
      pricing: inputs.pricing,
      percentile: inputs.percentile,
      constraint: { mode: 'latency', sloSeconds: slos[0]! },
      perSize: inputs.perSize,
      bounds: inputs.bounds,
    };
    // The same evaluator as solveWindows' (wait laws cached per window), so each point is what
    // solving its SLO alone gives, to the last digit.
    const waitLaws = searchWaitLaws(problem);
    const createEvaluator: EvaluatorFactory = (solved) =>
      createModelEvaluator(solved, { waitLaws });
    const points = await sweepSlos(problem, slos, {
      strategy: STRATEGIES[inputs.strategy]!(createEvaluator),
      evaluator: createEvaluator(problem),
      onProgress: (update) =>
        progress.update(`window ${index + 1}/${workload.windows.length}: ${update.message ?? ''}`),
    });
    sweeps.push({ startSeconds: window.startSeconds, endSeconds: window.endSeconds, points });
  }
  return sweeps;
}

/** The sweep as JSON: per window, per SLO, the prediction and the configuration. */
export function jsonSweep(sweeps: readonly WindowSweep[], percentile: number) {
  return {
    percentile,
    windows: sweeps.map(({ startSeconds, endSeconds, points }) => ({
      startSeconds,
      endSeconds,
      frontier: jsonFrontier(points),
    })),
  };
}

/**
 * One window's frontier as JSON (`windows[i].frontier` of `mbs solve --json`, which `mbs report`
 * draws as cost against the SLO).
 */
export function jsonFrontier(points: readonly SloSweepPoint[]) {
  return points.map(({ sloSeconds, solution }) => ({
    sloSeconds,
    feasible: solution.feasible,
    costPerRequestUsd: solution.costPerRequestUsd,
    costPerMillionRequestsUsd: usdPerMillionRequests(solution.costPerRequestUsd),
    latencyPercentile: solution.latencyPercentile,
    evaluations: solution.evaluations,
    gridBoundsReached: solution.gridBoundsReached ?? [],
    system: solution.system,
  }));
}

/** The sweep as text: one table per window, SLO against cost. */
export function describeSweep(sweeps: readonly WindowSweep[], percentile: number): string {
  const label = `p${Number((percentile * 100).toFixed(4))}`;
  return sweeps
    .map(({ startSeconds, endSeconds, points }) => {
      const table = formatTable(points, [
        { header: 'SLO', value: (point) => formatSeconds(point.sloSeconds), align: 'right' },
        {
          header: '$/1M req',
          value: (point) => usdPerMillionRequests(point.solution.costPerRequestUsd).toFixed(3),
          align: 'right',
        },
        {
          header: label,
          value: (point) => formatSeconds(point.solution.latencyPercentile),
          align: 'right',
        },
        { header: 'meets', value: (point) => (point.solution.feasible ? 'yes' : 'no') },
        {
          header: 'buffers',
          value: (point) => String(point.solution.buffers.length),
          align: 'right',
        },
        { header: 'evals', value: (point) => String(point.solution.evaluations), align: 'right' },
      ]);
      return `window ${Number(startSeconds.toFixed(1))} s .. ${Number(endSeconds.toFixed(1))} s: cost against the SLO\n${table}`;
    })
    .join('\n');
}

/**
 * A solve result with each window's sweep attached as `windows[i].frontier` (what `mbs report`
 * draws as cost against the SLO); unchanged without a sweep.
 */
export function withFrontiers<T extends { readonly windows: readonly object[] }>(
  result: T,
  sweeps: readonly WindowSweep[] | undefined,
): T {
  if (sweeps === undefined) return result;
  return {
    ...result,
    windows: result.windows.map((window, index) => ({
      ...window,
      frontier: jsonFrontier(sweeps[index]?.points ?? []),
    })),
  };
}
