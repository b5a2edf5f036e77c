import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { repositoryRoot, workspaceClosure } from './support/workspaces.js';

// Packs @mbs/core and @mbs/cli with everything they depend on, installs the tarballs into an empty
// folder outside the repository, and runs the installed binary: what a user of `npx @mbs/cli` gets.
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
  });
});
