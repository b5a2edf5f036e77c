import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { captureIo } from '@mbs/test-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXIT_OK, EXIT_RUNTIME_ERROR, EXIT_USAGE } from '../exit-codes.js';
import { main } from '../main.js';
import {
  JSON_LINES_CONFIG_SOURCE,
  JSON_LINES_CONFIG_TS_SOURCE,
  JSON_LINES_READER_SOURCE,
  PRICING_AND_PROVIDER_SOURCE,
} from '../testing/plugin-modules.js';
import { SMALL_SOLVE_GRID } from '../testing/small-solve-grid.js';
import { findConfigFile } from './config-file.js';

let root: string;
/** A fresh directory under the test's root, with the given files. */
async function project(name: string, files: Record<string, string>): Promise<string> {
  const directory = join(root, name);
  for (const [file, text] of Object.entries(files)) {
    await mkdir(join(directory, file, '..'), { recursive: true });
    await writeFile(join(directory, file), text);
  }
  await mkdir(directory, { recursive: true });
  return directory;
}

/** Runs mbs in `cwd`; the JSON it printed, its exit code and its stderr. */
async function mbs(cwd: string, ...args: string[]) {
  const io = captureIo();
  const code = await main(args, io, { cwd });
  return { code, out: io.out(), err: io.err() };
}

/** Two minutes of arrivals at 5 per second, sizes cycling 100..800, as JSON lines. */
function jsonLinesTrace(): string {
  const lines: string[] = [];
  for (let index = 0; index < 600; index++) {
    lines.push(JSON.stringify({ t: index * 0.2, size: 100 * (1 + (index % 8)) }));
    if (index === 300) lines.push('');
  }
  return `${lines.join('\n')}\n`;
}

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'mbs-plugin-loading-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('findConfigFile', () => {
  it('finds mbs.config.* in the directory, else the nearest parent, else none', async () => {
    const top = await project('find', { 'mbs.config.mjs': 'export default {};' });
    const nested = await project('find/a/b', {});
    expect(await findConfigFile(top)).toBe(join(top, 'mbs.config.mjs'));
    expect(await findConfigFile(nested)).toBe(join(top, 'mbs.config.mjs'));
    const inner = await project('find/a/b/c', { 'mbs.config.js': 'export default {};' });
    expect(await findConfigFile(inner)).toBe(join(inner, 'mbs.config.js'));
    expect(await findConfigFile(await project('none', {}))).toBe(undefined);
  });

  it('refuses two config files in one directory, naming both', async () => {
    const both = await project('both', {
      'mbs.config.js': 'export default {};',
      'mbs.config.mjs': 'export default {};',
    });
    await expect(findConfigFile(both)).rejects.toMatchObject({
      code: 'CONFIG_INVALID',
      message: expect.stringMatching(/holds 2 config files \(mbs\.config\.js, mbs\.config\.mjs\)/),
    });
  });
});

