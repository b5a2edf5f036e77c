import {
  type ConfigurationDocument,
  packageErrors,
  parseConfigurationDocument,
  type SystemConfiguration,
  validateSystemConfiguration,
} from '@mbs/core';
import type {
  FrontierPoint,
  ModelCurvesDocument,
  SolveBaselineDocument,
  SolveDocument,
  SolveSolutionDocument,
  SolveWindowDocument,
} from './documents.js';

const errors = packageErrors('@mbs/report');
type JsonObject = Record<string, unknown>;

const isObject = (value: unknown): value is JsonObject =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const isNumberArray = (value: unknown): value is number[] =>
  Array.isArray(value) && value.every((item) => typeof item === 'number' && Number.isFinite(item));

function fail(source: string, path: string, problem: string): never {
  throw errors.error(
    'CONFIG_INVALID',
    `${source}: ${path} ${problem}; give the JSON of mbs solve --json`,
    { details: { source, path } },
  );
}

function finiteAt(source: string, object: JsonObject, key: string, path: string): number {
  const value = object[key];
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    fail(source, `${path}.${key}`, `must be a finite number; got ${JSON.stringify(value)}`);
  }
  return value;
}

function solutionAt(
  source: string,
  value: unknown,
  path: string,
  classCount: number | undefined,
): SolveSolutionDocument {
  if (!isObject(value)) fail(source, path, 'must be an object');
  const system = value.system;
  if (!isObject(system) || !Array.isArray(system.buffers) || system.buffers.length === 0) {
    fail(source, `${path}.system.buffers`, 'must be a non-empty array');
  }
  const checked =
    classCount === undefined
      ? (system as unknown as SystemConfiguration)
      : validateSystemConfiguration(
          system as unknown as SystemConfiguration,
          classCount,
          `${source} ${path}.system`,
        );
  // The latency percentile may be Infinity in JSON's null when nothing met; keep NaN then.
  const latency = value.latencyPercentile;
  return {
    strategy: String(value.strategy ?? ''),
    feasible: value.feasible === true,
    costPerRequestUsd: finiteAt(source, value, 'costPerRequestUsd', path),
    latencyPercentile: typeof latency === 'number' ? latency : Number.NaN,
    meanLatencySeconds: Number(value.meanLatencySeconds ?? Number.NaN),
    invocationsPerSecond: Number(value.invocationsPerSecond ?? Number.NaN),
    paddingShare: Number(value.paddingShare ?? Number.NaN),
    system: checked,
  };
}

/** The model curves of a window, or a problem when they are malformed (they are optional). */
function modelAt(value: unknown, bufferCount: number): ModelCurvesDocument | string {
  if (!isObject(value) || !isObject(value.latencyCdf) || !Array.isArray(value.buffers)) {
    return 'has no latencyCdf and buffers';
  }
  const cdf = value.latencyCdf;
  const latency = cdf.latency;
  if (!isNumberArray(latency) || latency.length < 2) return 'latencyCdf.latency is not numbers';
  const sameLength = (series: unknown) => isNumberArray(series) && series.length === latency.length;
  if (!sameLength(cdf.system)) return 'latencyCdf.system does not match latencyCdf.latency';
  if (
    !Array.isArray(cdf.buffers) ||
    cdf.buffers.length !== bufferCount ||
    !cdf.buffers.every(sameLength)
  ) {
    return `latencyCdf.buffers must hold ${bufferCount} series as long as latencyCdf.latency`;
  }
  const buffers = value.buffers;
  if (
    buffers.length !== bufferCount ||
    !buffers.every((buffer) => isObject(buffer) && isNumberArray(buffer.batchSizeProbabilities))
  ) {
    return `buffers must hold ${bufferCount} objects with batchSizeProbabilities`;
  }
  const quantiles = isObject(value.systemQuantiles) ? value.systemQuantiles : {};
  return {
    latencyUnit: value.latencyUnit === 'seconds per size unit' ? value.latencyUnit : 'seconds',
    latencyCdf: cdf as unknown as ModelCurvesDocument['latencyCdf'],
    systemQuantiles:
      isNumberArray(quantiles.probability) &&
      isNumberArray(quantiles.latency) &&
      quantiles.probability.length === quantiles.latency.length
        ? { probability: quantiles.probability, latency: quantiles.latency }
        : { probability: [], latency: [] },
    buffers: buffers as unknown as ModelCurvesDocument['buffers'],
  };
}

/**
 * A cost-vs-SLO sweep, read leniently: an array under `frontier`, `sweep` or `sloSweep` whose
 * entries have `sloSeconds` and a cost (`costPerRequestUsd`, `costPerMillionRequestsUsd`, or the
 * same inside `solution`). Entries without both are left out.
 */
