import type { Provider } from '@mbs/core';
import { isMbsError } from '@mbs/core';

/**
 * The provider with each throttled attempt reported: the batcher retries throttling itself and
 * reports only the final outcome of a batch, while `/metrics` counts every refusal.
 */
export function observedProvider(
  provider: Provider,
  onThrottled: (functionName: string) => void,
): Provider {
  return {
    specificationVersion: provider.specificationVersion,
    name: provider.name,
    ...(provider.description === undefined ? {} : { description: provider.description }),
    invoke: (functionName, event, options) =>
      provider.invoke(functionName, event, options).catch((error: unknown) => {
        if (isMbsError(error, 'THROTTLED')) onThrottled(functionName);
        throw error;
      }),
  };
}
