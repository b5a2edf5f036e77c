import { dirname } from 'node:path';
import {
  CreateFunctionCommand,
  GetAccountSettingsCommand,
  InvokeCommand,
  type InvokeCommandOutput,
  ListFunctionsCommand,
} from '@aws-sdk/client-lambda';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createEmulator } from './emulator.js';
import { type EmulatorProcess, startEmulatorProcess } from './testing/emulator-process.js';
import {
  childProcessIds,
  commandLine,
  eventually,
  isRunning,
  PROC_AVAILABLE,
  processState,
  residentMemoryMb,
} from './testing/processes.js';
import { sdkClients } from './testing/sdk-clients.js';
import { testFunctionsZip } from './testing/test-functions.js';

// `npm run soak` sets MBS_EMULATOR_SOAK=1: the acceptance sizes (1,000 throwing calls). The
// default keeps `npm test` fast on a shared two-core machine.
const SOAK = process.env.MBS_EMULATOR_SOAK === '1';
const THROWING_CALLS = SOAK ? 1000 : 60;
const BURST = SOAK ? 1000 : 300;
const MAX_INSTANCES = 4;
// Generous: the machine may be shared, and the soak sizes take minutes.
vi.setConfig({ testTimeout: SOAK ? 900_000 : 120_000, hookTimeout: 60_000 });
const LOOP_MEMORY_MB = 1800;
const LONG_LOOP_MEMORY_MB = 1900;

const encoder = new TextEncoder();
const decoder = new TextDecoder();
const sleep = (milliseconds: number) => new Promise((resolve) => setTimeout(resolve, milliseconds));

/** An answer of the emulator, classified: a result, a Lambda-shaped function error, or a refusal. */
type Answer =
  | { kind: 'result'; payload: unknown }
  | { kind: 'function-error'; errorType: string }
  | { kind: 'refused'; name: string; status: number | undefined };

function classify(output: InvokeCommandOutput): Answer {
  const text = output.Payload ? decoder.decode(output.Payload) : 'null';
  const payload: unknown = JSON.parse(text);
  if (output.FunctionError === undefined) return { kind: 'result', payload };
  const { errorType, errorMessage } = payload as { errorType?: unknown; errorMessage?: unknown };
  // Lambda's shape: 200, X-Amz-Function-Error, and {errorType, errorMessage} as the body.
  if (
    output.StatusCode !== 200 ||
    typeof errorType !== 'string' ||
    typeof errorMessage !== 'string'
  )
    throw new Error(`not a Lambda-shaped function error: ${text}`);
  return { kind: 'function-error', errorType };
}

/** Runs `count` calls of `call`, `concurrency` at a time, and tallies the answers. */
async function tally(
  count: number,
  concurrency: number,
  call: (index: number) => Promise<InvokeCommandOutput>,
): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  const add = (key: string) => counts.set(key, (counts.get(key) ?? 0) + 1);
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const index = next++;
      try {
        const answer = classify(await call(index));
        add(answer.kind === 'function-error' ? `error ${answer.errorType}` : answer.kind);
      } catch (error) {
        const { name, $metadata } = error as {
          name: string;
          $metadata?: { httpStatusCode?: number };
        };
        // A refusal the SDK surfaces as a typed AWS error is an answer too; anything else
        // (a reset connection, an unparsable body) is not.
        if ($metadata?.httpStatusCode === undefined) throw error;
        add(`refused ${name}`);
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return counts;
}

const total = (counts: Map<string, number>) => [...counts.values()].reduce((a, b) => a + b, 0);

