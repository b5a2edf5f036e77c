import type { ClassSchemeSpec } from '@mbs/traces';
import type { Argv } from 'yargs';
import { errors } from '../errors.js';
import { optionError } from '../options/option-error.js';

/** Options that build the class scheme of a trace (`--classes`, `--by`, `--edges`). */
export interface ClassOptions {
  readonly classes?: number;
  readonly by?: string;
  readonly edges?: string;
}

/**
 * The classes requests fall into when their source has no sizes of its own (a MAP): one size per
 * class, which each request drawn into that class is given.
 */
export interface ClassFrame {
  /** Upper edges of the classes; class c holds sizes up to `upperEdges[c]`. */
  readonly upperEdges: readonly number[];
  /** The size of a request of each class, ascending, within its class. */
  readonly representativeSizes: readonly number[];
}

/** Adds the class options to a command. */
export function classBuilder<T>(yargs: Argv<T>): Argv<T & ClassOptions> {
  return yargs
    .option('classes', { type: 'number', describe: 'Number of size classes (default 8)' })
    .option('by', {
      type: 'string',
      choices: ['quantile', 'log', 'edges'],
      describe: 'Class edges: equal request shares, log-spaced sizes, or --edges',
    })
    .option('edges', {
      type: 'string',
      describe: 'Comma-separated ascending class upper edges (--by edges)',
    }) as unknown as Argv<T & ClassOptions>;
}

/** Whether the options say anything about classes. */
export function hasClassOptions(options: ClassOptions): boolean {
  return options.classes !== undefined || options.by !== undefined || options.edges !== undefined;
}

/** The class spec the options ask for; OPTION_INVALID for bad values. */
export function classSpec(options: ClassOptions): ClassSchemeSpec {
  const { classes, by, edges } = options;
  if (classes !== undefined && (!Number.isSafeInteger(classes) || classes < 1 || classes > 4096)) {
    throw errors.error('OPTION_INVALID', `--classes is ${classes}; give an integer from 1 to 4096`);
  }
  if (edges !== undefined) {
    const values = edges.split(',').map((edge) => Number(edge.trim()));
    if (
      values.some((value) => !(Number.isFinite(value) && value > 0)) ||
      (by !== undefined && by !== 'edges')
    ) {
      throw errors.error(
        'OPTION_INVALID',
        `--edges ${JSON.stringify(edges)}: give comma-separated sizes > 0, ascending, with --by edges or no --by`,
      );
    }
    return { by: 'edges', edges: values };
  }
  if (by === 'edges') {
    throw errors.error('OPTION_INVALID', '--by edges needs --edges a,b,c');
  }
  return {
    ...(by === undefined ? {} : { by: by as 'quantile' | 'log' }),
    ...(classes === undefined ? {} : { count: classes }),
  };
}

/**
 * The classes of a configuration, each request sized to its class's upper edge (the size the
 * fitted workloads pad each class to).
 */
export function configurationClasses(config: {
  readonly classUpperEdges: readonly number[];
}): ClassFrame {
  return { upperEdges: config.classUpperEdges, representativeSizes: config.classUpperEdges };
}

/** Sizes 1..n: the classes of a profile that states no sizes, as the MBS solvers number them. */
export function classIndexFrame(count: number): ClassFrame {
  const sizes = Array.from({ length: count }, (_, classId) => classId + 1);
  return { upperEdges: sizes, representativeSizes: sizes };
}

/**
 * The class shares `--class-shares` gives (normalised to sum 1), or equal shares; OPTION_INVALID
 * when there is not one non-negative number per class or all are 0.
 *
 * @example
 * ```ts
 * classShares('1,1,2', 3); // [0.25, 0.25, 0.5]
 * ```
 */
export function classShares(text: string | undefined, count: number): number[] {
  if (text === undefined) return new Array<number>(count).fill(1 / count);
  const shares = text.split(',').map((part) => Number(part.trim()));
  if (shares.length !== count || shares.some((share) => !Number.isFinite(share) || share < 0)) {
    throw optionError(
      '--class-shares',
      `${JSON.stringify(text)}: give ${count} non-negative comma-separated numbers (one per class)`,
      text,
    );
  }
  const total = shares.reduce((sum, share) => sum + share, 0);
  if (total <= 0) throw optionError('--class-shares', 'must not all be 0', text);
  return shares.map((share) => share / total);
}

/**
 * Checks that a workload's classes are the configuration's: the same number of classes with the
 * same upper edges (to a relative 1e-9). CONFIG_INVALID naming both files and the first edge that
 * differs otherwise, since replaying a workload through a configuration solved for other classes
 * routes its requests to the wrong buffers without a word.
 */
export function checkSameClassEdges(
  workloadEdges: readonly number[],
  workloadPath: string,
  config: { readonly classUpperEdges: readonly number[] },
  configPath: string,
): void {
  const configEdges = config.classUpperEdges;
  const differs = (a: number, b: number) =>
    Math.abs(a - b) > 1e-9 * Math.max(Math.abs(a), Math.abs(b));
  const index = configEdges.findIndex(
    (edge, classId) => classId >= workloadEdges.length || differs(edge, workloadEdges[classId]!),
  );
  if (index < 0 && workloadEdges.length === configEdges.length) return;
  const at = index < 0 ? configEdges.length : index;
  throw errors.error(
    'CONFIG_INVALID',
    `--workload ${workloadPath} has class upper edges ${workloadEdges.join(', ')} but --config ${configPath} has ${configEdges.join(', ')} (first difference at class ${at}); simulate the configuration solved for this workload, or fit the workload with --by edges --edges ${configEdges.join(',')}`,
    { details: { workload: workloadPath, config: configPath, classId: at } },
  );
}
