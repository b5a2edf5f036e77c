import { storedZip } from './stored-zip.js';

/**
 * A test function that answers the MBS batch protocol and spends a known time per batch: it
 * pads the batch to the upper edge of its largest request's class and sleeps
 * `baseMs + msPerPaddedUnit x batch size x padded size`, so a model can be given the exact
 * service-time law. Sleeping (not spinning) keeps this 2-core machine free for the emulator.
 */
export interface BatchHandlerTiming {
  readonly classUpperEdges: readonly number[];
  readonly baseMs: number;
  readonly msPerPaddedUnit: number;
}

/** The handler's service time in milliseconds for a batch, as the handler computes it. */
export function batchServiceMs(
  timing: BatchHandlerTiming,
  largestClass: number,
  batchSize: number,
): number {
  const edge = timing.classUpperEdges[largestClass] ?? timing.classUpperEdges.at(-1)!;
  return timing.baseMs + timing.msPerPaddedUnit * batchSize * edge;
}

/** The source of index.js: `exports.handler` answering `{ results: [{ id, ok, output }] }`. */
export function batchHandlerSource(timing: BatchHandlerTiming): string {
  return `const EDGES = ${JSON.stringify(timing.classUpperEdges)};
const BASE_MS = ${timing.baseMs};
const MS_PER_PADDED_UNIT = ${timing.msPerPaddedUnit};
function classOf(size) {
  for (let index = 0; index < EDGES.length; index++) if (size <= EDGES[index]) return index;
  return EDGES.length - 1;
}
exports.handler = async (event) => {
  let largest = 0;
  for (const request of event.requests) largest = Math.max(largest, classOf(request.input.size));
  const serviceMs = BASE_MS + MS_PER_PADDED_UNIT * event.requests.length * EDGES[largest];
  await new Promise((resolve) => setTimeout(resolve, serviceMs));
  return {
    results: event.requests.map((request) => ({
      id: request.id,
      ok: true,
      output: { size: request.input.size, classId: classOf(request.input.size), paddedTo: EDGES[largest] },
    })),
  };
};
`;
}

/** A deployment zip holding the batch handler as index.js. */
export function batchHandlerZip(timing: BatchHandlerTiming): Uint8Array {
  return storedZip({ 'index.js': batchHandlerSource(timing) });
}
