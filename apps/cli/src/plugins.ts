import {
  createPluginRegistry,
  type PluginKind,
  type PluginKinds,
  type PluginRegistry,
} from '@mbs/core';
import { lazyProvider } from './lazy-provider.js';
import { importAwsLambdaProviderPackage } from './optional-package.js';

/** One built-in plugin: how to load it, lazily, so `mbs --help` imports nothing heavy. */
export interface BuiltinPlugin<K extends PluginKind = PluginKind> {
  readonly kind: K;
  readonly name: string;
  readonly description: string;
  readonly load: () => Promise<PluginKinds[K]>;
}

/**
 * The one static table of built-in plugins. Nothing scans the filesystem; a new plugin is a new
 * line here. Users add theirs through `mbs.config.(js|mjs|ts)` or `--plugin`
 * (`plugin-loading/cli-plugins.ts` registers both with these).
 */
export const builtinPlugins: readonly BuiltinPlugin[] = [
  {
    kind: 'trace-reader',
    name: 'csv',
    description:
      'Timestamped, sized CSV (Azure LLM trace; any CSV with --time-column/--size-column)',
    load: async () => (await import('@mbs/trace-formats')).createCsvTraceReader(),
  },
  {
    kind: 'trace-reader',
    name: 'inter-arrivals',
    description: 'One inter-arrival time (s) per line, optionally a class id (MBS replay format)',
    load: async () => (await import('@mbs/trace-formats')).createInterArrivalTraceReader(),
  },
  {
    kind: 'trace-reader',
    name: 'map',
    description: 'Samples a MAP: D0.csv,D1.csv matrix pair or {"d0","d1"} JSON (--seed, --count)',
    load: async () => (await import('@mbs/trace-formats')).createMapTraceReader(),
  },
  {
    kind: 'trace-reader',
    name: 'synthetic',
    description: 'Seeded default workload: bursty MAP(2) at 30 req/s, heavy-tailed token sizes',
    load: async () => (await import('@mbs/trace-formats')).createSyntheticTraceReader(),
  },
  {
    kind: 'pricing',
    name: 'aws-x86',
    description: 'AWS Lambda on x86_64: GB-seconds at 1 ms billing plus the request fee',
    load: async () =>
      (await import('@mbs/pricing-aws')).createAwsPricing({ architecture: 'x86_64' }),
  },
  {
    kind: 'pricing',
    name: 'aws-arm64',
    description: 'AWS Lambda on arm64 (Graviton): GB-seconds at 1 ms billing plus the request fee',
    load: async () =>
      (await import('@mbs/pricing-aws')).createAwsPricing({ architecture: 'arm64' }),
  },
  {
    kind: 'profile',
    name: 'parametric',
    description:
      'Parametric service time for the default workload (8 classes, batch 1..32, 128..10240 MB)',
    load: async () => (await import('@mbs/profiles')).createParametricProfile(),
  },
  {
    kind: 'provider',
    name: 'aws-lambda',
    description: 'AWS Lambda over the AWS SDK',
    // Created on first use: listing plugins loads no SDK, and works without the optional peer.
    load: async () =>
      lazyProvider('aws-lambda', 'AWS Lambda over the AWS SDK', async () =>
        (await importAwsLambdaProviderPackage('the aws-lambda provider')).createAwsLambdaProvider(),
      ),
  },
  {
    kind: 'provider',
    name: 'local',
    description: 'Lambda emulated on this machine (child process per instance, Lambda logs)',
    // The factory only checks options; the emulator's temporary directory comes on first use.
    load: async () => (await import('@mbs/provider-local')).createLocalProvider(),
  },
];

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
