import { describe, expect, it } from 'vitest';
import { mapBatchResponse } from './batch-response.js';

const event = {
  requests: [
    { id: 'a', input: 1 },
    { id: 'b', input: 2 },
  ],
};

describe('mapBatchResponse', () => {
  it('puts results in the batch order', () => {
    const mapped = mapBatchResponse(event, {
      results: [
        { id: 'b', ok: false, error: { code: 'EVENT_INVALID', message: 'bad' } },
        { id: 'a', ok: true, output: [1, 2] },
      ],
      timings: { totalMs: 3 },
    });
    expect(mapped).toEqual({
      results: [
        { id: 'a', ok: true, output: [1, 2] },
        { id: 'b', ok: false, error: { code: 'EVENT_INVALID', message: 'bad' } },
      ],
    });
  });

  it('reports other shapes, missing, extra and duplicate ids as invalid', () => {
    const ok = (id: string) => ({ id, ok: true, output: 0 });
    const cases: unknown[] = [
      null,
      [ok('a'), ok('b')],
      { results: 'x' },
      { results: [ok('a')] },
      { results: [ok('a'), ok('b'), ok('c')] },
      { results: [ok('a'), ok('a'), ok('b')] },
      { results: [ok('a'), { id: 'b', ok: 'yes' }] },
      { results: [ok('a'), { id: 'b', ok: false, error: 'boom' }] },
    ];
    for (const response of cases)
      expect(mapBatchResponse(event, response)).toHaveProperty('invalid');
  });
});
