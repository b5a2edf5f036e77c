import { computeWaitLaw, thinArrivalProcess } from '@mbs/model';
import {
  bufferPercentile,
  type OptimizationProblem,
  type Solution,
  systemFractionWithin,
  systemPercentile,
} from '@mbs/optimizer';
import type { ModelCurvesDocument } from '@mbs/report';

/** Latencies at which the model's CDF is sampled, besides the solution's own percentile. */
export const MODEL_CDF_POINTS = 161;

/** The CDF is drawn up to where the slowest buffer reaches this probability. */
const CDF_EXTENT_PROBABILITY = 0.9999;

/** Quantiles of latency over all requests given exactly, besides the solution's percentile. */
const SYSTEM_QUANTILES = [0.5, 0.9, 0.95, 0.99];

/**
 * Samples the model's CDFs of a solution (as the search evaluated them, so range fits and
 * per-size latency are honoured) on an even grid from 0 to where the slowest buffer reaches
 * 99.99 %, plus the solution's percentile latency; gives p50, p90, p95, p99 of all requests
 * exactly; and computes each buffer's batch-size law from
 * the arrivals the evaluator gave it (the window's MAP thinned to its share, or its range's own
 * MAP with range fits).
 *
 * @example
 * ```ts
 * const curves = modelCurves(problem, report.solution);
 * curves.latencyCdf.system; // P(latency <= x) at curves.latencyCdf.latency
 * ```
 */
export function modelCurves(problem: OptimizationProblem, solution: Solution): ModelCurvesDocument {
  const outcomes = solution.buffers.map((buffer) => buffer.outcome);
  const extents = solution.buffers
    .map(({ outcome, settings }) =>
      outcome.requestShare > 0
        ? bufferPercentile(outcome, CDF_EXTENT_PROBABILITY, settings.timeoutSeconds + 1)
        : 0,
    )
    .filter(Number.isFinite);
  // A percentile the bisection cannot bracket is infinite; the grid then ends at the rest.
  const extent = Math.max(...extents, 1e-3);
  const step = (extent * 1.02) / (MODEL_CDF_POINTS - 1);
  const latency = Array.from({ length: MODEL_CDF_POINTS }, (_, index) => index * step);
  if (Number.isFinite(solution.latencyPercentile)) latency.push(solution.latencyPercentile);
  latency.sort((a, b) => a - b);
  const probability = [...new Set([...SYSTEM_QUANTILES, solution.percentile])].sort(
    (a, b) => a - b,
  );
  return {
    latencyUnit: problem.perSize ? 'seconds per size unit' : 'seconds',
    latencyCdf: {
      latency,
      system: latency.map((x) => systemFractionWithin(outcomes, x)),
      buffers: outcomes.map((outcome) => latency.map((x) => outcome.fractionWithin(x))),
    },
    systemQuantiles: {
      probability,
      latency: probability.map((p) => systemPercentile(outcomes, p, extent)),
    },
    buffers: solution.buffers.map(({ range, settings, outcome }, buffer) => {
      const stream = problem.rangeArrivals
        ? problem.rangeArrivals(range)
        : outcome.requestShare >= 1
          ? problem.map
          : thinArrivalProcess(problem.map, outcome.requestShare);
      const law = computeWaitLaw(stream, settings.batchSize, settings.timeoutSeconds);
      return {
        buffer,
        requestShare: outcome.requestShare,
        batchSizeProbabilities: law.batchSizeProbabilities,
        meanBatchSize: law.meanBatchSize,
        paddingShare: outcome.paddingShare,
        costPerRequestUsd: outcome.costPerRequestUsd,
        invocationsPerSecond: outcome.invocationsPerSecond,
        meanLatencySeconds: outcome.meanLatencySeconds,
      };
    }),
  };
}
