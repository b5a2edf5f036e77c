import type { CommandModule } from 'yargs';
import type { CommandContext, GlobalOptions } from '../context.js';
import { pluginsCommand } from './plugins.js';

/** Every command of `mbs`, in help order. Add a command by adding its factory here. */
// biome-ignore lint/suspicious/noExplicitAny: each command has its own argument type; yargs merges them.
export function allCommands(context: CommandContext): CommandModule<GlobalOptions, any>[] {
  return [
    pluginsCommand(context),
    // (command list: one factory per line)
  ];
}
