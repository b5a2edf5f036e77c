import { errors } from './core-errors.js';
import type { Objective } from './objective.js';
import type { PluginBase } from './plugin.js';
import { SPECIFICATION_VERSION } from './plugin.js';
import type { PricingModel } from './pricing.js';
import type { ServiceTimeProfile } from './profile.js';
import type { Provider } from './provider.js';
import type { SearchStrategy } from './search-strategy.js';
import type { TraceReader } from './trace-reader.js';

/** The plugin kinds and the contract each implements. */
export interface PluginKinds {
  provider: Provider;
  'trace-reader': TraceReader;
  pricing: PricingModel;
  profile: ServiceTimeProfile;
  'search-strategy': SearchStrategy;
  objective: Objective;
}

/** A plugin kind name. */
export type PluginKind = keyof PluginKinds;

/** Members a plugin of each kind must have, beyond `specificationVersion` and `name`. */
export const REQUIRED_PLUGIN_MEMBERS: {
  readonly [K in PluginKind]: readonly (keyof PluginKinds[K])[];
} = {
  provider: ['invoke'],
  'trace-reader': ['canRead', 'read'],
  pricing: ['invocationCostUsd'],
  profile: ['serviceTimeSeconds'],
  'search-strategy': ['search'],
  objective: ['assess'],
};

/** One registered plugin, for listings. */
export interface RegisteredPlugin {
  readonly kind: PluginKind;
  readonly name: string;
  readonly description?: string;
}

/** Registers plugins by kind and name and looks them up. */
export interface PluginRegistry {
  /** Registers a plugin; throws PLUGIN_VERSION, PLUGIN_DUPLICATE or PLUGIN_INVALID. */
  register<K extends PluginKind>(kind: K, plugin: PluginKinds[K]): void;
  /** The plugin of that kind and name; throws PLUGIN_NOT_FOUND listing what is registered. */
  get<K extends PluginKind>(kind: K, name: string): PluginKinds[K];
  /** Whether a plugin of that kind and name is registered. */
  has(kind: PluginKind, name: string): boolean;
  /** Every registered plugin, or those of one kind, in registration order. */
  list(kind?: PluginKind): readonly RegisteredPlugin[];
}

function describe(kind: string, plugin: unknown): string {
  const name = (plugin as { name?: unknown } | null)?.name;
  return `${kind} plugin ${typeof name === 'string' ? `"${name}"` : '(unnamed)'}`;
}

/**
 * Checks that a value implements the contract of `kind` at version v1, and returns it typed.
 * Throws PLUGIN_VERSION for another version and PLUGIN_INVALID for a missing member.
 */
export function assertPlugin<K extends PluginKind>(kind: K, plugin: unknown): PluginKinds[K] {
  if (!(kind in REQUIRED_PLUGIN_MEMBERS)) {
    throw errors.error(
      'PLUGIN_INVALID',
      `unknown plugin kind "${String(kind)}"; accepted: ${Object.keys(REQUIRED_PLUGIN_MEMBERS).join(', ')}`,
    );
  }
  const label = describe(kind, plugin);
  if (typeof plugin !== 'object' || plugin === null) {
    throw errors.error('PLUGIN_INVALID', `${label} must be an object`);
  }
  const candidate = plugin as Partial<PluginBase> & Record<string, unknown>;
  if (candidate.specificationVersion !== SPECIFICATION_VERSION) {
    throw errors.error(
      'PLUGIN_VERSION',
      `${label} implements specificationVersion ${JSON.stringify(candidate.specificationVersion)}; this core accepts only "${SPECIFICATION_VERSION}"`,
      {
        details: {
          kind,
          name: candidate.name,
          specificationVersion: candidate.specificationVersion,
        },
      },
    );
  }
  if (typeof candidate.name !== 'string' || !/^[a-z0-9][a-z0-9-]*$/.test(candidate.name)) {
    throw errors.error(
      'PLUGIN_INVALID',
      `${label} needs a kebab-case string name (letters, digits, dashes)`,
      { details: { kind, name: candidate.name } },
    );
  }
  for (const member of REQUIRED_PLUGIN_MEMBERS[kind]) {
    if (typeof candidate[member as string] !== 'function') {
      throw errors.error(
        'PLUGIN_INVALID',
        `${label} lacks the required method ${String(member)}()`,
        { details: { kind, name: candidate.name, member } },
      );
    }
  }
  return plugin as PluginKinds[K];
}

/**
 * A new, empty plugin registry.
 *
 * @example
 * ```ts
 * const registry = createPluginRegistry();
 * registry.register('pricing', createAwsPricing({ architecture: 'arm64' }));
 * const pricing = registry.get('pricing', 'aws-arm64');
 * ```
 */
export function createPluginRegistry(): PluginRegistry {
  const plugins = new Map<PluginKind, Map<string, PluginBase>>();
  const order: RegisteredPlugin[] = [];
  return {
    register(kind, plugin) {
      const checked = assertPlugin(kind, plugin);
      const ofKind = plugins.get(kind) ?? new Map<string, PluginBase>();
      if (ofKind.has(checked.name)) {
        throw errors.error(
          'PLUGIN_DUPLICATE',
          `a ${kind} plugin named "${checked.name}" is already registered; names must be unique within a kind`,
          { details: { kind, name: checked.name } },
        );
      }
      ofKind.set(checked.name, checked);
      plugins.set(kind, ofKind);
      order.push(
        checked.description === undefined
          ? { kind, name: checked.name }
          : { kind, name: checked.name, description: checked.description },
      );
    },
    get(kind, name) {
      const plugin = plugins.get(kind)?.get(name);
      if (!plugin) {
        const known = [...(plugins.get(kind)?.keys() ?? [])];
        throw errors.error(
          'PLUGIN_NOT_FOUND',
          `no ${kind} plugin named "${name}"; registered: ${known.length ? known.join(', ') : 'none'}`,
          { details: { kind, name, known } },
        );
      }
      return plugin as PluginKinds[typeof kind];
    },
    has(kind, name) {
      return plugins.get(kind)?.has(name) ?? false;
    },
    list(kind) {
      return kind === undefined ? [...order] : order.filter((entry) => entry.kind === kind);
    },
  };
}
