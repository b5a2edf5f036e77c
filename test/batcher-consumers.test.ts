import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { packAndInstall } from './support/pack.js';
import { repositoryRoot } from './support/workspaces.js';

// The two examples of the @mbs/batcher README, as a user copies them: an ESM TypeScript script and
// a CommonJS script, each using only @mbs/batcher (and what it installs) and a plain function.
// Both are type-checked with `tsc --strict` against the packed tarballs installed in an empty
// folder, then run there: the ESM one compiled, the CommonJS one as is, through a real require().

/** The code block of the README section whose heading starts with `heading`. */
function readmeExample(heading: string, language: 'ts' | 'js'): string {
  const readme = readFileSync(path.join(repositoryRoot, 'packages/batcher/README.md'), 'utf8');
  const section = readme.split(/^### /m).find((part) => part.startsWith(heading));
  const code = section?.match(new RegExp(`\`\`\`${language}\\n([\\s\\S]*?)\`\`\``))?.[1];
  if (code === undefined) throw new Error(`README: no ${language} block under ### ${heading}`);
  return code;
}

const typescript = path.join(repositoryRoot, 'node_modules/typescript/bin/tsc');

describe('@mbs/batcher for ESM and CommonJS consumers', () => {
  const scratch = mkdtempSync(path.join(tmpdir(), 'mbs-batcher-pack-'));
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  it('type-checks and runs the README examples from the packed tarballs', () => {
    const { project, workspaces } = packAndInstall(['@mbs/batcher'], scratch);
    expect(workspaces.map((workspace) => workspace.name).sort()).toEqual([
      '@mbs/batcher',
      '@mbs/core',
      '@mbs/policy',
    ]);
    const esm = readmeExample('ESM', 'ts');
    const commonJs = readmeExample('CommonJS', 'js');
    for (const script of [esm, commonJs]) {
      expect(script.trimEnd().split('\n').length).toBeLessThanOrEqual(30);
    }
    expect(commonJs).toContain("require('@mbs/batcher')");
    writeFileSync(path.join(project, 'example.mts'), esm);
    writeFileSync(path.join(project, 'example.cjs'), commonJs);
    writeFileSync(
      path.join(project, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          strict: true,
          module: 'nodenext',
          moduleResolution: 'nodenext',
          target: 'es2022',
          allowJs: true,
          checkJs: true,
          outDir: 'compiled',
          types: ['node'],
          typeRoots: [path.join(repositoryRoot, 'node_modules/@types')],
        },
        files: ['example.mts', 'example.cjs'],
      }),
    );
    const checked = spawnSync(process.execPath, [typescript, '-p', 'tsconfig.json'], {
      cwd: project,
      encoding: 'utf8',
    });
    expect(checked.status, checked.stdout).toBe(0);

    const esmRun = spawnSync(process.execPath, ['compiled/example.mjs'], {
      cwd: project,
      encoding: 'utf8',
    });
    expect(esmRun.status, esmRun.stderr).toBe(0);
    expect(esmRun.stdout).toContain('[ 2, 5, 29, 3 ]');
    // Buffer 0 got the three short texts and left on its timeout; buffer 1 the long one.
    expect(esmRun.stdout).toContain('buffer 0: 3 requests (timeout)');
    expect(esmRun.stdout).toContain('buffer 1: 1 requests (timeout)');

    const commonJsRun = spawnSync(process.execPath, ['example.cjs'], {
      cwd: project,
      encoding: 'utf8',
    });
    expect(commonJsRun.status, commonJsRun.stderr).toBe(0);
    expect(commonJsRun.stdout.trim()).toBe('[ 2, 4, 600 ]');
    // require() of the ES module from node_modules works without an experimental warning.
    expect(commonJsRun.stderr).toBe('');

    // require() resolves through the exports map's `default` condition (there is no `require`).
    const manifest = JSON.parse(
      readFileSync(path.join(project, 'node_modules/@mbs/batcher/package.json'), 'utf8'),
    ) as { exports: Record<string, Record<string, string>> };
    expect(manifest.exports['.']).toMatchObject({ default: './dist/index.js' });
    const resolved = execFileSync(
      process.execPath,
      ['-e', "process.stdout.write(require.resolve('@mbs/batcher'))"],
      { cwd: project, encoding: 'utf8' },
    );
    expect(resolved).toBe(path.join(project, 'node_modules/@mbs/batcher/dist/index.js'));
  });
});
