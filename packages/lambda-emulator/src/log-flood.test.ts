import { DescribeLogGroupsCommand, FilterLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { CreateFunctionCommand, InvokeCommand } from '@aws-sdk/client-lambda';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { DEFAULT_LOG_RETENTION_BYTES } from './options.js';
import { type EmulatorProcess, startEmulatorProcess } from './testing/emulator-process.js';
import { PROC_AVAILABLE, residentMemoryMb } from './testing/processes.js';
import { sdkClients } from './testing/sdk-clients.js';
import { testFunctionsZip } from './testing/test-functions.js';

// `npm run soak`: 600 calls of 1 MB under the default retention (128 MiB); `npm test`: 40 calls
// under a 2 MiB budget.
const SOAK = process.env.MBS_EMULATOR_SOAK === '1';
const CALLS = SOAK ? 600 : 40;
const MAX_BYTES = SOAK ? DEFAULT_LOG_RETENTION_BYTES : 2_097_152;
const LINE_BYTES = 1_048_576;
vi.setConfig({ testTimeout: SOAK ? 900_000 : 120_000, hookTimeout: 60_000 });

describe.runIf(PROC_AVAILABLE)('a function that floods its log', () => {
  let emulator: EmulatorProcess;
  let clients: ReturnType<typeof sdkClients>;

  beforeAll(async () => {
    emulator = await startEmulatorProcess({ logRetention: { maxBytes: MAX_BYTES } });
    clients = sdkClients(emulator.url);
    await clients.lambda.send(
      new CreateFunctionCommand({
        FunctionName: 'loud',
        Role: 'arn:aws:iam::123456789012:role/r',
        Runtime: 'nodejs20.x',
        Handler: 'index.logBytes',
        MemorySize: 1769,
        Code: { ZipFile: testFunctionsZip() },
      }),
    );
  });
  afterAll(async () => {
    clients?.lambda.destroy();
    clients?.logs.destroy();
    await emulator?.stop();
  });

  it(`keeps logs within the retention budget over ${CALLS} calls logging 1 MB each`, async () => {
    const payload = Buffer.from(JSON.stringify({ bytes: LINE_BYTES }));
    await clients.lambda.send(new InvokeCommand({ FunctionName: 'loud', Payload: payload }));
    const before = residentMemoryMb(emulator.pid)!;
    let lastRequestId = '';
    for (let call = 0; call < CALLS; call++) {
      const output = await clients.lambda.send(
        new InvokeCommand({ FunctionName: 'loud', Payload: payload }),
      );
      expect(output.FunctionError).toBeUndefined();
      lastRequestId = output.$metadata.requestId!;
    }
    const after = residentMemoryMb(emulator.pid)!;
    const groups = await clients.logs.send(new DescribeLogGroupsCommand({}));
    const storedBytes = groups.logGroups?.[0]?.storedBytes ?? 0;
    console.log(
      `${CALLS} calls x 1 MB: stored ${(storedBytes / 1_048_576).toFixed(1)} MiB of logs (budget ${(MAX_BYTES / 1_048_576).toFixed(0)} MiB), emulator RSS ${before.toFixed(0)} -> ${after.toFixed(0)} MB`,
    );
    expect(storedBytes).toBeLessThanOrEqual(MAX_BYTES);
    expect(storedBytes).toBeGreaterThan(MAX_BYTES / 2);
    // The newest invocation's lines are kept (the oldest went first).
    const report = await clients.logs.send(
      new FilterLogEventsCommand({
        logGroupName: '/aws/lambda/loud',
        filterPattern: `"REPORT RequestId: ${lastRequestId}"`,
      }),
    );
    expect(report.events).toHaveLength(1);
    expect(after - before).toBeLessThan(SOAK ? 400 : 150);
  });
});
