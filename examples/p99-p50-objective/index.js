import { MbsError } from '@mbs/core';

function invalid(option, value, accepted) {
  return new MbsError(
    'OPTION_INVALID',
    `[p99-p50] option ${option} is ${JSON.stringify(value)}; ${accepted}`,
    {
      details: { option, value },
    },
  );
}

/**
 * An objective (default name `p99-p50`): the cheapest mean cost per request whose latency
 * percentiles are each within their limit, e.g. `{ 0.99: 3, 0.5: 0.5 }` (p99 <= 3 s and p50 <=
 * 0.5 s). With `perClass`, every class with requests must meet the limits on its own latency.
 */
export function createPercentilesObjective(options) {
  const { limits, perClass = false, name = 'p99-p50', ...rest } = options ?? {};
  if (Object.keys(rest).length > 0)
    throw invalid(Object.keys(rest)[0], 'unknown', 'accepted: limits, perClass, name');
  const entries = Object.entries(limits ?? {}).map(([percentile, seconds]) => [
    Number(percentile),
    seconds,
  ]);
  if (entries.length === 0)
    throw invalid('limits', limits, 'give { percentile: seconds }, e.g. { 0.99: 3, 0.5: 0.5 }');
  for (const [percentile, seconds] of entries) {
    if (!(percentile > 0 && percentile < 1) || !(Number.isFinite(seconds) && seconds > 0)) {
      throw invalid('limits', limits, 'percentiles in (0, 1), limits in seconds > 0');
    }
  }
  if (typeof perClass !== 'boolean') throw invalid('perClass', perClass, 'true or false');
  // The largest relative excess over every limit (and class): <= 0 when all are met.
  const excessOf = (latency) =>
    Math.max(
      ...entries.map(([percentile, seconds]) => latency.quantileSeconds(percentile) / seconds - 1),
    );
  return {
    specificationVersion: 'v1',
    name,
    description: `Cheapest with ${entries.map(([p, s]) => `p${p * 100} <= ${s} s`).join(' and ')}${perClass ? ' for every class' : ''}`,
    searchPercentiles: () => entries.map(([percentile]) => percentile),
    assess(prediction) {
      let excess = excessOf(prediction.latency);
      if (perClass) {
        prediction.classShares.forEach((share, classId) => {
          const latency = share > 0 ? prediction.classLatency(classId) : undefined;
          if (latency) excess = Math.max(excess, excessOf(latency));
        });
      }
      // An unbounded quantile is the largest violation there is, but must stay finite.
      const violation = Number.isFinite(excess) ? Math.max(0, excess) : Number.MAX_VALUE;
      return { feasible: excess <= 0, score: prediction.costPerRequestUsd, violation };
    },
  };
}
