import { performance } from 'node:perf_hooks';
import { isMbsError, type MbsError } from '@mbs/core';
import { slowImportZip, testFunctionsZip } from '@mbs/lambda-emulator';
import { testProvider } from '@mbs/test-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLocalProvider, type LocalProvider } from './local-provider.js';

const echo = async (event: unknown) => ({
  results: (event as { requests: { id: string; input: unknown }[] }).requests.map((request) => ({
    id: request.id,
    ok: true,
    output: request.input,
  })),
});

testProvider('local, in-process handlers', async () => {
  const provider = createLocalProvider();
  await provider.deployFunction({
    functionName: 'echo',
    memoryMb: 1769,
    timeoutSeconds: 3,
    inProcess: { handler: echo },
  });
  await provider.deployFunction({
    functionName: 'fail',
    memoryMb: 1769,
    timeoutSeconds: 3,
    inProcess: {
      handler: async () => {
        throw new RangeError('nope');
      },
    },
  });
  return { provider, echoFunctionName: 'echo', failingFunctionName: 'fail' };
});

testProvider('local, zip code in child processes', async () => {
  const provider = createLocalProvider();
  const zipFile = testFunctionsZip();
  await provider.deployFunction({
    functionName: 'echo',
    memoryMb: 1769,
    timeoutSeconds: 3,
    zipFile,
    handler: 'index.echo',
  });
  await provider.deployFunction({
    functionName: 'fail',
    memoryMb: 1769,
    timeoutSeconds: 3,
    zipFile,
    handler: 'index.fail',
  });
  return { provider, echoFunctionName: 'echo', failingFunctionName: 'fail' };
});

function spinFor(milliseconds: number): void {
  const start = performance.now();
  while (performance.now() - start < milliseconds) {
    // Busy on purpose: this is compute time the emulator scales by memory.
  }
}

async function refusal(promise: Promise<unknown>): Promise<MbsError> {
  try {
    await promise;
  } catch (error) {
    return error as MbsError;
  }
  throw new Error('expected a rejection');
}

