import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { type Workspace, workspaceClosure } from './workspaces.js';

/** The environment for installs: onnxruntime-node's install script skipped (see the README). */
export const installEnvironment = { ...process.env, ONNXRUNTIME_NODE_INSTALL: 'skip' };

/**
 * Packs the named workspaces and every workspace they depend on into `scratch/tarballs` and
 * installs the tarballs into an empty project `scratch/<project>`, as a user of the published
 * packages would; returns the project directory and the packed workspaces.
 */
export function packAndInstall(
  names: readonly string[],
  scratch: string,
  project = 'project',
): { project: string; workspaces: Workspace[]; tarballs: string[] } {
  const packed = path.join(scratch, `${project}-tarballs`);
  const directory = path.join(scratch, project);
  mkdirSync(packed);
  mkdirSync(directory);
  const workspaces = workspaceClosure(names);
  for (const workspace of workspaces) {
    execFileSync('npm', ['pack', '--silent', '--pack-destination', packed], {
      cwd: workspace.directory,
      stdio: 'pipe',
    });
  }
  const tarballs = readdirSync(packed).map((file) => path.join(packed, file));
  writeFileSync(
    path.join(directory, 'package.json'),
    JSON.stringify({ name: 'mbs-user', private: true }),
  );
  execFileSync('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', ...tarballs], {
    cwd: directory,
    stdio: 'pipe',
    env: installEnvironment,
  });
  return { project: directory, workspaces, tarballs };
}
