import { stat } from 'node:fs/promises';
import type { Arrival, Trace, TraceReader } from '@mbs/core';
import { createRandom } from '@mbs/core';
import type { Argv } from 'yargs';
import { errors } from '../errors.js';
import { optionError } from '../options/option-error.js';
import { type CliPlugins, describeOrigin } from '../plugin-loading/cli-plugins.js';
import { type ClassFrame, classShares } from './classes.js';

// The one way every command opens a trace: `mbs trace stats`, `fit`, `solve --trace`,
// `simulate --trace` and `run --trace` accept the same sources (a file of any registered
// format, a D0.csv,D1.csv MAP pair, synthetic[:...]) and the same reader options.

/** The options that pick and configure the trace reader. */
export interface TraceReaderOptions {
  readonly format?: string;
  readonly timeColumn?: string;
  readonly sizeColumn?: string;
  readonly timeUnit?: string;
  readonly sort?: boolean;
  /** MAP/synthetic: random seed (passed to the reader only when given). */
  readonly seed?: number;
  /** MAP/synthetic: arrivals to generate. */
  readonly count?: number;
  /** MAP/synthetic: seconds of arrivals to generate. */
  readonly duration?: number;
}

/** A trace source and its reader options, as the command line gives them. */
export interface TraceSourceOptions extends TraceReaderOptions {
  /** Trace file, `D0.csv,D1.csv` MAP pair, or `synthetic[:seed=N,count=N,duration=S]`. */
  readonly file: string;
}

/**
 * How the arrivals of a MAP source get sizes: MAPs carry none, so each arrival's class is drawn
 * from `shares` (seeded) and its size is that class's representative size.
 */
export interface MapClassMix {
  readonly classes: ClassFrame;
  readonly shares: readonly number[];
  /** Seed of the MAP sample (unless `--seed` names one) and, offset, of the class draws. */
  readonly seed: number;
}

/**
 * The trace source `file` with the reader options picked from parsed arguments (which hold
 * every option of the command).
 *
 * @param readerSeed - whether `seed` is the reader's; false in commands whose `--seed` seeds
 *   their own replay (simulate, run): a MAP trace then gets it through its class mix.
 */
export function traceSource(
  file: string,
  options: TraceReaderOptions,
  readerSeed = true,
): TraceSourceOptions {
  const { format, timeColumn, sizeColumn, timeUnit, sort, count, duration } = options;
  const seed = readerSeed ? options.seed : undefined;
  const picked = { format, timeColumn, sizeColumn, timeUnit, sort, seed, count, duration };
  return {
    file,
    ...Object.fromEntries(Object.entries(picked).filter(([, value]) => value !== undefined)),
  };
}

/** What every trace source accepts, for help texts. */
export const TRACE_SOURCE_HELP =
  'a trace file of any registered format (mbs plugins), a MAP as D0.csv,D1.csv, or synthetic[:seed=N,count=N,duration=S]';

/** Name of the built-in MAP reader, whose arrivals carry no sizes. */
const MAP_READER = 'map';

/** Offset of the class-draw stream from the MAP sample's seed, so the two are independent. */
const CLASS_DRAW_SEED_OFFSET = 0x2545f491;

/**
 * Adds the reader options to a command: `--format` (named in the registry), the CSV column
 * options and `--sort`; with `sample`, also `--seed`, `--count`, `--duration`.
 */
export function traceReaderOptionsBuilder<T>(
  yargs: Argv<T>,
  plugins: CliPlugins,
  sample = false,
): Argv<T & TraceReaderOptions> {
  const withReader = yargs
    .option('format', {
      type: 'string',
      describe: `Trace reader: ${plugins.names('trace-reader').join(', ')} (default: the first that recognises the trace)`,
    })
    .option('time-column', { type: 'string', describe: 'CSV: header of the time column' })
    .option('size-column', { type: 'string', describe: 'CSV: header of the size column' })
    .option('time-unit', {
      type: 'string',
      choices: ['auto', 'iso', 'seconds', 'milliseconds'],
      describe: 'CSV: how times are written (auto: numbers >= 1e11 are milliseconds)',
    })
    .option('sort', {
      type: 'boolean',
      describe: 'Sort arrivals by time (buffers the trace in memory)',
    });
  if (!sample) return withReader as unknown as Argv<T & TraceReaderOptions>;
  return withReader
    .option('seed', { type: 'number', describe: 'MAP/synthetic: random seed' })
    .option('count', { type: 'number', describe: 'MAP/synthetic: arrivals to generate' })
    .option('duration', {
      type: 'number',
      describe: 'MAP/synthetic: seconds of arrivals to generate',
    }) as unknown as Argv<T & TraceReaderOptions>;
}

/**
 * Adds the trace positional `<file>` and the reader options with sampling, as `mbs trace stats`
 * and `mbs fit` take them.
 */
export function traceFileBuilder<T>(
  yargs: Argv<T>,
  plugins: CliPlugins,
): Argv<T & TraceSourceOptions> {
  return traceReaderOptionsBuilder(
    yargs.positional('file', {
      type: 'string',
      demandOption: true,
      describe: `Trace: ${TRACE_SOURCE_HELP}`,
    }),
    plugins,
    true,
  ) as unknown as Argv<T & TraceSourceOptions>;
}

/**
 * When no reader recognises a source, says why if it is because a file is missing: IO naming the
 * file (each of a `D0.csv,D1.csv` pair) rather than "no trace reader recognises it". Sources that
 * are no file path (a reader plugin's own scheme, such as `synthetic:...`) pass.
 */
