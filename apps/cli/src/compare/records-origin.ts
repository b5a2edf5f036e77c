import type { ConfigurationDocument } from '@mbs/core';
import type { RunDocument } from '../run/run-document.js';
import { configurationFunctionNames } from '../run/run-inputs.js';
import type { ServeDocument } from '../serve/serve-document.js';
import type { RecordsOrigin } from './summary-prediction.js';

/**
 * Who wrote a directory's records, as `mbs logs summarize` needs it: `mbs run` (its run.json:
 * provider, functions, and the replay's speed and trace span) or `mbs serve` (its serve.json:
 * provider and prefix; the offered rate then comes from the records' arrivals); undefined for
 * records of other tools.
 */
export async function recordsOrigin(
  config: ConfigurationDocument,
  run: RunDocument | undefined,
  serve: ServeDocument | undefined,
): Promise<RecordsOrigin | undefined> {
  if (run !== undefined) {
    return {
      command: 'mbs run',
      provider: run.provider,
      ...(run.endpoint === undefined ? {} : { endpoint: run.endpoint }),
      ...(run.region === undefined ? {} : { region: run.region }),
      functionNames: run.functionNames.flat(),
      replay: { speed: run.speed, traceSpanSeconds: run.replay.traceSpanSeconds },
      windowsApplied: run.windowSwitches.length,
    };
  }
  if (serve === undefined) return undefined;
  return {
    command: 'mbs serve',
    provider: serve.provider,
    ...(serve.endpoint === undefined ? {} : { endpoint: serve.endpoint }),
    functionNames: await configurationFunctionNames(config, serve.prefix),
  };
}
