import type { RunServiceTime } from '@mbs/logs';

/** A relative error as `+12.3 %`; `n/a` when not finite. */
export const signedPercent = (share: number) =>
  Number.isFinite(share) ? `${share >= 0 ? '+' : ''}${(share * 100).toFixed(1)} %` : 'n/a';

/** Beyond this share a part of a cost error gets a hint that says what fixes it. */
const HINT_SHARE = 0.1;

/**
 * The lines that split a cost error in three factors that multiply to it: batches (the run's
 * batches priced at the profile's service times against the prediction: batch sizes and classes,
 * the arrival side of the model), service time (the warm invocations as billed against the
 * profile's times: the functions ran slower or faster than profiled) and cold starts (init phases
 * and first runs, which the model does not have). Hints follow a large service-time or cold part.
 *
 * @example
 * ```ts
 * costSplitLines(summary.serviceTime, 2.165e-7, 3.776e-7);
 * // ['cost per request +74.4 % = batches -0.5 % (...) x service time +75.3 % (...) x cold starts +0.0 % (...)', ...]
 * ```
 */
export function costSplitLines(
  serviceTime: RunServiceTime,
  predictedUsd: number,
  measuredUsd: number,
): string[] {
  const atProfile = serviceTime.costPerRequestAtProfileUsd;
  const warmAsBilled = serviceTime.costPerRequestWarmAsBilledUsd;
  if (!(predictedUsd > 0 && atProfile > 0 && warmAsBilled > 0 && serviceTime.invocations > 0)) {
    return [];
  }
  const batches = atProfile / predictedUsd - 1;
  const service = warmAsBilled / atProfile - 1;
  const cold = measuredUsd / warmAsBilled - 1;
  const ratio = serviceTime.durationRatio;
  const lines = [
    `cost per request ${signedPercent(measuredUsd / predictedUsd - 1)} = batches ${signedPercent(batches)} (the run's ${serviceTime.invocations} invocations priced at the profile's service times) x service time ${signedPercent(service)} (warm Durations averaged ${serviceTime.measuredMeanMs.toFixed(1)} ms, ${ratio.toFixed(2)}x the profile's ${serviceTime.profileMeanMs.toFixed(1)} ms for the same batches) x cold starts ${signedPercent(cold)} (${serviceTime.coldStarts} cold, which the model does not have)`,
  ];
  if (serviceTime.uncovered > 0) {
    lines.push(
      `  (${serviceTime.uncovered} invocations left out of the split: their batch size or class is outside the profile)`,
    );
  }
  if (Math.abs(service) > HINT_SHARE) {
    const { overlapped, alone } = serviceTime;
    const times = (kind: typeof alone) =>
      `${(kind.measuredMeanMs / kind.profileMeanMs).toFixed(2)}x the profile's`;
    lines.push(
      `  the warm functions ran ${ratio.toFixed(2)}x ${ratio > 1 ? 'slower' : 'faster'} than profiled (a machine under another load, another package): profile them again under the run's conditions (mbs profile ... --out measured.json, then mbs solve --profile measured.json)`,
      ...(overlapped.invocations > 0 && alone.invocations > 0
        ? [
            `  ${overlapped.invocations} of the warm invocations ran while another batch of the run was in flight: ${times(overlapped)}; the ${alone.invocations} that ran alone: ${times(alone)} (on one host, as on the emulator, concurrent invocations share its cores; on Lambda they do not, nor in the model)`,
          ]
        : []),
    );
  }
  if (cold > HINT_SHARE) {
    lines.push(
      `  cold starts: warm the functions up before the run (a first mbs run with --limit), and keep them warm (an idle emulator or Lambda reclaims instances)`,
    );
  }
  return lines;
}
