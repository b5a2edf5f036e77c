// The front door the benchmark measures, in its own process: `mbs serve`'s server over an
// in-process function (so only the front door and the batcher run here). Prints its URL.
import { createFunctionProvider } from '@mbs/batcher';
import { createMbsServer } from '../src/index.js';
import { BENCH_CONFIGURATION, benchFunction } from './bench-setup.js';

const server = createMbsServer({
  config: BENCH_CONFIGURATION,
  provider: createFunctionProvider(benchFunction),
  limits: { maxQueuedPerBuffer: 100_000, maxInFlightRequests: 100_000 },
});
const url = await server.listen({ port: 0 });
console.log(JSON.stringify({ url }));
process.once('SIGTERM', () => {
  void server.close().then(() => process.exit(0));
});
