import { describe, expect, it } from 'vitest';
import type { ConfigurationDocument } from './configuration.js';
import { parseConfigurationDocument } from './configuration.js';
import { defaultFunctionName, functionNamesByWindow, withFunctionNames } from './function-names.js';

const buffer = (firstClass: number, lastClass: number, functionName?: string) => ({
  firstClass,
  lastClass,
  batchSize: 4,
  timeoutSeconds: 0.1,
  memoryMb: 1024,
  ...(functionName === undefined ? {} : { functionName }),
});

const documentOf = (windows: unknown[][]): ConfigurationDocument =>
  parseConfigurationDocument(
    {
      schema: 'mbs.configuration',
      version: 1,
      classUpperEdges: [1, 2],
      windows: windows.map((buffers, index) => ({
        startSeconds: index * 60,
        endSeconds: (index + 1) * 60,
        system: { buffers },
      })),
    },
    'names.json',
  );

describe('function names', () => {
  it('names buffers <prefix>-b<buffer>, with the window when there are several', () => {
    expect(defaultFunctionName('mbs', 0)).toBe('mbs-b0');
    expect(defaultFunctionName('api', 3, 1)).toBe('api-w1-b3');
    expect(functionNamesByWindow(documentOf([[buffer(0, 0), buffer(1, 1)]]))).toEqual([
      ['mbs-b0', 'mbs-b1'],
    ]);
    expect(
      functionNamesByWindow(documentOf([[buffer(0, 1)], [buffer(0, 0), buffer(1, 1)]]), 'x'),
    ).toEqual([['x-w0-b0'], ['x-w1-b0', 'x-w1-b1']]);
  });

  it("keeps a buffer's own name and writes the others into the document", () => {
    const document = documentOf([[buffer(0, 0, 'custom'), buffer(1, 1)]]);
    const named = withFunctionNames(document, 'api');
    expect(named.windows[0]!.system.buffers.map((b) => b.functionName)).toEqual([
      'custom',
      'api-b1',
    ]);
    // The written names are what every reader derives again, whatever prefix it uses.
    expect(functionNamesByWindow(parseConfigurationDocument(named, 'named.json'), 'other')).toEqual(
      [['custom', 'api-b1']],
    );
    expect(document.windows[0]!.system.buffers[1]!.functionName).toBeUndefined();
  });

  it('defaults the class shares of a buffer to whole classes', () => {
    const [first] = documentOf([[buffer(0, 1)]]).windows[0]!.system.buffers;
    expect(first).toMatchObject({ firstClassShare: 1, lastClassShare: 1 });
  });
});
