import { readFile } from 'node:fs/promises';
import type {
  ConfigurationDocument,
  ConfigurationWindow,
  PluginKind,
  PluginKinds,
  Trace,
} from '@mbs/core';
import { MbsError, parseConfigurationDocument } from '@mbs/core';
import { builtinPlugins } from '../plugins.js';

// Inputs shared by `mbs run` and `mbs logs`: the configuration file, the functions it names,
// built-in plugins by name, the trace, and the connection to AWS or the local emulator.

/** Credentials the local emulator accepts (it does not check signatures). */
export const LOCAL_CREDENTIALS = { accessKeyId: 'mbs-local', secretAccessKey: 'mbs-local' };

/** Region used with the local emulator when none is given. */
export const LOCAL_REGION = 'us-east-1';

/** Where the AWS SDK clients connect: the standard chain on AWS, the emulator otherwise. */
export interface ConnectionSettings {
  readonly endpoint?: string;
  readonly region?: string;
  readonly credentials?: typeof LOCAL_CREDENTIALS;
}

/**
 * The SDK settings for `--provider aws|local`: local needs `--endpoint` and gets fake
 * credentials and us-east-1 unless a region is given.
 */
export function connectionSettings(
  provider: 'aws' | 'local',
  endpoint: string | undefined,
  region: string | undefined,
): ConnectionSettings {
  if (provider === 'local' && endpoint === undefined) {
    throw new MbsError(
      'OPTION_INVALID',
      '[@mbs/cli] --provider local needs --endpoint URL of the emulator (mbs emulator start prints it)',
      { details: { option: '--endpoint' } },
    );
  }
  const chosenRegion = region ?? (provider === 'local' ? LOCAL_REGION : undefined);
  return {
    ...(endpoint === undefined ? {} : { endpoint }),
    ...(chosenRegion === undefined ? {} : { region: chosenRegion }),
    ...(provider === 'local' ? { credentials: LOCAL_CREDENTIALS } : {}),
  };
}

/** Reads and checks a configuration document (the JSON of `mbs solve --out`). */
export async function readConfigurationFile(
  path: string,
  option = '--config',
): Promise<ConfigurationDocument> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new MbsError(
      'IO',
      `[@mbs/cli] ${option} ${path}: cannot be read (${(error as Error).message})`,
      { cause: error, details: { option, path } },
    );
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new MbsError(
      'CONFIG_INVALID',
      `[@mbs/cli] ${option} ${path}: not valid JSON (${(error as Error).message}); expected a configuration document from mbs solve --out`,
      { cause: error, details: { option, path } },
    );
  }
  return parseConfigurationDocument(value, path);
}

/**
 * The function name of every buffer of every window, as `mbs deploy` names them: the buffer's
 * `functionName`, else `<prefix>-b<buffer>` (`<prefix>-w<window>-b<buffer>` with several windows).
 */
export async function functionNamesByWindow(
  config: ConfigurationDocument,
  prefix: string,
): Promise<string[][]> {
  const { defaultFunctionName } = await import('@mbs/provider-aws-lambda');
  const several = config.windows.length > 1;
  return config.windows.map((window, windowIndex) =>
    window.system.buffers.map(
      (buffer, bufferIndex) =>
        buffer.functionName ??
        defaultFunctionName(prefix, bufferIndex, several ? windowIndex : undefined),
    ),
  );
}

/** Every distinct function name of a configuration, in window then buffer order. */
export async function configurationFunctionNames(
  config: ConfigurationDocument,
  prefix: string,
): Promise<string[]> {
  return [...new Set((await functionNamesByWindow(config, prefix)).flat())];
}

/** Loads one built-in plugin by kind and name; unknown names list what is available. */
export async function loadBuiltinPlugin<K extends PluginKind>(
  kind: K,
  name: string,
  option: string,
): Promise<PluginKinds[K]> {
  const entry = builtinPlugins.find((plugin) => plugin.kind === kind && plugin.name === name);
  if (entry === undefined) {
    const known = builtinPlugins.filter((plugin) => plugin.kind === kind).map((p) => p.name);
    throw new MbsError(
      'OPTION_INVALID',
      `[@mbs/cli] ${option} ${name}: no ${kind} plugin of that name; available: ${known.length > 0 ? known.join(', ') : 'none'}`,
      { details: { option, value: name, known } },
    );
  }
  return (await entry.load()) as PluginKinds[K];
}

/**
 * Opens a trace with the reader named by `format`, or with the first built-in reader that
 * recognises the source.
 */
export async function openTrace(source: string, format: string | undefined): Promise<Trace> {
  if (format !== undefined) {
    return (await loadBuiltinPlugin('trace-reader', format, '--format')).read(source);
  }
  const readers = builtinPlugins.filter((plugin) => plugin.kind === 'trace-reader');
  for (const entry of readers) {
    const reader = (await entry.load()) as PluginKinds['trace-reader'];
    if (await reader.canRead(source)) return reader.read(source);
  }
  throw new MbsError(
    'OPTION_INVALID',
    `[@mbs/cli] --trace ${source}: no trace reader recognises it; name one with --format (${readers.map((entry) => entry.name).join(', ')})`,
    { details: { option: '--trace', value: source } },
  );
}

/**
 * A time option as epoch milliseconds: an ISO-8601 date-time (`2025-01-01T10:00:00Z`) or a
 * number of milliseconds since the epoch.
 */
export function parseTimeOption(value: string | number, option: string): number {
  const text = String(value).trim();
  const milliseconds = /^\d+(\.\d+)?$/.test(text) ? Number(text) : Date.parse(text);
  if (!Number.isFinite(milliseconds)) {
    throw new MbsError(
      'OPTION_INVALID',
      `[@mbs/cli] ${option} ${text}: not a time; give an ISO-8601 date-time (2025-01-01T10:00:00Z) or epoch milliseconds`,
      { details: { option, value: text } },
    );
  }
  return milliseconds;
}

/** The window of a schedule in force at a trace time: the last one started, else the earliest. */
export function windowAtTraceTime(
  windows: readonly ConfigurationWindow[],
  traceSeconds: number,
): number {
  let chosen: number | undefined;
  let earliest = 0;
  windows.forEach((window, index) => {
    if (window.startSeconds < windows[earliest]!.startSeconds) earliest = index;
    const started = window.startSeconds <= traceSeconds;
    if (started && (chosen === undefined || window.startSeconds >= windows[chosen]!.startSeconds)) {
      chosen = index;
    }
  });
  return chosen ?? earliest;
}

/** What `mbs run` sends as each request's input. */
export type RequestInputKind = 'tokens' | 'size';

/**
 * A request's input for the function: `tokens` is the packaged handler's tensor
 * (`{ dims: [n], data, dtype: 'int64' }`, n = the size rounded up and clamped to
 * 1..maxLength, token id 1 throughout); `size` is `{ size }` for handlers that only need it.
 */
export function requestInput(kind: RequestInputKind, size: number, maxLength: number): unknown {
  if (kind === 'size') return { size };
  const length = Math.min(maxLength, Math.max(1, Math.ceil(size)));
  return { dims: [length], data: new Array<number>(length).fill(1), dtype: 'int64' };
}
