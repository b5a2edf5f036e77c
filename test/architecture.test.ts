// Keeps ARCHITECTURE.md true: dependencies point one way (apps -> plugins -> packages -> core),
// in the manifests and in the source's imports, and every path the document names exists.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readWorkspaces, repositoryRoot, type Workspace } from './support/workspaces.js';

const workspaces = readWorkspaces();

/** 0 for core, 1 for packages/, 2 for plugins/, 3 for apps/. */
function layer(workspace: Workspace): number {
  if (workspace.name === '@mbs/core') return 0;
  const group = path.relative(repositoryRoot, workspace.directory).split(path.sep)[0];
  return { packages: 1, plugins: 2, apps: 3 }[group as 'packages' | 'plugins' | 'apps'];
}

/** Every non-test TypeScript source file under a directory. */
function sourceFiles(directory: string): string[] {
  if (!existsSync(directory)) return [];
  const files: string[] = [];
  for (const entry of readdirSync(directory)) {
    const full = path.join(directory, entry);
    if (statSync(full).isDirectory()) files.push(...sourceFiles(full));
    else if (/\.tsx?$/.test(entry) && !/\.test\.tsx?$/.test(entry)) files.push(full);
  }
  return files;
}

const IMPORTED_PACKAGE = /(?:from|import\()\s*['"](@mbs\/[a-z0-9-]+)/g;

describe('the dependency direction of ARCHITECTURE.md', () => {
  it('knows every workspace', () => {
    expect(workspaces.size).toBeGreaterThan(15);
    for (const workspace of workspaces.values()) expect(layer(workspace)).toBeGreaterThanOrEqual(0);
  });

  it('@mbs/core depends on nothing', () => {
    expect(workspaces.get('@mbs/core')?.dependencies).toEqual([]);
  });

  it('no manifest depends on a higher layer', () => {
    const upward: string[] = [];
    for (const workspace of workspaces.values()) {
      for (const dependency of workspace.dependencies) {
        const target = workspaces.get(dependency);
        if (target !== undefined && layer(target) > layer(workspace))
          upward.push(`${workspace.name} -> ${dependency}`);
      }
    }
    expect(upward).toEqual([]);
  });

  it('no source file imports a higher layer or a workspace its manifest lacks', () => {
    const problems: string[] = [];
    for (const workspace of workspaces.values()) {
      const manifest = JSON.parse(
        readFileSync(path.join(workspace.directory, 'package.json'), 'utf8'),
      ) as Record<string, Record<string, string> | undefined>;
      const declared = new Set([
        workspace.name,
        ...workspace.dependencies,
        ...Object.keys(manifest.peerDependencies ?? {}),
      ]);
      for (const file of sourceFiles(path.join(workspace.directory, 'src'))) {
        // A package's own test helpers may use its dev dependencies.
        if (file.includes(`${path.sep}testing${path.sep}`)) continue;
        for (const [, imported] of readFileSync(file, 'utf8').matchAll(IMPORTED_PACKAGE)) {
          const target = workspaces.get(imported!);
          const where = path.relative(repositoryRoot, file);
          if (target === undefined) problems.push(`${where}: ${imported} is not a workspace`);
          else if (layer(target) > layer(workspace)) problems.push(`${where}: upward ${imported}`);
          else if (!declared.has(imported!)) problems.push(`${where}: ${imported} undeclared`);
        }
      }
    }
    expect(problems).toEqual([]);
  });
});

describe('error messages', () => {
  it('take their [@mbs/x] prefix from packageErrors, never from a hand-typed string', () => {
    // A hand-typed prefix drifts from the package it sits in (copied code keeps the old name);
    // `errors.error`, `errors.option` and `errors.prefix` build it from one rule in @mbs/core.
    const HAND_TYPED = /['"`]\[@mbs\//;
    const strays: string[] = [];
    for (const workspace of workspaces.values()) {
      for (const folder of ['src', 'scripts']) {
        for (const file of sourceFiles(path.join(workspace.directory, folder))) {
          readFileSync(file, 'utf8')
            .split('\n')
            .forEach((line, index) => {
              const code = line.trimStart();
              // Comments and TSDoc may show what a message looks like.
              if (code.startsWith('*') || code.startsWith('//') || code.startsWith('/*')) return;
              if (HAND_TYPED.test(code))
                strays.push(`${path.relative(repositoryRoot, file)}:${index + 1}`);
            });
        }
      }
    }
    expect(strays).toEqual([]);
  });
});

describe('test helpers', () => {
  it('live in a src/testing/ folder', () => {
    const strays: string[] = [];
    for (const workspace of workspaces.values()) {
      // The testing kits are test helpers through and through.
      if (/^@mbs\/test(-utils|ing)$/.test(workspace.name)) continue;
      for (const file of sourceFiles(path.join(workspace.directory, 'src'))) {
        if (file.includes(`${path.sep}testing${path.sep}`)) continue;
        if (
          /(^|[\\/])(test-[^/\\]*|testing|[^/\\]*-(fixtures?|support|stubs?|fakes?))\.ts$/.test(
            file,
          )
        )
          strays.push(path.relative(repositoryRoot, file));
      }
    }
    expect(strays).toEqual([]);
  });
});

describe('the homes ARCHITECTURE.md names', () => {
  it('exist', () => {
    const text = readFileSync(path.join(repositoryRoot, 'ARCHITECTURE.md'), 'utf8');
    const missing: string[] = [];
    // A cell names a first path in full and then siblings by file name (`a/b/x.ts`, `y.ts`).
    for (const line of text.split('\n')) {
      let folder: string | undefined;
      for (const [, name] of line.matchAll(/`([^`\s]+)`/g)) {
        if (/^(packages|plugins|apps|test)\/[^*]*$/.test(name!)) {
          const full = name!.replace(/\/$/, '');
          if (!existsSync(path.join(repositoryRoot, full))) missing.push(full);
          folder = /\.[a-z]+$/.test(full) ? path.dirname(full) : full;
        } else if (folder !== undefined && /^[a-z0-9-]+(\.ts|\/)$/.test(name!)) {
          if (!existsSync(path.join(repositoryRoot, folder, name!)))
            missing.push(`${folder}/${name}`);
        }
      }
    }
    expect(missing).toEqual([]);
  });
});
