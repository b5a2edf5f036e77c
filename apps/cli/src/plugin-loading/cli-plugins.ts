import {
  createPluginRegistry,
  isMbsError,
  type MbsError,
  type PluginKind,
  type PluginKinds,
  type PluginRegistry,
} from '@mbs/core';
import { errors } from '../errors.js';
import { optionError } from '../options/option-error.js';
import { type BuiltinPlugin, builtinPlugins } from '../plugins.js';
import { findConfigFile } from './config-file.js';
import { type DeclaredPlugin, loadPluginModule } from './plugin-module.js';
import { resolvePluginSpecifier } from './plugin-specifier.js';

/** Where a plugin came from: built into the CLI, the config file, or a `--plugin` option. */
export type PluginOrigin =
  | { readonly type: 'builtin' }
  | { readonly type: 'config'; readonly path: string }
  | { readonly type: 'option'; readonly specifier: string; readonly path: string };

/** One plugin the CLI knows, loaded or not. */
export interface PluginEntry {
  readonly kind: PluginKind;
  readonly name: string;
  readonly description?: string;
  readonly origin: PluginOrigin;
}

/** A module of plugins (config file or `--plugin`) with what it declares. */
export interface PluginModule {
  readonly origin: Exclude<PluginOrigin, { type: 'builtin' }>;
  readonly plugins: readonly DeclaredPlugin[];
}

/**
 * The plugins of one `mbs` run, in the one `@mbs/core` registry: the user's (config file,
 * `--plugin`) registered when the run starts, the built-ins registered when first used, so that
 * `mbs --help` and `mbs solve` import no provider.
 */
export interface CliPlugins {
  /** The registry every plugin is registered into (built-ins once loaded). */
  readonly registry: PluginRegistry;
  /** Every plugin, loaded or not: built-ins first, then the config file's, then `--plugin`'s. */
  entries(kind?: PluginKind): readonly PluginEntry[];
  /** Names of the plugins of a kind, for an option's help and errors. */
  names(kind: PluginKind): string[];
  /** Whether a plugin of that kind and name exists. */
  has(kind: PluginKind, name: string): boolean;
  /**
   * The plugin of that kind and name, loading a built-in on first use; OPTION_INVALID naming
   * `option` and listing the names of that kind when there is none.
   */
  load<K extends PluginKind>(kind: K, name: string, option: string): Promise<PluginKinds[K]>;
  /** Every plugin of a kind, in entry order (trace readers are tried in this order). */
  loadAll<K extends PluginKind>(kind: K): Promise<PluginKinds[K][]>;
}

/** How a plugin's origin is named in listings and messages. */
export function describeOrigin(origin: PluginOrigin): string {
  if (origin.type === 'builtin') return 'builtin';
  if (origin.type === 'config') return origin.path;
  return `--plugin ${origin.specifier}`;
}

/** The message without its package prefix, to put under the CLI's own. */
function bareMessage(error: MbsError): string {
  return error.message.replace(/^\[[^\]]+\] /, '');
}

/**
 * The plugins of a run: the built-in table plus the plugins of each module, registered in order.
 * A plugin failing its contract (specificationVersion, name, required methods) or reusing a name
 * of its kind is refused with the registry's error code, naming its file.
 *
 * @example
 * ```ts
 * const plugins = createCliPlugins([{ origin: { type: 'config', path }, plugins: declared }]);
 * const pricing = await plugins.load('pricing', 'aws-x86', '--pricing');
 * ```
 */
