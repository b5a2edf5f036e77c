import { describe, expect, it } from 'vitest';
import { bufferLimitProblems } from './lambda-limits.js';

describe('bufferLimitProblems', () => {
  it('lists every setting of a buffer out of range, and nothing for one in range', () => {
    expect(bufferLimitProblems({ batchSize: 4, timeoutSeconds: 0.1, memoryMb: 1024 })).toEqual([]);
    expect(
      bufferLimitProblems({ batchSize: 0, timeoutSeconds: 901, memoryMb: 64 }).map(
        (problem) => `${problem.field} ${problem.value}: ${problem.problem}`,
      ),
    ).toEqual([
      'batchSize 0: must be an integer in 1..10000',
      "timeoutSeconds 901: must be seconds in 0..900 (Lambda's longest function timeout)",
      "memoryMb 64: must be a whole number of MB in 128..10240 (Lambda's range)",
    ]);
    for (const value of [Number.NaN, Number.POSITIVE_INFINITY, 1.5]) {
      expect(
        bufferLimitProblems({ batchSize: value, timeoutSeconds: value, memoryMb: value }).map(
          (problem) => problem.field,
        ),
      ).toEqual(
        value === 1.5 ? ['batchSize', 'memoryMb'] : ['batchSize', 'timeoutSeconds', 'memoryMb'],
      );
    }
  });
});