describe('createLocalProvider', () => {
  let provider: LocalProvider;
  beforeAll(async () => {
    provider = createLocalProvider({ warmSeconds: 30 });
    await provider.deployFunction({
      functionName: 'spin',
      memoryMb: 1769,
      timeoutSeconds: 3,
      inProcess: {
        handler: async (event) => {
          spinFor((event as { requests: { input: number }[] }).requests[0]!.input);
          return echo(event);
        },
      },
    });
  });
  afterAll(() => provider.dispose());

  it('starts cold once, then reuses the warm instance', async () => {
    await provider.deployFunction({
      functionName: 'warm',
      memoryMb: 512,
      timeoutSeconds: 3,
      inProcess: { handler: echo },
    });
    const first = await provider.invoke('warm', { requests: [{ id: 'a', input: 1 }] });
    const second = await provider.invoke('warm', { requests: [{ id: 'b', input: 2 }] });
    expect(first.record.initDurationMs).toBeGreaterThanOrEqual(0);
    expect(second.record.initDurationMs).toBeUndefined();
    expect(provider.emulator.instanceCount('warm')).toBe(1);
  });

  it('stretches compute time as memory shrinks (1,769 MB = 1 vCPU)', async () => {
    const atOneVcpu = await provider.invoke('spin', { requests: [{ id: 'a', input: 25 }] });
    await provider.configureFunction('spin', { memoryMb: 884 });
    const started = performance.now();
    const atHalfVcpu = await provider.invoke('spin', { requests: [{ id: 'a', input: 25 }] });
    const wallMs = performance.now() - started;
    expect(atOneVcpu.record.durationMs).toBeGreaterThanOrEqual(25);
    expect(atOneVcpu.record.durationMs).toBeLessThan(40);
    expect(atHalfVcpu.record.durationMs / atOneVcpu.record.durationMs).toBeGreaterThan(1.6);
    expect(atHalfVcpu.record.durationMs).toBeGreaterThanOrEqual((25 * 1769) / 884 - 0.01);
    expect(atHalfVcpu.record.memorySizeMb).toBe(884);
    // The caller waits for the emulated duration, not just the measured one.
    expect(wallMs).toBeGreaterThanOrEqual(atHalfVcpu.record.durationMs - 1);
    await provider.configureFunction('spin', { memoryMb: 1769 });
  });

  it('measures init (module import) and bills it on cold starts', async () => {
    await provider.deployFunction({
      functionName: 'slow-import',
      memoryMb: 256,
      timeoutSeconds: 3,
      zipFile: slowImportZip(150),
    });
    const { record } = await provider.invoke('slow-import', { requests: [] });
    expect(record.error).toBeUndefined();
    expect(record.initDurationMs).toBeGreaterThanOrEqual(150);
    expect(record.billedDurationMs).toBeGreaterThanOrEqual(
      Math.floor(record.durationMs + record.initDurationMs!),
    );
    expect(record.billedDurationMs).toBeLessThanOrEqual(
      Math.ceil(record.durationMs + record.initDurationMs!) + 1,
    );
  });

  it('leaves init out of Billed Duration when billInitPhase is false', async () => {
    const unbilled = createLocalProvider({ billInitPhase: false });
    await unbilled.deployFunction({
      functionName: 'slow-init',
      memoryMb: 1769,
      timeoutSeconds: 3,
      inProcess: { handler: echo, init: () => new Promise((resolve) => setTimeout(resolve, 40)) },
    });
    const { record } = await unbilled.invoke('slow-init', { requests: [] });
    expect(record.initDurationMs).toBeGreaterThanOrEqual(39);
    expect(record.billedDurationMs).toBeLessThanOrEqual(Math.ceil(record.durationMs) + 1);
    await unbilled.dispose();
  });

  it('ends a handler at its timeout with Sandbox.Timedout and recycles the instance', async () => {
    await provider.deployFunction({
      functionName: 'hang',
      memoryMb: 1769,
      timeoutSeconds: 1,
      inProcess: { handler: () => new Promise((resolve) => setTimeout(resolve, 5000)) },
    });
    const started = performance.now();
    const { results, record } = await provider.invoke('hang', {
      requests: [{ id: 'a', input: 1 }],
    });
    expect(performance.now() - started).toBeGreaterThanOrEqual(995);
    expect(performance.now() - started).toBeLessThan(3000);
    expect(results).toEqual([]);
    expect(record.error).toEqual({
      type: 'Sandbox.Timedout',
      message: `RequestId: ${record.requestId} Error: Task timed out after 1.00 seconds`,
    });
    expect(record.durationMs).toBe(1000);
    expect(provider.emulator.instanceCount('hang')).toBe(0);
  });

  it('reports a response that is not the batch shape as Function.InvalidResponse', async () => {
    await provider.deployFunction({
      functionName: 'odd',
      memoryMb: 1769,
      timeoutSeconds: 3,
      inProcess: { handler: async () => 42 },
    });
    const { results, record } = await provider.invoke('odd', { requests: [{ id: 'a', input: 1 }] });
    expect(results).toEqual([]);
    expect(record.error?.type).toBe('Function.InvalidResponse');
  });

  it('throttles with reserved concurrency 0 as a retryable THROTTLED error', async () => {
    await provider.deployFunction({
      functionName: 'reserved',
      memoryMb: 1769,
      timeoutSeconds: 3,
      inProcess: { handler: echo },
    });
    provider.emulator.putFunctionConcurrency('reserved', 0);
    const error = await refusal(provider.invoke('reserved', { requests: [] }));
    expect(isMbsError(error, 'THROTTLED')).toBe(true);
    expect(error.details).toMatchObject({
      retryable: true,
      statusCode: 429,
      fields: { Reason: 'ReservedFunctionConcurrentInvocationLimitExceeded' },
    });
  });

  it('refuses a payload over 6 MB as a non-retryable PROVIDER_ERROR', async () => {
    const error = await refusal(
      provider.invoke('spin', { requests: [{ id: 'a', input: 'x'.repeat(6_291_456) }] }),
    );
    expect(isMbsError(error, 'PROVIDER_ERROR')).toBe(true);
    expect(error.details).toMatchObject({ statusCode: 413, retryable: false });
    expect(error.message).toContain(
      'Request must be smaller than 6291456 bytes for the InvokeFunction operation',
    );
  });

  it('reads back the REPORT records of a time range', async () => {
    const startMs = Date.now();
    const invoked = await provider.invoke('spin', { requests: [{ id: 'a', input: 1 }] });
    const records = await provider.readLogs({ functionName: 'spin', startMs, endMs: Date.now() });
    expect(records).toContainEqual(invoked.record);
  });

  it('gives up waiting when the signal aborts', async () => {
    const controller = new AbortController();
    const pending = provider.invoke(
      'spin',
      { requests: [{ id: 'a', input: 50 }] },
      { signal: controller.signal },
    );
    controller.abort(new Error('stop waiting'));
    await expect(pending).rejects.toThrow('stop waiting');
  });

  it('refuses emulator options beside a shared emulator', () => {
    expect(() => createLocalProvider({ emulator: provider.emulator, warmSeconds: 1 })).toThrow(
      /either an emulator/,
    );
  });
});

