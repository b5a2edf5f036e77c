import type { Argv, CommandModule } from 'yargs';
import type { CommandContext, GlobalOptions } from '../context.js';
import { printResult } from '../context.js';
import { createBuiltinRegistry } from '../plugins.js';
import { formatTable } from '../table.js';

/** `mbs plugins`: lists every registered plugin by kind and name. */
export function pluginsCommand(
  context: CommandContext,
): CommandModule<GlobalOptions, GlobalOptions> {
  return {
    command: 'plugins',
    describe:
      'List the registered plugins (providers, trace readers, pricing, profiles, search strategies)',
    builder: (yargs: Argv<GlobalOptions>) => yargs,
    handler: async (argv) => {
      const registry = await createBuiltinRegistry();
      const plugins = registry.list();
      printResult(context, argv, plugins, () =>
        formatTable(plugins, [
          { header: 'kind', value: (plugin) => plugin.kind },
          { header: 'name', value: (plugin) => plugin.name },
          { header: 'description', value: (plugin) => plugin.description ?? '' },
        ]),
      );
    },
  };
}
