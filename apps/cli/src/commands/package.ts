import { DEFAULT_LAMBDA_RUNTIME, LAMBDA_RUNTIMES, type LambdaRuntime } from '@mbs/core';
import type { Argv, CommandModule } from 'yargs';
import type { CommandContext, GlobalOptions } from '../context.js';
import { printResult } from '../context.js';
import { errors } from '../errors.js';
import { importHandlerPackage } from '../optional-package.js';

/** Arguments of `mbs package`. */
export interface PackageArguments extends GlobalOptions {
  readonly model: string;
  readonly descriptor?: string;
  readonly out: string;
  readonly 'compression-level': number;
  readonly runtime: LambdaRuntime;
}

const MEGABYTE = 1024 * 1024;

function megabytes(bytes: number): string {
  return `${(bytes / MEGABYTE).toFixed(1)} MB`;
}

/** `mbs package`: builds the Lambda deployment zip of the ONNX handler and a model. */
export function packageCommand(
  context: CommandContext,
): CommandModule<GlobalOptions, PackageArguments> {
  return {
    command: 'package',
    describe:
      'Build a Lambda deployment zip: the batch handler, onnxruntime-node (linux-x64) and a model',
    builder: (yargs: Argv<GlobalOptions>) =>
      yargs
        .option('model', {
          type: 'string',
          default: 'default',
          describe: 'default (built-in text classifier), ppocr (PP-OCRv4 rec) or an ONNX file path',
        })
        .option('descriptor', {
          type: 'string',
          describe: 'Model descriptor: default, ppocr or a JSON file (required for a file model)',
        })
        .option('out', {
          type: 'string',
          default: 'mbs-lambda.zip',
          describe: 'Where to write the zip',
        })
        .option('compression-level', {
          type: 'number',
          default: 6,
          describe: 'Deflate level, 0 (store) to 9',
        })
        .option('runtime', {
          choices: LAMBDA_RUNTIMES,
          default: DEFAULT_LAMBDA_RUNTIME,
          describe: 'Lambda runtime the package is for (mbs deploy --runtime sets the functions)',
        }) as unknown as Argv<PackageArguments>,
    handler: async (argv) => {
      if (argv.model.trim() === '') {
        throw errors.error(
          'OPTION_INVALID',
          '--model: is empty; give default, ppocr or an ONNX file path',
        );
      }
      if (argv.out.trim() === '') {
        throw errors.error('OPTION_INVALID', '--out: is empty; give the zip path');
      }
      // Loaded here, and only here: the handler brings esbuild and onnxruntime-node, and it is an
      // optional peer dependency that a user of the other commands need not install.
      const { buildDeploymentPackage, LAMBDA_UNZIPPED_LIMIT_BYTES } =
        await importHandlerPackage('mbs package');
      const built = await buildDeploymentPackage({
        model: argv.model,
        ...(argv.descriptor === undefined ? {} : { descriptor: argv.descriptor }),
        outFile: argv.out,
        compressionLevel: argv['compression-level'],
        runtime: argv.runtime,
      });
      const summary = {
        outFile: built.outFile,
        model: built.model,
        handler: built.handler,
        runtime: built.runtime,
        architecture: built.architecture,
        zippedBytes: built.zippedBytes,
        unzippedBytes: built.unzippedBytes,
        unzippedLimitBytes: LAMBDA_UNZIPPED_LIMIT_BYTES,
        files: built.files.length,
      };
      printResult(context, argv, summary, () =>
        [
          `Wrote ${built.outFile}`,
          `  model      ${built.model}`,
          `  handler    ${built.handler} (${built.runtime}, ${built.architecture})`,
          `  zipped     ${megabytes(built.zippedBytes)}`,
          `  unzipped   ${megabytes(built.unzippedBytes)} of Lambda's ${megabytes(LAMBDA_UNZIPPED_LIMIT_BYTES)} limit`,
          `  files      ${built.files.length}`,
          '',
        ].join('\n'),
      );
    },
  };
}