export function frontierAt(object: JsonObject): FrontierPoint[] | undefined {
  const list = object.frontier ?? object.sweep ?? object.sloSweep;
  if (!Array.isArray(list)) return undefined;
  const points: FrontierPoint[] = [];
  for (const entry of list) {
    if (!isObject(entry)) continue;
    const inner = isObject(entry.solution) ? entry.solution : entry;
    const slo = entry.sloSeconds ?? entry.slo;
    const perRequest =
      typeof inner.costPerRequestUsd === 'number'
        ? inner.costPerRequestUsd
        : typeof inner.costPerMillionRequestsUsd === 'number'
          ? inner.costPerMillionRequestsUsd / 1e6
          : undefined;
    if (typeof slo !== 'number' || !Number.isFinite(slo) || perRequest === undefined) continue;
    const latency = inner.latencyPercentile;
    points.push({
      sloSeconds: slo,
      costPerRequestUsd: perRequest,
      ...(typeof latency === 'number' && Number.isFinite(latency)
        ? { latencyPercentile: latency }
        : {}),
      ...(typeof inner.feasible === 'boolean' ? { feasible: inner.feasible } : {}),
    });
  }
  return points.sort((a, b) => a.sloSeconds - b.sloSeconds);
}

/**
 * Checks the JSON of `mbs solve --json` and returns it with the problems of its optional parts
 * (malformed model curves are left out and named). A missing or malformed required part throws
 * `CONFIG_INVALID` naming the source and the path.
 *
 * @example
 * ```ts
 * const { document, problems } = parseSolveDocument(JSON.parse(text), 'solve.json');
 * ```
 */
export function parseSolveDocument(
  value: unknown,
  source: string,
): { document: SolveDocument; problems: string[] } {
  if (!isObject(value)) fail(source, '(root)', 'must be a JSON object');
  const problems: string[] = [];
  const percentile = finiteAt(source, value, 'percentile', '(root)');
  if (!(percentile > 0 && percentile < 1)) {
    fail(source, 'percentile', `must be in (0, 1); got ${percentile}`);
  }
  const constraint = value.constraint;
  if (
    !isObject(constraint) ||
    !(
      (constraint.mode === 'latency' && typeof constraint.sloSeconds === 'number') ||
      (constraint.mode === 'cost' && typeof constraint.budgetUsdPerRequest === 'number')
    )
  ) {
    fail(
      source,
      'constraint',
      'must be {"mode":"latency","sloSeconds":s} or {"mode":"cost","budgetUsdPerRequest":usd}',
    );
  }
  let configuration: ConfigurationDocument | undefined;
  if (value.configuration !== undefined) {
    configuration = parseConfigurationDocument(value.configuration, `${source} configuration`);
  }
  const classCount = configuration?.classUpperEdges.length;
  if (!Array.isArray(value.windows) || value.windows.length === 0) {
    fail(source, 'windows', 'must be a non-empty array');
  }
  const rootFrontier = frontierAt(value);
  const windows = value.windows.map((window: unknown, index: number): SolveWindowDocument => {
    const path = `windows[${index}]`;
    if (!isObject(window)) fail(source, path, 'must be an object');
    const solution = solutionAt(source, window.solution, `${path}.solution`, classCount);
    const baselines = Array.isArray(window.baselines)
      ? window.baselines.map(
          (baseline: unknown, at: number): SolveBaselineDocument => ({
            ...solutionAt(source, baseline, `${path}.baselines[${at}]`, classCount),
            name: String((baseline as JsonObject).name ?? `baseline ${at}`),
          }),
        )
      : [];
    let model: ModelCurvesDocument | undefined;
    if (window.model !== undefined) {
      const parsed = modelAt(window.model, solution.system.buffers.length);
      if (typeof parsed === 'string') {
        problems.push(`${source}: ${path}.model ${parsed}; the model curves are left out`);
      } else {
        model = parsed;
      }
    }
    const frontier = frontierAt(window) ?? (index === 0 ? rootFrontier : undefined);
    return {
      startSeconds: finiteAt(source, window, 'startSeconds', path),
      endSeconds: finiteAt(source, window, 'endSeconds', path),
      ...(typeof window.arrivals === 'number' ? { arrivals: window.arrivals } : {}),
      solution,
      baselines,
      ...(model === undefined ? {} : { model }),
      ...(frontier === undefined ? {} : { frontier }),
    };
  });
  return {
    document: {
      ...(typeof value.workload === 'string' ? { workload: value.workload } : {}),
      ...(typeof value.profile === 'string' ? { profile: value.profile } : {}),
      ...(typeof value.pricing === 'string' ? { pricing: value.pricing } : {}),
      percentile,
      constraint: constraint as unknown as SolveDocument['constraint'],
      perSize: value.perSize === true,
      windows,
      ...(configuration === undefined ? {} : { configuration }),
    },
    problems,
  };
}
