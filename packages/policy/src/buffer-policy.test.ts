import { isMbsError } from '@mbs/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createBufferPolicy, type Dispatch } from './buffer-policy.js';

interface Sent {
  readonly dispatch: Dispatch<number>;
  readonly atSeconds: number;
}

/** Drives the policy over arrival times, delivering each timer exactly at its deadline. */
function drive(times: readonly number[], batchSize: number, timeoutSeconds: number): Sent[] {
  const policy = createBufferPolicy<number>({ batchSize, timeoutSeconds });
  const sent: Sent[] = [];
  const record = (decision: { dispatch?: Dispatch<number> }, atSeconds: number) => {
    if (decision.dispatch) sent.push({ dispatch: decision.dispatch, atSeconds });
  };
  times.forEach((time, index) => {
    const deadline = policy.deadlineSeconds();
    if (deadline !== undefined && deadline <= time) record(policy.onTimer(deadline), deadline);
    record(policy.onArrival(time, index), time);
  });
  const deadline = policy.deadlineSeconds();
  if (deadline !== undefined) record(policy.onTimer(deadline), deadline);
  expect(policy.pending()).toBe(0);
  return sent;
}

/** Independent batch formation: a batch takes the arrivals before first + T, at most B of them. */
function referenceBatches(times: readonly number[], batchSize: number, timeoutSeconds: number) {
  const batches: number[][] = [];
  let index = 0;
  while (index < times.length) {
    const first = times[index]!;
    const batch = [index++];
    while (
      index < times.length &&
      batch.length < batchSize &&
      times[index]! < first + timeoutSeconds - 1e-9
    ) {
      batch.push(index++);
    }
    batches.push(batch);
  }
  return batches;
}

const arrivalTimes = fc
  .array(fc.oneof(fc.constant(0), fc.double({ min: 0, max: 1, noNaN: true })), { maxLength: 200 })
  .map((gaps) => {
    let time = 0;
    return gaps.map((gap) => {
      time += gap;
      return time;
    });
  });
const batchSizes = fc.integer({ min: 1, max: 10 });
// Timeouts below the policy's 1 ns deadline tolerance behave as 0, so they are drawn separately.
const timeouts = fc.oneof(fc.constant(0), fc.double({ min: 1e-6, max: 2, noNaN: true }));

