import type { RunServiceTime } from '@mbs/logs';

/** A relative error as `+12.3 %`; `n/a` when not finite. */
export const signedPercent = (share: number) =>
  Number.isFinite(share) ? `${share >= 0 ? '+' : ''}${(share * 100).toFixed(1)} %` : 'n/a';

/** Beyond this share the service-time part of a cost error gets a hint to profile again. */
const SERVICE_TIME_HINT_SHARE = 0.1;

/**
 * The lines that split a cost error in two: the run's batches priced at the profile's service
 * times against the prediction (batch sizes and classes: the arrival side of the model), and the
 * measured cost against those (the functions ran slower or faster than profiled). The two
 * factors multiply to the cost error. With a large service-time part, a hint to measure again.
 *
 * @example
 * ```ts
 * costSplitLines(summary.serviceTime, 2.165e-7, 3.776e-7);
 * // ['cost per request +74.4 % = batches +4.6 % x service time +66.8 % (...)', ...]
 * ```
 */
export function costSplitLines(
  serviceTime: RunServiceTime,
  predictedUsd: number,
  measuredUsd: number,
): string[] {
  const atProfile = serviceTime.costPerRequestAtProfileUsd;
  if (!(predictedUsd > 0 && atProfile > 0 && serviceTime.invocations > 0)) return [];
  const batches = atProfile / predictedUsd - 1;
  const service = measuredUsd / atProfile - 1;
  const ratio = serviceTime.durationRatio;
  const lines = [
    `cost per request ${signedPercent(measuredUsd / predictedUsd - 1)} = batches ${signedPercent(batches)} (the run's ${serviceTime.invocations} invocations priced at the profile's service times) x service time ${signedPercent(service)} (their Durations averaged ${serviceTime.measuredMeanMs.toFixed(1)} ms, ${ratio.toFixed(2)}x the profile's ${serviceTime.profileMeanMs.toFixed(1)} ms for the same batches)`,
  ];
  if (serviceTime.uncovered > 0) {
    lines.push(
      `  (${serviceTime.uncovered} invocations left out of the split: their batch size or class is outside the profile)`,
    );
  }
  if (Math.abs(service) > SERVICE_TIME_HINT_SHARE) {
    lines.push(
      `  the functions ran ${ratio.toFixed(2)}x ${ratio > 1 ? 'slower' : 'faster'} than profiled (a machine under another load, another package, another memory behaviour): profile them again under the run's conditions (mbs profile ... --out measured.json, then mbs solve --profile measured.json)`,
    );
  }
  return lines;
}
