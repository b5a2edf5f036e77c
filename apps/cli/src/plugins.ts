import {
  createPluginRegistry,
  type PluginKind,
  type PluginKinds,
  type PluginRegistry,
} from '@mbs/core';

/** One built-in plugin: how to load it, lazily, so `mbs --help` imports nothing heavy. */
export interface BuiltinPlugin<K extends PluginKind = PluginKind> {
  readonly kind: K;
  readonly name: string;
  readonly description: string;
  readonly load: () => Promise<PluginKinds[K]>;
}

/**
 * The one static table of built-in plugins. Nothing scans the filesystem; a new plugin is a new
 * line here.
 */
export const builtinPlugins: readonly BuiltinPlugin[] = [];

/**
 * A registry holding every built-in plugin (loaded now).
 *
 * @example
 * ```ts
 * const registry = await createBuiltinRegistry();
 * registry.get('pricing', 'aws-x86');
 * ```
 */
export async function createBuiltinRegistry(): Promise<PluginRegistry> {
  const registry = createPluginRegistry();
  for (const entry of builtinPlugins) {
    registry.register(entry.kind, await entry.load());
  }
  return registry;
}
