import { describe, expect, it } from 'vitest';
import type { TensorOutput } from './batch-handler.js';
import { handler } from './lambda.js';

describe('handler (the Lambda entry)', () => {
  it('serves the default model, loading it on the first event only', async () => {
    const event = {
      requests: [
        { id: 'a', input: { dims: [3], data: [5, 7, 9] } },
        { id: 'b', input: { dims: [1], data: [42] } },
      ],
    };
    const first = await handler(event, {});
    expect(first.results.map((result) => result.ok)).toEqual([true, true]);
    expect((first.results[0] as { output: TensorOutput }).output.dims).toEqual([16]);
    const second = await handler(event, {});
    expect(second.timings.coldStart).toBe(false);
    expect(second.results).toEqual(first.results);
  });

  it('throws a malformed event Lambda style and serves the next one', async () => {
    await expect(handler({ requests: 'none' })).rejects.toMatchObject({
      name: 'EVENT_INVALID',
      message: expect.stringMatching(/event.requests: must be an array/),
    });
    const next = await handler({ requests: [{ id: 'a', input: { dims: [1], data: [1] } }] });
    expect(next.results[0]!.ok).toBe(true);
  });
});
