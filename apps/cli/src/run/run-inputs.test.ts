import type { ConfigurationDocument, ConfigurationWindow } from '@mbs/core';
import { isMbsError } from '@mbs/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  functionNamesByWindow,
  parseTimeOption,
  requestInput,
  windowAtTraceTime,
} from './run-inputs.js';

const system = {
  buffers: [0, 1].map((classId) => ({
    firstClass: classId,
    lastClass: classId,
    firstClassShare: 1,
    lastClassShare: 1,
    batchSize: 2,
    timeoutSeconds: 0.1,
    memoryMb: 512,
  })),
};
const window = (startSeconds: number): ConfigurationWindow => ({
  startSeconds,
  endSeconds: startSeconds + 10,
  system,
});

describe('windowAtTraceTime', () => {
  it('picks the last window started, and the earliest before any has started', () => {
    const windows = [window(10), window(0), window(20)];
    expect(windowAtTraceTime(windows, 0)).toBe(1);
    expect(windowAtTraceTime(windows, 9.99)).toBe(1);
    expect(windowAtTraceTime(windows, 10)).toBe(0);
    expect(windowAtTraceTime(windows, 1e6)).toBe(2);
    expect(windowAtTraceTime([window(5), window(8)], 1)).toBe(0);
  });

  it('agrees with a search over the windows sorted by start', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.integer({ min: 0, max: 100 }), { minLength: 1, maxLength: 6 }),
        fc.double({ min: -10, max: 200, noNaN: true }),
        (starts, time) => {
          const windows = starts.map(window);
          const sorted = [...starts].sort((a, b) => a - b);
          const started = sorted.filter((start) => start <= time);
          const expected = started.length > 0 ? started.at(-1)! : sorted[0]!;
          expect(starts[windowAtTraceTime(windows, time)]).toBe(expected);
        },
      ),
    );
  });
});

describe('functionNamesByWindow', () => {
  const document = (windows: ConfigurationWindow[]): ConfigurationDocument => ({
    schema: 'mbs.configuration',
    version: 1,
    classUpperEdges: [1, 2],
    windows,
  });

  it('names functions as mbs deploy does', async () => {
    expect(await functionNamesByWindow(document([window(0)]), 'p')).toEqual([['p-b0', 'p-b1']]);
    expect(await functionNamesByWindow(document([window(0), window(5)]), 'p')).toEqual([
      ['p-w0-b0', 'p-w0-b1'],
      ['p-w1-b0', 'p-w1-b1'],
    ]);
    const named = {
      ...window(0),
      system: { buffers: [{ ...system.buffers[0]!, functionName: 'mine' }, system.buffers[1]!] },
    };
    expect(await functionNamesByWindow(document([named]), 'p')).toEqual([['mine', 'p-b1']]);
  });
});

describe('parseTimeOption', () => {
  it('reads ISO-8601 date-times and epoch milliseconds', () => {
    expect(parseTimeOption('2025-01-01T00:00:00Z', '--since')).toBe(Date.UTC(2025, 0, 1));
    expect(parseTimeOption('1735689600000', '--since')).toBe(1735689600000);
    expect(parseTimeOption(42, '--until')).toBe(42);
  });

  it('refuses anything else, naming the option', () => {
    // '-5' was once read by Date.parse as a date in 2001.
    for (const value of ['yesterday', '', '12abc', '-5', '1.5', 'May 5', '2025-13-45', '1e20']) {
      try {
        parseTimeOption(value, '--until');
        expect.unreachable(value);
      } catch (error) {
        expect(isMbsError(error, 'OPTION_INVALID')).toBe(true);
        expect((error as Error).message).toContain(
          `--until is ${JSON.stringify(value)}: not a time`,
        );
      }
    }
  });
});

describe('requestInput', () => {
  it("sends the packaged handler's token tensor of the request's length, clamped", () => {
    expect(requestInput('tokens', 3, 4096)).toEqual({ dims: [3], data: [1, 1, 1], dtype: 'int64' });
    expect(requestInput('tokens', 2.2, 4096)).toMatchObject({ dims: [3] });
    expect(requestInput('tokens', 0, 4096)).toMatchObject({ dims: [1] });
    expect(requestInput('tokens', 9000, 16)).toMatchObject({ dims: [16] });
    expect(requestInput('size', 9000, 16)).toEqual({ size: 9000 });
  });
});
