import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root. */
export const repositoryRoot = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '..',
  '..',
);

/** A workspace package of this repository. */
export interface Workspace {
  readonly name: string;
  readonly directory: string;
  readonly dependencies: readonly string[];
  readonly private: boolean;
}

/** Every workspace under packages/, plugins/ and apps/, by package name. */
export function readWorkspaces(): Map<string, Workspace> {
  const workspaces = new Map<string, Workspace>();
  for (const group of ['packages', 'plugins', 'apps']) {
    const groupDirectory = path.join(repositoryRoot, group);
    for (const entry of readdirSync(groupDirectory)) {
      const manifestPath = path.join(groupDirectory, entry, 'package.json');
      if (!existsSync(manifestPath)) continue;
      const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as {
        name: string;
        private?: boolean;
        dependencies?: Record<string, string>;
        optionalDependencies?: Record<string, string>;
      };
      workspaces.set(manifest.name, {
        name: manifest.name,
        directory: path.join(groupDirectory, entry),
        dependencies: Object.keys({ ...manifest.dependencies, ...manifest.optionalDependencies }),
        private: manifest.private === true,
      });
    }
  }
  return workspaces;
}

/** The named workspaces and every workspace they depend on, transitively. */
export function workspaceClosure(
  names: readonly string[],
  workspaces = readWorkspaces(),
): Workspace[] {
  const seen = new Map<string, Workspace>();
  const visit = (name: string) => {
    const workspace = workspaces.get(name);
    if (!workspace || seen.has(name)) return;
    seen.set(name, workspace);
    workspace.dependencies.forEach(visit);
  };
  names.forEach(visit);
  return [...seen.values()];
}
