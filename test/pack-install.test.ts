import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { repositoryRoot, workspaceClosure } from './support/workspaces.js';

// Packs @mbs/core and @mbs/cli with everything they depend on, installs the tarballs into an empty
// folder outside the repository, and runs the installed binary: what a user of `npx @mbs/cli` gets.
// @mbs/handler (and with it onnxruntime-node) is an optional peer of the CLI, so it is not in the
// closure: the install shows the other commands work without it and `mbs package` says what to add.
describe('published packages', () => {
  const scratch = mkdtempSync(path.join(tmpdir(), 'mbs-pack-'));
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  it('install from their tarballs and run `mbs --help` outside the repository', () => {
    const packed = path.join(scratch, 'tarballs');
    const project = path.join(scratch, 'project');
    mkdirSync(packed);
    mkdirSync(project);
    const workspaces = workspaceClosure(['@mbs/core', '@mbs/cli']);
    expect(workspaces.map((workspace) => workspace.name)).toContain('@mbs/cli');
    expect(workspaces.map((workspace) => workspace.name)).not.toContain('@mbs/handler');
    for (const workspace of workspaces) {
      execFileSync('npm', ['pack', '--silent', '--pack-destination', packed], {
        cwd: workspace.directory,
        stdio: 'pipe',
      });
    }
    const tarballs = readdirSync(packed).map((file) => path.join(packed, file));
    expect(tarballs).toHaveLength(workspaces.length);

    writeFileSync(
      path.join(project, 'package.json'),
      JSON.stringify({ name: 'mbs-user', private: true }),
    );
    const environment = { ...process.env, ONNXRUNTIME_NODE_INSTALL: 'skip' };
    execFileSync('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', ...tarballs], {
      cwd: project,
      stdio: 'pipe',
      env: environment,
    });
    const help = execFileSync('npx', ['--no-install', 'mbs', '--help'], {
      cwd: project,
      encoding: 'utf8',
      env: environment,
    });
    expect(help).toContain('mbs <command>');
    expect(help).toContain('plugins');
    const version = execFileSync('npx', ['--no-install', 'mbs', '--version'], {
      cwd: project,
      encoding: 'utf8',
    });
    expect(version.trim()).toMatch(/^\d+\.\d+\.\d+/);
    expect(repositoryRoot.startsWith(project)).toBe(false);

    // Neither the handler nor ONNX Runtime was installed, and commands that do not need them run.
    for (const absent of ['@mbs/handler', 'onnxruntime-node']) {
      expect(existsSync(path.join(project, 'node_modules', absent)), absent).toBe(false);
    }
    const solveHelp = execFileSync('npx', ['--no-install', 'mbs', 'solve', '--help'], {
      cwd: project,
      encoding: 'utf8',
      env: environment,
    });
    expect(solveHelp).toContain('mbs solve');
    expect(solveHelp).toContain('--slo');
    const plugins = execFileSync('npx', ['--no-install', 'mbs', 'plugins', '--json'], {
      cwd: project,
      encoding: 'utf8',
      env: environment,
    });
    expect(JSON.stringify(JSON.parse(plugins))).toContain('aws-lambda');
    // The one command that needs the handler fails at run time (exit 1) with the install to do.
    const packaged = spawnSync(
      'npx',
      ['--no-install', 'mbs', 'package', '--out', path.join(scratch, 'never.zip')],
      { cwd: project, encoding: 'utf8', env: environment },
    );
    expect(packaged.status, packaged.stderr).toBe(1);
    expect(packaged.stderr).toContain('mbs package needs @mbs/handler');
    expect(packaged.stderr).toContain('npm install @mbs/handler');
    expect(existsSync(path.join(scratch, 'never.zip'))).toBe(false);
  });
});
