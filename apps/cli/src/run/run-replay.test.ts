import { performance } from 'node:perf_hooks';
import type { Arrival } from '@mbs/core';
import { MbsError } from '@mbs/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { replayTrace } from './run-replay.js';

async function* arrivalsOf(times: readonly number[]): AsyncGenerator<Arrival> {
  for (const timeSeconds of times) yield { timeSeconds, size: 1 };
}

const now = () => performance.now() / 1000;

describe('replayTrace', () => {
  it('submits each arrival at its trace time divided by the speed, never early', async () => {
    const times = [100, 100.5, 101, 103, 104];
    const sent: { traceSeconds: number; atSeconds: number }[] = [];
    const start = now();
    const outcome = await replayTrace({
      arrivals: arrivalsOf(times),
      now,
      speed: 20,
      submit: (_arrival, traceSeconds) => {
        sent.push({ traceSeconds, atSeconds: now() - start });
        return Promise.resolve('ok');
      },
    });
    await outcome.allSettled;
    expect(sent.map((entry) => entry.traceSeconds)).toEqual([0, 0.5, 1, 3, 4]);
    for (const entry of sent) {
      // Times are relative to the first arrival; 4 trace seconds at speed 20 take 200 ms.
      expect(entry.atSeconds).toBeGreaterThanOrEqual(entry.traceSeconds / 20 - 0.002);
      expect(entry.atSeconds).toBeLessThan(entry.traceSeconds / 20 + 0.1);
    }
    expect(outcome.traceSpanSeconds).toBe(4);
    expect(outcome.counts()).toEqual({
      submitted: 5,
      resolved: 5,
      rejected: 0,
      rejectedByCode: {},
      settledTwice: 0,
    });
  });

  it('stops after --limit arrivals', async () => {
    let calls = 0;
    const outcome = await replayTrace({
      arrivals: arrivalsOf([0, 0, 0, 0, 0, 0]),
      now,
      speed: 1,
      limit: 4,
      submit: () => {
        calls++;
        return Promise.resolve();
      },
    });
    await outcome.allSettled;
    expect(calls).toBe(4);
    expect(outcome.counts().submitted).toBe(4);
  });

  it('counts rejections by error code, including a submit that throws', async () => {
    let calls = 0;
    const outcome = await replayTrace({
      arrivals: arrivalsOf([0, 0, 0, 0]),
      now,
      speed: 1,
      submit: (_arrival) => {
        const index = calls++;
        if (index === 0) return Promise.resolve();
        if (index === 1) return Promise.reject(new MbsError('THROTTLED', 'slow down'));
        if (index === 2) return Promise.reject(new Error('plain'));
        throw new MbsError('BACKPRESSURE', 'full');
      },
    });
    await outcome.allSettled;
    expect(outcome.counts()).toEqual({
      submitted: 4,
      resolved: 1,
      rejected: 3,
      rejectedByCode: { THROTTLED: 1, UNKNOWN: 1, BACKPRESSURE: 1 },
      settledTwice: 0,
    });
  });
  it('waits for requests that settle after the trace ends', async () => {
    const resolvers: (() => void)[] = [];
    const outcome = await replayTrace({
      arrivals: arrivalsOf([0, 0.001, 0.002]),
      now,
      speed: 1,
      submit: () => new Promise<void>((resolve) => resolvers.push(resolve)),
    });
    let settled = false;
    void outcome.allSettled.then(() => {
      settled = true;
    });
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(settled).toBe(false);
    expect(outcome.counts().resolved).toBe(0);
    for (const resolve of resolvers) resolve();
    await outcome.allSettled;
    expect(outcome.counts().resolved).toBe(3);
  });

  it('stops submitting when its signal aborts, and still settles what was sent', async () => {
    const controller = new AbortController();
    let calls = 0;
    const outcome = await replayTrace({
      arrivals: arrivalsOf([0, 0.01, 0.02, 10, 20]),
      now,
      speed: 1,
      signal: controller.signal,
      submit: () => {
        calls++;
        if (calls === 3) setTimeout(() => controller.abort(), 5);
        return new Promise((resolve) => setTimeout(resolve, 20));
      },
    });
    await outcome.allSettled;
    expect(outcome.interrupted).toBe(true);
    expect(outcome.counts()).toMatchObject({ submitted: 3, resolved: 3, rejected: 0 });
  });

  it('accounts for every request whatever the mix of outcomes', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.constantFrom('ok', 'reject', 'throw', 'late'), { maxLength: 40 }),
        async (outcomes) => {
          let index = 0;
          const outcome = await replayTrace({
            arrivals: arrivalsOf(outcomes.map(() => 0)),
            now,
            speed: 1000,
            submit: () => {
              const kind = outcomes[index++];
              if (kind === 'ok') return Promise.resolve();
              if (kind === 'reject') return Promise.reject(new MbsError('FUNCTION_ERROR', 'x'));
              if (kind === 'throw') throw new MbsError('CLOSED', 'closed');
              return new Promise((resolve) => setTimeout(resolve, 1));
            },
          });
          await outcome.allSettled;
          const counts = outcome.counts();
          expect(counts.submitted).toBe(outcomes.length);
          expect(counts.resolved + counts.rejected).toBe(counts.submitted);
          expect(counts.rejected).toBe(
            outcomes.filter((kind) => kind === 'reject' || kind === 'throw').length,
          );
        },
      ),
      { numRuns: 30 },
    );
  });
});
