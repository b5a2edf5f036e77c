// Soak: 100,000 invocations through `mbs run` against the emulator with faults injected
// (throttles, function errors, instance crashes, extra latency), each program in its own process
// as a user runs them. Buffers of B = 1 make every request one invocation, so the count is of
// invocations, not requests. Checks every request has exactly one record (0 lost, 0 duplicated),
// every answered batch's invocation id is in the function's logs exactly once and no logged
// invocation is unclaimed; reports the emulator's RSS at every 10,000 invocations as they happen,
// and checks no instance process outlives the emulator.
//
//   npm run soak                                     100,000 invocations at 500/s
//   npm run soak -- --invocations 20000 --rate 800
//   npm run soak -- --batch-size 4                   B = 4: about invocations x 4 requests
//
// Not part of npm test: it runs for minutes.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { strToU8, zipSync } from 'fflate';
import { commandLine, isRunning, mbs, startEmulator } from './soak-processes.js';
import { followProgress } from './soak-progress.js';
import { checkRecords, readJsonLines, recordsAgree } from './soak-records.js';

const FLAGS = ['invocations', 'rate', 'batch-size', 'max-instances'];
// A misspelt or retired flag (the soak once took --count) must not leave a default run silently.
for (const word of process.argv.slice(2)) {
  if (word.startsWith('--') && !FLAGS.includes(word.slice(2))) {
    throw new Error(
      `unknown flag ${word}; accepted: ${FLAGS.map((flag) => `--${flag}`).join(', ')}`,
    );
  }
}
const argument = (name: string, fallback: number) => {
  const index = process.argv.indexOf(`--${name}`);
  return index === -1 ? fallback : Number(process.argv[index + 1]);
};
const invocationsWanted = argument('invocations', 100_000);
const ratePerSecond = argument('rate', 500);
const batchSize = argument('batch-size', 1);
const maxInstances = argument('max-instances', 8);
if (
  !(
    Number.isInteger(invocationsWanted) &&
    invocationsWanted >= 100 &&
    ratePerSecond > 0 &&
    Number.isFinite(ratePerSecond) &&
    Number.isInteger(batchSize) &&
    batchSize >= 1 &&
    Number.isInteger(maxInstances) &&
    maxInstances >= 1
  )
) {
  throw new Error(
    '--invocations must be an integer >= 100, --rate a number > 0, --batch-size and --max-instances integers >= 1',
  );
}
/** Share of invocations throttled: the batcher retries them, so a few more requests are sent. */
const THROTTLE_RATE = 0.02;
// Requests: B per invocation, and 1 % more than asked, for batches that stay throttled after the
// batcher's retries and so never run.
const requestCount = Math.ceil(invocationsWanted * batchSize * 1.01);
const PROGRESS_EVERY = 10_000;

const ECHO = `exports.handler = async (event) => ({
  results: event.requests.map((request) => ({ id: request.id, ok: true, output: request.input })),
});`;

/** Two classes, a buffer each of batch size B, so two functions share the instance slots. */
function configuration() {
  return {
    schema: 'mbs.configuration',
    version: 1,
    classUpperEdges: [100, 1000],
    pricing: 'aws-x86',
    windows: [
      {
        startSeconds: 0,
        endSeconds: 1e6,
        system: {
          buffers: [0, 1].map((classId) => ({
            firstClass: classId,
            lastClass: classId,
            batchSize,
            timeoutSeconds: 0.05,
            memoryMb: 512,
          })),
        },
      },
    ],
  };
}

const log = (line: string) => process.stdout.write(`${line}\n`);