export function createCliPlugins(
  modules: readonly PluginModule[] = [],
  builtins: readonly BuiltinPlugin[] = builtinPlugins,
): CliPlugins {
  const registry = createPluginRegistry();
  const entries: PluginEntry[] = builtins.map(({ kind, name, description }) => ({
    kind,
    name,
    description,
    origin: { type: 'builtin' },
  }));
  for (const module of modules) {
    const label = describeOrigin(module.origin);
    for (const { kind, plugin } of module.plugins) {
      const name = (plugin as { name?: unknown } | null)?.name;
      const existing = entries.find((entry) => entry.kind === kind && entry.name === name);
      try {
        if (existing !== undefined) {
          throw errors.error(
            'PLUGIN_DUPLICATE',
            `a ${kind} plugin named "${String(name)}" is already registered (${describeOrigin(existing.origin)}); names must be unique within a kind`,
          );
        }
        registry.register(kind, plugin as PluginKinds[typeof kind]);
      } catch (error) {
        if (!isMbsError(error)) throw error;
        throw errors.error(error.code, `${label}: ${bareMessage(error)}`, {
          cause: error,
          details: { ...error.details, source: label },
        });
      }
      const { description } = plugin as { description?: unknown };
      entries.push({
        kind,
        name: name as string,
        ...(typeof description === 'string' ? { description } : {}),
        origin: module.origin,
      });
    }
  }
  const loading = new Map<string, Promise<unknown>>();
  const ofKind = (kind: PluginKind) => entries.filter((entry) => entry.kind === kind);

  async function load<K extends PluginKind>(
    kind: K,
    name: string,
    option: string,
  ): Promise<PluginKinds[K]> {
    if (registry.has(kind, name)) return registry.get(kind, name);
    const builtin = builtins.find((entry) => entry.kind === kind && entry.name === name);
    if (builtin === undefined) {
      const known = ofKind(kind).map((entry) => entry.name);
      throw optionError(
        option,
        `${name}: no ${kind} plugin of that name; registered: ${known.length > 0 ? known.join(', ') : 'none'} (add one with --plugin or mbs.config.mjs)`,
        name,
      );
    }
    const key = `${kind}\u0000${name}`;
    let pending = loading.get(key);
    if (pending === undefined) {
      pending = builtin.load().then((plugin) => {
        if (!registry.has(kind, name)) registry.register(kind, plugin as PluginKinds[K]);
        return registry.get(kind, name);
      });
      loading.set(key, pending);
    }
    return (await pending) as PluginKinds[K];
  }

  return {
    registry,
    entries: (kind) => (kind === undefined ? [...entries] : ofKind(kind)),
    names: (kind) => ofKind(kind).map((entry) => entry.name),
    has: (kind, name) => entries.some((entry) => entry.kind === kind && entry.name === name),
    load,
    loadAll: (kind) =>
      Promise.all(ofKind(kind).map((entry) => load(kind, entry.name, `${kind} ${entry.name}`))),
  };
}

/** Where {@link loadCliPlugins} looks. */
export interface LoadCliPluginsOptions {
  /** Directory the config file is looked for from (up to the root), and `--plugin` paths are relative to. */
  readonly cwd: string;
  /** The `--plugin` values, in the order given. */
  readonly pluginSpecifiers?: readonly string[];
}

/**
 * The plugins of a run: built-ins, then those of the nearest `mbs.config.(js|mjs|ts)` from `cwd`
 * up, then those of each `--plugin` module.
 *
 * @example
 * ```ts
 * const plugins = await loadCliPlugins({ cwd: process.cwd(), pluginSpecifiers: ['./jsonl.mjs'] });
 * ```
 */
export async function loadCliPlugins(options: LoadCliPluginsOptions): Promise<CliPlugins> {
  const modules: PluginModule[] = [];
  const configPath = await findConfigFile(options.cwd);
  if (configPath !== undefined) {
    modules.push({
      origin: { type: 'config', path: configPath },
      plugins: await loadPluginModule(configPath, configPath),
    });
  }
  for (const specifier of options.pluginSpecifiers ?? []) {
    const path = await resolvePluginSpecifier(specifier, options.cwd);
    modules.push({
      origin: { type: 'option', specifier, path },
      plugins: await loadPluginModule(path, `--plugin ${specifier} (${path})`),
    });
  }
  return createCliPlugins(modules);
}
