import { storedZip } from './stored-zip.js';

/** The time law of {@link sleepingTokenHandlerZip}, in milliseconds at one vCPU. */
export interface SleepingHandlerLaw {
  /** Per invocation. */
  readonly baseMs: number;
  /** Per request per token of the batch's longest request (the batch is padded to it). */
  readonly msPerPaddedToken: number;
}

/** What the sleeping handler sleeps for a batch: baseMs + msPerPaddedToken x batch x longest. */
export function sleepingHandlerMs(
  law: SleepingHandlerLaw,
  batchSize: number,
  longest: number,
): number {
  return law.baseMs + law.msPerPaddedToken * batchSize * longest;
}

/**
 * A deployment zip that stands in for the packaged ONNX handler in tests of `mbs profile` and of
 * the profile -> solve -> run loop: an `index.js` that answers a batch of token tensors
 * (`{ dims: [length], data }`, as `mbs run --input tokens` sends) after sleeping
 * {@link sleepingHandlerMs}, so the service-time law is known exactly and a loaded machine
 * disturbs it little: it sleeps on a timer to about 2 ms before the end and spins the rest,
 * because a timer fires on a whole millisecond after its due time (a 2.08 ms sleep would last
 * 3 ms), which would make the law a staircase at the short times. With `descriptor`, the zip also holds it as
 * `model-descriptor.json`, as `mbs package` writes it. A request without `dims` is refused as
 * the real handler would refuse it. Its clock leaves out the time its thread waited for a host
 * core, as the emulator's Duration does (see `excludeHostWait`).
 *
 * @example
 * ```ts
 * const zip = sleepingTokenHandlerZip({ baseMs: 20, msPerPaddedToken: 0.05 }, DEFAULT_MODEL_DESCRIPTOR);
 * ```
 */
export function sleepingTokenHandlerZip(law: SleepingHandlerLaw, descriptor?: object): Uint8Array {
  const source = `const { readFileSync } = require('node:fs');
// Milliseconds this thread has waited for a host core (Linux schedstat; 0 where unknown). The
// emulator leaves such waits out of Duration, as an instance with its own vCPU would not have
// them, so the handler keeps its law on that clock too: on a busy host it runs longer, not less.
function waitedMs() {
  try {
    return Number(readFileSync('/proc/thread-self/schedstat', 'utf8').split(' ')[1]) / 1e6 || 0;
  } catch {
    return 0;
  }
}
exports.handler = async (event) => {
  let longest = 0;
  for (const request of event.requests) longest = Math.max(longest, request.input.dims ? request.input.dims[0] : 0);
  const ms = ${law.baseMs} + ${law.msPerPaddedToken} * event.requests.length * longest;
  const start = performance.now();
  const waitedAtStart = waitedMs();
  // Timers fire on whole milliseconds, late: sleep to ~2 ms short, then wait out the rest.
  if (ms > 2) await new Promise((resolve) => setTimeout(resolve, Math.floor(ms) - 2));
  while (performance.now() - start - (waitedMs() - waitedAtStart) < ms) {}
  return {
    results: event.requests.map((request) =>
      request.input.dims
        ? { id: request.id, ok: true, output: { dims: [1], data: [longest] } }
        : { id: request.id, ok: false, error: { code: 'EVENT_INVALID', message: 'input.dims is missing' } },
    ),
  };
};
`;
  return storedZip({
    'index.js': source,
    ...(descriptor === undefined ? {} : { 'model-descriptor.json': JSON.stringify(descriptor) }),
  });
}
