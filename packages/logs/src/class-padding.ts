import type { RequestRecord } from '@mbs/core';
import { errors } from './errors.js';

/** Padding of a run's batches measured by class, as `@mbs/model` predicts it. */
export interface ClassPadding {
  /** 1 − realElements / paddedElements; NaN when no request was batched. */
  readonly share: number;
  /** Sum over requests of r(class), in representative-size units. */
  readonly realElements: number;
  /** Sum over batches of n × r(largest class in the batch), in representative-size units. */
  readonly paddedElements: number;
  /** Batches seen through the requests' batch ids. */
  readonly batches: number;
}

function representativeSizeOf(
  request: Pick<RequestRecord, 'requestId' | 'classId'>,
  classRepresentativeSizes: readonly number[],
): number {
  const size = Number.isInteger(request.classId)
    ? classRepresentativeSizes[request.classId]
    : undefined;
  if (size === undefined) {
    throw errors.error(
      'OPTION_INVALID',
      `request ${request.requestId}: classId ${request.classId} is not a class of the scheme; classes are 0..${classRepresentativeSizes.length - 1}`,
      { details: { requestId: request.requestId, classId: request.classId } },
    );
  }
  return size;
}

/**
 * Padding share of a run's batches by class, defined exactly as `@mbs/model` defines the
 * predicted `paddingShare` (`bufferCost` per buffer, `evaluateSystem` over buffers): every request
 * of class c counts r(c) input elements, where r is the class's representative size, and a batch
 * of n requests whose largest class is L is padded to n × r(L) elements. The share is
 * 1 − Σ_requests r(c) / Σ_batches n × r(L): a ratio of totals over the whole run, so a batch
 * weighs by its padded elements, as the model weighs each buffer by its rate of padded elements.
 * Requests are grouped into batches by `batchId`; a failed request still counts, since its input
 * was sent. Real request sizes play no part: two requests of one class pad to nothing, however
 * much their sizes differ.
 *
 * @param requests the run's request records (class and batch id of each)
 * @param classRepresentativeSizes size each class pads to, by class id (finite, > 0)
 * @example
 * ```ts
 * // One batch: classes 0 and 1 with representative sizes 100 and 1000.
 * classPadding(requests, [100, 1000]).share; // 1 - (100 + 1000) / (2 x 1000) = 0.45
 * ```
 */
export function classPadding(
  requests: readonly Pick<RequestRecord, 'requestId' | 'classId' | 'batchId'>[],
  classRepresentativeSizes: readonly number[],
): ClassPadding {
  classRepresentativeSizes.forEach((size, classId) => {
    if (!Number.isFinite(size) || size <= 0) {
      throw errors.error(
        'OPTION_INVALID',
        `option classRepresentativeSizes[${classId}]: got ${size}; each must be a finite size > 0`,
        { details: { option: 'classRepresentativeSizes', classId, value: size } },
      );
    }
  });
  // Per batch: its number of requests and its largest class.
  const batches = new Map<string, { count: number; largestClass: number }>();
  let realElements = 0;
  for (const request of requests) {
    realElements += representativeSizeOf(request, classRepresentativeSizes);
    const batch = batches.get(request.batchId);
    if (batch === undefined) {
      batches.set(request.batchId, { count: 1, largestClass: request.classId });
    } else {
      batch.count++;
      batch.largestClass = Math.max(batch.largestClass, request.classId);
    }
  }
  let paddedElements = 0;
  for (const batch of batches.values()) {
    // The model pads to r(largest class id), not to the largest r: the same for the ascending
    // sizes every class scheme has, and kept literal so the two cannot drift apart.
    paddedElements += batch.count * classRepresentativeSizes[batch.largestClass]!;
  }
  return {
    share: paddedElements > 0 ? 1 - realElements / paddedElements : Number.NaN,
    realElements,
    paddedElements,
    batches: batches.size,
  };
}
