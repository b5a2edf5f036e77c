/**
 * Emulator overhead per invocation of a no-op batch function: the emulator called in this
 * process (handler in this thread, zip code in a child process, zip code in a worker thread) and
 * the HTTP server through the real AWS SDK, against calling the handler directly in the same run.
 *
 * Run: npm run bench -w @mbs/lambda-emulator
 */
import { InvokeCommand } from '@aws-sdk/client-lambda';
import type { BatchEvent } from '@mbs/core';
import { type BenchResult, measure, printBenchTable } from '@mbs/test-utils';
import { createEmulator, type Emulator } from '../src/emulator.js';
import { startEmulatorServer } from '../src/server.js';
import { sdkClients } from '../src/testing/sdk-clients.js';
import { testFunctionsZip } from '../src/testing/test-functions.js';

const INVOCATIONS_PER_RUN = 100;
const event: BatchEvent = { batchId: 'bench', requests: [{ id: 'r1', input: 1 }] };
const noop = async (input: unknown) => ({
  results: (input as BatchEvent).requests.map((request) => ({
    id: request.id,
    ok: true,
    output: null,
  })),
});
const options = { warmup: 2, runs: 15, unitsPerRun: INVOCATIONS_PER_RUN };

async function repeat(invoke: () => Promise<unknown>): Promise<void> {
  for (let index = 0; index < INVOCATIONS_PER_RUN; index++) await invoke();
}

const zipFile = testFunctionsZip();
const deploy = { memoryMb: 1769, timeoutSeconds: 3, runtime: 'nodejs20.x' };
const encoder = new TextEncoder();
const results: BenchResult[] = [];

/** Deploys the no-op function twice: as a handler in this thread and as zip code. */
function deployBoth(emulator: Emulator): void {
  emulator.createFunction({
    functionName: 'in-process',
    ...deploy,
    code: { inProcess: { handler: noop } },
  });
  emulator.createFunction({
    functionName: 'zip',
    ...deploy,
    code: { zipFile },
    handler: 'index.batch',
  });
}

/** One invocation as a caller in this process makes it: the event encoded each time. */
const invokeEmulator = (emulator: Emulator, functionName: string) =>
  emulator.invoke(functionName, encoder.encode(JSON.stringify(event)));

results.push(
  await measure(
    'direct handler call',
    () => repeat(() => noop(JSON.parse(JSON.stringify(event)))),
    options,
  ),
);

for (const isolation of ['process', 'thread'] as const) {
  const emulator = createEmulator({ isolation });
  deployBoth(emulator);
  if (isolation === 'process') {
    results.push(
      await measure(
        'emulator, in-process handler',
        () => repeat(() => invokeEmulator(emulator, 'in-process')),
        options,
      ),
    );
  }
  results.push(
    await measure(
      `emulator, zip in ${isolation === 'process' ? 'child process' : 'worker thread'}`,
      () => repeat(() => invokeEmulator(emulator, 'zip')),
      options,
    ),
  );
  await emulator.dispose();
}

const server = await startEmulatorServer({ port: 0 });
deployBoth(server.emulator);
const { lambda } = sdkClients(server.url);
const payload = new TextEncoder().encode(JSON.stringify(event));
for (const functionName of ['in-process', 'zip']) {
  results.push(
    await measure(
      `HTTP + SDK Invoke, ${functionName === 'zip' ? 'zip in child process' : 'in-process handler'}`,
      () =>
        repeat(() =>
          lambda.send(new InvokeCommand({ FunctionName: functionName, Payload: payload })),
        ),
      options,
    ),
  );
}
lambda.destroy();
await server.close();

printBenchTable(
  `Emulator overhead: ${INVOCATIONS_PER_RUN} sequential warm invocations per run (ms per run; divide by ${INVOCATIONS_PER_RUN} for one)`,
  results,
  'direct handler call',
);
for (const result of results) {
  console.log(
    `${result.name}: ${((result.medianMs / INVOCATIONS_PER_RUN) * 1000).toFixed(1)} µs per invocation (median; p10 ${((result.p10Ms / INVOCATIONS_PER_RUN) * 1000).toFixed(1)}, p90 ${((result.p90Ms / INVOCATIONS_PER_RUN) * 1000).toFixed(1)})`,
  );
}
