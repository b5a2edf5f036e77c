import { describe, expect, it } from 'vitest';
import { abortable } from './abortable.js';

describe('abortable', () => {
  it('settles as the promise does while the signal stays quiet', async () => {
    const controller = new AbortController();
    await expect(abortable(Promise.resolve(3), controller.signal)).resolves.toBe(3);
    await expect(abortable(Promise.reject(new Error('no')), undefined)).rejects.toThrow('no');
  });

  it('rejects with the reason when the signal aborts first, or already has', async () => {
    const controller = new AbortController();
    const never = new Promise<number>(() => {});
    const waiting = abortable(never, controller.signal);
    controller.abort(new Error('stop'));
    await expect(waiting).rejects.toThrow('stop');
    await expect(abortable(Promise.resolve(1), controller.signal)).rejects.toThrow('stop');
  });
});