describe('plugins from mbs.config and --plugin', () => {
  it('solves a JSON-lines trace with a reader defined in mbs.config.mjs (--format jsonl)', async () => {
    const cwd = await project('jsonl', {
      'mbs.config.mjs': JSON_LINES_CONFIG_SOURCE,
      'trace.jsonl': jsonLinesTrace(),
    });
    const trace = join(cwd, 'trace.jsonl');
    const args = ['solve', '--trace', trace, ...SMALL_SOLVE_GRID, '--no-baselines'];
    const solved = await mbs(cwd, ...args, '--format', 'jsonl', '--slo', '2', '--json');
    expect(solved.code, solved.err).toBe(EXIT_OK);
    const result = JSON.parse(solved.out);
    expect(result.workload).toBe(trace);
    expect(result.windows[0].arrivals).toBe(600);
    expect(result.configuration.sizeUnit).toBe('tokens');
    // Detected without --format too, by the plugin's canRead.
    const detected = await mbs(cwd, ...args, '--slo', '2', '--json');
    const detectedSolution = JSON.parse(detected.out).windows[0].solution;
    expect(detectedSolution.system).toEqual(result.windows[0].solution.system);
    expect(detectedSolution.costPerRequestUsd).toBe(result.windows[0].solution.costPerRequestUsd);
    // The same reader serves mbs trace stats, which counts the blank line it skipped.
    const stats = await mbs(cwd, 'trace', 'stats', trace, '--json');
    expect(JSON.parse(stats.out)).toMatchObject({
      count: 600,
      format: 'jsonl',
      read: { skipped: { blank: 1 } },
    });
  });

  it('loads mbs.config.ts on this Node (jiti where Node does not strip types)', async () => {
    const cwd = await project('typescript', {
      'mbs.config.ts': JSON_LINES_CONFIG_TS_SOURCE,
      'trace.jsonl': jsonLinesTrace(),
    });
    const trace = join(cwd, 'trace.jsonl');
    const stats = await mbs(cwd, 'trace', 'stats', trace, '--format', 'jsonl', '--json');
    expect(stats.code, stats.err).toBe(EXIT_OK);
    expect(JSON.parse(stats.out).count).toBe(600);
  });

  it('lists every plugin with its source: builtin, the config file, --plugin', async () => {
    const cwd = await project('listing', {
      'mbs.config.mjs': JSON_LINES_CONFIG_SOURCE,
      'plugins/extra.mjs': PRICING_AND_PROVIDER_SOURCE,
    });
    const listed = await mbs(cwd, 'plugins', '--plugin', './plugins/extra.mjs', '--json');
    expect(listed.code, listed.err).toBe(EXIT_OK);
    const plugins = JSON.parse(listed.out) as Record<string, string>[];
    const find = (kind: string, name: string) =>
      plugins.find((plugin) => plugin.kind === kind && plugin.name === name);
    expect(find('pricing', 'aws-x86')).toMatchObject({ source: 'builtin' });
    expect(find('trace-reader', 'jsonl')).toEqual({
      kind: 'trace-reader',
      name: 'jsonl',
      description: 'JSON lines: {"t": seconds, "size": n} per line',
      source: 'config',
      path: join(cwd, 'mbs.config.mjs'),
    });
    expect(find('pricing', 'double-x86')).toMatchObject({
      source: 'option',
      specifier: './plugins/extra.mjs',
      path: join(cwd, 'plugins/extra.mjs'),
    });
    expect(find('provider', 'echo')).toMatchObject({ source: 'option' });
    const text = await mbs(cwd, 'plugins', '--plugin=./plugins/extra.mjs');
    expect(text.out).toMatch(/trace-reader\s+jsonl\s+\S*mbs\.config\.mjs\s/);
    expect(text.out).toMatch(/pricing\s+double-x86\s+--plugin \.\/plugins\/extra\.mjs\s/);
  });

  it('takes --plugin as an installed package, ESM-only exports included', async () => {
    const cwd = await project('package', {
      'node_modules/mbs-plugin-jsonl/package.json': JSON.stringify({
        name: 'mbs-plugin-jsonl',
        type: 'module',
        exports: { '.': { import: './index.js' } },
      }),
      'node_modules/mbs-plugin-jsonl/index.js': JSON_LINES_CONFIG_SOURCE,
    });
    const listed = await mbs(cwd, 'plugins', '--plugin', 'mbs-plugin-jsonl', '--json');
    expect(listed.code, listed.err).toBe(EXIT_OK);
    expect(JSON.parse(listed.out)).toContainEqual(
      expect.objectContaining({
        name: 'jsonl',
        source: 'option',
        path: join(cwd, 'node_modules/mbs-plugin-jsonl/index.js'),
      }),
    );
  });

  it('uses a registered pricing plugin in solve, not AWS pricing built by hand', async () => {
    const cwd = await project('pricing', { 'extra.mjs': PRICING_AND_PROVIDER_SOURCE });
    const args = ['solve', ...SMALL_SOLVE_GRID, '--no-baselines', '--slo', '2', '--json'];
    const x86 = JSON.parse((await mbs(cwd, ...args)).out);
    const doubled = await mbs(cwd, ...args, '--plugin', './extra.mjs', '--pricing', 'double-x86');
    expect(doubled.code, doubled.err).toBe(EXIT_OK);
    const result = JSON.parse(doubled.out);
    expect(result.pricing).toBe('double-x86');
    expect(result.configuration.pricing).toBe('double-x86');
    // Twice the GB-second price: ours costs more than at x86 prices, and at most twice as much.
    const cost = result.windows[0].solution.costPerRequestUsd;
    const x86Cost = x86.windows[0].solution.costPerRequestUsd;
    expect(cost).toBeGreaterThan(x86Cost * 1.5);
    expect(cost).toBeLessThanOrEqual(x86Cost * 2);
  });

  it('names the registered plugins when an option names none, user plugins included', async () => {
    const cwd = await project('unknown', { 'mbs.config.mjs': JSON_LINES_CONFIG_SOURCE });
    const cases: [string[], RegExp][] = [
      [
        ['solve', '--pricing', 'gcp'],
        /--pricing gcp: no pricing plugin of that name; registered: aws-x86, aws-arm64/,
      ],
      [
        ['trace', 'stats', 'x.csv', '--format', 'parquet'],
        /--format parquet: .*registered: csv, .*jsonl/,
      ],
      [
        ['solve', '--profile', 'nowhere'],
        /--profile nowhere: neither a registered profile \(parametric\)/,
      ],
      [
        ['run', '--config', 'c.json', '--trace', 't.csv', '--out', 'o', '--provider', 'gcp'],
        /--provider gcp: .*registered: aws, aws-lambda, local/,
      ],
      [['plugins', '--plugin', './missing.mjs'], /--plugin \.\/missing\.mjs: no such file/],
      [
        ['plugins', '--plugin', 'not-installed-anywhere'],
        /--plugin not-installed-anywhere: no such package/,
      ],
      [['plugins', '--plugin'], /--plugin is empty/],
    ];
    for (const [args, message] of cases) {
      const { code, err } = await mbs(cwd, ...args);
      expect(code, args.join(' ')).toBe(EXIT_USAGE);
      expect(err, args.join(' ')).toMatch(message);
    }
  });
});

