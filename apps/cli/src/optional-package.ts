import { MbsError } from '@mbs/core';

// Packages the CLI uses but does not install with itself. @mbs/handler pulls onnxruntime-node (a
// large native package) that only `mbs package` needs, so it is an optional peer dependency:
// `npx @mbs/cli solve` never downloads it, and the commands that need it say how to add it.

/** Whether `error` is Node's "package not found" for `packageName` itself, not for one of its own dependencies. */
function isPackageMissing(error: unknown, packageName: string): boolean {
  const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown };
  if (code !== 'ERR_MODULE_NOT_FOUND' && code !== 'MODULE_NOT_FOUND') return false;
  // Node names the package it could not find in quotes: "Cannot find package '@mbs/handler' ...".
  return typeof message === 'string' && message.includes(`'${packageName}'`);
}

/**
 * Imports an optional package for one command; when the package is not installed, fails with a
 * `PLUGIN_NOT_FOUND` MbsError (exit code 1) naming the command and the `npm install` that fixes
 * it. Other import failures (a broken install, a missing dependency of the package) are rethrown
 * as they are, so their own message is not hidden.
 *
 * @param packageName - the package `load` imports, e.g. `@mbs/handler`
 * @param command - the command that needs it, as the user typed it, e.g. `mbs package`
 * @param load - the dynamic `import()` of the package (a literal specifier, so bundlers and types see it)
 * @example
 * ```ts
 * const handler = await importOptionalPackage('@mbs/handler', 'mbs package', () =>
 *   import('@mbs/handler'),
 * );
 * ```
 */
export async function importOptionalPackage<T>(
  packageName: string,
  command: string,
  load: () => Promise<T>,
): Promise<T> {
  try {
    return await load();
  } catch (error) {
    if (!isPackageMissing(error, packageName)) throw error;
    const install = `npm install ${packageName}`;
    throw new MbsError(
      'PLUGIN_NOT_FOUND',
      `[@mbs/cli] ${command} needs ${packageName}, which is not installed (it is an optional peer dependency of @mbs/cli); install it next to @mbs/cli: ${install}`,
      { cause: error, details: { package: packageName, command, install } },
    );
  }
}

/** The `@mbs/handler` module: the ONNX batch handler and its deployment packager. */
export type HandlerPackage = typeof import('@mbs/handler');

/**
 * Imports `@mbs/handler` for `command`, or fails with the install hint when it is not installed.
 *
 * @example
 * ```ts
 * const { buildDeploymentPackage } = await importHandlerPackage('mbs package');
 * ```
 */
export function importHandlerPackage(command: string): Promise<HandlerPackage> {
  return importOptionalPackage('@mbs/handler', command, () => import('@mbs/handler'));
}
