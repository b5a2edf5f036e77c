import { createRequire } from 'node:module';
import { isMbsError } from '@mbs/core';
import yargs, { type MiddlewareFunction } from 'yargs';
import { allCommands } from './commands/index.js';
import type { CommandContext, GlobalOptions } from './context.js';
import { EXIT_OK, EXIT_RUNTIME_ERROR, EXIT_USAGE } from './exit-codes.js';
import { type CliIo, processIo } from './io.js';
import { checkBooleanOptions } from './options/boolean-options.js';
import { checkNumberOptions } from './options/number-options.js';
import { loadCliPlugins } from './plugin-loading/cli-plugins.js';
import { pluginArguments } from './plugin-loading/plugin-arguments.js';

const { version } = createRequire(import.meta.url)('../package.json') as { version: string };

/** Thrown from yargs' fail handler so usage errors can be told apart from runtime ones. */
class UsageError extends Error {}

/** Options of {@link main}. */
export interface MainOptions {
  /**
   * Working directory: where `mbs.config.(js|mjs|ts)` is looked for (then up to the root) and
   * `--plugin` paths start from; default `process.cwd()`.
   */
  readonly cwd?: string;
}

/**
 * Runs `mbs` with the given arguments and resolves to its exit code: 0 ok, 1 runtime error,
 * 2 bad usage.
 *
 * @example
 * ```ts
 * const code = await main(['plugins', '--json']);
 * ```
 */
export async function main(
  args: readonly string[],
  io: CliIo = processIo,
  options: MainOptions = {},
): Promise<number> {
  let json = args.includes('--json');
  try {
    // Plugins load before parsing: they decide which names the plugin options accept.
    const pluginSources = {
      cwd: options.cwd ?? process.cwd(),
      pluginSpecifiers: pluginArguments(args),
    };
    const plugins = await loadCliPlugins(pluginSources);
    const context: CommandContext = { io, exitCode: EXIT_OK, plugins, pluginSources };
    const parser = createParser(args, context);
    const argv = (await parser.parseAsync()) as unknown as GlobalOptions;
    json = argv.json ?? json;
    return context.exitCode;
  } catch (error) {
    return reportError(error, io, json);
  }
}

/** Prints an error (as JSON too under `--json`) and returns its exit code. */
function reportError(error: unknown, io: CliIo, json: boolean): number {
  const usage = error instanceof UsageError || isMbsError(error, 'OPTION_INVALID');
  const code = usage ? EXIT_USAGE : EXIT_RUNTIME_ERROR;
  if (json) {
    const body = isMbsError(error)
      ? error.toJSON()
      : { code: usage ? 'USAGE' : 'ERROR', message: String((error as Error)?.message ?? error) };
    io.stdout(`${JSON.stringify({ error: body }, null, 2)}\n`);
  }
  io.stderr(`mbs: ${(error as Error)?.message ?? String(error)}\n`);
  if (usage && error instanceof UsageError) io.stderr('Run mbs --help for usage.\n');
  return code;
}

function createParser(args: readonly string[], context: CommandContext) {
  const parser = yargs([...args])
    .scriptName('mbs')
    .usage(
      '$0 <command> [options]\n\nMulti-buffer serving: the cheapest serverless batching configuration under a latency SLO.',
    )
    .option('json', {
      type: 'boolean',
      default: false,
      describe: 'Print results as JSON',
      global: true,
    })
    .option('plugin', {
      type: 'string',
      describe:
        'Load plugins from this module or file (repeatable); also read: the nearest mbs.config.(js|mjs|ts)',
      global: true,
    })
    .version(version)
    .help()
    .alias('h', 'help')
    .strict()
    .demandCommand(1, 'Name a command; see mbs --help.')
    .recommendCommands()
    .wrap(Math.min(110, process.stdout.columns || 100))
    .exitProcess(false)
    .fail((message, error) => {
      if (error) throw error;
      throw new UsageError(message);
    })
    // Before validation: a number typed as text must be named as such, not as a bad range.
    .middleware(
      ((
        argv: Record<string, unknown>,
        instance: { getOptions(): { number: string[]; boolean: string[] } },
      ) => {
        checkBooleanOptions(instance.getOptions().boolean, args);
        checkNumberOptions(argv, instance.getOptions().number, args);
      }) as unknown as MiddlewareFunction,
      true,
    );
  for (const command of allCommands(context)) parser.command(command);
  return parser;
}
