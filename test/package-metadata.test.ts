import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readWorkspaces, repositoryRoot } from './support/workspaces.js';

// What every published package carries: the same repository, its own directory, a license file,
// and an exports map that both `import` and `require` (Node 20.19+) resolve.
const root = JSON.parse(readFileSync(path.join(repositoryRoot, 'package.json'), 'utf8')) as {
  repository: { url: string };
};
const license = readFileSync(path.join(repositoryRoot, 'LICENSE'), 'utf8');
const published = [...readWorkspaces().values()].filter((workspace) => !workspace.private);

interface Manifest {
  name: string;
  license: string;
  keywords: string[];
  homepage: string;
  bugs: { url: string };
  repository: { type: string; url: string; directory: string };
  exports: Record<string, Record<string, string> | string>;
  bin?: Record<string, string>;
}

describe('published package metadata', () => {
  it('covers the public packages', () => {
    expect(published.length).toBeGreaterThanOrEqual(16);
  });

  it.each(published.map((workspace) => [workspace.name, workspace.directory]))(
    '%s has repository, homepage, bugs, keywords, MIT and a require-able export',
    (_, directory) => {
      const manifest = JSON.parse(
        readFileSync(path.join(directory, 'package.json'), 'utf8'),
      ) as Manifest;
      const relative = path.relative(repositoryRoot, directory);
      expect(manifest.license).toBe('MIT');
      expect(manifest.repository).toEqual({
        type: 'git',
        url: root.repository.url,
        directory: relative,
      });
      const web = root.repository.url.replace(/^git\+/, '').replace(/\.git$/, '');
      expect(manifest.homepage).toBe(`${web}/tree/main/${relative}#readme`);
      expect(manifest.bugs).toEqual({ url: `${web}/issues` });
      expect(manifest.keywords).toContain('mbs');
      const main = manifest.exports['.'] as Record<string, string>;
      expect(Object.keys(main)).toEqual(['types', 'import', 'default']);
      expect(main.default).toBe(main.import);
    },
  );

  // npm links a bin only when its file exists at install time: a bin inside dist/ is not linked by
  // `npm ci` on a fresh clone (dist/ is built after), and `npx mbs` then asks the registry.
  it.each(published.map((workspace) => [workspace.name, workspace.directory]))(
    '%s declares only bins that exist before the build',
    (_, directory) => {
      const manifest = JSON.parse(
        readFileSync(path.join(directory, 'package.json'), 'utf8'),
      ) as Manifest;
      for (const file of Object.values(manifest.bin ?? {})) {
        expect(path.normalize(file).startsWith('dist'), file).toBe(false);
        expect(existsSync(path.join(directory, file)), file).toBe(true);
      }
    },
  );

  it('ships the MIT license in every tarball', () => {
    // One npm call for every package: what `npm pack` would put in each tarball.
    const packed = JSON.parse(
      execFileSync(
        'npm',
        [
          'pack',
          '--dry-run',
          '--json',
          '--ignore-scripts',
          ...published.flatMap((workspace) => ['-w', workspace.name]),
        ],
        { cwd: repositoryRoot, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] },
      ),
    ) as { name: string; files: { path: string }[] }[];
    expect(packed.map((tarball) => tarball.name).sort()).toEqual(
      published.map((workspace) => workspace.name).sort(),
    );
    for (const tarball of packed) {
      expect(
        tarball.files.map((file) => file.path),
        tarball.name,
      ).toContain('LICENSE');
    }
    for (const workspace of published) {
      expect(readFileSync(path.join(workspace.directory, 'LICENSE'), 'utf8'), workspace.name).toBe(
        license,
      );
    }
  }, 60_000);
});
