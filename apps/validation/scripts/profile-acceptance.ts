// Acceptance figures of `mbs profile` on the local emulator, every step through `mbs` as a user
// runs it:
//   default   mbs package (default model) -> mbs profile --provider local (default plan): wall
//             time and the distribution of the table's relative error at the measured points;
//   law       the handler's own cost law (createBatchHandler, the event parsed from the JSON the
//             profile sends, cases interleaved), measured in this process back to back and after
//             an idle pause, and in a forked instance woken by the event after the pause (as the
//             emulator's are), scaled as the emulator documents (x max(1769 / M, 1/6)), against
//             the table at the measured points (reads the default part's profile in --work);
//   hold-out  mbs profile --full --hold-out (every point, in one session): the law fitted on the
//             designed subset against the measured means of the other points;
//   ppocr     mbs package --model ppocr -> mbs profile (size = text-line width);
//   sleeping  the same default plan and --full --hold-out with a handler that sleeps a known law
//             (2 ms + 0.5 µs per padded token per request at one vCPU): the profiler and the law
//             without this shared machine's CPU contention in the timings.
// Usage: npm run validate:measure-profile -w @mbs/validation -- [--parts default,law,hold-out,ppocr]
//        [--work DIR] (keeps the packages, profiles and measurement logs there)
//        [--rounds 15] [--pause-ms 50] (the law's rounds, and its idle pause before each call, by
//        default mbs profile's)
import { fork } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { type CliIo, main } from '@mbs/cli';
import { formatSeconds, quantile } from '@mbs/core';
import {
  buildDefaultModel,
  createBatchHandler,
  DEFAULT_MODEL_DESCRIPTOR,
  sampleRequestInput,
} from '@mbs/handler';
import { DEFAULT_PROFILE_GAP_MS, type MeasurementSection, summarizeSamples } from '@mbs/profiles';
import { sleepingTokenHandlerZip } from '@mbs/test-utils';
import type { InstanceAnswer, InstanceMessage } from './handler-law-instance.js';

const { values } = parseArgs({
  options: {
    parts: { type: 'string', default: 'default,law,hold-out,ppocr' },
    rounds: { type: 'string', default: '15' },
    'pause-ms': { type: 'string', default: String(DEFAULT_PROFILE_GAP_MS) },
    work: { type: 'string' },
  },
});
const PART_NAMES = ['default', 'law', 'hold-out', 'ppocr', 'sleeping'];
const parts = new Set(values.parts.split(',').map((part) => part.trim()));
for (const part of parts) {
  if (!PART_NAMES.includes(part)) {
    console.error(`--parts: "${part}" is not a part; give some of ${PART_NAMES.join(',')}`);
    process.exit(2);
  }
}
for (const [name, text, least] of [
  ['--rounds', values.rounds, 1],
  ['--pause-ms', values['pause-ms'], 0],
] as const) {
  if (!(text.trim() !== '' && Number.isInteger(Number(text)) && Number(text) >= least)) {
    console.error(`${name} is "${text}"; give a whole number of at least ${least}`);
    process.exit(2);
  }
}
const work = values.work ?? (await mkdtemp(join(tmpdir(), 'mbs-profile-acceptance-')));
await mkdir(work, { recursive: true });

/** Runs `mbs` with progress on this process's stderr; returns stdout. */
async function mbs(args: readonly string[]): Promise<string> {
  let out = '';
  const io: CliIo = {
    stdout: (text) => {
      out += text;
    },
    stderr: (text) => process.stderr.write(text),
    stderrIsTty: Boolean(process.stderr.isTTY),
  };
  const code = await main(args, io);
  if (code !== 0) throw new Error(`mbs ${args.join(' ')} exited ${code}`);
  return out;
}

const percent = (value: number) => `${(value * 100).toFixed(1)} %`;

function distribution(errors: readonly number[]): string {
  const sorted = errors.map(Math.abs).sort((a, b) => a - b);
  const at = (p: number) => sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)]!;
  const within = sorted.filter((value) => value <= 0.1).length;
  return `${sorted.length} points: |error| p50 ${percent(at(0.5))}, p90 ${percent(at(0.9))}, max ${percent(sorted.at(-1)!)}; ${within} within 10 %`;
}

