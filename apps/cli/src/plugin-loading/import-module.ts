import { extname } from 'node:path';
import { pathToFileURL } from 'node:url';
import { importOptionalPackage } from '../optional-package.js';

/** Extensions of TypeScript modules, which Node 20 cannot import by itself. */
const TYPESCRIPT_EXTENSIONS = new Set(['.ts', '.mts', '.cts']);

/**
 * Whether this Node strips TypeScript types on import by itself (Node 22.18+ and 23.6+ report
 * `process.features.typescript`); Node 20 does not.
 */
function nodeStripsTypes(): boolean {
  return Boolean((process.features as { typescript?: unknown }).typescript);
}

/**
 * Imports a JavaScript or TypeScript module by absolute path and returns its namespace. A
 * TypeScript module is imported natively where Node strips types, else through jiti (an optional
 * peer dependency of `@mbs/cli`, as for ESLint's `eslint.config.ts`); without jiti the error
 * names the file and the install that fixes it.
 *
 * @param path - absolute path of the module
 * @param purpose - what the module is, for the install hint, e.g. `mbs.config.ts`
 * @example
 * ```ts
 * const namespace = await importModuleFile('/work/app/mbs.config.mjs', 'mbs.config.mjs');
 * ```
 */
export async function importModuleFile(
  path: string,
  purpose: string,
): Promise<Record<string, unknown>> {
  if (!TYPESCRIPT_EXTENSIONS.has(extname(path)) || nodeStripsTypes()) {
    return (await import(pathToFileURL(path).href)) as Record<string, unknown>;
  }
  const { createJiti } = await importOptionalPackage(
    'jiti',
    `${purpose} (TypeScript on Node ${process.versions.node})`,
    () => import('jiti'),
  );
  const jiti = createJiti(import.meta.url, {
    moduleCache: false,
    fsCache: false,
    interopDefault: false,
  });
  return (await jiti.import(path)) as Record<string, unknown>;
}
