/** File name of the serve document in a records directory (beside requests.jsonl, batches.jsonl). */
export const SERVE_DOCUMENT_FILE = 'serve.json';

/**
 * What `mbs serve --records DIR` writes beside the records when it stops: the period served
 * (the window for `mbs logs collect --since/--until`) and the counts.
 */
export interface ServeDocument {
  readonly schema: 'mbs.serve';
  readonly version: 1;
  readonly url: string;
  readonly configPath: string;
  readonly provider: string;
  readonly endpoint?: string;
  readonly prefix: string;
  readonly pricing: string;
  readonly ownedBuffers?: readonly number[];
  /** Wall-clock start in epoch milliseconds; record times are seconds after it. */
  readonly startEpochMs: number;
  readonly endEpochMs: number;
  readonly reloads: number;
  readonly counts: {
    /** Inference requests answered, by HTTP status. */
    readonly answeredByStatus: Readonly<Record<string, number>>;
    /** Requests that reached a buffer (the batcher's counts from here on). */
    readonly submitted: number;
    readonly resolved: number;
    readonly rejected: number;
    readonly cancelled: number;
    readonly requestRecords: number;
    readonly batchRecords: number;
  };
}
