import { errors } from './errors.js';

/**
 * Largest dip in service time from one batch size to the next that is read as measurement noise,
 * relative to the time of the smaller batch. Lambda timings vary by a few percent from run to run
 * (the published DeepSpeech profile dips by at most 0.84 %, at 4 of its 19,800 entries); a batch
 * of B + 1 requests that runs 5 % faster than one of B is a broken measurement or a mislabelled
 * table, and a model fed with it would recommend the dip.
 */
export const BATCH_SIZE_DIP_TOLERANCE = 0.05;

/** Where one row of a profile sits, for messages. */
export interface ProfileRowPlace {
  readonly source: string;
  readonly memoryMb: number;
  readonly classId: number;
}

/**
 * Makes one row of service times (batch sizes 1..n, in any unit) non-decreasing in batch size, in
 * place: a dip within {@link BATCH_SIZE_DIP_TOLERANCE} is raised to the time before it (the
 * monotone envelope, so a noisy dip is never recommended), and counted; a larger dip is refused
 * with PROFILE_INVALID naming the memory, class, batch sizes and times.
 *
 * @returns the number of entries raised, and the largest relative dip raised
 */
export function raiseToBatchSizeEnvelope(
  times: Float64Array,
  offset: number,
  length: number,
  place: ProfileRowPlace,
  unit: { readonly toMilliseconds: number },
): { raised: number; largestDip: number } {
  let raised = 0;
  let largestDip = 0;
  for (let batch = 1; batch < length; batch++) {
    const before = times[offset + batch - 1]!;
    const now = times[offset + batch]!;
    if (now >= before) continue;
    const dip = (before - now) / before;
    if (dip > BATCH_SIZE_DIP_TOLERANCE) {
      const ms = (value: number) => Number((value * unit.toMilliseconds).toPrecision(6));
      throw errors.error(
        'PROFILE_INVALID',
        `${place.source}: service_time["${place.memoryMb}"][${place.classId}] (memory ${place.memoryMb} MB, class ${place.classId}) is not monotone in batch size: batch ${batch + 1} takes ${ms(now)} ms, ${(dip * 100).toFixed(1)} % less than batch ${batch} (${ms(before)} ms); a larger batch must not be faster by more than ${BATCH_SIZE_DIP_TOLERANCE * 100} % (measurement noise)`,
        {
          details: {
            source: place.source,
            memoryMb: place.memoryMb,
            classId: place.classId,
            batchSize: batch + 1,
          },
        },
      );
    }
    times[offset + batch] = before;
    raised++;
    largestDip = Math.max(largestDip, dip);
  }
  return { raised, largestDip };
}
