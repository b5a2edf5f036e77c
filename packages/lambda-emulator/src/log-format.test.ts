import { describe, expect, it } from 'vitest';
import { reportLine } from './log-format.js';

describe('reportLine', () => {
  it('writes Lambda fields tab-separated with 2-decimal durations', () => {
    expect(
      reportLine({
        requestId: 'abc',
        durationMs: 27.554,
        billedDurationMs: 28,
        memorySizeMb: 1024,
        maxMemoryUsedMb: 472,
        initDurationMs: 333.049,
      }),
    ).toBe(
      'REPORT RequestId: abc\tDuration: 27.55 ms\tBilled Duration: 28 ms\tMemory Size: 1024 MB\tMax Memory Used: 472 MB\tInit Duration: 333.05 ms\t\n',
    );
  });
});
