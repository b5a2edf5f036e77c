import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { ConfigurationDocument } from '@mbs/core';
import { afterAll, describe, expect, it } from 'vitest';
import { installEnvironment, packAndInstall } from './support/pack.js';
import { SMALL_SOLVE_ARGUMENTS } from './support/small-solve.js';
import { repositoryRoot } from './support/workspaces.js';

// Packs @mbs/core and @mbs/cli with everything they depend on, installs the tarballs into an empty
// folder outside the repository, and runs the installed binary: what a user of `npx @mbs/cli` gets.
// @mbs/handler (and with it onnxruntime-node) is an optional peer of the CLI, so it is not in the
// closure: the install shows the other commands work without it and `mbs package` says what to add.
describe('published packages', () => {
  const scratch = mkdtempSync(path.join(tmpdir(), 'mbs-pack-'));
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  it('install from their tarballs and run `mbs --help` outside the repository', () => {
    const { project, workspaces, tarballs } = packAndInstall(['@mbs/core', '@mbs/cli'], scratch);
    expect(workspaces.map((workspace) => workspace.name)).toContain('@mbs/cli');
    expect(workspaces.map((workspace) => workspace.name)).not.toContain('@mbs/handler');
    expect(tarballs).toHaveLength(workspaces.length);
    const environment = installEnvironment;
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

    // Neither the handler, ONNX Runtime, the AWS provider nor the AWS SDK was installed, and
    // commands that do not need them run.
    for (const absent of [
      '@mbs/handler',
      'onnxruntime-node',
      '@mbs/provider-aws-lambda',
      '@aws-sdk',
      '@smithy',
    ]) {
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

    // solve runs without the SDK and names the functions; deploy says what to install.
    const config = path.join(project, 'config.json');
    execFileSync(
      'npx',
      ['--no-install', 'mbs', 'solve', ...SMALL_SOLVE_ARGUMENTS, '--out', config],
      {
        cwd: project,
        env: environment,
        stdio: 'pipe',
      },
    );
    const written = JSON.parse(readFileSync(config, 'utf8')) as ConfigurationDocument;
    expect(written.windows[0]!.system.buffers[0]!.functionName).toBe('mbs-b0');
    // Windows on worker threads: the worker entry ships in the package and resolves from its dist.
    const threaded = spawnSync(
      'npx',
      [
        '--no-install',
        'mbs',
        'solve',
        ...SMALL_SOLVE_ARGUMENTS,
        '--window',
        '1800',
        '--no-baselines',
        '--threads',
        '2',
      ],
      { cwd: project, encoding: 'utf8', env: environment },
    );
    expect(threaded.status, threaded.stderr).toBe(0);
    expect(threaded.stderr).toContain('solving 2 windows on 2 worker threads');
    const deployed = spawnSync(
      'npx',
      [
        '--no-install',
        'mbs',
        'deploy',
        '--config',
        config,
        '--provider',
        'local',
        '--endpoint',
        'http://127.0.0.1:9',
      ],
      { cwd: project, encoding: 'utf8', env: { ...environment, AWS_REGION: 'us-east-1' } },
    );
    expect(deployed.status, deployed.stderr).not.toBe(0);
    expect(deployed.stderr).toContain(
      'mbs deploy needs @mbs/provider-aws-lambda, which is not installed',
    );
    expect(deployed.stderr).toContain('npm install @mbs/provider-aws-lambda');
    const collected = spawnSync(
      'npx',
      [
        '--no-install',
        'mbs',
        'logs',
        'collect',
        '--config',
        config,
        '--since',
        '0',
        '--until',
        '1000',
        '--out',
        path.join(project, 'run'),
        '--provider',
        'local',
        '--endpoint',
        'http://127.0.0.1:9',
      ],
      { cwd: project, encoding: 'utf8', env: environment },
    );
    expect(collected.status, collected.stderr).toBe(1);
    expect(collected.stderr).toContain(
      'mbs logs collect) needs @aws-sdk/client-cloudwatch-logs, which is not installed',
    );
  });
});
