// Soak: N invocations' worth of requests through `mbs run` against the emulator with faults
// injected (throttles, function errors, instance crashes, extra latency), in separate processes
// as a user runs them. Checks every request has exactly one record (0 lost, 0 duplicated), every
// request record's batch exists, every successful batch's invocation id appears once in the
// emulator's logs; reports the emulator's RSS per 10,000 requests.
//
//   npm run soak                  100,000 requests
//   npm run soak -- --count 20000
//
// Not part of npm test: it runs for minutes.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { strToU8, zipSync } from 'fflate';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const bin = join(root, 'apps', 'cli', 'dist', 'bin.js');

const argument = (name: string, fallback: number) => {
  const index = process.argv.indexOf(`--${name}`);
  return index === -1 ? fallback : Number(process.argv[index + 1]);
};
const count = argument('count', 100_000);
const ratePerSecond = argument('rate', 1000);
if (!(Number.isInteger(count) && count >= 10 && ratePerSecond > 0)) {
  throw new Error('--count must be an integer >= 10 and --rate > 0');
}

const ECHO = `exports.handler = async (event) => ({
  results: event.requests.map((request) => ({ id: request.id, ok: true, output: request.input })),
});`;

function mbs(args: string[], options: { onStderr?: (text: string) => void } = {}) {
  return new Promise<{ code: number | null; out: string; err: string }>((resolve) => {
    const child = spawn(process.execPath, [bin, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk;
    });
    child.stderr.on('data', (chunk: Buffer) => {
      err += chunk;
      options.onStderr?.(String(chunk));
    });
    child.on('close', (code) => resolve({ code, out, err }));
  });
}

function startEmulator(): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(
    process.execPath,
    [
      bin,
      'emulator',
      'start',
      '--port',
      '0',
      '--json',
      '--no-cpu-scaling',
      '--max-instances',
      '8',
      '--fault-seed',
      '7',
      '--fault-throttle-rate',
      '0.02',
      '--fault-error-rate',
      '0.01',
      '--fault-crash-rate',
      '0.002',
      '--fault-extra-latency-ms',
      '20',
      '--fault-latency-rate',
      '0.05',
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  return new Promise((resolve, reject) => {
    let text = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      text += chunk;
      const match = /"url":\s*"([^"]+)"/.exec(text);
      if (match) resolve({ child, url: match[1]! });
    });
    child.on('exit', (code) => reject(new Error(`emulator exited with ${code}: ${text}`)));
  });
}

async function rssMb(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1]);
  return kb / 1024;
}

const readLines = async (path: string) =>
  (await readFile(path, 'utf8'))
    .split('\n')
    .filter((line) => line.length > 0)
    .map((line) => JSON.parse(line) as Record<string, unknown>);

