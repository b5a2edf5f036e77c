// The command tests import their io from here, one place for the whole CLI; the helper itself
// lives in @mbs/test-utils so the root cross-package tests share the same one.
export { type CapturedIo, captureIo } from '@mbs/test-utils';

/**
 * `mbs solve` options for a small search grid: keeps each solve in a test around a second; the
 * default grid is exercised by the benchmark.
 */
export const SMALL_SOLVE_GRID: readonly string[] = [
  '--max-batch-size',
  '8',
  '--timeout-steps',
  '5',
  '--memories',
  '512,1024,2048',
  '--split-shares',
  'none',
];

/** The time law of {@link sleepingTokenHandlerZip}, in milliseconds on one vCPU. */
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
 * A deployment zip that stands in for the packaged ONNX handler in tests of `mbs profile`: it
 * holds the default model's descriptor (`model-descriptor.json`) and an `index.js` that answers
 * a batch of token tensors after sleeping {@link sleepingHandlerMs}, so the service-time law is
 * known exactly and a loaded machine disturbs it little (sleeping uses no CPU). Requests without
 * `dims` are refused as the real handler would.
 */
export async function sleepingTokenHandlerZip(
  law: SleepingHandlerLaw,
  options: { readonly descriptor?: boolean } = {},
): Promise<Uint8Array> {
  const [{ strToU8, zipSync }, { DEFAULT_MODEL_DESCRIPTOR }] = await Promise.all([
    import('fflate'),
    import('@mbs/handler'),
  ]);
  const source = `exports.handler = async (event) => {
  let longest = 0;
  for (const request of event.requests) longest = Math.max(longest, request.input.dims ? request.input.dims[0] : 0);
  const ms = ${law.baseMs} + ${law.msPerPaddedToken} * event.requests.length * longest;
  await new Promise((resolve) => setTimeout(resolve, ms));
  return {
    results: event.requests.map((request) =>
      request.input.dims
        ? { id: request.id, ok: true, output: { dims: [1], data: [longest] } }
        : { id: request.id, ok: false, error: { code: 'EVENT_INVALID', message: 'input.dims is missing' } },
    ),
  };
};
`;
  const files: Record<string, Uint8Array> = { 'index.js': strToU8(source) };
  if (options.descriptor !== false) {
    files['model-descriptor.json'] = strToU8(JSON.stringify(DEFAULT_MODEL_DESCRIPTOR));
  }
  return zipSync(files);
}
