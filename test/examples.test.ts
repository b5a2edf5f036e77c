import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { testObjective, testPricing, testTraceReader } from '@mbs/test-utils';
import { afterAll, describe, expect, it } from 'vitest';
import { createCloudRunPricing } from '../examples/cloud-run-pricing/index.js';
import { createJsonLinesTraceReader } from '../examples/jsonl-trace-reader/index.js';
import { createPercentilesObjective } from '../examples/p99-p50-objective/index.js';
import { installEnvironment, packAndInstall } from './support/pack.js';
import { repositoryRoot } from './support/workspaces.js';

// The plugins of examples/, as users outside the repository write them: each passes the contract
// suite of @mbs/testing for its kind, and, packed and installed with the CLI in an empty folder and
// named in an mbs.config.mjs, reaches `npx mbs solve` through --format, --pricing and --objective.

const scratch = mkdtempSync(path.join(tmpdir(), 'mbs-examples-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** Ten minutes of arrivals at 20 per second, sizes cycling through 8 classes, as JSON lines. */
function jsonLinesTrace(): string {
  const lines: string[] = [];
  for (let index = 0; index < 12_000; index++) {
    lines.push(JSON.stringify({ t: index * 0.05, size: 64 * (1 + ((index * 7) % 8)) }));
  }
  return `${lines.join('\n')}\n`;
}

const tracePath = path.join(scratch, 'trace.jsonl');
writeFileSync(tracePath, jsonLinesTrace());
writeFileSync(path.join(scratch, 'trace.csv'), 'timestamp,size\n');

testTraceReader('examples/jsonl-trace-reader', () => createJsonLinesTraceReader(), {
  fixtures: [{ source: tracePath, arrivals: 12_000 }],
  foreignSource: path.join(scratch, 'trace.csv'),
});
testPricing('examples/cloud-run-pricing', () => createCloudRunPricing());
testObjective(
  'examples/p99-p50-objective',
  () => createPercentilesObjective({ limits: { 0.99: 3, 0.5: 0.5 }, perClass: true }),
  { percentile: 0.99 },
);

const CONFIG = `import { createCloudRunPricing } from 'mbs-example-cloud-run-pricing';
import { createJsonLinesTraceReader } from 'mbs-example-jsonl-trace-reader';
import { createPercentilesObjective } from 'mbs-example-p99-p50-objective';

export default {
  plugins: {
    'trace-reader': [createJsonLinesTraceReader()],
    pricing: [createCloudRunPricing()],
    objective: [createPercentilesObjective({ limits: { 0.99: 3, 0.5: 0.5 } })],
  },
};
`;

describe('the example plugins, installed from their tarballs', () => {
  it('reach npx mbs solve through mbs.config.mjs, and mbs plugins lists them with their source', () => {
    const examples = ['jsonl-trace-reader', 'cloud-run-pricing', 'p99-p50-objective'].map((name) =>
      path.join(repositoryRoot, 'examples', name),
    );
    const { project } = packAndInstall(['@mbs/core', '@mbs/cli'], scratch, 'project', examples);
    writeFileSync(path.join(project, 'mbs.config.mjs'), CONFIG);
    const mbs = (...args: string[]) =>
      execFileSync('npx', ['--no-install', 'mbs', ...args], {
        cwd: project,
        encoding: 'utf8',
        env: installEnvironment,
        stdio: ['ignore', 'pipe', 'pipe'],
      });
    const listed = JSON.parse(mbs('plugins', '--json')) as Record<string, string>[];
    const configPath = path.join(project, 'mbs.config.mjs');
    for (const [kind, name] of [
      ['trace-reader', 'jsonl'],
      ['pricing', 'cloud-run'],
      ['objective', 'p99-p50'],
    ]) {
      expect(listed.find((plugin) => plugin.kind === kind && plugin.name === name)).toMatchObject({
        source: 'config',
        path: configPath,
      });
    }
    expect(listed.find((plugin) => plugin.name === 'latency-slo')).toMatchObject({
      kind: 'objective',
      source: 'builtin',
    });

    const solved = JSON.parse(
      mbs(
        'solve',
        '--trace',
        tracePath,
        '--format',
        'jsonl',
        '--pricing',
        'cloud-run',
        '--objective',
        'p99-p50',
        '--percentile',
        '0.99',
        '--classes',
        '4',
        '--buffers',
        '2',
        '--max-batch-size',
        '6',
        '--timeout-steps',
        '4',
        '--memories',
        '1024,2048',
        '--split-shares',
        'none',
        '--json',
      ),
    ) as {
      pricing: string;
      objective: string;
      windows: {
        solution: { feasible: boolean; costPerRequestUsd: number };
        assessment: { feasible: boolean; score: number };
      }[];
      configuration: { pricing: string };
    };
    expect(solved.pricing).toBe('cloud-run');
    expect(solved.objective).toBe('p99-p50');
    expect(solved.configuration.pricing).toBe('cloud-run');
    const window = solved.windows[0]!;
    expect(window.assessment.feasible).toBe(true);
    expect(window.solution.feasible).toBe(true);
    expect(window.assessment.score).toBe(window.solution.costPerRequestUsd);
    // Cloud-Run-like prices: at least the $0.40 per million request fee, shared by a batch of up
    // to 6, and far below a dollar per request.
    expect(window.solution.costPerRequestUsd).toBeGreaterThan(0.0000004 / 6);
    expect(window.solution.costPerRequestUsd).toBeLessThan(0.01);
  }, 300_000);
});
