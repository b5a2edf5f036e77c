import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { captureIo } from '@mbs/test-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXIT_OK, EXIT_RUNTIME_ERROR, EXIT_USAGE } from '../exit-codes.js';
import { main } from '../main.js';
import { SMALL_SOLVE_GRID } from '../testing/small-solve-grid.js';

async function mbs(args: readonly string[]) {
  const io = captureIo();
  const code = await main(args, io);
  return { code, out: io.out(), err: io.err() };
}

describe('mbs report', () => {
  let directory: string;
  let solvePath: string;
  let replay: string;
  beforeAll(async () => {
    directory = await mkdtemp(join(tmpdir(), 'mbs-report-'));
    solvePath = join(directory, 'solve.json');
    const config = join(directory, 'config.json');
    const solved = await mbs([
      'solve',
      '--json',
      '--out',
      config,
      '--no-baselines',
      ...SMALL_SOLVE_GRID,
      '--slo',
      '2',
    ]);
    expect(solved.code, solved.err).toBe(EXIT_OK);
    await writeFile(solvePath, solved.out);
    replay = join(directory, 'replay');
    const simulated = await mbs([
      'simulate',
      '--config',
      config,
      '--trace',
      'synthetic',
      '--requests',
      '3000',
      '--records',
      replay,
    ]);
    expect(simulated.code, simulated.err).toBe(EXIT_OK);
  });
  /** A run directory with the run.json mbs run writes (the solve's configuration, these counts). */
  async function runDirectory(name: string, counts: Record<string, unknown>): Promise<string> {
    const run = join(directory, name);
    await mkdir(run, { recursive: true });
    const configuration = JSON.parse(await readFile(join(directory, 'config.json'), 'utf8'));
    const document = { schema: 'mbs.run', version: 1, configuration, pricing: 'aws-x86', counts };
    await writeFile(
      join(run, 'run.json'),
      JSON.stringify({ ...document, windowSwitches: [{ traceSeconds: 0, window: 0 }] }),
    );
    return run;
  }
  afterAll(async () => {
    if (directory) await rm(directory, { recursive: true, force: true });
  });

  it('writes one page from a solve result and a replay, and lists its charts', async () => {
    const out = join(directory, 'report.html');
    const result = await mbs([
      'report',
      '--solve',
      solvePath,
      '--replay',
      replay,
      '--out',
      out,
      '--json',
    ]);
    expect(result.code, result.err).toBe(EXIT_OK);
    const summary = JSON.parse(result.out) as {
      figures: string[];
      problems: string[];
      missing: string[];
      bytes: number;
    };
    expect(summary.figures).toEqual(
      expect.arrayContaining([
        'ranges-window-0',
        'cdf-system',
        'cdf-buffer-0',
        'cost-frontier',
        'batches-buffer-0',
        'padding',
        'quantiles',
      ]),
    );
    expect(summary.problems).toEqual([]);
    expect(summary.missing.join(' ')).toContain('No profile');
    const html = await readFile(out, 'utf8');
    expect(Buffer.byteLength(html)).toBe(summary.bytes);
    expect(html).toContain('replay (3000 requests)');
  });

  it('reports what a damaged run directory holds and names each damaged file', async () => {
    const run = await runDirectory('run', { rejectedByCode: { THROTTLED: 2 }, retries: 5 });
    const requests = await readFile(join(replay, 'requests.jsonl'), 'utf8');
    const lines = requests.trimEnd().split('\n');
    // A run cut short: its last line half written.
    await writeFile(join(run, 'requests.jsonl'), `${lines.join('\n').slice(0, -40)}\n`);
    await writeFile(
      join(run, 'batches.jsonl'),
      await readFile(join(replay, 'batches.jsonl'), 'utf8'),
    );
    const out = join(directory, 'run-report.html');
    const result = await mbs(['report', '--run', run, '--out', out]);
    expect(result.code, result.err).toBe(EXIT_OK);
    expect(result.err).toContain(
      `${join(run, 'requests.jsonl')} line ${lines.length}: not valid JSON`,
    );
    expect(result.err).toContain(
      `its last line is cut short or malformed, so only the ${lines.length - 1} record(s) before it are used`,
    );
    expect(result.err).toContain(
      `${join(run, 'invocations.jsonl')} is missing: collect the invocation records with mbs logs collect --out ${run}`,
    );
    const html = await readFile(out, 'utf8');
    expect(html).toContain('Problems with the inputs');
    expect(html).toContain(`only the ${lines.length - 1} record(s) before it are used`);
    expect(html).toContain(`run (${lines.length - 1} requests)`);
    expect(html).toContain('<td>throttled requests</td><td>-</td><td>2</td>');
    expect(html).toContain('<td>retries</td><td>-</td><td>5</td>');
  });

  it('measures a complete run from the billed durations of its invocation records', async () => {
    const run = await runDirectory('complete-run', { rejectedByCode: {}, retries: 0 });
    await writeFile(
      join(run, 'requests.jsonl'),
      await readFile(join(replay, 'requests.jsonl'), 'utf8'),
    );
    const batches = (await readFile(join(replay, 'batches.jsonl'), 'utf8'))
      .trimEnd()
      .split('\n')
      .map(
        (line) =>
          JSON.parse(line) as {
            batchId: string;
            durationMs: number;
            billedDurationMs: number;
            memoryMb: number;
          },
      );
    const joined = batches.map((batch) => ({ ...batch, invocationId: `inv-${batch.batchId}` }));
    await writeFile(
      join(run, 'batches.jsonl'),
      `${joined.map((batch) => JSON.stringify(batch)).join('\n')}\n`,
    );
    const invocations = joined.map((batch, index) => ({
      requestId: batch.invocationId,
      functionName: 'mbs-b0',
      durationMs: batch.durationMs,
      billedDurationMs: batch.billedDurationMs,
      memorySizeMb: batch.memoryMb,
      maxMemoryUsedMb: 200,
      ...(index === 0 ? { initDurationMs: 300 } : {}),
      ...(index === 1 ? { error: { type: 'Runtime.Exit', message: 'crashed' } } : {}),
    }));
    await writeFile(
      join(run, 'invocations.jsonl'),
      `${invocations.map((record) => JSON.stringify(record)).join('\n')}\n`,
    );
    const out = join(directory, 'complete-run.html');
    const result = await mbs(['report', '--run', run, '--out', out, '--json']);
    expect(result.code, result.err).toBe(EXIT_OK);
    expect(JSON.parse(result.out).problems).toEqual([]);
    const html = await readFile(out, 'utf8');
    expect(html).toContain(
      'billed durations of invocations.jsonl joined with the batch and request records',
    );
    expect(html).toContain('<td>cold starts</td><td>-</td><td>1</td>');
    expect(html).toContain('<td>invocation errors</td><td>-</td><td>1</td>');
  });

  it('fails without writing when nothing given is usable, naming every file', async () => {
    const bad = join(directory, 'bad.json');
    await writeFile(bad, '{"percentile": 0.95, "windows": [');
    const empty = join(directory, 'empty');
    await mkdir(empty, { recursive: true });
    const out = join(directory, 'none.html');
    const result = await mbs(['report', '--solve', bad, '--run', empty, '--out', out]);
    expect(result.code).toBe(EXIT_RUNTIME_ERROR);
    expect(result.err).toContain(`${bad} is not valid JSON`);
    expect(result.err).toContain(`${join(empty, 'run.json')} is missing`);
    expect(result.err).toContain('nothing usable in the inputs given');
    const missing = await mbs(['report', '--replay', join(directory, 'no-such-dir'), '--out', out]);
    expect(missing.code).toBe(EXIT_RUNTIME_ERROR);
    expect(missing.err).toContain(`${join(directory, 'no-such-dir')}: no such directory`);
    expect(existsSync(out)).toBe(false);
  });

  it('names the path of a solve result that is JSON but not a solve result', async () => {
    const other = join(directory, 'other.json');
    await writeFile(
      other,
      JSON.stringify({
        percentile: 0.95,
        constraint: { mode: 'latency', sloSeconds: 1 },
        windows: [{}],
      }),
    );
    const result = await mbs(['report', '--solve', other, '--out', join(directory, 'x.html')]);
    expect(result.code).toBe(EXIT_RUNTIME_ERROR);
    expect(result.err).toContain(`${other}: windows[0].solution must be an object`);
  });

  it('is written by mbs solve --report too', async () => {
    const out = join(directory, 'solve-report.html');
    const result = await mbs([
      'solve',
      '--report',
      out,
      '--no-baselines',
      ...SMALL_SOLVE_GRID,
      '--slo',
      '2',
    ]);
    expect(result.code, result.err).toBe(EXIT_OK);
    expect(result.err).toContain(`wrote the report ${out}`);
    const html = await readFile(out, 'utf8');
    expect(html).toContain('id="cdf-system"');
    expect(html).toContain('mbs solve (workload synthetic)');
  });

  it('refuses usage errors', async () => {
    expect((await mbs(['report', '--out', join(directory, 'y.html')])).code).toBe(EXIT_USAGE);
    const window = await mbs([
      'report',
      '--solve',
      solvePath,
      '--window',
      '3',
      '--out',
      join(directory, 'z.html'),
    ]);
    expect(window.code).toBe(EXIT_USAGE);
    expect(window.err).toContain('--window is 3');
  });
});