async function main(): Promise<void> {
  const directory = await mkdtemp(join(tmpdir(), 'mbs-soak-'));
  const path = (name: string) => join(directory, name);
  const { child: emulator, url } = await startEmulator([
    '--no-cpu-scaling',
    '--max-instances',
    String(maxInstances),
    '--fault-seed',
    '7',
    '--fault-throttle-rate',
    String(THROTTLE_RATE),
    '--fault-error-rate',
    '0.01',
    '--fault-crash-rate',
    '0.002',
    '--fault-extra-latency-ms',
    '20',
    '--fault-latency-rate',
    '0.05',
  ]);
  const emulatorExited = new Promise((resolve) => emulator.once('exit', resolve));
  let progress: ReturnType<typeof followProgress> | undefined;
  try {
    await writeFile(path('config.json'), JSON.stringify(configuration()));
    await writeFile(path('echo.zip'), zipSync({ 'index.js': strToU8(ECHO) }));
    const lines = ['timeSeconds,size'];
    for (let index = 0; index < requestCount; index++) {
      lines.push(`${(index / ratePerSecond).toFixed(4)},${index % 3 === 0 ? 500 : 50}`);
    }
    await writeFile(path('trace.csv'), `${lines.join('\n')}\n`);
    const connection = ['--provider', 'local', '--endpoint', url, '--prefix', 'soak'];
    const deployed = await mbs([
      'deploy',
      '--config',
      path('config.json'),
      '--zip',
      path('echo.zip'),
      ...connection,
    ]);
    if (deployed.code !== 0) throw new Error(`deploy failed: ${deployed.err}`);

    log(
      `soak: ${invocationsWanted} invocations wanted: ${requestCount} requests at ${ratePerSecond} req/s, B = ${batchSize}, ${maxInstances} instance slots, against ${url}`,
    );
    progress = followProgress(join(path('run'), 'batches.jsonl'), emulator.pid!, {
      every: PROGRESS_EVERY,
      log,
    });
    progress.start();
    const startedMs = Date.now();
    const ran = await mbs(
      [
        'run',
        '--config',
        path('config.json'),
        '--trace',
        path('trace.csv'),
        '--out',
        path('run'),
        '--max-failed',
        '0.2',
        '--json',
        ...connection,
      ],
      { onStderr: (text) => process.stderr.write(text) },
    );
    const runSeconds = (Date.now() - startedMs) / 1000;
    const followed = await progress.stop();
    progress = undefined;
    const document = JSON.parse(await readFile(join(path('run'), 'run.json'), 'utf8')) as Record<
      string,
      unknown
    >;
    const counts = document.counts as { submitted: number };
    const collectStartedMs = Date.now();
    const collected = await mbs([
      'logs',
      'collect',
      '--config',
      path('config.json'),
      '--since',
      String(Number(document.startEpochMs) - 1000),
      '--until',
      String(Number(document.endEpochMs) + 1000),
      '--out',
      path('run'),
      ...connection,
    ]);
    if (collected.code !== 0) throw new Error(`logs collect failed: ${collected.err}`);
    const collectSeconds = (Date.now() - collectStartedMs) / 1000;
    const requests = await readJsonLines(join(path('run'), 'requests.jsonl'));
    const batches = await readJsonLines(join(path('run'), 'batches.jsonl'));
    const invocations = await readJsonLines(join(path('run'), 'invocations.jsonl'));
    const check = checkRecords(counts.submitted, requests, batches, invocations);

    const [first] = followed.samples;
    log('\ninvocations  seconds  emulator RSS (MB)  growth (MB)  instances');
    for (const sample of followed.samples) {
      log(
        `${String(sample.invocations).padStart(11)}  ${sample.seconds.toFixed(0).padStart(7)}  ${sample.rssMb.toFixed(1).padStart(17)}  ${(sample.rssMb - first!.rssMb).toFixed(1).padStart(11)}  ${String(sample.instances).padStart(9)}`,
      );
    }
    // Faults as the batch records show them; cold starts show whether warm instances were reused.
    const errorCodes = new Map<string, number>();
    for (const batch of batches) {
      const code = (batch.error as { code?: string } | undefined)?.code;
      if (code !== undefined) errorCodes.set(code, (errorCodes.get(code) ?? 0) + 1);
    }
    emulator.kill('SIGTERM');
    await emulatorExited;
    // Instances must not outlive the emulator; a pid reused by another program does not count.
    await new Promise((resolve) => setTimeout(resolve, 2000));
    const orphans = [...followed.instancePids].filter(
      ([pid, command]) => isRunning(pid) && commandLine(pid) === command,
    );
    const result = {
      invocationsWanted,
      requests: requestCount,
      batchSize,
      ratePerSecond,
      runSeconds: Number(runSeconds.toFixed(1)),
      collectSeconds: Number(collectSeconds.toFixed(1)),
      runExitCode: ran.code,
      counts: document.counts,
      batchRecords: batches.length,
      coldStarts: batches.filter((batch) => batch.cold === true).length,
      batchErrors: Object.fromEntries(errorCodes),
      ...check,
      instanceProcessesSeen: followed.instancePids.size,
      orphanInstanceProcesses: orphans.map(([pid]) => pid),
      emulatorRssMb: {
        start: Number(first!.rssMb.toFixed(1)),
        last: Number(followed.samples.at(-1)!.rssMb.toFixed(1)),
      },
    };
    log(JSON.stringify(result, null, 2));
    const ok =
      recordsAgree(check) && check.invocations >= invocationsWanted && orphans.length === 0;
    log(ok ? 'soak: PASS' : 'soak: FAIL');
    process.exitCode = ok ? 0 : 1;
  } finally {
    await progress?.stop();
    emulator.kill('SIGTERM');
    await rm(directory, { recursive: true, force: true });
  }
}

await main();
