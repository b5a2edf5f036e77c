import type { Argv, CommandModule } from 'yargs';
import type { CommandContext, GlobalOptions } from '../context.js';
import { printResult } from '../context.js';
import { describeOrigin } from '../plugin-loading/cli-plugins.js';
import { formatTable } from '../table.js';

/**
 * `mbs plugins`: lists every plugin by kind and name, with where it came from (built in, the
 * config file, or `--plugin`). Every plugin is loaded and registered first, so the listing is
 * also a check that each one meets its contract; descriptions are the plugins' own.
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
      const entries = context.plugins.entries();
      for (const kind of new Set(entries.map((entry) => entry.kind))) {
        await context.plugins.loadAll(kind);
      }
      const registered = context.plugins.registry.list();
      const described = entries.map((entry) => {
        const plugin = registered.find((r) => r.kind === entry.kind && r.name === entry.name);
        const description = plugin?.description ?? entry.description;
        return { ...entry, ...(description === undefined ? {} : { description }) };
      });
      const plugins = described.map(({ kind, name, description, origin }) => ({
        kind,
        name,
        ...(description === undefined ? {} : { description }),
        source: origin.type,
        ...(origin.type === 'builtin' ? {} : { path: origin.path }),
        ...(origin.type === 'option' ? { specifier: origin.specifier } : {}),
      }));
      printResult(context, argv, plugins, () =>
        formatTable(described, [
          { header: 'kind', value: (plugin) => plugin.kind },
          { header: 'name', value: (plugin) => plugin.name },
          { header: 'source', value: (plugin) => describeOrigin(plugin.origin) },
          { header: 'description', value: (plugin) => plugin.description ?? '' },
        ]),
      );
    },
  };
}