/** The distribution, and how many points agree within 10 % or within their own measured interval. */
function pointDistribution(points: MeasurementSection['points']): string {
  const orInterval = points.filter(
    (point) =>
      Math.abs(point.relativeError) <= 0.1 ||
      (Number.isFinite(point.ciRelativeWidth) &&
        Math.abs(point.relativeError) <= point.ciRelativeWidth / 2),
  ).length;
  return `${distribution(points.map((point) => point.relativeError))}, ${orInterval} within 10 % or their confidence interval`;
}

function report(label: string, measurement: MeasurementSection, seconds: number): void {
  const fit = measurement.points.filter((point) => point.role === 'fit');
  const heldOut = measurement.points.filter((point) => point.role === 'held-out');
  const converged = measurement.points.filter((point) => point.stop === 'confidence').length;
  console.log(
    `\n${label}: ${formatSeconds(seconds)} wall, load average ${loadavg()[0]!.toFixed(1)}`,
  );
  console.log(`  fit      ${pointDistribution(fit)}`);
  if (heldOut.length > 0) console.log(`  held out ${pointDistribution(heldOut)}`);
  console.log(`  confidence width reached at ${converged} of ${measurement.points.length} points`);
  console.log(
    `  law per memory (a_M ms, b_M µs/unit^k, k_M family): ${measurement.law.memories.map((memory) => `${memory.memoryMb}: ${memory.perInvocationMs.toFixed(2)}, ${(memory.perWorkUnitMs * 1000).toPrecision(3)}, ${memory.exponent.toFixed(2)} ${memory.family}`).join('; ')}`,
  );
  console.log(
    `  w_c / size: ${measurement.law.classWork.map((w, index) => (w / measurement.classes.sizes[index]!).toFixed(3)).join(', ')}`,
  );
  const { response } = measurement.law;
  console.log(
    `  work response f(w) / w at its knots: ${response.works.map((w, index) => `${w.toFixed(0)}: ${(response.values[index]! / w).toFixed(2)}`).join(', ')}`,
  );
  console.log(
    `  Init Duration per memory: ${measurement.initDurationMs.map((init) => `${init.memoryMb} MB ${init.meanMs.toFixed(0)} ms`).join(', ')}`,
  );
  const worst = [...measurement.points]
    .sort((a, b) => Math.abs(b.relativeError) - Math.abs(a.relativeError))
    .slice(0, 5);
  for (const point of worst) {
    console.log(
      `  worst: ${point.memoryMb} MB class ${point.classIndex} (size ${point.size}) B ${point.batchSize} ${point.role}: mean ${point.meanMs.toFixed(2)} ms, trimmed ${point.trimmedMeanMs.toFixed(2)} (n ${point.count}, median ${point.medianMs.toFixed(2)}, CI width ${percent(point.ciRelativeWidth)}), table ${point.predictedMs.toFixed(2)} ms, ${percent(point.relativeError)}`,
    );
  }
}

async function profile(label: string, args: readonly string[]): Promise<void> {
  const started = Date.now();
  const result = JSON.parse(await mbs(['profile', '--provider', 'local', ...args, '--json']));
  report(label, result.measurement as MeasurementSection, (Date.now() - started) / 1000);
}

/** The handler's time (wall and CPU) per shape, in ms, one list per shape. */
interface ShapeTimes {
  readonly ms: number[];
  readonly cpuMs: number[];
}

/**
 * The shapes in round `round`'s order: by work, down in even rounds and up in odd ones, as `mbs
 * profile` orders its rounds (a batch's time depends on the one before it).
 */
function roundOrder<T>(byWork: readonly T[], round: number): readonly T[] {
  return round % 2 === 0 ? [...byWork].reverse() : byWork;
}

/**
 * The handler's wall time per shape in a forked instance (handler-law-instance.ts), woken after
 * `pauseMs` of idle by a message carrying the event, in the same rounds and order as in process.
 */
