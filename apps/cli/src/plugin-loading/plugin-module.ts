import { MbsError, type PluginKind, type PluginKinds, REQUIRED_PLUGIN_MEMBERS } from '@mbs/core';
import { errors } from '../errors.js';
import { importModuleFile } from './import-module.js';

/**
 * What an `mbs.config.(js|mjs|ts)` file, or a module given to `--plugin`, exports as its default:
 * plugins by kind, each an object implementing that kind's `@mbs/core` contract.
 *
 * @example
 * ```ts
 * // mbs.config.mjs
 * export default {
 *   plugins: { 'trace-reader': [createJsonLinesTraceReader()], pricing: [createCloudRunPricing()] },
 * };
 * ```
 */
export interface MbsConfig {
  readonly plugins?: { readonly [K in PluginKind]?: readonly PluginKinds[K][] };
}

/**
 * Types an `mbs.config` default export; returns its argument. A function (sync or async) returning
 * the config is accepted too, and called once when the file is loaded.
 *
 * @example
 * ```ts
 * import { defineConfig } from '@mbs/cli';
 * export default defineConfig({ plugins: { pricing: [createCloudRunPricing()] } });
 * ```
 */
export function defineConfig<T extends MbsConfig | (() => MbsConfig | Promise<MbsConfig>)>(
  config: T,
): T {
  return config;
}

/** One plugin a module declares, in the order it lists them. */
export interface DeclaredPlugin {
  readonly kind: PluginKind;
  readonly plugin: unknown;
}

const CONFIG_KEYS = ['plugins'];
const KINDS = Object.keys(REQUIRED_PLUGIN_MEMBERS) as PluginKind[];

function shapeError(label: string, problem: string, cause?: unknown): MbsError {
  return errors.error(
    'CONFIG_INVALID',
    `${label}: ${problem}; export default { plugins: { '<kind>': [plugin, ...] } } with kinds ${KINDS.join(', ')}`,
    { details: { source: label }, ...(cause === undefined ? {} : { cause }) },
  );
}

/**
 * The plugins a module's default export declares, by kind; CONFIG_INVALID naming `label` when the
 * export is not `{ plugins: { kind: [...] } }` (or a function returning it), names an unknown kind
 * or key, or the function throws. The plugins themselves are checked when registered.
 */
export async function declaredPlugins(
  namespace: Record<string, unknown>,
  label: string,
): Promise<DeclaredPlugin[]> {
  if (!('default' in namespace)) throw shapeError(label, 'has no default export');
  let config = namespace.default;
  if (typeof config === 'function') {
    try {
      config = await (config as () => unknown)();
    } catch (error) {
      throw shapeError(
        label,
        `its default export threw when called (${(error as Error)?.message ?? error})`,
        error,
      );
    }
  }
  if (typeof config !== 'object' || config === null || Array.isArray(config)) {
    throw shapeError(
      label,
      `the default export is ${Array.isArray(config) ? 'an array' : typeof config}, not an object`,
    );
  }
  for (const key of Object.keys(config)) {
    if (!CONFIG_KEYS.includes(key)) throw shapeError(label, `unknown key "${key}"`);
  }
  const plugins = (config as { plugins?: unknown }).plugins;
  if (plugins === undefined) return [];
  if (typeof plugins !== 'object' || plugins === null || Array.isArray(plugins)) {
    throw shapeError(label, '"plugins" must be an object of arrays by kind');
  }
  const declared: DeclaredPlugin[] = [];
  for (const [kind, list] of Object.entries(plugins)) {
    if (!KINDS.includes(kind as PluginKind))
      throw shapeError(label, `unknown plugin kind "${kind}"`);
    if (!Array.isArray(list)) throw shapeError(label, `plugins["${kind}"] must be an array`);
    for (const plugin of list) declared.push({ kind: kind as PluginKind, plugin });
  }
  return declared;
}

/**
 * Imports a plugin module or config file and returns the plugins it declares. A module that
 * throws while loading is CONFIG_INVALID naming the file, with the error as its cause.
 */
export async function loadPluginModule(path: string, label: string): Promise<DeclaredPlugin[]> {
  let namespace: Record<string, unknown>;
  try {
    namespace = await importModuleFile(path, label);
  } catch (error) {
    if (error instanceof MbsError) throw error;
    throw errors.error(
      'CONFIG_INVALID',
      `${label}: failed to load (${(error as Error)?.message ?? error})`,
      { cause: error, details: { source: path } },
    );
  }
  return declaredPlugins(namespace, label);
}
