import { createPluginRegistry, type PluginKind, type PluginKinds } from '@mbs/core';
import { expect } from 'vitest';

/** Every contract suite starts here: the plugin is v1, named, and a registry accepts it. */
export function expectRegistrable<K extends PluginKind>(kind: K, plugin: PluginKinds[K]): void {
  expect(plugin.specificationVersion).toBe('v1');
  expect(plugin.name).toMatch(/^[a-z0-9][a-z0-9-]*$/);
  const registry = createPluginRegistry();
  registry.register(kind, plugin);
  expect(registry.get(kind, plugin.name)).toBe(plugin);
}
