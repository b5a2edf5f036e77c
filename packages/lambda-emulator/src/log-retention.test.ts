import fc from 'fast-check';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { LOG_EVENT_OVERHEAD_BYTES, MAXIMUM_LOG_EVENT_BYTES } from './limits.js';
import { LogStore } from './log-store.js';

const GROUP = '/aws/lambda/f';

function storeKeeping(maxBytes: number, maxAgeSeconds?: number): LogStore {
  return new LogStore('us-east-1', '123456789012', { maxBytes, maxAgeSeconds });
}

type Events = { events: { message: string }[]; nextForwardToken: string };

afterEach(() => {
  vi.useRealTimers();
});

describe('log retention', () => {
  it('keeps exactly the newest events that fit the byte budget, across streams', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 0, max: 3 }), fc.integer({ min: 0, max: 300 })), {
          maxLength: 80,
        }),
        fc.integer({ min: 400, max: 3000 }),
        (appends, maxBytes) => {
          const store = storeKeeping(maxBytes);
          const arrivals = appends.map(([stream, size], index) => ({
            stream: `s${stream}`,
            message: `${index}:${'é'.repeat(size)}`,
          }));
          for (const [index, { stream, message }] of arrivals.entries()) {
            store.append(GROUP, stream, 1_000 + index, message);
          }
          // The model: the longest suffix of arrivals within the budget.
          const cost = (message: string) => Buffer.byteLength(message) + LOG_EVENT_OVERHEAD_BYTES;
          let budget = maxBytes;
          let first = arrivals.length;
          while (first > 0 && cost(arrivals[first - 1]!.message) <= budget) {
            budget -= cost(arrivals[first - 1]!.message);
            first -= 1;
          }
          const kept = arrivals.slice(first);
          expect(store.retainedBytes).toBe(maxBytes - budget);
          expect(store.eventsBetween(GROUP, 0, 10_000).map((event) => event.message)).toEqual(
            kept.map((arrival) => arrival.message),
          );
          for (const stream of new Set(kept.map((arrival) => arrival.stream))) {
            const expected = kept.filter((arrival) => arrival.stream === stream);
            const page = store.getLogEvents({
              logGroupName: GROUP,
              logStreamName: stream,
              startFromHead: true,
            }) as Events;
            expect(page.events.map((event) => event.message)).toEqual(
              expected.map((arrival) => arrival.message),
            );
          }
          if (arrivals.length === 0) return;
          const described = store.describeLogStreams({ logGroupName: GROUP }) as {
            logStreams: { logStreamName: string; storedBytes: number }[];
          };
          for (const { logStreamName, storedBytes } of described.logStreams) {
            const bytes = kept
              .filter((arrival) => arrival.stream === logStreamName)
              .reduce((sum, arrival) => sum + Buffer.byteLength(arrival.message), 0);
            expect(storedBytes).toBe(bytes);
          }
        },
      ),
      { numRuns: 200 },
    );
  });

  it('keeps a GetLogEvents forward token valid while older events are dropped', () => {
    const store = storeKeeping(1_000);
    for (let index = 0; index < 5; index++) store.append(GROUP, 's', index, `a${index}`);
    const first = store.getLogEvents({
      logGroupName: GROUP,
      logStreamName: 's',
      startFromHead: true,
    }) as Events;
    expect(first.events).toHaveLength(5);
    for (let index = 0; index < 40; index++) {
      store.append(GROUP, 's', 10 + index, `b${index}`.padEnd(40, '.'));
    }
    const next = store.getLogEvents({
      logGroupName: GROUP,
      logStreamName: 's',
      startFromHead: true,
      nextToken: first.nextForwardToken,
    }) as Events;
    // The a-lines are gone; the token carries on with what is kept of the b-lines, newest last.
    expect(next.events.length).toBeGreaterThan(0);
    expect(next.events.every((event) => event.message.startsWith('b'))).toBe(true);
    expect(next.events.at(-1)!.message).toMatch(/^b39/);
    expect(store.retainedBytes).toBeLessThanOrEqual(1_000);
  });

  it('drops events older than maxAgeSeconds, even when nothing new arrives', () => {
    vi.useFakeTimers({ now: 1_000_000 });
    const store = storeKeeping(1_048_576, 60);
    store.append(GROUP, 'old', 1_000_000, 'old line');
    vi.setSystemTime(1_000_000 + 30_000);
    store.append(GROUP, 'new', 1_030_000, 'new line');
    vi.setSystemTime(1_000_000 + 61_000);
    expect(store.eventsBetween(GROUP, 0, 2_000_000).map((event) => event.message)).toEqual([
      'new line',
    ]);
    const streams = store.describeLogStreams({ logGroupName: GROUP }) as {
      logStreams: { logStreamName: string }[];
    };
    expect(streams.logStreams.map((stream) => stream.logStreamName)).toEqual(['new']);
  });

  it('cuts a message over 256 KB to the largest event CloudWatch Logs stores', () => {
    const store = storeKeeping(4_194_304);
    store.append(GROUP, 's', 1, 'x'.repeat(1_048_576));
    store.append(GROUP, 's', 2, '€'.repeat(300_000));
    const [ascii, euros] = store.eventsBetween(GROUP, 0, 10);
    expect(Buffer.byteLength(ascii!.message)).toBe(MAXIMUM_LOG_EVENT_BYTES);
    expect(Buffer.byteLength(euros!.message)).toBeLessThanOrEqual(MAXIMUM_LOG_EVENT_BYTES);
    expect(euros!.message).toMatch(/^€+$/);
  });
});
