import { performance } from 'node:perf_hooks';
import {
  CreateFunctionCommand,
  InvokeCommand,
  PutFunctionConcurrencyCommand,
  RequestTooLargeException,
  TooManyRequestsException,
} from '@aws-sdk/client-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEmulator } from './emulator.js';
import { type EmulatorServer, startEmulatorServer } from './server.js';
import { caught, sdkClients } from './testing/sdk-clients.js';
import { testFunctionsZip } from './testing/test-functions.js';

const encoder = new TextEncoder();
const decoder = new TextDecoder();

let server: EmulatorServer;
let clients: ReturnType<typeof sdkClients>;
// Handlers entered but not yet released, to hold invocations in flight deterministically.
const gate: { entered: number; release: (() => void)[] } = { entered: 0, release: [] };

beforeAll(async () => {
  const emulator = createEmulator({ accountConcurrency: 2 });
  emulator.createFunction({
    functionName: 'held',
    memoryMb: 1769,
    timeoutSeconds: 10,
    code: {
      inProcess: {
        handler: () =>
          new Promise((resolve) => {
            gate.entered++;
            gate.release.push(() => resolve({ released: true }));
          }),
      },
    },
  });
  server = await startEmulatorServer({ port: 0, emulator });
  clients = sdkClients(server.url);
  const zipFile = testFunctionsZip();
  for (const [name, handler, timeout] of [
    ['sleep', 'index.sleep', 1],
    ['big', 'index.big', 3],
    ['size', 'index.size', 3],
    ['exit', 'index.exit', 3],
    ['reserved', 'index.echo', 3],
  ] as const) {
    await clients.lambda.send(
      new CreateFunctionCommand({
        FunctionName: name,
        Role: 'arn:aws:iam::123456789012:role/lambda',
        Runtime: 'nodejs20.x',
        Handler: handler,
        MemorySize: 1769,
        Timeout: timeout,
        Code: { ZipFile: zipFile },
      }),
    );
  }
});
afterAll(async () => {
  clients?.lambda.destroy();
  clients?.logs.destroy();
  await server?.close();
  await server?.emulator.dispose();
});

function invoke(name: string, payload: string | Uint8Array, logType?: 'Tail') {
  return clients.lambda.send(
    new InvokeCommand({
      FunctionName: name,
      Payload: typeof payload === 'string' ? encoder.encode(payload) : payload,
      ...(logType ? { LogType: logType } : {}),
    }),
  );
}

describe('limits and refusals through @aws-sdk/client-lambda', () => {
  it('throttles a function with reserved concurrency 0', async () => {
    // The account limit of this server is 2, so no minimum of 100 applies.
    await clients.lambda.send(
      new PutFunctionConcurrencyCommand({
        FunctionName: 'reserved',
        ReservedConcurrentExecutions: 0,
      }),
    );
    const error = await caught(invoke('reserved', '{"requests":[]}'));
    expect(error).toBeInstanceOf(TooManyRequestsException);
    expect(error).toMatchObject({
      name: 'TooManyRequestsException',
      Reason: 'ReservedFunctionConcurrentInvocationLimitExceeded',
      Type: 'User',
      message: 'Rate Exceeded.',
    });
    expect((error.$metadata as { httpStatusCode: number }).httpStatusCode).toBe(429);
  });

  it('throttles past the account concurrency with ConcurrentInvocationLimitExceeded', async () => {
    const first = invoke('held', '{}');
    const second = invoke('held', '{}');
    while (gate.entered < 2) await new Promise((resolve) => setTimeout(resolve, 5));
    const error = await caught(invoke('held', '{}'));
    expect(error).toBeInstanceOf(TooManyRequestsException);
    expect(error.Reason).toBe('ConcurrentInvocationLimitExceeded');
    for (const release of gate.release.splice(0)) release();
    expect((await first).StatusCode).toBe(200);
    expect(JSON.parse(decoder.decode((await second).Payload))).toEqual({ released: true });
  });

  it('refuses a request over 6,291,456 bytes with 413 and takes one at the limit', async () => {
    const limit = 6_291_456;
    const over = await caught(invoke('size', `"${'x'.repeat(limit - 1)}"`));
    expect(over).toBeInstanceOf(RequestTooLargeException);
    expect(over.message).toBe(
      'Request must be smaller than 6291456 bytes for the InvokeFunction operation',
    );
    expect((over.$metadata as { httpStatusCode: number }).httpStatusCode).toBe(413);
    const atLimit = await invoke('size', `"${'x'.repeat(limit - 2)}"`);
    expect(JSON.parse(decoder.decode(atLimit.Payload))).toEqual({ length: limit });
  });

  it('fails a response over 6,291,556 bytes with Function.ResponseSizeTooLarge', async () => {
    const limit = 6_291_556;
    const atLimit = await invoke('big', JSON.stringify({ bytes: limit - 2 }));
    expect(atLimit.FunctionError).toBeUndefined();
    expect(atLimit.Payload?.byteLength).toBe(limit);
    const over = await invoke('big', JSON.stringify({ bytes: limit - 1 }));
    expect(over.StatusCode).toBe(200);
    expect(over.FunctionError).toBe('Unhandled');
    expect(JSON.parse(decoder.decode(over.Payload))).toEqual({
      errorType: 'Function.ResponseSizeTooLarge',
      errorMessage: 'Response payload size exceeded maximum allowed payload size (6291556 bytes).',
    });
  });

  it('times a function out as Lambda does and starts the next invocation cold', async () => {
    await invoke('sleep', JSON.stringify({ sleepMs: 1 }));
    const started = performance.now();
    const timedOut = await invoke('sleep', JSON.stringify({ sleepMs: 5000 }), 'Tail');
    const wallMs = performance.now() - started;
    expect(wallMs).toBeGreaterThanOrEqual(990);
    expect(wallMs).toBeLessThan(3000);
    const requestId = timedOut.$metadata.requestId!;
    expect(timedOut.FunctionError).toBe('Unhandled');
    expect(JSON.parse(decoder.decode(timedOut.Payload))).toEqual({
      errorType: 'Sandbox.Timedout',
      errorMessage: `RequestId: ${requestId} Error: Task timed out after 1.00 seconds`,
    });
    const log = Buffer.from(timedOut.LogResult!, 'base64').toString('utf8');
    expect(log).toContain(`${requestId} Task timed out after 1.00 seconds\n`);
    expect(log).toMatch(
      /Duration: 1000\.00 ms\tBilled Duration: 1000 ms\t.*\tStatus: timeout\t\n$/,
    );
    const next = await invoke('sleep', JSON.stringify({ sleepMs: 1 }), 'Tail');
    expect(Buffer.from(next.LogResult!, 'base64').toString('utf8')).toContain('\tInit Duration: ');
  });

  it('reports a process that exits mid-invocation as Runtime.ExitError', async () => {
    const exited = await invoke('exit', '{}');
    expect(exited.FunctionError).toBe('Unhandled');
    expect(JSON.parse(decoder.decode(exited.Payload))).toEqual({
      errorType: 'Runtime.ExitError',
      errorMessage: `RequestId: ${exited.$metadata.requestId} Error: Runtime exited with error: exit status 3`,
    });
  });

  it('refuses a payload that is not JSON', async () => {
    const error = await caught(invoke('size', '{not json'));
    expect(error.name).toBe('InvalidRequestContentException');
    expect((error.$metadata as { httpStatusCode: number }).httpStatusCode).toBe(400);
  });
});
