import { formatSeconds, formatUsd } from '@mbs/core';
import type {
  FitErrorSummary,
  MeasuredProfileDocument,
  PlanCost,
  ProfilePlan,
  RepetitionRule,
  RetryRecord,
  WorkResponse,
} from '@mbs/profiles';
import { formatTable } from '../table.js';

// The text `mbs profile` prints: the plan before it runs, and the profile after.

/** What the plan summary shows. */
export interface ProfilePlanSummary {
  readonly provider: string;
  readonly model: string;
  readonly code: string;
  /** Function of each memory. */
  readonly functions: readonly { readonly memoryMb: number; readonly functionName: string }[];
  readonly classes: {
    readonly source: string;
    readonly upperEdges: readonly number[];
    readonly representativeSizes: readonly number[];
    /** Size actually sent per class (rounded and clamped to the model's lengths). */
    readonly sentSizes: readonly number[];
  };
  readonly plan: ProfilePlan;
  readonly gridPoints: number;
  readonly alreadyMeasured: number;
  readonly rule: RepetitionRule;
  readonly warmUpInvocations: number;
  /** Pause before each invocation, in ms. */
  readonly gapMs: number;
  readonly concurrency: number;
  /** Functions each of the `concurrency` measurers takes in turn. */
  readonly interleave: number;
  readonly largestPayloadBytes: number;
  readonly cost: PlanCost;
  readonly pricing: string;
  /** What the expected durations of the estimate come from. */
  readonly prior: string;
  readonly out: string;
  readonly log: string;
}

const percent = (value: number) => `${(value * 100).toFixed(1)} %`;
const range = (low: string, high: string) => (low === high ? low : `${low}..${high}`);

/** The plan, the invocation count and the estimated price, as text. */
export function formatPlan(summary: ProfilePlanSummary): string {
  const { plan, classes, rule, cost } = summary;
  const { memoriesMb, batchSizes } = plan.grid;
  const clamped = classes.sentSizes.flatMap((size, index) =>
    size === classes.representativeSizes[index]
      ? []
      : [`class ${index} ${classes.representativeSizes[index]} -> ${size}`],
  );
  const lines = [
    `Profile plan: model ${summary.model} (${summary.code}) on ${summary.provider}`,
    `  classes   ${classes.sentSizes.length} from ${classes.source}; sizes sent ${classes.sentSizes.join(', ')}${clamped.length > 0 ? ` (fitted to the model: ${clamped.join(', ')})` : ''}`,
    `  memories  ${memoriesMb.join(', ')} MB; batch sizes ${batchSizes.join(', ')} (table: batch 1..${batchSizes.at(-1)})`,
    plan.full
      ? `  points    all ${plan.points.length} of the grid (--full)`
      : `  points    ${plan.points.length} of the grid's ${summary.gridPoints}: every class at 3 batch sizes and every batch size at 3 classes at ${plan.referenceMemoriesMb.join(', ')} MB, corners and centre elsewhere`,
    `  repeats   ${rule.minRepetitions}..${rule.maxRepetitions} per point, until the ${percent(rule.confidence)} interval of the (20 % trimmed) mean is within ${percent(rule.relativeWidth)} of it; ${summary.warmUpInvocations} warm-up per point and every cold start discarded`,
    `  functions ${summary.functions.length === 1 ? summary.functions[0]!.functionName : `${summary.functions[0]!.functionName} .. ${summary.functions.at(-1)!.functionName}`}: one invocation in flight per function, ${summary.concurrency} function(s) at a time${summary.interleave > 1 ? `, ${summary.interleave} in turn (an invocation of each after another)` : ''}${summary.gapMs > 0 ? `, ${summary.gapMs} ms pause before each` : ''}`,
    `  invocations ${range(String(cost.invocations.min), String(cost.invocations.max))}${summary.alreadyMeasured > 0 ? ` (${summary.alreadyMeasured} points already measured in ${summary.log})` : ''}; largest request ${(summary.largestPayloadBytes / 1024).toFixed(0)} KB`,
    `  estimated AWS price (${summary.pricing}): ${range(formatUsd(cost.priceUsd.min), formatUsd(cost.priceUsd.max))} for ${range(formatSeconds(cost.durationSeconds.min), formatSeconds(cost.durationSeconds.max))} of function time (durations from ${summary.prior})`,
    `  writes    ${summary.out} (measurements as they come: ${summary.log})`,
    '',
  ];
  return lines.join('\n');
}

