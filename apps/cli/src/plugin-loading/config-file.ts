import { stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { errors } from '../errors.js';

/** The names of the config file, looked for in this order in each directory. */
export const CONFIG_FILE_NAMES = ['mbs.config.js', 'mbs.config.mjs', 'mbs.config.ts'] as const;

async function isFile(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}

/**
 * The nearest `mbs.config.(js|mjs|ts)`: in `directory`, else in its parent, and so on up to the
 * filesystem root (as ESLint finds `eslint.config.js`). Two config files in the same directory
 * are CONFIG_INVALID naming both, since either could be meant.
 *
 * @param directory - absolute path to start from, usually the working directory
 * @example
 * ```ts
 * const path = await findConfigFile(process.cwd()); // '/work/app/mbs.config.mjs' or undefined
 * ```
 */
export async function findConfigFile(directory: string): Promise<string | undefined> {
  let current = directory;
  for (;;) {
    const found: string[] = [];
    for (const name of CONFIG_FILE_NAMES) {
      const candidate = join(current, name);
      if (await isFile(candidate)) found.push(candidate);
    }
    if (found.length > 1) {
      throw errors.error(
        'CONFIG_INVALID',
        `${current} holds ${found.length} config files (${found.map((path) => path.slice(current.length + 1)).join(', ')}); keep one`,
        { details: { files: found } },
      );
    }
    if (found.length === 1) return found[0];
    const parent = dirname(current);
    if (parent === current) return undefined;
    current = parent;
  }
}
