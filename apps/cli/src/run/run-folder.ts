import { mkdir, readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { MbsError } from '@mbs/core';
import { errors } from '../errors.js';

/**
 * The files a run writes into its folder (`mbs run`, `mbs run --target`, `mbs logs collect`):
 * what makes a folder "hold results", and what `--force` removes. Other files are left alone, so
 * `--out .` never empties a working directory.
 */
export const RUN_RESULT_FILES: readonly string[] = [
  'requests.jsonl',
  'batches.jsonl',
  'run.json',
  'answers.jsonl',
  'target-run.json',
  'invocations.jsonl',
];

/**
 * Prepares the run folder `directory`: creates it, and refuses (IO, naming the files and
 * `--force`) when it already holds results of an earlier run, since their records would be mixed
 * with this run's (an old `invocations.jsonl` made `mbs logs summarize` report a cost 20x too
 * high). With `force`, those files are removed first.
 *
 * @example
 * ```ts
 * await prepareRunFolder('runs/today', { force: argv.force });
 * ```
 */
export async function prepareRunFolder(
  directory: string,
  options: { readonly force: boolean },
): Promise<void> {
  try {
    await mkdir(directory, { recursive: true });
    const present = new Set(await readdir(directory));
    const results = RUN_RESULT_FILES.filter((file) => present.has(file));
    if (results.length === 0) return;
    if (!options.force) {
      throw errors.error(
        'IO',
        `--out ${directory} already holds the results of a run (${results.join(', ')}); give a new folder, or --force to remove these files first`,
        { details: { option: '--out', directory, files: results } },
      );
    }
    await Promise.all(results.map((file) => rm(join(directory, file), { force: true })));
  } catch (error) {
    if (error instanceof MbsError) throw error;
    throw errors.error(
      'IO',
      `--out ${directory}: cannot prepare the run folder (${(error as Error).message})`,
      { cause: error, details: { option: '--out' } },
    );
  }
}
