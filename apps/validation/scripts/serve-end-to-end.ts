// The acceptance run of `mbs serve`: the first 10,000 requests of the Azure LLM conversation
// trace, sped up 60 times (about 330 requests/s), replayed open-loop over real HTTP by
// `mbs run --target` through `mbs serve` to Lambda functions on the emulator, then summarised by
// `mbs logs summarize` against the model's prediction for the configuration.
//
// The configuration is solved for the load it is served: `mbs solve --trace` on the sped-up
// trace itself. The functions are "profile functions": each sleeps exactly the service time the
// profile given to `mbs solve` lists for its batch (largest class, batch size), less the
// invocation overhead the profile includes, on an emulator without CPU scaling, so the solver's
// profile is the deployed function's law. Needs ../shared/data; prints what it measured.
//
// npx turbo run build && npm run validate:serve -w @mbs/validation [-- --limit 10000 --speed 60 --slo 3]
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { createCsvTraceReader } from '@mbs/trace-formats';
import { strToU8, zipSync } from 'fflate';
import { dataDirectory, realDataPresent, repositoryRoot } from '../src/real-data.js';

const { values } = parseArgs({
  options: {
    limit: { type: 'string', default: '10000' },
    speed: { type: 'string', default: '60' },
    slo: { type: 'string', default: '3' },
    classes: { type: 'string', default: '8' },
    keep: { type: 'boolean', default: false },
  },
});
const LIMIT = Number(values.limit);
const SPEED = Number(values.speed);
/** Service time of a batch: BASE_MS + PER_TOKEN_MS x batch size x its largest class's upper edge. */
const BASE_MS = 150;
const PER_TOKEN_MS = 0.04;
/** Invocation overhead on this machine (SDK, HTTP, emulator hand-off): in the profile, not slept. */
const OVERHEAD_MS = 10;
const MAX_BATCH = 25;
const MEMORIES_MB = [1024, 2048];
const CLI = path.join(repositoryRoot, 'apps', 'cli', 'dist', 'bin.js');

if (!realDataPresent()) {
  console.log(`serve end-to-end: ${dataDirectory} is absent; nothing to validate.`);
  process.exit(0);
}

function cli(args: readonly string[]): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      out += chunk;
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      err += chunk;
    });
    child.once('exit', (code) => resolve({ code, out, err }));
  });
}

