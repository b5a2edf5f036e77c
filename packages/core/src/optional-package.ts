import { MbsError } from './errors.js';

// Heavy packages (the AWS SDK, onnxruntime-node) are optional peer dependencies of the packages
// that can work without them, and are imported only inside the function that needs them. This
// turns "not installed" into an error that names what needs it and the install that fixes it.

/** Who needs an optional package, for the error when it is missing. */
export interface OptionalPackageNeed {
  /** The optional package, e.g. `@aws-sdk/client-cloudwatch-logs`. */
  readonly packageName: string;
  /** The package that declares it as an optional peer, e.g. `@mbs/logs`. */
  readonly dependent: string;
  /** What needs it, as the user called it, e.g. `collectInvocationRecords` or `mbs deploy`. */
  readonly neededBy: string;
  /** What to install, when not the package itself (e.g. a package that brings it). */
  readonly install?: string;
}

/** Whether `error` is Node's "package not found" for `packageName` itself, not for one of its own dependencies. */
export function isPackageMissing(error: unknown, packageName: string): boolean {
  const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown };
  if (code !== 'ERR_MODULE_NOT_FOUND' && code !== 'MODULE_NOT_FOUND') return false;
  // Node names the package it could not find in quotes: "Cannot find package '@mbs/handler' ...".
  return typeof message === 'string' && message.includes(`'${packageName}'`);
}

/**
 * Imports an optional package; when it is not installed, fails with `PLUGIN_NOT_FOUND` naming
 * what needs it and the `npm install` that fixes it. Other import failures (a broken install, a
 * missing dependency of the package) are rethrown as they are, so their own message shows.
 *
 * @param load - the dynamic `import()` of the package (a literal specifier, so bundlers and types see it)
 * @example
 * ```ts
 * const sdk = await importOptionalPackage(
 *   { packageName: '@aws-sdk/client-cloudwatch-logs', dependent: '@mbs/logs', neededBy: 'collectInvocationRecords' },
 *   () => import('@aws-sdk/client-cloudwatch-logs'),
 * );
 * ```
 */
export async function importOptionalPackage<T>(
  need: OptionalPackageNeed,
  load: () => Promise<T>,
): Promise<T> {
  try {
    return await load();
  } catch (error) {
    if (!isPackageMissing(error, need.packageName)) throw error;
    const { packageName, dependent, neededBy } = need;
    const install = `npm install ${need.install ?? packageName}`;
    throw new MbsError(
      'PLUGIN_NOT_FOUND',
      `[${dependent}] ${neededBy} needs ${packageName}, which is not installed (it is an optional peer dependency of ${dependent}); install it next to ${dependent}: ${install}`,
      { cause: error, details: { package: packageName, command: neededBy, install } },
    );
  }
}
