import { importOptionalPackage as importPackage } from '@mbs/core';

// Packages the CLI uses but does not install with itself. @mbs/handler pulls onnxruntime-node (a
// large native package) that only `mbs package` needs, and @mbs/provider-aws-lambda the AWS SDK
// that only the commands talking to Lambda need, so both are optional peer dependencies:
// `npx @mbs/cli solve` downloads neither, and the commands that need one say how to add it.

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
export function importOptionalPackage<T>(
  packageName: string,
  command: string,
  load: () => Promise<T>,
): Promise<T> {
  return importPackage({ packageName, dependent: '@mbs/cli', neededBy: command }, load);
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

/** The `@mbs/provider-aws-lambda` module: the AWS Lambda provider and deployment, over the AWS SDK. */
export type AwsLambdaProviderPackage = typeof import('@mbs/provider-aws-lambda');

/**
 * Imports `@mbs/provider-aws-lambda` (and with it the AWS SDK) for `command`, or fails with the
 * install hint when it is not installed.
 *
 * @example
 * ```ts
 * const { deploy } = await importAwsLambdaProviderPackage('mbs deploy');
 * ```
 */
export function importAwsLambdaProviderPackage(command: string): Promise<AwsLambdaProviderPackage> {
  return importOptionalPackage(
    '@mbs/provider-aws-lambda',
    command,
    () => import('@mbs/provider-aws-lambda'),
  );
}