async function must(step: string, args: readonly string[]) {
  const started = Date.now();
  const result = await cli(args);
  if (result.code !== 0)
    throw new Error(`${step} failed (${result.code}): ${result.err}\n${result.out}`);
  console.log(`  ${step}: ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return result;
}

function longRunning(
  args: readonly string[],
): Promise<{ url: string; child: ChildProcess; exited: Promise<number | null> }> {
  const child = spawn(process.execPath, [CLI, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
    err += chunk;
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  return new Promise((resolve, reject) => {
    child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
      out += chunk;
      const match = /listening on (http:\/\/\S+)/.exec(out);
      if (match) resolve({ url: match[1]!, child, exited });
    });
    void exited.then((code) => reject(new Error(`mbs ${args[0]} exited ${code}: ${err}`)));
  });
}

/** The profile function: sleeps its batch's service time from the table, less the overhead. */
function profileFunctionSource(
  edges: readonly number[],
  tableMs: readonly (readonly number[])[],
): string {
  return `const EDGES = ${JSON.stringify(edges)};
const TABLE_MS = ${JSON.stringify(tableMs)};
const OVERHEAD_MS = ${OVERHEAD_MS};
function classOf(size) {
  for (let index = 0; index < EDGES.length; index++) if (size <= EDGES[index]) return index;
  return EDGES.length - 1;
}
exports.handler = async (event) => {
  let largest = 0;
  for (const request of event.requests) largest = Math.max(largest, classOf(request.input.size));
  const row = TABLE_MS[largest];
  const serviceMs = row[Math.min(event.requests.length, row.length) - 1] - OVERHEAD_MS;
  await new Promise((resolve) => setTimeout(resolve, serviceMs));
  return { results: event.requests.map((request) => ({ id: request.id, ok: true, output: { classId: classOf(request.input.size) } })) };
};
`;
}

const directory = await mkdtemp(path.join(tmpdir(), 'mbs-serve-azure-'));
const file = (name: string) => path.join(directory, name);
const processes: ChildProcess[] = [];
try {
  console.log(
    `serve end-to-end: Azure LLM conversation trace, first ${LIMIT} requests at speed ${SPEED}, in ${directory}`,
  );
  // The trace as it is served: times divided by the speed, from the first arrival.
  const lines = ['timeSeconds,size'];
  let first: number | undefined;
  for await (const arrival of createCsvTraceReader().read(
    path.join(dataDirectory, 'azure-llm-conv-2023.csv'),
  )) {
    if (lines.length > LIMIT) break;
    first ??= arrival.timeSeconds;
    lines.push(`${((arrival.timeSeconds - first) / SPEED).toFixed(6)},${arrival.size}`);
  }
  const spanSeconds = Number(lines.at(-1)!.split(',')[0]);
  await writeFile(file('trace.csv'), `${lines.join('\n')}\n`);
  console.log(
    `  ${LIMIT} requests over ${spanSeconds.toFixed(1)} s: ${(LIMIT / spanSeconds).toFixed(1)} requests/s offered`,
  );

  const fitted = await must('mbs fit', [
    'fit',
    file('trace.csv'),
    '--classes',
    values.classes!,
    '--out',
    file('workload.json'),
  ]);
  void fitted;
  const workload = JSON.parse(await readFile(file('workload.json'), 'utf8')) as {
    classUpperEdges: number[];
  };
  const edges = workload.classUpperEdges;
  const tableMs = edges.map((edge) =>
    Array.from(
      { length: MAX_BATCH },
      (_, index) => BASE_MS + OVERHEAD_MS + PER_TOKEN_MS * (index + 1) * edge,
    ),
  );
  await writeFile(
    file('profile.json'),
    JSON.stringify({
      service_time: Object.fromEntries(MEMORIES_MB.map((memory) => [String(memory), tableMs])),
    }),
  );
  await must('mbs solve', [
    'solve',
    '--trace',
    file('trace.csv'),
    '--classes',
    values.classes!,
    '--profile',
    file('profile.json'),
    '--slo',
    values.slo!,
    '--range-fits',
    '--no-baselines',
    '--out',
    file('config.json'),
  ]);
  const config = JSON.parse(await readFile(file('config.json'), 'utf8'));
  const window = config.windows[0];
  console.log(
    `  configuration: ${window.system.buffers.map((buffer: { firstClass: number; lastClass: number; batchSize: number; timeoutSeconds: number; memoryMb: number }) => `[${buffer.firstClass}-${buffer.lastClass}] B=${buffer.batchSize} T=${buffer.timeoutSeconds}s M=${buffer.memoryMb}`).join('  ')}`,
  );
  console.log(
    `  model: p95 ${window.prediction.latencyPercentileSeconds.toFixed(3)} s, $${(window.prediction.costPerRequestUsd * 1e6).toFixed(3)} per 1M requests, ${window.prediction.invocationsPerSecond.toFixed(1)} invocations/s`,
  );
  await writeFile(
    file('handler.zip'),
    zipSync({ 'index.js': strToU8(profileFunctionSource(edges, tableMs)) }),
  );

  const emulator = await longRunning([
    'emulator',
    'start',
    '--port',
    '0',
    '--no-cpu-scaling',
    '--isolation',
    'thread',
    '--max-instances',
    '400',
  ]);
  processes.push(emulator.child);
  const local = ['--provider', 'local', '--endpoint', emulator.url];
  await must('mbs deploy', [
    'deploy',
    '--config',
    file('config.json'),
    '--zip',
    file('handler.zip'),
    '--function-timeout',
    '60',
    ...local,
  ]);
  // Warm-up: start the instances the bursts need (Lambda keeps them warm too); not measured.
  await must('warm-up (mbs run, 3,000 requests)', [
    'run',
    '--config',
    file('config.json'),
    '--trace',
    file('trace.csv'),
    '--input',
    'size',
    '--limit',
    '3000',
    ...local,
    '--out',
    file('warm-up'),
  ]);
  await new Promise((resolve) => setTimeout(resolve, 1000));

  const records = file('served');
  await mkdir(records, { recursive: true });
  const server = await longRunning([
    'serve',
    '--config',
    file('config.json'),
    ...local,
    '--port',
    '0',
    '--records',
    records,
  ]);
  processes.push(server.child);
  const ran = await cli([
    'run',
    '--config',
    file('config.json'),
    '--trace',
    file('trace.csv'),
    '--input',
    'size',
    '--limit',
    String(LIMIT),
    '--target',
    server.url,
    '--out',
    file('client'),
    '--json',
  ]);
  const client = JSON.parse(ran.out);
  console.log(
    `  mbs run --target: sent ${client.sent}, answers ${JSON.stringify(client.answersByStatus)}, at most ${(client.replay.maxLagSeconds * 1000).toFixed(1)} ms behind schedule`,
  );
  server.child.kill('SIGTERM');
  const serveExit = await server.exited;
  console.log(`  mbs serve exited ${serveExit} after SIGTERM`);
  const served = JSON.parse(await readFile(path.join(records, 'serve.json'), 'utf8'));
  await must('mbs logs collect', [
    'logs',
    'collect',
    '--config',
    file('config.json'),
    '--since',
    String(served.startEpochMs),
    '--until',
    String(served.endEpochMs + 2000),
    '--out',
    records,
    ...local,
  ]);
  const summarized = await must('mbs logs summarize', [
    'logs',
    'summarize',
    records,
    '--config',
    file('config.json'),
    '--json',
  ]);
  const text = await must('mbs logs summarize (text)', [
    'logs',
    'summarize',
    records,
    '--config',
    file('config.json'),
  ]);
  const summary = JSON.parse(summarized.out);
  const row = (metric: string) =>
    summary.comparison.find((entry: { metric: string }) => entry.metric === metric);
  const p95 = row('latencyPercentileSeconds');
  const cost = row('costPerRequestUsd');
  console.log(text.out);
  const within = Math.abs(p95.relativeError) <= 0.05 && Math.abs(cost.relativeError) <= 0.05;
  console.log(
    `RESULT: measured p95 ${p95.measured.toFixed(3)} s vs model ${p95.predicted.toFixed(3)} s (${(p95.relativeError * 100).toFixed(2)} %); cost per request $${(cost.measured * 1e6).toFixed(3)} vs $${(cost.predicted * 1e6).toFixed(3)} per 1M (${(cost.relativeError * 100).toFixed(2)} %); within 5 %: ${within ? 'yes' : 'NO'} (load average ${loadavg()[0]!.toFixed(1)} on ${availableParallelism()} cores: sleeping functions run late on a busy machine)`,
  );
  // A validation that misses its goal must not exit 0.
  if (!within) process.exitCode = 1;
} finally {
  for (const child of processes) if (child.exitCode === null) child.kill('SIGTERM');
  if (!values.keep) await rm(directory, { recursive: true, force: true });
}