async function checkSourceFilesExist(source: string): Promise<void> {
  if (/^[a-z][a-z0-9+.-]*:/i.test(source) && !/^[a-z]:[\\/]/i.test(source)) return;
  for (const path of source.split(',')) {
    try {
      await stat(path);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      throw errors.error(
        'IO',
        `${path}: ${code === 'ENOENT' ? 'no such file' : `cannot be read (${code ?? (error as Error).message})`}; give a trace file of any registered format (mbs plugins), a MAP as D0.csv,D1.csv, or synthetic[:seed=N,count=N,duration=S]`,
        { cause: error, details: { file: path } },
      );
    }
  }
}

/** The reader `--format` names, else the first whose canRead() recognises the source. */
async function chooseReader(
  plugins: CliPlugins,
  options: TraceSourceOptions,
): Promise<TraceReader> {
  if (options.format !== undefined) {
    return plugins.load('trace-reader', options.format, '--format');
  }
  const readers = await plugins.loadAll('trace-reader');
  for (const candidate of readers) {
    let recognised: boolean;
    try {
      recognised = await candidate.canRead(options.file);
    } catch (error) {
      // A plugin's own failure, named with where it came from, rather than a bare message.
      const entry = plugins.entries('trace-reader').find((e) => e.name === candidate.name);
      throw errors.error(
        'PLUGIN_INVALID',
        `trace-reader plugin "${candidate.name}" (${entry ? describeOrigin(entry.origin) : 'unknown source'}) failed in canRead(${options.file}): ${(error as Error)?.message ?? error}; name the reader with --format`,
        { cause: error, details: { plugin: candidate.name, file: options.file } },
      );
    }
    if (recognised) return candidate;
  }
  await checkSourceFilesExist(options.file);
  // Column options mean a CSV even when its header names no column the csv reader knows.
  const csv = readers.find((candidate) => candidate.name === 'csv');
  if (csv && (options.timeColumn !== undefined || options.sizeColumn !== undefined)) return csv;
  throw errors.error(
    'TRACE_PARSE',
    `${options.file}: no trace reader recognises it; name one with --format (${readers.map((reader) => reader.name).join(', ')})`,
    { details: { file: options.file } },
  );
}

/** The arrivals of a MAP trace, each given a class drawn from the mix and that class's size. */
function withClassSizes(
  trace: Trace,
  mix: MapClassMix,
  classOf: (uniform: number) => number,
): Trace {
  return {
    metadata: trace.metadata,
    report: () => trace.report(),
    async *[Symbol.asyncIterator](): AsyncGenerator<Arrival, void, undefined> {
      const random = createRandom(mix.seed + CLASS_DRAW_SEED_OFFSET);
      for await (const arrival of trace) {
        const classId = classOf(random.next());
        yield { timeSeconds: arrival.timeSeconds, size: mix.classes.representativeSizes[classId]! };
      }
    },
  };
}

/**
 * Opens a trace as the options ask: the reader named by `--format`, else the first registered
 * reader (built-ins, then the config file's and `--plugin`'s) that recognises the source, else
 * `csv` when column options are given. Reader options are passed only when given, and each reader
 * rejects the ones it does not know (OPTION_INVALID). A MAP source read for a command that knows
 * its classes (`mix`) gets sizes from them, so its requests spread over the classes as the model
 * assumed instead of all landing in class 0.
 *
 * @example
 * ```ts
 * const trace = await openTrace(context.plugins, { file: 'azure.csv', sort: true });
 * ```
 */
export async function openTrace(
  plugins: CliPlugins,
  options: TraceSourceOptions,
  mix?: MapClassMix,
): Promise<Trace> {
  const reader = await chooseReader(plugins, options);
  const mapWithClasses = mix !== undefined && reader.name === MAP_READER;
  const seed = options.seed ?? (mapWithClasses ? mix.seed : undefined);
  const readOptions: Record<string, unknown> = {};
  if (options.timeColumn !== undefined) readOptions.timeColumn = options.timeColumn;
  if (options.sizeColumn !== undefined) readOptions.sizeColumn = options.sizeColumn;
  if (options.timeUnit !== undefined) readOptions.timeUnit = options.timeUnit;
  if (options.sort !== undefined) readOptions.sort = options.sort;
  if (seed !== undefined) readOptions.seed = seed;
  if (options.count !== undefined) readOptions.count = options.count;
  if (options.duration !== undefined) readOptions.durationSeconds = options.duration;
  const trace = reader.read(options.file, readOptions);
  if (!mapWithClasses) return trace;
  const { createClassSampler } = await import('@mbs/sim');
  return withClassSizes(trace, mix, createClassSampler(mix.shares));
}

/**
 * Whether a trace was read by the MAP reader: its arrivals have no sizes of their own, so it
 * takes the classes of the command that reads it.
 */
export function isMapTrace(trace: Trace): boolean {
  return trace.metadata.format === MAP_READER;
}

/**
 * Opens a trace for a command that knows its classes (`frame`): a MAP source's requests are drawn
 * into them with `--class-shares` (default equal), seeded by `seed`; `--class-shares` for a trace
 * with sizes of its own is OPTION_INVALID.
 *
 * @example
 * ```ts
 * const trace = await openClassedTrace(plugins, traceSource(argv.trace, argv, false),
 *   configurationClasses(config), argv.classShares, argv.seed);
 * ```
 */
export async function openClassedTrace(
  plugins: CliPlugins,
  options: TraceSourceOptions,
  frame: ClassFrame,
  sharesText: string | undefined,
  seed: number,
): Promise<Trace> {
  const shares = classShares(sharesText, frame.upperEdges.length);
  const trace = await openTrace(plugins, options, { classes: frame, shares, seed });
  if (sharesText !== undefined && !isMapTrace(trace)) {
    throw optionError(
      '--class-shares',
      `applies to a MAP (D0.csv,D1.csv); ${options.file} has sizes of its own`,
    );
  }
  return trace;
}