function describeErrors(label: string, summary: FitErrorSummary): string {
  return `${label} over ${summary.count} point(s): |relative error| median ${percent(summary.medianAbs)}, p90 ${percent(summary.p90Abs)}, max ${percent(summary.maxAbs)}; ${summary.within10Percent} of ${summary.count} within 10 % (${summary.within10PercentOrInterval} within 10 % or the point's confidence interval)`;
}

/** Retries by error code, e.g. `THROTTLED 12`. */
export function describeRetries(retries: readonly RetryRecord[]): string {
  if (retries.length === 0) return 'no invocation was refused';
  const byCode = new Map<string, number>();
  for (const retry of retries) byCode.set(retry.code, (byCode.get(retry.code) ?? 0) + 1);
  const longest = Math.max(...retries.map((retry) => retry.delayMs));
  return `${retries.length} refused invocation(s) retried with backoff (${[...byCode].map(([code, count]) => `${code} ${count}`).join(', ')}; longest wait ${formatSeconds(longest / 1000)})`;
}

/** The measured profile, as text. */

/** f as the report prints it: the identity, or f(w) / w at its knots. */
function describeResponse(response: WorkResponse): string {
  const identity = response.values.every(
    (value, index) => Math.abs(value / response.works[index]! - 1) < 1e-6,
  );
  if (identity) return 'work response f(w) = w (no curve fits clearly better)';
  const knots = response.works
    .map((work, index) => `${Math.round(work)}: ${(response.values[index]! / work).toFixed(2)}`)
    .join(', ');
  return `work response f(w) / w at its knots (w: ratio): ${knots}`;
}

export function formatProfile(
  document: MeasuredProfileDocument,
  details: {
    readonly out: string;
    readonly log: string;
    readonly elapsedSeconds: number;
    readonly invocations: number;
    readonly retries: readonly RetryRecord[];
  },
): string {
  const { measurement } = document;
  const init = new Map(measurement.initDurationMs.map((entry) => [entry.memoryMb, entry]));
  const rows = measurement.law.memories.map((memory) => {
    const points = measurement.points.filter((point) => point.memoryMb === memory.memoryMb);
    return { memory, points, init: init.get(memory.memoryMb) };
  });
  const table = formatTable(rows, [
    { header: 'memory MB', value: (row) => String(row.memory.memoryMb), align: 'right' },
    { header: 'a_M ms', value: (row) => row.memory.perInvocationMs.toFixed(3), align: 'right' },
    {
      header: 'b_M µs/unit',
      value: (row) => (row.memory.perWorkUnitMs * 1000).toPrecision(4),
      align: 'right',
    },
    { header: 'k_M', value: (row) => row.memory.exponent.toFixed(3), align: 'right' },
    {
      header: 'init ms',
      value: (row) =>
        row.init === undefined ? '-' : `${row.init.meanMs.toFixed(0)} (${row.init.count})`,
      align: 'right',
    },
    { header: 'points', value: (row) => String(row.points.length), align: 'right' },
    {
      header: 'CI met',
      value: (row) =>
        `${row.points.filter((point) => point.stop === 'confidence').length}/${row.points.length}`,
      align: 'right',
    },
    {
      header: 'max |error|',
      value: (row) =>
        percent(
          Math.max(
            0,
            ...row.points.filter((p) => p.role === 'fit').map((p) => Math.abs(p.relativeError)),
          ),
        ),
      align: 'right',
    },
  ]);
  const work = measurement.law.classWork
    .map((w, index) => `${(w / measurement.classes.sizes[index]!).toFixed(3)}`)
    .join(', ');
  const lines = [
    `Wrote ${details.out}: ${measurement.memoriesMb.length} memories x ${measurement.classes.sizes.length} classes x batch 1..${measurement.batchSizes.at(-1)} from ${measurement.points.length} measured points (${details.invocations} invocations in ${formatSeconds(details.elapsedSeconds)} this run; measurements in ${details.log})`,
    `  law ${measurement.law.formula}; w_c / size per class: ${work}`,
    `  ${describeResponse(measurement.law.response)}`,
    '',
    table,
    `  ${describeErrors('fit', measurement.fitError.fit)}`,
    ...(measurement.fitError.heldOut === undefined
      ? []
      : [`  ${describeErrors('held out (measured, not fitted)', measurement.fitError.heldOut)}`]),
    `  ${describeRetries(details.retries)}`,
    '',
  ];
  return lines.join('\n');
}
