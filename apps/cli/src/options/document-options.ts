import { readFile } from 'node:fs/promises';
import type { ConfigurationDocument, WorkloadDocument } from '@mbs/core';
import { parseConfigurationDocument, parseWorkloadDocument } from '@mbs/core';
import type { Argv } from 'yargs';
import { errors } from '../errors.js';

// The document options: --config (a configuration from mbs solve --out) and --workload (a
// workload from mbs fit --out), declared and read the same way by every command that takes them.

/** Value of `--config`. */
export interface ConfigurationOption {
  readonly config: string;
}

/**
 * Adds the required `--config` option to a command.
 *
 * @example
 * ```ts
 * builder: (yargs) => configurationOptionBuilder(yargs).option('dry-run', { type: 'boolean' })
 * ```
 */
export function configurationOptionBuilder<T>(
  yargs: Argv<T>,
  describe = 'Configuration document (mbs solve --out)',
): Argv<T & ConfigurationOption> {
  return yargs.option('config', {
    type: 'string',
    demandOption: true,
    describe,
  }) as unknown as Argv<T & ConfigurationOption>;
}

/**
 * Reads a JSON document file given by `option` and checks it with `parse`: IO when the file
 * cannot be read, CONFIG_INVALID when it is not JSON (naming what was expected), and whatever
 * `parse` throws when the JSON is not that document.
 */
async function readDocumentFile<T>(
  path: string,
  option: string,
  expected: string,
  parse: (value: unknown, source: string) => T,
): Promise<T> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw errors.error('IO', `${option} ${path}: cannot be read (${(error as Error).message})`, {
      cause: error,
      details: { option, path },
    });
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw errors.error(
      'CONFIG_INVALID',
      `${option} ${path}: not valid JSON (${(error as Error).message}); expected ${expected}`,
      { cause: error, details: { option, path } },
    );
  }
  return parse(value, path);
}

/**
 * Reads and checks a configuration document (the JSON of `mbs solve --out`).
 *
 * @example
 * ```ts
 * const config = await readConfigurationFile(argv.config);
 * ```
 */
export function readConfigurationFile(
  path: string,
  option = '--config',
): Promise<ConfigurationDocument> {
  return readDocumentFile(
    path,
    option,
    'a configuration document from mbs solve --out',
    parseConfigurationDocument,
  );
}

/** Reads and checks a workload document (the JSON of `mbs fit --out`). */
export function readWorkloadFile(path: string, option = '--workload'): Promise<WorkloadDocument> {
  return readDocumentFile(
    path,
    option,
    'a workload document from mbs fit --out',
    parseWorkloadDocument,
  );
}
