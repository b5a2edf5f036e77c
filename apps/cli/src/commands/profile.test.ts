import { createHash } from 'node:crypto';
import { access, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_MODEL_DESCRIPTOR } from '@mbs/handler';
import { type EmulatorServer, startEmulatorServer } from '@mbs/lambda-emulator';
import { measurementMarker, readMbsProfile } from '@mbs/profiles';
import { captureIo, sleepingHandlerMs, sleepingTokenHandlerZip } from '@mbs/test-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXIT_OK, EXIT_RUNTIME_ERROR, EXIT_USAGE } from '../exit-codes.js';
import { main } from '../main.js';

// mbs profile against the emulator: in this process (--provider local) and over HTTP with the
// real AWS SDK (--endpoint), with a handler that sleeps a known law so the fit can be checked.

const LAW = { baseMs: 20, msPerPaddedToken: 0.05 };
/** A small plan: 2 classes x 2 batch sizes, few repetitions (with --memories 512,1769: 8 points). */
const SMALL_PLAN = [
  '--batch-sizes',
  '1,4',
  '--edges',
  '16,128',
  '--min-repetitions',
  '2',
  '--max-repetitions',
  '4',
  '--ci-width',
  '0.3',
  // A sleeping handler has no idle state to start from: back to back, as fast as it goes.
  '--gap-ms',
  '0',
];

let directory: string;
let zipPath: string;
beforeAll(async () => {
  directory = await mkdtemp(join(tmpdir(), 'mbs-cli-profile-'));
  zipPath = join(directory, 'sleepy.zip');
  await writeFile(zipPath, sleepingTokenHandlerZip(LAW, DEFAULT_MODEL_DESCRIPTOR));
});
afterAll(async () => {
  await rm(directory, { recursive: true, force: true });
});

async function mbs(args: readonly string[]) {
  const io = captureIo();
  const code = await main(args, io);
  return { code, out: io.out(), err: io.err() };
}

/** `mbs profile --provider local --zip <the sleeping handler> ...args`. */
const profileLocal = (args: readonly string[]) =>
  mbs(['profile', '--provider', 'local', '--zip', zipPath, ...args]);

const exists = (path: string) =>
  access(path).then(
    () => true,
    () => false,
  );

