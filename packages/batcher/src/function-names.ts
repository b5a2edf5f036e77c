import type { BufferConfiguration } from '@mbs/core';
import { defaultFunctionName } from '@mbs/core';
import { errors } from './errors.js';
import type { FunctionNamer } from './options.js';

/**
 * Names the function of each buffer from the `functionNames` option: the namer it holds, the name
 * at the buffer's index, or else the buffer's own `functionName` or `@mbs/core`'s
 * `defaultFunctionName` (`<prefix>-b<buffer>`, `<prefix>-w<window>-b<buffer>` with several
 * windows), the names `mbs deploy` creates.
 * The returned namer throws OPTION_INVALID when a name list is too short for the configuration.
 */
export function createFunctionNamer(
  functionNames: readonly string[] | FunctionNamer | undefined,
  functionNamePrefix: string,
): FunctionNamer {
  return (buffer: BufferConfiguration, index: number, windowIndex?: number): string => {
    if (typeof functionNames === 'function') return functionNames(buffer, index, windowIndex);
    if (functionNames !== undefined) {
      const name = functionNames[index];
      if (name === undefined) {
        throw errors.error(
          'OPTION_INVALID',
          `functionNames has ${functionNames.length} names; the configuration has a buffer ${index}, so at least ${index + 1} are needed`,
          { details: { option: 'functionNames', bufferIndex: index } },
        );
      }
      return name;
    }
    return buffer.functionName ?? defaultFunctionName(functionNamePrefix, index, windowIndex);
  };
}