describe('createBufferPolicy', () => {
  it('dispatches every item exactly once, in order, in batches of at most B', () => {
    fc.assert(
      fc.property(arrivalTimes, batchSizes, timeouts, (times, batchSize, timeout) => {
        const sent = drive(times, batchSize, timeout);
        expect(sent.flatMap((entry) => entry.dispatch.items)).toEqual(times.map((_, i) => i));
        for (const { dispatch } of sent) {
          expect(dispatch.items.length).toBeGreaterThan(0);
          expect(dispatch.items.length).toBeLessThanOrEqual(batchSize);
          if (dispatch.reason === 'full') expect(dispatch.items.length).toBe(batchSize);
        }
      }),
    );
  });

  it('lets no item wait more than T, and opens each batch at its first arrival', () => {
    fc.assert(
      fc.property(arrivalTimes, batchSizes, timeouts, (times, batchSize, timeout) => {
        for (const { dispatch, atSeconds } of drive(times, batchSize, timeout)) {
          expect(dispatch.openedSeconds).toBe(times[dispatch.items[0]!]);
          for (const item of dispatch.items) {
            expect(atSeconds - times[item]!).toBeLessThanOrEqual(timeout + 1e-12);
            expect(atSeconds).toBeGreaterThanOrEqual(times[item]!);
          }
          if (dispatch.reason === 'timeout' && timeout > 0) {
            expect(Math.abs(atSeconds - (dispatch.openedSeconds + timeout))).toBeLessThanOrEqual(
              1e-9,
            );
          }
        }
      }),
    );
  });

  it('forms the same batches as an independent batching of the arrival times', () => {
    fc.assert(
      fc.property(arrivalTimes, batchSizes, timeouts, (times, batchSize, timeout) => {
        const batches = drive(times, batchSize, timeout).map((entry) => entry.dispatch.items);
        expect(batches).toEqual(referenceBatches(times, batchSize, timeout));
      }),
    );
  });

  it('dispatches at once when B = 1 or T = 0', () => {
    fc.assert(
      fc.property(arrivalTimes, batchSizes, timeouts, (times, batchSize, timeout) => {
        for (const [b, t] of [
          [1, timeout],
          [batchSize, 0],
        ] as const) {
          const policy = createBufferPolicy<number>({ batchSize: b, timeoutSeconds: t });
          times.forEach((time, index) => {
            const decision = policy.onArrival(time, index);
            expect(decision.dispatch?.items).toEqual([index]);
            expect(decision.dispatch?.reason).toBe(b === 1 ? 'full' : 'timeout');
            expect(decision.deadlineSeconds).toBeUndefined();
            expect(policy.pending()).toBe(0);
          });
        }
      }),
    );
  });

  it('keeps every item exactly once when timers are delivered late', () => {
    fc.assert(
      fc.property(
        arrivalTimes,
        batchSizes,
        timeouts,
        fc.array(fc.double({ min: 0, max: 3, noNaN: true }), { minLength: 1 }),
        (times, batchSize, timeout, delays) => {
          const policy = createBufferPolicy<number>({ batchSize, timeoutSeconds: timeout });
          const items: number[] = [];
          let timerAt: number | undefined;
          times.forEach((time, index) => {
            if (timerAt !== undefined && timerAt <= time) {
              items.push(...(policy.onTimer(timerAt).dispatch?.items ?? []));
              timerAt = undefined;
            }
            const decision = policy.onArrival(time, index);
            if (decision.dispatch) {
              expect(decision.dispatch.items.length).toBeLessThanOrEqual(batchSize);
              items.push(...decision.dispatch.items);
            }
            const deadline = decision.deadlineSeconds;
            if (deadline !== undefined && timerAt === undefined) {
              timerAt = deadline + delays[index % delays.length]!;
            }
          });
          items.push(...(policy.flush(Number.POSITIVE_INFINITY).dispatch?.items ?? []));
          expect(items).toEqual(times.map((_, i) => i));
        },
      ),
    );
  });

  it('ignores early and stale timers and reports the open deadline', () => {
    const policy = createBufferPolicy<string>({ batchSize: 3, timeoutSeconds: 1 });
    expect(policy.onTimer(5)).toEqual({});
    expect(policy.onArrival(10, 'a')).toEqual({ deadlineSeconds: 11 });
    expect(policy.onTimer(10.5)).toEqual({ deadlineSeconds: 11 });
    expect(policy.deadlineSeconds()).toBe(11);
    expect(policy.onTimer(11).dispatch).toEqual({
      items: ['a'],
      openedSeconds: 10,
      reason: 'timeout',
    });
    expect(policy.deadlineSeconds()).toBeUndefined();
  });

  it('flushes what it holds, and nothing when empty', () => {
    const policy = createBufferPolicy<string>({ batchSize: 3, timeoutSeconds: 1 });
    expect(policy.flush(0)).toEqual({});
    policy.onArrival(1, 'a');
    policy.onArrival(1.5, 'b');
    expect(policy.flush(1.6).dispatch).toEqual({
      items: ['a', 'b'],
      openedSeconds: 1,
      reason: 'flush',
    });
    expect(policy.pending()).toBe(0);
  });

  it('dispatches on reconfigure when the open batch is full or overdue under the new B and T', () => {
    const policy = createBufferPolicy<string>({ batchSize: 4, timeoutSeconds: 2 });
    policy.onArrival(0, 'a');
    policy.onArrival(0.2, 'b');
    expect(policy.reconfigure({ batchSize: 3, timeoutSeconds: 1 }, 0.5)).toEqual({
      deadlineSeconds: 1,
    });
    expect(policy.settings()).toEqual({ batchSize: 3, timeoutSeconds: 1 });
    expect(policy.reconfigure({ batchSize: 2, timeoutSeconds: 1 }, 0.6).dispatch).toEqual({
      items: ['a', 'b'],
      openedSeconds: 0,
      reason: 'reconfigure',
    });
    policy.onArrival(1, 'c');
    expect(policy.reconfigure({ batchSize: 5, timeoutSeconds: 0.25 }, 1.25).dispatch?.reason).toBe(
      'reconfigure',
    );
    expect(policy.reconfigure({ batchSize: 5, timeoutSeconds: 0.25 }, 2)).toEqual({});
  });

  it("withdraws a request from the open batch, keeping the first arrival's deadline", () => {
    const policy = createBufferPolicy<string>({ batchSize: 3, timeoutSeconds: 1 });
    policy.onArrival(0, 'a');
    policy.onArrival(0.5, 'b');
    expect(policy.withdraw('a')).toBe(true);
    expect(policy.withdraw('a')).toBe(false);
    expect(policy.pending()).toBe(1);
    expect(policy.deadlineSeconds()).toBe(1);
    // B counts the requests still there: two more arrivals fill it.
    expect(policy.onArrival(0.6, 'c').dispatch).toBeUndefined();
    expect(policy.onArrival(0.7, 'd').dispatch).toEqual({
      items: ['b', 'c', 'd'],
      openedSeconds: 0,
      reason: 'full',
    });
    policy.onArrival(2, 'e');
    expect(policy.withdraw('e')).toBe(true);
    expect(policy.deadlineSeconds()).toBeUndefined();
    expect(policy.onTimer(3)).toEqual({});
    // The next arrival opens a new batch with its own deadline.
    expect(policy.onArrival(4, 'f')).toEqual({ deadlineSeconds: 5 });
  });

  it('rejects invalid and unknown options, naming them', () => {
    const bad = [
      { batchSize: 0, timeoutSeconds: 1 },
      { batchSize: 1.5, timeoutSeconds: 1 },
      { batchSize: 2, timeoutSeconds: -1 },
      { batchSize: 2, timeoutSeconds: Number.NaN },
      { batchSize: 2, timeoutSeconds: Number.POSITIVE_INFINITY },
    ];
    for (const options of bad) {
      let error: unknown;
      try {
        createBufferPolicy(options);
      } catch (caught) {
        error = caught;
      }
      expect(isMbsError(error, 'OPTION_INVALID')).toBe(true);
      expect((error as Error).message).toMatch(/batchSize|timeoutSeconds/);
    }
    const policy = createBufferPolicy({ batchSize: 2, timeoutSeconds: 1 });
    expect(() => policy.reconfigure({ batchSize: 0, timeoutSeconds: 1 }, 0)).toThrow(/batchSize/);
  });
});
