import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type BatchHandler, type BatchResponse, createBatchHandler } from './batch-handler.js';
import { locateModel } from './model-location.js';
import { onnxThreads } from './session-threads.js';

// In a deployment package this is the zip's root; in the built package, dist/.
const ENTRY_DIRECTORY = dirname(fileURLToPath(import.meta.url));

let batchHandler: Promise<BatchHandler> | undefined;

/**
 * The Lambda entry (`index.handler` in a deployment package): serves a batch event with the model
 * that {@link locateModel} finds, on as many threads as {@link onnxThreads} says. The model is
 * loaded on the first event, once per instance.
 * Whole-batch problems throw (Lambda reports `{ errorType: code, errorMessage }`); a bad input
 * fails only its own request.
 *
 * @example
 * ```ts
 * const { results, timings } = await handler({ requests: [{ id: 'a', input: { dims: [2], data: [4, 2] } }] });
 * ```
 */
export async function handler(event: unknown, _context?: unknown): Promise<BatchResponse> {
  if (batchHandler === undefined) {
    const created = Promise.resolve().then(() => {
      const located = locateModel(process.env, ENTRY_DIRECTORY);
      const threads = onnxThreads(process.env);
      return createBatchHandler({
        model: located.model,
        descriptor: located.descriptor,
        ...(threads === undefined
          ? {}
          : { sessionOptions: { intraOpNumThreads: threads, interOpNumThreads: 1 } }),
      });
    });
    batchHandler = created;
    // A broken setting is reported on this event and looked up again on the next.
    created.catch(() => {
      if (batchHandler === created) batchHandler = undefined;
    });
  }
  return (await batchHandler).handle(event);
}