async function main(): Promise<void> {
  const directory = await mkdtemp(join(tmpdir(), 'mbs-soak-'));
  const { child: emulator, url } = await startEmulator();
  const rssSamples: { atMs: number; rssMb: number }[] = [];
  const sampler = setInterval(() => {
    rssMb(emulator.pid!).then(
      (value) => rssSamples.push({ atMs: Date.now(), rssMb: value }),
      () => {},
    );
  }, 500);
  try {
    const config = {
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
              batchSize: 16,
              timeoutSeconds: 0.05,
              memoryMb: 512,
            })),
          },
        },
      ],
    };
    const paths = (name: string) => join(directory, name);
    await writeFile(paths('config.json'), JSON.stringify(config));
    await writeFile(paths('echo.zip'), zipSync({ 'index.js': strToU8(ECHO) }));
    const lines = ['timeSeconds,size'];
    for (let index = 0; index < count; index++) {
      lines.push(`${(index / ratePerSecond).toFixed(4)},${index % 3 === 0 ? 500 : 50}`);
    }
    await writeFile(paths('trace.csv'), `${lines.join('\n')}\n`);
    const connection = ['--provider', 'local', '--endpoint', url, '--prefix', 'soak'];
    const deployed = await mbs([
      'deploy',
      '--config',
      paths('config.json'),
      '--zip',
      paths('echo.zip'),
      ...connection,
    ]);
    if (deployed.code !== 0) throw new Error(`deploy failed: ${deployed.err}`);
    const startRss = await rssMb(emulator.pid!);
    const startedMs = Date.now();
    console.log(
      `soak: ${count} requests at ${ratePerSecond} req/s against ${url}, emulator RSS ${startRss.toFixed(1)} MB`,
    );
    const ran = await mbs(
      [
        'run',
        '--config',
        paths('config.json'),
        '--trace',
        paths('trace.csv'),
        '--out',
        paths('run'),
        '--max-failed',
        '0.2',
        '--json',
        ...connection,
      ],
      { onStderr: (text) => process.stderr.write(text) },
    );
    const runSeconds = (Date.now() - startedMs) / 1000;
    const document = JSON.parse(await readFile(join(paths('run'), 'run.json'), 'utf8'));
    const requests = await readLines(join(paths('run'), 'requests.jsonl'));
    const batches = await readLines(join(paths('run'), 'batches.jsonl'));
    const collected = await mbs([
      'logs',
      'collect',
      '--config',
      paths('config.json'),
      '--since',
      String(document.startEpochMs - 1000),
      '--until',
      String(document.endEpochMs + 1000),
      '--out',
      paths('run'),
      ...connection,
    ]);
    if (collected.code !== 0) throw new Error(`logs collect failed: ${collected.err}`);
    const invocations = await readLines(join(paths('run'), 'invocations.jsonl'));

    // 0 lost, 0 duplicated: one record per submitted request, ids unique.
    const requestIds = new Set(requests.map((record) => record.requestId));
    const duplicatedRequests = requests.length - requestIds.size;
    const lostRequests = document.counts.submitted - requestIds.size;
    const batchIds = new Set(batches.map((record) => record.batchId));
    const orphanRequests = requests.filter((record) => !batchIds.has(record.batchId)).length;
    const batchedRequests = batches.reduce((sum, record) => sum + Number(record.size), 0);
    const invocationCounts = new Map<string, number>();
    for (const record of invocations) {
      const id = String(record.requestId);
      invocationCounts.set(id, (invocationCounts.get(id) ?? 0) + 1);
    }
    const duplicatedInvocations = [...invocationCounts.values()].filter((n) => n > 1).length;
    const answered = batches.filter((record) => record.invocationId !== undefined);
    const unmatchedBatches = answered.filter(
      (record) => invocationCounts.get(String(record.invocationId)) !== 1,
    ).length;

    // Emulator RSS when each 10,000th request completed.
    const completions = requests
      .map((record) => document.startEpochMs + Number(record.completionSeconds) * 1000)
      .sort((a, b) => a - b);
    const rssAt = (atMs: number) =>
      rssSamples.reduce(
        (best, sample) =>
          Math.abs(sample.atMs - atMs) < Math.abs(best.atMs - atMs) ? sample : best,
        rssSamples[0] ?? { atMs, rssMb: Number.NaN },
      ).rssMb;
    console.log('\nrequests  emulator RSS (MB)  growth since start (MB)');
    for (let done = 10_000; done <= completions.length; done += 10_000) {
      const rss = rssAt(completions[done - 1]!);
      console.log(
        `${String(done).padStart(8)}  ${rss.toFixed(1).padStart(17)}  ${(rss - startRss).toFixed(1).padStart(23)}`,
      );
    }
    const endRss = await rssMb(emulator.pid!);
    const result = {
      count,
      runSeconds: Number(runSeconds.toFixed(1)),
      exitCode: ran.code,
      counts: document.counts,
      verdict: document.verdict,
      requestRecords: requests.length,
      batchRecords: batches.length,
      invocationRecords: invocations.length,
      lostRequests,
      duplicatedRequests,
      orphanRequests,
      batchedRequestsMinusRecords: batchedRequests - requests.length,
      duplicatedInvocations,
      answeredBatchesWithoutExactlyOneInvocation: unmatchedBatches,
      emulatorRssMb: { start: Number(startRss.toFixed(1)), end: Number(endRss.toFixed(1)) },
      rssGrowthMbPer10k: Number((((endRss - startRss) / requests.length) * 10_000).toFixed(2)),
    };
    console.log(JSON.stringify(result, null, 2));
    const ok =
      lostRequests === 0 &&
      duplicatedRequests === 0 &&
      orphanRequests === 0 &&
      batchedRequests === requests.length &&
      duplicatedInvocations === 0 &&
      unmatchedBatches === 0;
    console.log(ok ? 'soak: PASS' : 'soak: FAIL');
    process.exitCode = ok ? 0 : 1;
  } finally {
    clearInterval(sampler);
    emulator.kill('SIGTERM');
    await rm(directory, { recursive: true, force: true });
  }
}

await main();
