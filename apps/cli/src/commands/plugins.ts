import type { Argv, CommandModule } from 'yargs';
import type { CommandContext, GlobalOptions } from '../context.js';
import { printResult } from '../context.js';
import { describeOrigin } from '../plugin-loading/cli-plugins.js';
import { formatTable } from '../table.js';

/**
 * `mbs plugins`: lists every plugin by kind and name, with where it came from (built in, the
 * config file, or `--plugin`). Built-ins are listed from the CLI's table without loading them.
 */
export function pluginsCommand(
  context: CommandContext,
): CommandModule<GlobalOptions, GlobalOptions> {
  return {
    command: 'plugins',
    describe:
      'List the plugins (providers, trace readers, pricing, profiles) and where each came from: builtin, mbs.config file, --plugin',
    builder: (yargs: Argv<GlobalOptions>) => yargs,
    handler: async (argv) => {
      const plugins = context.plugins.entries().map(({ kind, name, description, origin }) => ({
        kind,
        name,
        ...(description === undefined ? {} : { description }),
        source: origin.type,
        ...(origin.type === 'builtin' ? {} : { path: origin.path }),
        ...(origin.type === 'option' ? { specifier: origin.specifier } : {}),
      }));
      printResult(context, argv, plugins, () =>
        formatTable(context.plugins.entries(), [
          { header: 'kind', value: (plugin) => plugin.kind },
          { header: 'name', value: (plugin) => plugin.name },
          { header: 'source', value: (plugin) => describeOrigin(plugin.origin) },
          { header: 'description', value: (plugin) => plugin.description ?? '' },
        ]),
      );
    },
  };
}
