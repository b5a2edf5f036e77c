import { isMbsError } from '@mbs/core';
import { describe, expect, it } from 'vitest';
import { checkBatchEvent } from './batch-event.js';

function refusal(event: unknown, maxBatchSize = 4): Error {
  try {
    checkBatchEvent(event, maxBatchSize);
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected the event to be refused');
}

describe('checkBatchEvent', () => {
  it('returns the requests and batch id of a well-formed event', () => {
    const event = {
      batchId: 'b1',
      requests: [
        { id: 'a', input: 1 },
        { id: 'b', input: 2 },
      ],
    };
    expect(checkBatchEvent(event, 4)).toEqual(event);
  });

  it('refuses a malformed batch with a Lambda errorType of EVENT_INVALID', () => {
    const cases: [unknown, RegExp][] = [
      [null, /event: must be an object/],
      [[], /event: must be an object/],
      [{ requests: [], extra: 1 }, /unknown key\(s\) extra/],
      [{ batchId: 3, requests: [] }, /batchId: must be a string/],
      [{}, /event.requests: must be an array/],
      [{ requests: [] }, /event.requests: is empty; send 1 to 4 requests/],
      [
        { requests: Array.from({ length: 5 }, (_, i) => ({ id: `${i}`, input: 1 })) },
        /holds 5 requests; at most 4/,
      ],
      [{ requests: [7] }, /event.requests\[0\]: must be an object/],
      [{ requests: [{ id: 'a', input: 1, x: 2 }] }, /event.requests\[0\]: unknown key\(s\) x/],
      [{ requests: [{ id: '', input: 1 }] }, /event.requests\[0\].id: must be a string/],
      [
        {
          requests: [
            { id: 'a', input: 1 },
            { id: 'a', input: 2 },
          ],
        },
        /requests\[1\].id: "a" appears twice/,
      ],
      [{ requests: [{ id: 'a' }] }, /event.requests\[0\].input: is missing/],
    ];
    for (const [event, message] of cases) {
      const error = refusal(event);
      expect(error.name).toBe('EVENT_INVALID');
      expect(isMbsError(error, 'EVENT_INVALID')).toBe(true);
      expect(error.message).toMatch(/^\[@mbs\/handler\] /);
      expect(error.message).toMatch(message);
    }
  });
});
