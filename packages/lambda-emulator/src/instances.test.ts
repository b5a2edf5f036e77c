import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createEmulator, type Emulator } from './emulator.js';
import type { EmulatorOptions } from './options.js';
import { testFunctionsZip } from './testing/test-functions.js';

const zipFile = testFunctionsZip();
const encoder = new TextEncoder();
const sleepEvent = (sleepMs: number) => encoder.encode(JSON.stringify({ sleepMs }));

/** An emulator running one test function, named after its export in the test zip. */
function emulatorRunning(
  name: 'sleep' | 'context' | 'sandbox' | 'throwLater',
  options: EmulatorOptions = {},
  memoryMb?: number,
): Emulator {
  const emulator = createEmulator(options);
  emulator.createFunction({
    functionName: name,
    code: { zipFile },
    handler: `index.${name}`,
    runtime: 'nodejs20.x',
    ...(memoryMb === undefined ? {} : { memoryMb }),
  });
  return emulator;
}

describe('instances', () => {
  it('runs concurrent invocations on separate instances, then reuses them warm', async () => {
    const emulator = emulatorRunning('sleep', {}, 1769);
    const concurrent = await Promise.all(
      [1, 2, 3].map(() => emulator.invoke('sleep', sleepEvent(150))),
    );
    expect(concurrent.every((outcome) => outcome.record?.initDurationMs !== undefined)).toBe(true);
    expect(emulator.instanceCount('sleep')).toBe(3);
    const again = await Promise.all([1, 2, 3].map(() => emulator.invoke('sleep', sleepEvent(20))));
    expect(again.every((outcome) => outcome.record?.initDurationMs === undefined)).toBe(true);
    expect(emulator.instanceCount('sleep')).toBe(3);
    // A child process's peak resident memory: Node alone takes tens of MB.
    for (const outcome of again) expect(outcome.record!.maxMemoryUsedMb).toBeGreaterThan(15);
    await emulator.dispose();
  });

  it('lets idle instances go after warmSeconds', async () => {
    const emulator = emulatorRunning('sleep', { warmSeconds: 0.2 });
    await emulator.invoke('sleep', sleepEvent(1));
    expect(emulator.instanceCount('sleep')).toBe(1);
    await new Promise((resolve) => setTimeout(resolve, 350));
    expect(emulator.instanceCount('sleep')).toBe(0);
    const next = await emulator.invoke('sleep', sleepEvent(1));
    expect(next.record?.initDurationMs).toBeDefined();
    await emulator.dispose();
  });

  it('retires instances when the configuration changes', async () => {
    const emulator = emulatorRunning('context');
    await emulator.invoke('context', encoder.encode('{}'));
    emulator.updateFunctionConfiguration('context', { memoryMb: 2048 });
    const after = await emulator.invoke('context', encoder.encode('{}'));
    expect(after.record?.initDurationMs).toBeDefined();
    expect(JSON.parse(new TextDecoder().decode(after.payload)).memoryLimitInMB).toBe('2048');
    await emulator.dispose();
  });

  it('queues Event invocations while throttled and runs them when capacity frees', async () => {
    const emulator = emulatorRunning('sleep');
    emulator.putFunctionConcurrency('sleep', 0);
    const queued = await emulator.invoke('sleep', sleepEvent(1), { invocationType: 'Event' });
    expect(queued.statusCode).toBe(202);
    emulator.deleteFunctionConcurrency('sleep');
    // The queue drains when an invocation ends; a synchronous one triggers it.
    await emulator.invoke('sleep', sleepEvent(1));
    const queuedReports = () =>
      (
        emulator.logs.filterLogEvents({
          logGroupName: '/aws/lambda/sleep',
          filterPattern: `"REPORT RequestId: ${queued.requestId}"`,
        }) as { events: unknown[] }
      ).events;
    for (let attempt = 0; attempt < 100 && queuedReports().length !== 1; attempt++) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(queuedReports()).toHaveLength(1);
    await emulator.dispose();
  });

  it('gives each instance its own HOME and TMPDIR, removed with the instance', async () => {
    const emulator = emulatorRunning('sandbox', { warmSeconds: 0.3 });
    const outcomes = await Promise.all(
      [1, 2].map(() => emulator.invoke('sandbox', encoder.encode('{}'))),
    );
    const places = outcomes.map(
      (outcome) =>
        JSON.parse(new TextDecoder().decode(outcome.payload)) as { home: string; tmp: string },
    );
    for (const { home, tmp } of places) {
      expect(home).toBe(tmp);
      expect(home).toMatch(/mbs-emulator-\d+-\w+\/sandbox\/\d+$/);
      expect(existsSync(join(tmp, 'written-by-the-function'))).toBe(true);
    }
    expect(places[0]!.tmp).not.toBe(places[1]!.tmp);
    // Gone with the instance, as Lambda's /tmp is with its execution environment.
    await new Promise((resolve) => setTimeout(resolve, 800));
    expect(emulator.instanceCount('sandbox')).toBe(0);
    for (const { tmp } of places) expect(existsSync(tmp)).toBe(false);
    await emulator.dispose();
  });

  it('runs at most maxInstances, queues the rest first come first served, throttles past the queue', async () => {
    const emulator = emulatorRunning('sleep', { maxInstances: 1, maxQueuedInvocations: 2 }, 1769);
    const finished: number[] = [];
    const calls = [0, 1, 2, 3, 4, 5].map((index) =>
      emulator.invoke('sleep', sleepEvent(100)).then(
        (outcome) => {
          finished.push(index);
          return outcome.statusCode;
        },
        (error: { details?: { statusCode?: number; fields?: { Reason?: string } } }) =>
          `${error.details?.statusCode} ${error.details?.fields?.Reason}`,
      ),
    );
    expect(emulator.instanceCount('sleep')).toBeLessThanOrEqual(1);
    const answers = await Promise.all(calls);
    expect(answers).toEqual([
      200,
      200,
      200,
      '429 ConcurrentInvocationLimitExceeded',
      '429 ConcurrentInvocationLimitExceeded',
      '429 ConcurrentInvocationLimitExceeded',
    ]);
    expect(finished).toEqual([0, 1, 2]);
    await emulator.dispose();
  });

  it("shuts another function's idle instance down to make room", async () => {
    const emulator = emulatorRunning('sleep', { maxInstances: 1 });
    emulator.createFunction({
      functionName: 'other',
      code: { zipFile },
      handler: 'index.noop',
      runtime: 'nodejs20.x',
    });
    await emulator.invoke('sleep', sleepEvent(1));
    expect(emulator.instanceCount('sleep')).toBe(1);
    const other = await emulator.invoke('other', encoder.encode('{}'));
    expect(other.record?.initDurationMs).toBeDefined();
    expect(emulator.instanceCount('sleep')).toBe(0);
    expect(emulator.instanceCount('other')).toBe(1);
    await emulator.dispose();
  });

  /**
   * One instance slot, two functions: a warm `sleep` call holding the slot for `holdMs`, then
   * a call of `other` waiting, then a second `sleep` call waiting. Says which calls started a
   * new instance and the order they finished in.
   */
  async function contendForOneSlot(holdMs: number) {
    const emulator = emulatorRunning('sleep', { maxInstances: 1 }, 1769);
    emulator.createFunction({
      functionName: 'other',
      code: { zipFile },
      handler: 'index.sleep',
      runtime: 'nodejs20.x',
    });
    await emulator.invoke('sleep', sleepEvent(1));
    const finished: string[] = [];
    const call = (name: string, label: string, sleepMs: number) =>
      emulator.invoke(name, sleepEvent(sleepMs)).then((outcome) => {
        finished.push(label);
        return outcome.record?.initDurationMs !== undefined;
      });
    const pause = (milliseconds: number) =>
      new Promise((resolve) => setTimeout(resolve, milliseconds));
    const first = call('sleep', 'sleep 1', holdMs);
    await pause(100);
    const other = call('other', 'other', 1);
    await pause(20);
    const second = call('sleep', 'sleep 2', 1);
    const cold = await Promise.all([first, second, other]);
    await emulator.dispose();
    return { cold: { first: cold[0], second: cold[1], other: cold[2] }, finished };
  }

  it('gives an instance that comes free to a waiting invocation of its own function first', async () => {
    // The freed instance serves the second call warm instead of being shut down for `other`,
    // which gets the slot once the function's queue is empty.
    expect(await contendForOneSlot(300)).toEqual({
      cold: { first: false, second: false, other: true },
      finished: ['sleep 1', 'sleep 2', 'other'],
    });
  });

  it('lets an invocation of a function with no instance go first once it has waited a second', async () => {
    expect(await contendForOneSlot(1300)).toEqual({
      cold: { first: false, second: true, other: true },
      finished: ['sleep 1', 'other', 'sleep 2'],
    });
  });

  it('fails invocations waiting for an instance with CLOSED when disposed', async () => {
    const emulator = emulatorRunning('sleep', { maxInstances: 1 });
    const running = emulator.invoke('sleep', sleepEvent(300)).catch((error: Error) => error);
    const waiting = emulator.invoke('sleep', sleepEvent(1)).catch((error: Error) => error);
    await new Promise((resolve) => setTimeout(resolve, 50));
    await emulator.dispose();
    expect(((await waiting) as { code?: string }).code).toBe('CLOSED');
    await running;
  });

  it('fails the invocation running when a timer of the last one throws, then starts afresh', async () => {
    const emulator = emulatorRunning('throwLater');
    const call = async (event: unknown) => {
      const outcome = await emulator.invoke('throwLater', encoder.encode(JSON.stringify(event)));
      return {
        error: outcome.functionError,
        body: JSON.parse(new TextDecoder().decode(outcome.payload)) as unknown,
        cold: outcome.record?.initDurationMs !== undefined,
      };
    };
    expect(await call({ afterMs: 150 })).toEqual({ body: 'returned', cold: true });
    // The timer fires during the next invocation on the same instance: as on Lambda, that
    // invocation fails with the uncaught error, and the runtime exits.
    const hit = await call({ sleepMs: 600 });
    expect(hit.error).toBe('Unhandled');
    expect(hit.body).toMatchObject({
      errorType: 'Error',
      errorMessage: 'thrown from a timer after the handler returned',
    });
    expect(await call({ sleepMs: 1 })).toEqual({ body: 'returned', cold: true });
    await emulator.dispose();
  });
});