async function measureInInstance(
  byWork: readonly (readonly [string, { readonly text: string }])[],
  rounds: number,
  pauseMs: number,
): Promise<Map<string, ShapeTimes>> {
  const child = fork(fileURLToPath(new URL('./handler-law-instance.ts', import.meta.url)), {
    execArgv: ['--import', 'tsx'],
  });
  const answers: ((answer: InstanceAnswer) => void)[] = [];
  const failed = new Promise<never>((_, reject) => {
    child.on('exit', (code) => reject(new Error(`the handler instance exited with ${code}`)));
    child.on('error', reject);
  });
  const ready = new Promise<void>((resolve) => {
    child.on('message', (message: InstanceAnswer | { ready: true }) => {
      if ('ready' in message) resolve();
      else answers.shift()?.(message);
    });
  });
  // The largest shape takes well under a second at one core: a minute without an answer is a hang.
  const invoke = async (event: string) => {
    const answered = new Promise<InstanceAnswer>((resolve) => answers.push(resolve));
    child.send({ event } satisfies InstanceMessage);
    let timer: NodeJS.Timeout | undefined;
    const hung = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error('the handler instance gave no answer within 60 s')),
        60_000,
      );
    });
    try {
      return await Promise.race([answered, failed, hung]);
    } finally {
      clearTimeout(timer);
    }
  };
  try {
    await Promise.race([ready, failed]);
    for (const [, shape] of byWork) await invoke(shape.text);
    const times = new Map<string, ShapeTimes>(byWork.map(([key]) => [key, { ms: [], cpuMs: [] }]));
    for (let round = 0; round < rounds; round++) {
      for (const [key, shape] of roundOrder(byWork, round)) {
        await sleep(pauseMs);
        times.get(key)!.ms.push((await invoke(shape.text)).ms);
      }
    }
    return times;
  } finally {
    child.removeAllListeners('exit');
    if (child.connected) child.send({ stop: true } satisfies InstanceMessage);
    // A hung instance does not read its stop: ended after a grace period (a no-op once it exited).
    setTimeout(() => child.kill(), 5_000).unref();
  }
}

/**
 * The handler's cost at each measured (class, batch), interleaved over rounds, scaled to each
 * memory as the emulator does, against the profile's table. Measured three ways, because the
 * handler's time depends on how warm the call finds the core and caches: in this process back to
 * back; in this process after an idle pause before each call (1.4-2.2x longer for small batches);
 * and in a forked instance (handler-law-instance.ts) woken after the same pause by a message
 * carrying the event, as the emulator wakes its instances during `mbs profile`: the independent
 * reference, with no CPU scaling or host-wait accounting of the emulator's in it.
 */
