import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { captureIo } from '@mbs/test-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXIT_OK, EXIT_USAGE } from '../exit-codes.js';
import { main } from '../main.js';

const buffer = (firstClass: number, lastClass: number, batchSize: number, memoryMb = 1769) => ({
  firstClass,
  lastClass,
  firstClassShare: 1,
  lastClassShare: 1,
  batchSize,
  timeoutSeconds: 0.1,
  memoryMb,
});

const configuration = {
  schema: 'mbs.configuration',
  version: 1,
  classUpperEdges: [100, 1000],
  pricing: 'aws-arm64',
  windows: [
    {
      startSeconds: 0,
      endSeconds: 60,
      system: { buffers: [buffer(0, 0, 4), buffer(1, 1, 2, 3008)] },
      prediction: {
        percentile: 0.9,
        latencyPercentileSeconds: 0.2,
        meanLatencySeconds: 0.1,
        costPerRequestUsd: 1e-6,
        invocationsPerSecond: 5,
        paddingShare: 0.1,
      },
    },
  ],
};

const workload = {
  schema: 'mbs.workload',
  version: 1,
  source: 'test',
  classUpperEdges: [100, 1000],
  classRepresentativeSizes: [100, 1000],
  windows: [
    {
      startSeconds: 0,
      endSeconds: 60,
      arrivals: 600,
      map: { d0: [[-20]], d1: [[20]] },
      classShares: [0.75, 0.25],
    },
  ],
};

// An MBS-format profile: 2 classes, batch 1..4, at 1769 and 3008 MB.
const profile = {
  service_time: {
    1769: [
      [100, 150, 200, 250],
      [300, 450, 600, 750],
    ],
    3008: [
      [80, 120, 160, 200],
      [200, 300, 400, 500],
    ],
  },
};

let directory: string;
const path = (name: string) => join(directory, name);

beforeAll(async () => {
  directory = await mkdtemp(join(tmpdir(), 'mbs-simulate-'));
  await writeFile(path('config.json'), JSON.stringify(configuration));
  await writeFile(path('workload.json'), JSON.stringify(workload));
  await writeFile(path('profile.json'), JSON.stringify(profile));
});

afterAll(async () => {
  await rm(directory, { recursive: true, force: true });
});

async function simulate(...args: string[]) {
  const io = captureIo();
  const code = await main(['simulate', '--config', path('config.json'), ...args], io);
  return { code, io };
}

describe('mbs simulate', () => {
  it('samples a workload and prints the same JSON summary for the same seed', async () => {
    const args = [
      '--workload',
      path('workload.json'),
      '--requests',
      '3000',
      '--seed',
      '5',
      '--json',
    ];
    const first = await simulate(...args);
    expect(first.code).toBe(EXIT_OK);
    const result = JSON.parse(first.io.out());
    expect(result.profile).toBe('parametric');
    expect(result.pricing).toBe('aws-arm64');
    expect(result.summary.overall.requests).toBe(3000);
    expect(result.summary.buffers).toHaveLength(2);
    // Class 0 holds 75% of the requests, and it alone goes to buffer 0.
    expect(Math.abs(result.summary.buffers[0].requests / 3000 - 0.75)).toBeLessThan(0.04);
    expect(result.summary.overall.latencyPercentilesSeconds['0.9']).toBeGreaterThan(0);
    expect((await simulate(...args)).io.out()).toBe(first.io.out());
    const other = await simulate(...args.slice(0, -3), '--seed', '6', '--json');
    expect(other.io.out()).not.toBe(first.io.out());
  });

  it('replays a trace with an MBS profile file and writes the records', async () => {
    const { code, io } = await simulate(
      '--trace',
      'synthetic:seed=3,count=400',
      '--profile',
      path('profile.json'),
      '--pricing',
      'aws-x86',
      '--records',
      path('records'),
    );
    expect(code).toBe(EXIT_OK);
    expect(io.out()).toMatch(/400 requests over/);
    expect(io.out()).toMatch(/profile profile, pricing aws-x86/);
    expect(io.out()).toMatch(/^all\s/m);
    expect(io.out()).toMatch(/model vs replay: p90/);
    const requests = (await readFile(path('records/requests.jsonl'), 'utf8')).trim().split('\n');
    const batches = (await readFile(path('records/batches.jsonl'), 'utf8')).trim().split('\n');
    expect(requests).toHaveLength(400);
    const sizes = batches.map((line) => JSON.parse(line).size as number);
    expect(sizes.reduce((sum, size) => sum + size, 0)).toBe(400);
    expect(JSON.parse(requests[0]!)).toMatchObject({
      requestId: expect.any(String),
      buffer: expect.any(Number),
    });
  });

  it('refuses bad usage with exit code 2', async () => {
    const cases: [string[], RegExp][] = [
      [[], /exactly one/],
      [['--trace', 'synthetic', '--workload', path('workload.json')], /exactly one/],
      [['--workload', path('workload.json'), '--window', '3'], /--window is 3/],
      [['--workload', path('workload.json'), '--requests', '0'], /--requests is 0/],
      [['--workload', path('workload.json'), '--profile', 'nowhere'], /--profile nowhere/],
      [['--workload', path('workload.json'), '--pricing', 'gcp'], /--pricing gcp/],
      [['--workload', path('workload.json'), '--percentile', '95'], /--percentile is 95/],
    ];
    for (const [args, pattern] of cases) {
      const { code, io } = await simulate(...args);
      expect(code, args.join(' ')).toBe(EXIT_USAGE);
      expect(io.err()).toMatch(pattern);
    }
  });
});
