import type { ConfigurationDocument } from './configuration.js';

// One naming rule for the function of each buffer, shared by `mbs solve --out`, `mbs deploy`,
// `mbs run`, `mbs logs` and `@mbs/batcher`, so that what one deploys is what the others invoke.

/** The prefix of default function names: `mbs-b0`, `mbs-b1`, ... */
export const DEFAULT_FUNCTION_NAME_PREFIX = 'mbs';

/**
 * Whether a function name prefix is one Lambda accepts with room for the buffer and window
 * suffixes: 1..40 letters, digits, `-` or `_`.
 */
export function isFunctionNamePrefix(prefix: string): boolean {
  return /^[A-Za-z0-9_-]{1,40}$/.test(prefix);
}

/**
 * The default function name of a buffer: `<prefix>-b<buffer>`, or `<prefix>-w<window>-b<buffer>`
 * when the configuration has several windows (pass the window index only then).
 *
 * @example
 * ```ts
 * defaultFunctionName('mbs', 0); // 'mbs-b0'
 * defaultFunctionName('mbs', 1, 2); // 'mbs-w2-b1'
 * ```
 */
export function defaultFunctionName(
  prefix: string,
  bufferIndex: number,
  windowIndex?: number,
): string {
  return windowIndex === undefined
    ? `${prefix}-b${bufferIndex}`
    : `${prefix}-w${windowIndex}-b${bufferIndex}`;
}

/**
 * The function name of every buffer of every window: the buffer's `functionName`, else
 * {@link defaultFunctionName} (with the window index when the document has several windows).
 *
 * @example
 * ```ts
 * functionNamesByWindow(config, 'mbs'); // [['mbs-b0', 'mbs-b1']] for one window of two buffers
 * ```
 */
export function functionNamesByWindow(
  config: Pick<ConfigurationDocument, 'windows'>,
  prefix: string = DEFAULT_FUNCTION_NAME_PREFIX,
): string[][] {
  const several = config.windows.length > 1;
  return config.windows.map((window, windowIndex) =>
    window.system.buffers.map(
      (buffer, bufferIndex) =>
        buffer.functionName ??
        defaultFunctionName(prefix, bufferIndex, several ? windowIndex : undefined),
    ),
  );
}

/**
 * The document with every buffer's function name written out (`functionName` kept where set,
 * else the default name), so that every reader of the file invokes the same functions.
 *
 * @example
 * ```ts
 * await writeFile('config.json', JSON.stringify(withFunctionNames(config, 'mbs')));
 * ```
 */
export function withFunctionNames<Document extends Pick<ConfigurationDocument, 'windows'>>(
  config: Document,
  prefix: string = DEFAULT_FUNCTION_NAME_PREFIX,
): Document {
  const names = functionNamesByWindow(config, prefix);
  return {
    ...config,
    windows: config.windows.map((window, windowIndex) => ({
      ...window,
      system: {
        ...window.system,
        buffers: window.system.buffers.map((buffer, bufferIndex) => ({
          ...buffer,
          functionName: names[windowIndex]![bufferIndex]!,
        })),
      },
    })),
  };
}