async function handlerLaw(profilePath: string, rounds: number, pauseMs: number): Promise<void> {
  const { measurement } = JSON.parse(await readFile(profilePath, 'utf8')) as {
    measurement: MeasurementSection;
  };
  const shapes = new Map<string, { size: number; batchSize: number; text: string }>();
  for (const point of measurement.points) {
    const key = `${point.size}x${point.batchSize}`;
    if (shapes.has(key)) continue;
    const input = sampleRequestInput(DEFAULT_MODEL_DESCRIPTOR, point.size, 'numbers');
    const requests = Array.from({ length: point.batchSize }, (_, index) => ({
      id: `r${index}`,
      input,
    }));
    shapes.set(key, {
      size: point.size,
      batchSize: point.batchSize,
      text: JSON.stringify({ requests }),
    });
  }
  // The Lambda entry's session: default options.
  const handler = createBatchHandler({
    model: buildDefaultModel(),
    descriptor: DEFAULT_MODEL_DESCRIPTOR,
    // On the threads the emulator's instances use (MBS_EMULATOR_CORES: one core, scaled).
    sessionOptions: { intraOpNumThreads: 1, interOpNumThreads: 1 },
  });
  await handler.ready();
  // Ordered by work, up and down by turns, as mbs profile orders its rounds: a batch's time
  // depends on the one before it, and each point should follow one of nearly its own work.
  const byWork = [...shapes.entries()].sort(
    ([, a], [, b]) => a.size * a.batchSize - b.size * b.batchSize || a.batchSize - b.batchSize,
  );
  for (const [, shape] of byWork) await handler.handle(JSON.parse(shape.text));
  const measure = async (pause: number) => {
    const times = new Map<string, ShapeTimes>(byWork.map(([key]) => [key, { ms: [], cpuMs: [] }]));
    for (let round = 0; round < rounds; round++) {
      for (const [key, shape] of roundOrder(byWork, round)) {
        if (pause > 0) await sleep(pause);
        const started = performance.now();
        const cpuStarted = process.cpuUsage();
        // As the emulator's instance times an invocation: the event parsed, the answer serialized.
        JSON.stringify(await handler.handle(JSON.parse(shape.text)));
        const time = times.get(key)!;
        time.ms.push(performance.now() - started);
        // This process's CPU time in the call (all its threads: the session runs on one): what
        // the emulator's Duration now counts, which leaves out the waits for a core that a busy
        // host adds to wall time (the wall-time comparison is printed beside it).
        const cpu = process.cpuUsage(cpuStarted);
        time.cpuMs.push((cpu.user + cpu.system) / 1000);
      }
    }
    return times;
  };
  const backToBack = await measure(0);
  const paused = await measure(pauseMs);
  await handler.dispose();
  const instance = await measureInInstance(byWork, rounds, pauseMs);
  const meanOf = (values: readonly number[]) =>
    values.reduce((sum, value) => sum + value, 0) / values.length;
  const trimmed = (ms: readonly number[]) => summarizeSamples(ms, 0.95).trimmedMeanMs;
  // The handler's time per shape as the profile estimates a point's: the 20 % trimmed mean (a few
  // rounds stretched by this shared machine's other work left out); the plain mean beside it.
  const errorsBy = (
    times: ReadonlyMap<string, ShapeTimes>,
    location: (ms: readonly number[]) => number,
    cpu = false,
  ) =>
    measurement.points.map((point) => {
      const time = times.get(`${point.size}x${point.batchSize}`)!;
      const expected =
        location(cpu ? time.cpuMs : time.ms) * Math.max(1769 / point.memoryMb, 1 / 6);
      return (point.predictedMs - expected) / expected;
    });
  console.log(
    `\nhandler's own cost (${shapes.size} shapes x ${rounds} rounds in this process, load average ${loadavg()[0]!.toFixed(1)}):`,
  );
  for (const [label, times] of [
    ['back to back', backToBack],
    [`after ${pauseMs} ms idle`, paused],
    [`in a forked instance woken by the event after ${pauseMs} ms idle (wall time)`, instance],
  ] as const) {
    // The handler bench's law, time = a + b x (N x L), over these shapes.
    const xs = byWork.map(([, shape]) => shape.size * shape.batchSize);
    const ys = byWork.map(([key]) => meanOf(times.get(key)!.ms));
    const mx = meanOf(xs);
    const my = meanOf(ys);
    const b =
      xs.reduce((sum, x, i) => sum + (x - mx) * (ys[i]! - my), 0) /
      xs.reduce((sum, x) => sum + (x - mx) ** 2, 0);
    const a = my - b * mx;
    const residual = xs.reduce((sum, x, i) => sum + (ys[i]! - a - b * x) ** 2, 0);
    const total = ys.reduce((sum, y) => sum + (y - my) ** 2, 0);
    console.log(`  ${label}:`);
    console.log(
      `    linear law time = ${a.toFixed(3)} ms + ${(b * 1000).toFixed(4)} µs x (N x L), R² ${(1 - residual / total).toFixed(3)}`,
    );
    console.log(
      `    table vs handler (trimmed mean) x emulator scaling: ${distribution(errorsBy(times, trimmed))}`,
    );
    console.log(
      `    table vs handler (mean) x emulator scaling: ${distribution(errorsBy(times, meanOf))}`,
    );
    const hasCpu = [...times.values()].every((time) => time.cpuMs.length > 0);
    const cpuErrors = errorsBy(times, trimmed, hasCpu);
    if (hasCpu) {
      console.log(
        `    table vs handler CPU time (trimmed mean) x emulator scaling: ${distribution(cpuErrors)}`,
      );
    }
    // The machine's speed drifts between runs minutes apart (the same profile point read up to
    // 20 % apart in two runs), and the profile and this reference are measured at different
    // times: the figures once one factor for that speed is taken out, and what is left per memory
    // (memories measured in turn share the drift; one after the other, each had its own).
    const factor = quantile(
      cpuErrors.map((error) => 1 + error),
      0.5,
    );
    const adjusted = cpuErrors.map((error) => (1 + error) / factor - 1);
    console.log(
      `    the same over one speed factor (table / reference median ${factor.toFixed(3)}): ${distribution(adjusted)}`,
    );
    const memories = [...new Set(measurement.points.map((point) => point.memoryMb))];
    const byMemory = memories.map((memoryMb) =>
      quantile(
        adjusted.filter((_, index) => measurement.points[index]!.memoryMb === memoryMb),
        0.5,
      ),
    );
    console.log(
      `    median per memory over that factor: ${memories.map((memoryMb, index) => `${memoryMb} MB ${percent(byMemory[index]!)}`).join(', ')}`,
    );
    const worst = measurement.points
      .map((point, index) => ({ point, error: cpuErrors[index]! }))
      .sort((a, b) => Math.abs(b.error) - Math.abs(a.error))
      .slice(0, 3);
    for (const { point, error } of worst) {
      console.log(
        `    worst: ${point.memoryMb} MB class ${point.classIndex} B ${point.batchSize}: table ${point.predictedMs.toFixed(2)} ms, ${percent(error)}`,
      );
    }
  }
}