describe('bad plugin modules', () => {
  it('names a reader plugin whose canRead throws while detecting the format', async () => {
    const cwd = await project('throwing-reader', {
      'mbs.config.mjs': JSON_LINES_CONFIG_SOURCE.replace(
        "return source.endsWith('.jsonl');",
        "throw new Error('cannot look');",
      ),
    });
    const file = join(cwd, 'unknown.bin');
    const { code, err } = await mbs(cwd, 'trace', 'stats', file);
    expect(code).toBe(EXIT_RUNTIME_ERROR);
    expect(err).toContain(
      `trace-reader plugin "jsonl" (${join(cwd, 'mbs.config.mjs')}) failed in canRead(${file}): cannot look`,
    );
  });

  const reader = (members: string) =>
    `export default { plugins: { 'trace-reader': [{ ${members} }] } };`;
  const cases: [string, string, string, RegExp][] = [
    [
      'throws',
      'throw new Error("no database");',
      'CONFIG_INVALID',
      /failed to load \(no database\)/,
    ],
    ['no default', 'export const plugins = {};', 'CONFIG_INVALID', /has no default export/],
    ['array', 'export default [];', 'CONFIG_INVALID', /the default export is an array/],
    ['unknown key', 'export default { plugin: [] };', 'CONFIG_INVALID', /unknown key "plugin"/],
    [
      'unknown kind',
      'export default { plugins: { exporter: [] } };',
      'CONFIG_INVALID',
      /unknown plugin kind "exporter"/,
    ],
    [
      'not a list',
      'export default { plugins: { pricing: {} } };',
      'CONFIG_INVALID',
      /plugins\["pricing"\] must be an array/,
    ],
    [
      'function throws',
      'export default () => { throw new Error("bad env"); };',
      'CONFIG_INVALID',
      /threw when called \(bad env\)/,
    ],
    [
      'missing method',
      reader("specificationVersion: 'v1', name: 'half', canRead: async () => true"),
      'PLUGIN_INVALID',
      /trace-reader plugin "half" lacks the required method read\(\)/,
    ],
    [
      'other version',
      reader("specificationVersion: 'v2', name: 'future', canRead() {}, read() {}"),
      'PLUGIN_VERSION',
      /implements specificationVersion "v2"/,
    ],
    [
      'builtin name',
      reader("specificationVersion: 'v1', name: 'csv', canRead() {}, read() {}"),
      'PLUGIN_DUPLICATE',
      /a trace-reader plugin named "csv" is already registered \(builtin\)/,
    ],
  ];
  for (const [label, source, code, message] of cases) {
    it(`refuses a config file that ${label === 'throws' ? 'throws' : `has ${label}`}, naming the file`, async () => {
      const cwd = await project(`bad-${label.replace(/ /g, '-')}`, { 'mbs.config.mjs': source });
      const { code: exit, out, err } = await mbs(cwd, 'plugins', '--json');
      expect(exit).toBe(EXIT_RUNTIME_ERROR);
      expect(JSON.parse(out).error.code).toBe(code);
      expect(err).toContain(join(cwd, 'mbs.config.mjs'));
      expect(err).toMatch(message);
    });
  }

  it('refuses a --plugin whose plugin reuses a name of the config file, naming both', async () => {
    const cwd = await project('duplicate', {
      'mbs.config.mjs': JSON_LINES_CONFIG_SOURCE,
      'again.mjs': `${JSON_LINES_READER_SOURCE}\nexport default { plugins: { 'trace-reader': [jsonLinesReader] } };`,
    });
    const { code, err } = await mbs(cwd, 'plugins', '--plugin', './again.mjs');
    expect(code).toBe(EXIT_RUNTIME_ERROR);
    expect(err).toMatch(
      new RegExp(
        `--plugin \\./again\\.mjs: a trace-reader plugin named "jsonl" is already registered \\(${join(cwd, 'mbs.config.mjs').replace(/[.]/g, '\\.')}\\)`,
      ),
    );
  });
});
