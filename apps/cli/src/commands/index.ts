import type { CommandModule } from 'yargs';
import type { CommandContext, GlobalOptions } from '../context.js';
import { deployCommand } from './deploy.js';
import { emulatorCommand } from './emulator.js';
import { fitCommand } from './fit.js';
import { logsCommand } from './logs.js';
import { packageCommand } from './package.js';
import { pluginsCommand } from './plugins.js';
import { profileCommand } from './profile.js';
import { reportCommand } from './report.js';
import { runCommand } from './run.js';
import { serveCommand } from './serve.js';
import { simulateCommand } from './simulate.js';
import { solveCommand } from './solve.js';
import { traceCommand } from './trace.js';
import { validateCommand } from './validate.js';

/** Every command of `mbs`, in help order. Add a command by adding its factory here. */
// biome-ignore lint/suspicious/noExplicitAny: each command has its own argument type; yargs merges them.
export function allCommands(context: CommandContext): CommandModule<GlobalOptions, any>[] {
  return [
    solveCommand(context),
    pluginsCommand(context),
    deployCommand(context),
    emulatorCommand(context),
    runCommand(context),
    serveCommand(context),
    logsCommand(context),
    validateCommand(context),
    packageCommand(context),
    traceCommand(context),
    fitCommand(context),
    profileCommand(context),
    simulateCommand(context),
    reportCommand(context),
    // (command list: one factory per line)
  ];
}
