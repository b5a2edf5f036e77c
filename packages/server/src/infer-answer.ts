import type { RequestRecord } from '@mbs/core';

/** What `POST /v1/infer` answers with 200: the request's output and where and when it was served. */
export interface InferAnswer {
  /** The id the server gave the request (in its request record and the function's event). */
  readonly id: string;
  /** The function's output for this request. */
  readonly output: unknown;
  readonly classId: number;
  readonly buffer: number;
  readonly batchId: string;
  readonly batchSize: number;
  /** Times in seconds on the server's clock (seconds since it started). */
  readonly timings: {
    readonly arrivalSeconds: number;
    /** Arrival to the batch leaving the buffer. */
    readonly waitSeconds: number;
    /** Arrival to the result, in the batcher: the latency the model predicts. */
    readonly latencySeconds: number;
    /** Receipt of the HTTP request to the answer, in the front door. */
    readonly serverSeconds: number;
  };
}

/** The answer of a served request from its record. */
export function inferAnswer(
  output: unknown,
  record: RequestRecord,
  serverSeconds: number,
): InferAnswer {
  return {
    id: record.requestId,
    output,
    classId: record.classId,
    buffer: record.buffer,
    batchId: record.batchId,
    batchSize: record.batchSize,
    timings: {
      arrivalSeconds: record.arrivalSeconds,
      waitSeconds: record.waitSeconds,
      latencySeconds: record.latencySeconds,
      serverSeconds,
    },
  };
}
