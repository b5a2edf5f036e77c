import { errors } from './errors.js';
import type { OptimizationProblem } from './problem.js';

/**
 * A margin the configuration must keep beyond the SLO, so that a latency distribution with a
 * cliff just past the SLO is not chosen: when a few per cent more requests than the model
 * expects land over the line (a trace burstier than its fit), the percentile would jump.
 */
export interface RobustnessMargin {
  /**
   * Added to the percentile the SLO constrains: 0.01 with p95 means the SLO must hold for p96,
   * so up to 1 % more requests may cross it before p95 does. In [0, 1 - percentile).
   */
  readonly percentileMargin?: number;
  /** Share the SLO is tightened by: 0.05 means the percentile must be within 95 % of the SLO. In [0, 1). */
  readonly latencyMargin?: number;
}

function invalid(option: string, value: unknown, accepted: string): never {
  throw errors.error(
    'OPTION_INVALID',
    `robustness margin ${option} is ${JSON.stringify(value)}; ${accepted}`,
    { details: { option, value } },
  );
}

/** Whether the margin asks for anything (both parts absent or 0: no). */
export function hasRobustnessMargin(margin: RobustnessMargin): boolean {
  return (margin.percentileMargin ?? 0) > 0 || (margin.latencyMargin ?? 0) > 0;
}

/**
 * The problem the search solves to keep a {@link RobustnessMargin}: the percentile raised by the
 * percentile margin and the SLO lowered by the latency margin. Verify the result against the
 * problem as posed (its SLO at its percentile); the price of the margin is the cost of the
 * solution of this problem over the cost of the problem's own.
 *
 * @example
 * ```ts
 * const robust = withRobustnessMargin(problem, { percentileMargin: 0.01 }); // p95 -> p96
 * const solution = await strategy.search(robust);
 * ```
 * @throws MbsError `OPTION_INVALID` for margins out of range, unknown keys, or a margin on a
 *   cost-constrained problem (there is no SLO to keep a margin from).
 */
export function withRobustnessMargin(
  problem: OptimizationProblem,
  margin: RobustnessMargin,
): OptimizationProblem {
  for (const key of Object.keys(margin)) {
    if (key !== 'percentileMargin' && key !== 'latencyMargin') {
      invalid(
        key,
        (margin as Record<string, unknown>)[key],
        'unknown; accepted: percentileMargin, latencyMargin',
      );
    }
  }
  const percentileMargin = margin.percentileMargin ?? 0;
  const latencyMargin = margin.latencyMargin ?? 0;
  if (!(percentileMargin >= 0 && problem.percentile + percentileMargin < 1)) {
    invalid(
      'percentileMargin',
      percentileMargin,
      `give a share >= 0 that keeps the percentile (${problem.percentile}) below 1`,
    );
  }
  if (!(latencyMargin >= 0 && latencyMargin < 1)) {
    invalid('latencyMargin', latencyMargin, 'give a share in [0, 1), e.g. 0.05');
  }
  if (!hasRobustnessMargin(margin)) return problem;
  const { constraint } = problem;
  if (constraint.mode !== 'latency') {
    invalid('mode', constraint.mode, 'a margin needs a latency constraint (an SLO)');
  }
  return {
    ...problem,
    // Rounded so that 0.95 + 0.01 is 0.96, not 0.9600000000000001.
    percentile: Number((problem.percentile + percentileMargin).toPrecision(12)),
    constraint: { mode: 'latency', sloSeconds: constraint.sloSeconds * (1 - latencyMargin) },
  };
}
