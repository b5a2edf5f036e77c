import { describe, expect, it } from 'vitest';
import { isMbsError } from './errors.js';
import { createPluginRegistry } from './registry.js';

const pricing = (name: string, extra: Record<string, unknown> = {}) => ({
  specificationVersion: 'v1' as const,
  name,
  architecture: 'x86_64' as const,
  requestFeeUsd: 2e-7,
  priceUsdPerGbSecond: 1.66667e-5,
  billingGranularityMs: 1,
  billsInitPhase: false,
  billedDurationMs: () => 1,
  invocationCostUsd: () => 1,
  ...extra,
});

function thrown(action: () => unknown): unknown {
  try {
    action();
  } catch (error) {
    return error;
  }
  throw new Error('expected the action to throw');
}

describe('createPluginRegistry', () => {
  it('registers and looks up by kind and name', () => {
    const registry = createPluginRegistry();
    const plugin = pricing('aws-x86');
    registry.register('pricing', plugin);
    expect(registry.get('pricing', 'aws-x86')).toBe(plugin);
    expect(registry.has('pricing', 'aws-x86')).toBe(true);
    expect(registry.has('provider', 'aws-x86')).toBe(false);
    expect(registry.list()).toEqual([{ kind: 'pricing', name: 'aws-x86' }]);
  });

  it('refuses an unknown specificationVersion with PLUGIN_VERSION naming the plugin', () => {
    const registry = createPluginRegistry();
    const error = thrown(() =>
      registry.register('pricing', { ...pricing('future'), specificationVersion: 'v2' } as never),
    );
    expect(isMbsError(error, 'PLUGIN_VERSION')).toBe(true);
    expect((error as Error).message).toContain('"future"');
    expect((error as Error).message).toContain('"v2"');
  });

  it('refuses a duplicate name with PLUGIN_DUPLICATE naming the plugin', () => {
    const registry = createPluginRegistry();
    registry.register('pricing', pricing('aws-x86'));
    const error = thrown(() => registry.register('pricing', pricing('aws-x86')));
    expect(isMbsError(error, 'PLUGIN_DUPLICATE')).toBe(true);
    expect((error as Error).message).toContain('"aws-x86"');
  });

  it('allows the same name in two kinds', () => {
    const registry = createPluginRegistry();
    registry.register('pricing', pricing('local'));
    registry.register('provider', {
      specificationVersion: 'v1',
      name: 'local',
      invoke: async () => {
        throw new Error('unused');
      },
    });
    expect(registry.list().map((entry) => entry.kind)).toEqual(['pricing', 'provider']);
  });

  it('refuses a plugin that lacks a required method with PLUGIN_INVALID naming plugin and method', () => {
    const registry = createPluginRegistry();
    const error = thrown(() =>
      registry.register('pricing', pricing('broken', { invocationCostUsd: undefined }) as never),
    );
    expect(isMbsError(error, 'PLUGIN_INVALID')).toBe(true);
    expect((error as Error).message).toContain('"broken"');
    expect((error as Error).message).toContain('invocationCostUsd()');
  });

  it('refuses a name that is not kebab-case', () => {
    const registry = createPluginRegistry();
    const error = thrown(() => registry.register('pricing', pricing('Bad Name')));
    expect(isMbsError(error, 'PLUGIN_INVALID')).toBe(true);
  });

  it('says what is registered when a lookup fails', () => {
    const registry = createPluginRegistry();
    registry.register('pricing', pricing('aws-x86'));
    const error = thrown(() => registry.get('pricing', 'gcp'));
    expect(isMbsError(error, 'PLUGIN_NOT_FOUND')).toBe(true);
    expect((error as Error).message).toContain('registered: aws-x86');
  });
});