try {
  console.log(
    `work directory ${work}; load average ${loadavg()
      .map((value) => value.toFixed(1))
      .join(' ')}`,
  );
  const defaultZip = join(work, 'default.zip');
  if (parts.has('default') || parts.has('hold-out')) {
    await mbs(['package', '--model', 'default', '--out', defaultZip]);
  }
  const defaultArgs = ['--zip', defaultZip, '--out', join(work, 'default.json')];
  if (parts.has('default')) await profile('default model, default plan', defaultArgs);
  if (parts.has('law'))
    await handlerLaw(join(work, 'default.json'), Number(values.rounds), Number(values['pause-ms']));
  if (parts.has('hold-out')) {
    // A log of its own: every point measured in one session, so the load of this shared machine
    // drifts alike under the fitted and the held-out points.
    await profile('default model, --full --hold-out (fit on the designed subset)', [
      '--zip',
      defaultZip,
      '--out',
      join(work, 'hold-out.json'),
      '--full',
      '--hold-out',
    ]);
  }
  if (parts.has('sleeping')) {
    const sleepingZip = join(work, 'sleeping.zip');
    await writeFile(
      sleepingZip,
      sleepingTokenHandlerZip({ baseMs: 2, msPerPaddedToken: 0.0005 }, DEFAULT_MODEL_DESCRIPTOR),
    );
    const sleepingArgs = ['--zip', sleepingZip, '--out', join(work, 'sleeping.json')];
    await profile('sleeping handler, default plan', sleepingArgs);
    await profile('sleeping handler, --full --hold-out', [
      '--zip',
      sleepingZip,
      '--out',
      join(work, 'sleeping-hold-out.json'),
      '--full',
      '--hold-out',
    ]);
  }
  if (parts.has('ppocr')) {
    const ppocrZip = join(work, 'ppocr.zip');
    await mbs(['package', '--model', 'ppocr', '--out', ppocrZip]);
    await profile('PP-OCRv4 recognizer (size = text-line width)', [
      '--zip',
      ppocrZip,
      '--edges',
      '80,160,320,640',
      // Its output is the softmax over 6,625 characters per 8 pixels of width (2.1 MB of float32
      // at width 640): batch 2 at 640 is the most that fits Lambda's 6 MB response.
      '--batch-sizes',
      '1,2',
      '--memories',
      '512,1024,1769,3008',
      '--out',
      join(work, 'ppocr.json'),
    ]);
    const text = await readFile(join(work, 'ppocr.json'), 'utf8');
    console.log(`  ${join(work, 'ppocr.json')}: ${text.length} bytes`);
  }
} finally {
  if (values.work === undefined) await rm(work, { recursive: true, force: true });
}
