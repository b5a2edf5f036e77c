import type { CliIo } from './io.js';
import type { CliPlugins, LoadCliPluginsOptions } from './plugin-loading/cli-plugins.js';

/** What every command gets besides its arguments. */
export interface CommandContext {
  readonly io: CliIo;
  /** The plugins of this run (built-ins, the config file's, `--plugin`'s), in one registry. */
  readonly plugins: CliPlugins;
  /** Where the plugins were loaded from, so a worker thread can load the same ones. */
  readonly pluginSources?: LoadCliPluginsOptions;
  /**
   * The exit code when the command ends without throwing; a command sets 1 when it printed its
   * result but the result is a failure (an SLO that cannot be met).
   */
  exitCode: number;
}

/** Options every command accepts. */
export interface GlobalOptions {
  /** Print results as JSON instead of a table. */
  readonly json: boolean;
}

/** Writes a result as JSON or as text, as `--json` asks. */
export function printResult(
  context: CommandContext,
  options: GlobalOptions,
  value: unknown,
  text: () => string,
): void {
  context.io.stdout(options.json ? `${JSON.stringify(value, null, 2)}\n` : text());
}

/**
 * Writes a warning to stderr as `mbs: warning: <message>`: something the command corrected or
 * could not check, which the result alone would not show.
 *
 * @example
 * ```ts
 * warn(context, 'profile.json: 4 service times were raised to be monotone in batch size');
 * ```
 */
export function warn(context: CommandContext, message: string): void {
  context.io.stderr(`mbs: warning: ${message}\n`);
}
