import type { PricingModel } from '@mbs/core';
import type { Argv } from 'yargs';
import type { CliPlugins } from '../plugin-loading/cli-plugins.js';

/** The pricing used when neither `--pricing` nor a document names one. */
export const DEFAULT_PRICING = 'aws-x86';

/** Value of `--pricing`. */
export interface PricingOption {
  readonly pricing?: string;
}

/** Adds `--pricing` to a command, naming the registered pricing plugins in its help. */
export function pricingOptionBuilder<T>(
  yargs: Argv<T>,
  plugins: CliPlugins,
  defaultText: string,
): Argv<T & PricingOption> {
  return yargs.option('pricing', {
    type: 'string',
    describe: `Pricing plugin: ${plugins.names('pricing').join(', ')} (default: ${defaultText})`,
  }) as unknown as Argv<T & PricingOption>;
}

/**
 * The pricing plugin `--pricing` names, else the first document's that records one (a run's,
 * then a configuration's), else {@link DEFAULT_PRICING}; OPTION_INVALID naming where the name
 * came from when no plugin of that name is registered.
 *
 * @param recorded - names recorded in documents, most specific first, with the document's path
 * @example
 * ```ts
 * const pricing = await resolvePricing(context.plugins, argv.pricing, [
 *   { name: config.pricing, from: argv.config },
 * ]);
 * ```
 */
export function resolvePricing(
  plugins: CliPlugins,
  explicit: string | undefined,
  recorded: readonly { readonly name: string | undefined; readonly from: string }[] = [],
): Promise<PricingModel> {
  if (explicit !== undefined) return plugins.load('pricing', explicit, '--pricing');
  const document = recorded.find((entry) => entry.name !== undefined);
  if (document === undefined) return plugins.load('pricing', DEFAULT_PRICING, '--pricing');
  return plugins.load('pricing', document.name!, `${document.from} pricing`);
}