describe('mbs profile on the in-process emulator', () => {
  it('prints the plan, invocation count and estimated price on --dry-run, and touches nothing', async () => {
    const out = join(directory, 'dry.json');
    const text = await profileLocal(['--out', out, '--dry-run']);
    expect(text.code, text.err).toBe(EXIT_OK);
    expect(text.out).toMatch(/Profile plan: model default/);
    expect(text.out).toMatch(/points {4}96 of the grid's 384/);
    expect(text.out).toMatch(/invocations 872\.\.2408/);
    // Every memory in turn on the emulator in this process.
    expect(text.out).toMatch(/1 function\(s\) at a time, 8 in turn/);
    expect(text.out).toMatch(/estimated AWS price \(aws-x86\): \$[\d.]+\.\.\$[\d.]+/);
    expect(text.out).toContain('class 7 32768 -> 4096');
    expect(text.out).toContain('Dry run: nothing was deployed or invoked.');
    const json = await profileLocal([
      ...SMALL_PLAN,
      '--memories',
      '512,1769',
      '--out',
      out,
      '--dry-run',
      '--json',
    ]);
    expect(json.code).toBe(EXIT_OK);
    const { plan } = JSON.parse(json.out);
    expect(plan).toMatchObject({
      points: 8,
      gridPoints: 8,
      memoriesMb: [512, 1769],
      concurrency: 1,
      interleave: 2,
    });
    expect(plan.invocations).toEqual({ min: 8 * 3 + 2, max: 8 * 5 + 2 });
    // Two measurers share the memories in turn: four each.
    const shared = await profileLocal(['--concurrency', '2', '--dry-run', '--json']);
    expect(shared.code, shared.err).toBe(EXIT_OK);
    expect(JSON.parse(shared.out).plan).toMatchObject({ concurrency: 2, interleave: 4 });
    expect(await exists(out)).toBe(false);
    expect(await exists(join(directory, 'dry.measurements.jsonl'))).toBe(false);
  });

  it('measures the law, writes a profile mbs solve reads, and resumes from measured points', async () => {
    const out = join(directory, 'measured.json');
    const first = await profileLocal([...SMALL_PLAN, '--memories', '1769', '--out', out, '--json']);
    expect(first.code, first.err).toBe(EXIT_OK);
    expect(JSON.parse(first.out).plan.alreadyMeasured).toBe(0);

    // Adding a memory measures only its points: the 1769 MB ones come from the log.
    const second = await profileLocal([
      ...SMALL_PLAN,
      '--memories',
      '512,1769',
      '--out',
      out,
      '--json',
    ]);
    expect(second.code, second.err).toBe(EXIT_OK);
    const result = JSON.parse(second.out);
    expect(result.plan.alreadyMeasured).toBe(4);
    const { measurement } = result;
    expect(measurement.points).toHaveLength(8);
    expect(
      new Set(measurement.initDurationMs.map((entry: { memoryMb: number }) => entry.memoryMb)),
    ).toEqual(new Set([512, 1769]));
    for (const entry of measurement.initDurationMs) expect(entry.meanMs).toBeGreaterThan(0);
    // The emulator stretches handler time by 1769 / M below one vCPU; sleeping costs its wall time.
    for (const point of measurement.points) {
      const scale = Math.max(1769 / point.memoryMb, 1 / 6);
      const law = sleepingHandlerMs(LAW, point.batchSize, point.size) * scale;
      // Never less than the law; more by the timer's lateness, which load on this machine stretches.
      expect(point.meanMs / law).toBeGreaterThan(0.95);
      expect(point.meanMs / law).toBeLessThan(1.6);
      expect(Math.abs(point.relativeError)).toBeLessThan(0.3);
      expect(point.count).toBeGreaterThanOrEqual(2);
    }
    expect(measurement.fitError.fit.count).toBe(8);

    const profile = await readMbsProfile(out);
    expect(profile.memorySizesMb).toEqual([512, 1769]);
    expect(profile.classCount).toBe(2);
    expect(profile.maxBatchSize).toBe(4);
    // Batch 2 and 3 were never measured: the law fills them between 1 and 4.
    const at = (batch: number) => profile.serviceTimeSeconds(1769, 1, batch);
    expect(at(2)).toBeGreaterThan(at(1));
    expect(at(3)).toBeLessThan(at(4));
    const saved = JSON.parse(await readFile(out, 'utf8'));
    expect(saved.measurement.classes).toMatchObject({ sizes: [16, 128], upperEdges: [16, 128] });
    // The marker later commands read: measured by mbs profile, on which provider, package and functions.
    const zipSha256 = createHash('sha256')
      .update(await readFile(zipPath))
      .digest('hex');
    expect(measurementMarker(saved, out)).toMatchObject({
      provider: 'local',
      model: 'default',
      code: `sha256:${zipSha256}`,
      functions: [
        { memoryMb: 512, functionName: 'mbs-profile-m512' },
        { memoryMb: 1769, functionName: 'mbs-profile-m1769' },
      ],
    });

    // The profile is what mbs solve reads: solve the synthetic workload in its two classes.
    const solved = await mbs([
      'solve',
      '--profile',
      out,
      '--trace',
      'synthetic',
      '--edges',
      '16,128',
      '--max-batch-size',
      '4',
      '--timeout-steps',
      '3',
      '--split-shares',
      'none',
      '--no-baselines',
      '--json',
    ]);
    expect(solved.code, solved.err).toBe(EXIT_OK);
    expect(JSON.parse(solved.out)).toMatchObject({ profile: 'measured', feasible: true });
  });

  it('predicts the points it did not fit (--full --hold-out)', async () => {
    const out = join(directory, 'held-out.json');
    const result = await profileLocal([
      '--memories',
      '512,1024,1769',
      '--batch-sizes',
      '1,2,4',
      '--edges',
      '16,64,128',
      '--min-repetitions',
      '2',
      '--max-repetitions',
      '3',
      '--ci-width',
      '0.3',
      '--gap-ms',
      '0',
      '--full',
      '--hold-out',
      '--out',
      out,
      '--json',
    ]);
    expect(result.code, result.err).toBe(EXIT_OK);
    const { measurement } = JSON.parse(result.out);
    // 27 points measured; the law saw the 19 of the designed subset (9 at 1769 MB, 5 at the others).
    expect(measurement.points).toHaveLength(27);
    expect(measurement.fitError.fit.count).toBe(19);
    expect(measurement.fitError.heldOut.count).toBe(8);
    // Sleeping is exactly the law's form; what is left is timer jitter on a loaded machine.
    expect(measurement.fitError.heldOut.medianAbs).toBeLessThan(0.1);
    expect(measurement.fitError.heldOut.maxAbs).toBeLessThan(0.3);
  });

  it('refuses a memory outside Lambda range, naming the option', async () => {
    for (const memories of ['64', '128,20480', '1024.5', '512,abc']) {
      const result = await profileLocal(['--memories', memories, '--dry-run']);
      expect(result.code).toBe(EXIT_USAGE);
      expect(result.err).toMatch(/--memories .*(128 to 10240|not a number)/);
    }
  });

  it('refuses an --interleave outside 1..64, naming the option', async () => {
    for (const interleave of ['0', '65', '1.5']) {
      const result = await profileLocal(['--interleave', interleave, '--dry-run']);
      expect(result.code).toBe(EXIT_USAGE);
      expect(result.err).toMatch(/--interleave is .*; give an integer from 1 to 64/);
    }
  });

  it('refuses a zip without a model descriptor, naming the zip and the file', async () => {
    const bare = join(directory, 'bare.zip');
    await writeFile(bare, sleepingTokenHandlerZip(LAW));
    const result = await mbs(['profile', '--provider', 'local', '--zip', bare, '--dry-run']);
    expect(result.code).toBe(EXIT_RUNTIME_ERROR);
    expect(result.err).toContain(`${bare}: the zip holds no model-descriptor.json`);
    const missing = await mbs([
      'profile',
      '--provider',
      'local',
      '--zip',
      join(directory, 'none.zip'),
      '--dry-run',
    ]);
    expect(missing.code).toBe(EXIT_RUNTIME_ERROR);
    expect(missing.err).toMatch(/--zip .*none\.zip: cannot be read/);
  });

  it('refuses options out of range and a request over the payload limit', async () => {
    const cases: [string[], RegExp][] = [
      [['--ci-width', '0'], /--ci-width is 0/],
      [['--min-repetitions', '1'], /--min-repetitions is 1/],
      [['--hold-out'], /--hold-out needs --full/],
      [
        ['--reference-memories', '2048'],
        /--reference-memories holds 2048, which is not in --memories/,
      ],
      [['--batch-sizes', '0'], /--batch-sizes holds 0/],
      [['--edges', '10,5'], /--edges holds 5 at class 1/],
      [
        ['--descriptor', 'ppocr', '--edges', '3200', '--batch-sizes', '1,8'],
        /--batch-sizes 8 with class 0 \(size 3200\) makes a [\d.]+ MB request, over Lambda's 6291456 bytes/,
      ],
    ];
    for (const [flags, message] of cases) {
      const result = await profileLocal([...flags, '--dry-run']);
      expect(result.code, flags.join(' ')).toBe(EXIT_USAGE);
      expect(result.err).toMatch(message);
    }
  });
});

describe('mbs profile over HTTP with the AWS SDK', () => {
  let throttling: EmulatorServer;
  let refusing: EmulatorServer;
  beforeAll(async () => {
    throttling = await startEmulatorServer({ port: 0, faults: { seed: 3, throttleRate: 0.3 } });
    refusing = await startEmulatorServer({ port: 0, faults: { seed: 3, throttleRate: 1 } });
  });
  afterAll(async () => {
    await throttling?.close();
    await refusing?.close();
  });

  it('backs off when the emulator throttles, keeps going, and reports what it retried', async () => {
    const out = join(directory, 'throttled.json');
    const result = await mbs([
      'profile',
      '--provider',
      'local',
      '--endpoint',
      throttling.url,
      '--zip',
      zipPath,
      ...SMALL_PLAN,
      '--memories',
      '512,1769',
      '--out',
      out,
      '--json',
    ]);
    expect(result.code, result.err).toBe(EXIT_OK);
    const { retries, measurement } = JSON.parse(result.out);
    expect(retries.total).toBeGreaterThan(3);
    expect(new Set(retries.records.map((retry: { code: string }) => retry.code))).toEqual(
      new Set(['THROTTLED']),
    );
    expect(measurement.points).toHaveLength(8);
    const perPoint = measurement.points.reduce(
      (sum: number, point: { retries: number }) => sum + point.retries,
      0,
    );
    expect(perPoint).toBe(retries.total);
    const log = await readFile(join(directory, 'throttled.measurements.jsonl'), 'utf8');
    expect(log.split('\n').filter((line) => line.includes('"kind":"retry"'))).toHaveLength(
      retries.total,
    );

    const text = await mbs([
      'profile',
      '--provider',
      'local',
      '--endpoint',
      throttling.url,
      '--zip',
      zipPath,
      ...SMALL_PLAN,
      '--memories',
      '512,1769',
      '--out',
      out,
    ]);
    expect(text.code, text.err).toBe(EXIT_OK);
    expect(text.out).toMatch(/law t\(M, c, B\) = a_M \+ b_M \* f\(B \* w_c\)\^k_M/);
    expect(text.out).toMatch(/work response f\(w\)/);
    expect(text.out).toMatch(/within 10 % \(\d+ within 10 % or the point.s confidence interval\)/);
    expect(text.out).toMatch(/fit over 8 point\(s\): \|relative error\| median/);
  });

  it('stops, saying why, when the emulator keeps fewer instances than the memories measured in turn', async () => {
    const small = await startEmulatorServer({ port: 0, maxInstances: 2 });
    try {
      const result = await mbs([
        'profile',
        '--provider',
        'local',
        '--endpoint',
        small.url,
        '--zip',
        zipPath,
        ...SMALL_PLAN,
        '--memories',
        '512,1024,1769',
        '--interleave',
        '3',
        '--out',
        join(directory, 'too-few-instances.json'),
      ]);
      expect(result.code).toBe(EXIT_RUNTIME_ERROR);
      expect(result.err).toMatch(
        /started cold 4 times while 3 functions were measured in turn; .*--max-instances must be at least 3\): lower --interleave/,
      );
    } finally {
      await small.close();
    }
  });

  it('reuses a deployed function, reconfigured to each memory in turn', async () => {
    const created = await mbs([
      'profile',
      '--provider',
      'local',
      '--endpoint',
      throttling.url,
      '--zip',
      zipPath,
      ...SMALL_PLAN,
      '--memories',
      '1769',
      '--prefix',
      'reuse',
      '--out',
      join(directory, 'created.json'),
    ]);
    expect(created.code, created.err).toBe(EXIT_OK);
    const reused = await mbs([
      'profile',
      '--provider',
      'local',
      '--endpoint',
      throttling.url,
      '--function',
      'reuse-m1769',
      '--descriptor',
      'default',
      ...SMALL_PLAN,
      '--memories',
      '512,1024',
      '--concurrency',
      '2',
      '--out',
      join(directory, 'reused.json'),
      '--json',
    ]);
    expect(reused.code, reused.err).toBe(EXIT_OK);
    const { plan, measurement } = JSON.parse(reused.out);
    // One function serves both memories, so they are measured one after the other.
    expect(plan.concurrency).toBe(1);
    expect(plan.interleave).toBe(1);
    expect(plan.functions.map((entry: { functionName: string }) => entry.functionName)).toEqual([
      'reuse-m1769',
      'reuse-m1769',
    ]);
    expect(measurement.points).toHaveLength(8);
    // A new memory starts new instances: a cold start at each.
    expect(measurement.initDurationMs.map((entry: { memoryMb: number }) => entry.memoryMb)).toEqual(
      [512, 1024],
    );
    for (const point of measurement.points) {
      const scale = 1769 / point.memoryMb;
      expect(
        point.meanMs / (sleepingHandlerMs(LAW, point.batchSize, point.size) * scale),
      ).toBeGreaterThan(0.95);
    }
  });

  it('stops with a clear error when the provider refuses every invocation, keeping what it measured', async () => {
    const out = join(directory, 'refused.json');
    // First the 1769 MB points, on an emulator that answers.
    const first = await mbs([
      'profile',
      '--provider',
      'local',
      '--endpoint',
      throttling.url,
      '--zip',
      zipPath,
      ...SMALL_PLAN,
      '--memories',
      '1769',
      '--out',
      out,
      '--prefix',
      'refused',
    ]);
    expect(first.code, first.err).toBe(EXIT_OK);
    const result = await mbs([
      'profile',
      '--provider',
      'local',
      '--endpoint',
      refusing.url,
      '--zip',
      zipPath,
      ...SMALL_PLAN,
      '--memories',
      '512,1769',
      '--max-attempts',
      '3',
      '--out',
      out,
      '--prefix',
      'refused',
    ]);
    expect(result.code).toBe(EXIT_RUNTIME_ERROR);
    expect(result.err).toMatch(
      /refused-m512 \(memory 512 MB, class 0, batch 1\): the provider refused the invocation after 3 attempts/,
    );
    expect(result.err).toMatch(
      /4 measured point\(s\) are kept in .*refused\.measurements\.jsonl; fix the problem and run the same command to resume/,
    );
  });
});
