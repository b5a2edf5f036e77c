import { readFile, stat } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { optionError } from '../options/option-error.js';

/** Whether `--plugin` names a file rather than a package. */
function isPathSpecifier(specifier: string): boolean {
  return specifier.startsWith('.') || isAbsolute(specifier) || /\.(c|m)?(j|t)s$/.test(specifier);
}

/** The package name and subpath of a bare specifier: `@scope/name/sub` -> [`@scope/name`, `./sub`]. */
function splitPackageSpecifier(specifier: string): [string, string] {
  const parts = specifier.split('/');
  const length = specifier.startsWith('@') ? 2 : 1;
  const rest = parts.slice(length).join('/');
  return [parts.slice(0, length).join('/'), rest === '' ? '.' : `./${rest}`];
}

/** The target of an `exports` entry under the import conditions (import, node, default). */
function exportTarget(entry: unknown): string | undefined {
  if (typeof entry === 'string') return entry;
  if (Array.isArray(entry)) {
    for (const item of entry) {
      const target = exportTarget(item);
      if (target !== undefined) return target;
    }
    return undefined;
  }
  if (typeof entry !== 'object' || entry === null) return undefined;
  for (const condition of ['import', 'node', 'default']) {
    const target = exportTarget((entry as Record<string, unknown>)[condition]);
    if (target !== undefined) return target;
  }
  return undefined;
}

/**
 * An ESM-only package (its `exports` only under `import`, which `require.resolve` cannot use):
 * found in the nearest `node_modules` from `directory` up, resolved by its `exports` or `main`.
 */
async function resolveImportOnlyPackage(
  specifier: string,
  directory: string,
): Promise<string | undefined> {
  const [name, subpath] = splitPackageSpecifier(specifier);
  for (let current = directory; ; current = dirname(current)) {
    const root = join(current, 'node_modules', name);
    let manifest: { exports?: unknown; main?: string } | undefined;
    try {
      manifest = JSON.parse(await readFile(join(root, 'package.json'), 'utf8'));
    } catch {
      manifest = undefined;
    }
    if (manifest !== undefined) {
      const { exports } = manifest;
      const entry =
        typeof exports === 'object' &&
        exports !== null &&
        !Array.isArray(exports) &&
        Object.keys(exports).some((key) => key.startsWith('.'))
          ? (exports as Record<string, unknown>)[subpath]
          : subpath === '.'
            ? exports
            : undefined;
      const target =
        exportTarget(entry) ??
        (subpath === '.' && exports === undefined ? (manifest.main ?? 'index.js') : undefined);
      return target === undefined ? undefined : join(root, target);
    }
    if (dirname(current) === current) return undefined;
  }
}

async function isFile(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}

/**
 * The absolute file a `--plugin` value names: a path (relative to `directory`), or a package
 * installed where `directory` can see it (its `exports`, ESM or CommonJS). OPTION_INVALID naming
 * the value when neither is found.
 *
 * @example
 * ```ts
 * await resolvePluginSpecifier('./plugins/jsonl.mjs', process.cwd());
 * await resolvePluginSpecifier('mbs-plugin-cloud-run', process.cwd());
 * ```
 */
export async function resolvePluginSpecifier(
  specifier: string,
  directory: string,
): Promise<string> {
  if (specifier.trim() === '') {
    throw optionError('--plugin', 'is empty; give a module name or a file path');
  }
  if (isPathSpecifier(specifier)) {
    const path = resolve(directory, specifier);
    if (await isFile(path)) return path;
    throw optionError('--plugin', `${specifier}: no such file (looked for ${path})`, specifier);
  }
  try {
    return createRequire(join(directory, 'noop.js')).resolve(specifier);
  } catch (error) {
    const path = await resolveImportOnlyPackage(specifier, directory);
    if (path !== undefined && (await isFile(path))) return path;
    throw optionError(
      '--plugin',
      `${specifier}: no such package installed from ${directory} (${(error as { code?: string }).code ?? 'not found'}); give a path (./x.mjs) or install it`,
      specifier,
    );
  }
}
