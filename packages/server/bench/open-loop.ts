// The load both bench drivers share: open-loop Poisson arrivals, so queueing is measured, not hidden.
import { performance } from 'node:perf_hooks';
import { createRandom } from '@mbs/core';

/** Epoch milliseconds with sub-millisecond resolution, comparable between processes of one host. */
export const epochMs = (): number => performance.timeOrigin + performance.now();

/** The size of the `index`-th request: spread evenly over the bench configuration's 4 classes. */
export const sizeOf = (index: number): number => 1 + ((index * 37) % 400);

/**
 * Calls `send(index, done)` at Poisson times of `rate` per second for `seconds`, from a 1 ms
 * pacing loop (never waiting for answers), and resolves once every `done` was called.
 */
export function openLoop(
  rate: number,
  seconds: number,
  send: (index: number, done: () => void) => void,
): Promise<{ sent: number; achievedRate: number }> {
  const random = createRandom(7);
  const start = performance.now();
  const end = start + seconds * 1000;
  let next = start;
  let sent = 0;
  let answered = 0;
  let paced = false;
  let elapsedSeconds = 0;
  return new Promise((resolve) => {
    const finish = () => {
      if (paced && answered === sent) resolve({ sent, achievedRate: sent / elapsedSeconds });
    };
    const done = () => {
      answered++;
      finish();
    };
    const pace = () => {
      const now = performance.now();
      while (next <= now && next < end) {
        send(sent++, done);
        next += (-Math.log(1 - random.next()) / rate) * 1000;
      }
      if (next < end) {
        setTimeout(pace, 1);
        return;
      }
      paced = true;
      elapsedSeconds = (performance.now() - start) / 1000;
      finish();
    };
    pace();
  });
}