describe.runIf(PROC_AVAILABLE)('the emulator under bad functions and bursts', () => {
  let emulator: EmulatorProcess;
  let clients: ReturnType<typeof sdkClients>;
  let root = '';
  /** Every instance process seen (with its command line), and the most alive at once. */
  const instances = new Map<number, string>();
  let reaperPid: number | undefined;
  let mostAlive = 0;
  let sampler: NodeJS.Timeout;

  const invoke = (name: string, event: unknown) =>
    clients.lambda.send(
      new InvokeCommand({ FunctionName: name, Payload: encoder.encode(JSON.stringify(event)) }),
    );
  /** Instance processes seen of functions with this memory size (their V8 heap cap shows it). */
  const processesOf = (memoryMb: number) =>
    [...instances]
      .filter(([, command]) =>
        command.includes(`--max-old-space-size=${Math.floor(memoryMb * 0.9)} `),
      )
      .map(([pid]) => pid);
  /**
   * Whether a process seen as this emulator's instance or reaper still runs. Its command line
   * must still name the emulator's directory: process ids are reused (pid_max may be 32,768).
   */
  const stillRuns = (pid: number) =>
    isRunning(pid) && root !== '' && commandLine(pid).includes(root);
  const healthy = async () => {
    const settings = await clients.lambda.send(new GetAccountSettingsCommand({}));
    expect(settings.AccountLimit?.ConcurrentExecutions).toBe(1000);
  };

  beforeAll(async () => {
    emulator = await startEmulatorProcess({ maxInstances: MAX_INSTANCES, warmSeconds: 30 });
    clients = sdkClients(emulator.url, { maxSockets: BURST });
    sampler = setInterval(() => {
      let alive = 0;
      for (const pid of childProcessIds(emulator.pid)) {
        const command = commandLine(pid);
        if (command.includes('reaper.mjs')) reaperPid = pid;
        if (!command.includes('bootstrap.mjs')) continue;
        alive += 1;
        instances.set(pid, command);
        root ||= dirname(command.trim().split(' ').at(-1)!);
      }
      mostAlive = Math.max(mostAlive, alive);
    }, 10);
    const zipFile = testFunctionsZip();
    // The looping functions get memory sizes of their own, to tell their processes apart.
    for (const [name, handler, timeout, memory] of [
      ['late', 'index.throwLater', 3, 1769],
      ['rejecting', 'index.rejectLater', 3, 1769],
      ['echo', 'index.echo', 3, 1769],
      ['sleepy', 'index.sleepPid', 2, 1769],
      ['loop', 'index.loop', 1, LOOP_MEMORY_MB],
      ['long-loop', 'index.loop', 60, LONG_LOOP_MEMORY_MB],
    ] as const) {
      await clients.lambda.send(
        new CreateFunctionCommand({
          FunctionName: name,
          Role: 'arn:aws:iam::123456789012:role/lambda',
          Runtime: 'nodejs20.x',
          Handler: handler,
          MemorySize: memory,
          Timeout: timeout,
          Code: { ZipFile: zipFile },
        }),
      );
    }
  });
  afterAll(async () => {
    clearInterval(sampler);
    clients?.lambda.destroy();
    clients?.logs.destroy();
    await emulator?.stop();
  });

  it(`answers a handler that throws from a timer after returning, ${THROWING_CALLS} times`, async () => {
    // Timers of 0 to 15 ms: some fire while the instance is idle, some during the next call.
    const counts = await tally(THROWING_CALLS, 6, (index) =>
      invoke('late', { afterMs: (index % 4) * 5 }),
    );
    const rejections = await tally(20, 4, () => invoke('rejecting', {}));
    console.log(
      'throwing after return:',
      Object.fromEntries(counts),
      Object.fromEntries(rejections),
      `emulator RSS ${residentMemoryMb(emulator.pid)?.toFixed(0)} MB`,
    );
    expect(total(counts)).toBe(THROWING_CALLS);
    expect(total(rejections)).toBe(20);
    // Lambda's runtime pulls its work: one that died idle never got an invocation, so most calls
    // succeed; a timer that fires during the next call fails that call with the thrown error.
    for (const key of [...counts.keys(), ...rejections.keys()]) {
      expect(key).toMatch(/^(result|error (Error|Runtime\.UnhandledPromiseRejection))$/);
    }
    await healthy();
  });

  it(`takes ${BURST} concurrent invocations on at most ${MAX_INSTANCES} instances`, async () => {
    mostAlive = 0;
    const started = Date.now();
    const counts = await tally(BURST, BURST, (index) =>
      invoke('echo', { requests: [{ id: String(index), input: index }] }),
    );
    const rssMb = residentMemoryMb(emulator.pid);
    console.log(
      `${BURST} concurrent: ${JSON.stringify(Object.fromEntries(counts))} in ${Date.now() - started} ms, most instances alive ${mostAlive}, emulator RSS ${rssMb?.toFixed(0)} MB`,
    );
    expect(counts.get('result')).toBe(BURST);
    expect(mostAlive).toBeLessThanOrEqual(MAX_INSTANCES);
    expect(rssMb).toBeLessThan(512);
    await healthy();
  });

  it('keeps serving when an instance is stopped (SIGSTOP) and continued, or stopped past its timeout', async () => {
    const warm = classify(await invoke('sleepy', { sleepMs: 0 }));
    const pid = (warm as { payload: { pid: number } }).payload.pid;
    // Stopped for a while within the timeout: the invocation finishes once continued.
    const held = invoke('sleepy', { sleepMs: 300 });
    await sleep(100);
    process.kill(pid, 'SIGSTOP');
    expect(await eventually(() => processState(pid) === 'T', 1000)).toBe(true);
    await sleep(500);
    process.kill(pid, 'SIGCONT');
    expect(classify(await held)).toEqual({ kind: 'result', payload: { pid, slept: 300 } });
    // Stopped past the 2 s timeout: Sandbox.Timedout, and the stopped instance is killed. (The
    // handler sleeps long enough that a late SIGSTOP on a busy machine still finds it running.)
    const stuck = invoke('sleepy', { sleepMs: 1500 });
    await sleep(200);
    process.kill(pid, 'SIGSTOP');
    expect(classify(await stuck)).toEqual({
      kind: 'function-error',
      errorType: 'Sandbox.Timedout',
    });
    expect(await eventually(() => !stillRuns(pid), 2000)).toBe(true);
    expect(classify(await invoke('sleepy', { sleepMs: 0 })).kind).toBe('result');
    await healthy();
  });

  it('keeps serving when the emulator itself is stopped (SIGSTOP) and continued', async () => {
    const calls = Array.from({ length: 20 }, (_, index) =>
      invoke(index % 2 ? 'echo' : 'sleepy', index % 2 ? { requests: [] } : { sleepMs: 200 }),
    );
    await sleep(50);
    process.kill(emulator.pid, 'SIGSTOP');
    await sleep(1000);
    process.kill(emulator.pid, 'SIGCONT');
    const answers = await Promise.all(calls.map(async (call) => classify(await call).kind));
    // The 2 s timeout counts real time, stopped or not: a call may time out, none goes unanswered.
    expect(answers.every((kind) => kind === 'result' || kind === 'function-error')).toBe(true);
    await healthy();
  });

  it('ends an infinite loop at the function timeout and kills its instance', async () => {
    const started = Date.now();
    expect(classify(await invoke('loop', {}))).toEqual({
      kind: 'function-error',
      errorType: 'Sandbox.Timedout',
    });
    expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
    const looping = processesOf(LOOP_MEMORY_MB);
    expect(looping.length).toBeGreaterThan(0);
    expect(await eventually(() => looping.every((pid) => !stillRuns(pid)), 2000)).toBe(true);
    await healthy();
  });

  it('leaves no instance process and no temporary directory when the emulator is SIGKILLed', async () => {
    const looping = invoke('long-loop', {}).catch(() => 'connection lost');
    // Wait until the looping instance runs (it is busy, so it never sees its IPC channel close).
    expect(await eventually(() => processesOf(LONG_LOOP_MEMORY_MB).length > 0, 5000)).toBe(true);
    expect((await clients.lambda.send(new ListFunctionsCommand({}))).Functions).toHaveLength(6);
    await sleep(200);
    clearInterval(sampler);
    expect(reaperPid).toBeDefined();
    const seen = [...instances.keys(), reaperPid!];
    expect(seen.some((pid) => stillRuns(pid))).toBe(true);
    emulator.child.kill('SIGKILL');
    await emulator.exited();
    expect(await looping).toBe('connection lost');
    const orphans = () => seen.filter((pid) => stillRuns(pid));
    expect(await eventually(() => orphans().length === 0, 5000)).toBe(true);
    console.log(
      `instance processes seen: ${instances.size}, running after SIGKILL: ${orphans().length}`,
    );
    const { existsSync } = await import('node:fs');
    expect(root).toMatch(/mbs-emulator-\d+-/);
    expect(await eventually(() => !existsSync(root), 2000)).toBe(true);
  });
});

describe('thread isolation', () => {
  it('ends an infinite loop in a worker thread at the timeout and keeps serving', async () => {
    const emulator = createEmulator({ isolation: 'thread' });
    const zipFile = testFunctionsZip();
    for (const [name, handler] of [
      ['loop', 'index.loop'],
      ['late', 'index.throwLater'],
    ] as const) {
      emulator.createFunction({
        functionName: name,
        code: { zipFile },
        handler,
        runtime: 'nodejs20.x',
        memoryMb: 1769,
        timeoutSeconds: 1,
      });
    }
    const looped = await emulator.invoke('loop', encoder.encode('{}'));
    expect(JSON.parse(decoder.decode(looped.payload)).errorType).toBe('Sandbox.Timedout');
    for (let call = 0; call < 10; call++) {
      const outcome = await emulator.invoke('late', encoder.encode('{}'));
      expect(outcome.statusCode).toBe(200);
    }
    await emulator.dispose();
  });
});