describe('fault injection', () => {
  async function throttlePattern(seed: number): Promise<boolean[]> {
    const provider = createLocalProvider({ faults: { seed, throttleRate: 0.5 } });
    await provider.deployFunction({
      functionName: 'echo',
      memoryMb: 1769,
      timeoutSeconds: 3,
      inProcess: { handler: echo },
    });
    const pattern: boolean[] = [];
    for (let index = 0; index < 40; index++) {
      pattern.push(
        await provider.invoke('echo', { requests: [] }).then(
          () => false,
          (error: unknown) => isMbsError(error, 'THROTTLED'),
        ),
      );
    }
    await provider.dispose();
    return pattern;
  }

  it('throttles a seeded, repeatable share of invocations', async () => {
    const first = await throttlePattern(7);
    expect(await throttlePattern(7)).toEqual(first);
    const throttled = first.filter(Boolean).length;
    expect(throttled).toBeGreaterThan(8);
    expect(throttled).toBeLessThan(32);
  });

  it('injects function errors and instance crashes', async () => {
    const provider = createLocalProvider({ faults: { errorRate: 1 } });
    await provider.deployFunction({
      functionName: 'echo',
      memoryMb: 1769,
      timeoutSeconds: 3,
      inProcess: { handler: echo },
    });
    expect((await provider.invoke('echo', { requests: [] })).record.error?.type).toBe(
      'Emulator.InjectedError',
    );
    await provider.dispose();

    const crashing = createLocalProvider({ faults: { crashRate: 1 } });
    await crashing.deployFunction({
      functionName: 'echo',
      memoryMb: 1769,
      timeoutSeconds: 3,
      zipFile: testFunctionsZip(),
      handler: 'index.echo',
    });
    const { record } = await crashing.invoke('echo', { requests: [] });
    expect(record.error?.type).toBe('Runtime.ExitError');
    expect(crashing.emulator.instanceCount('echo')).toBe(0);
    await crashing.dispose();
  });

  it('adds extra latency outside the reported duration', async () => {
    const provider = createLocalProvider({ faults: { extraLatencyMs: 60 } });
    await provider.deployFunction({
      functionName: 'echo',
      memoryMb: 1769,
      timeoutSeconds: 3,
      inProcess: { handler: echo },
    });
    await provider.invoke('echo', { requests: [] });
    const started = performance.now();
    const { record } = await provider.invoke('echo', { requests: [] });
    expect(performance.now() - started).toBeGreaterThanOrEqual(59);
    expect(record.durationMs).toBeLessThan(30);
    await provider.dispose();
  });
});
