import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LogStore } from './log-store.js';

function storeWith(eventsPerStream: readonly (readonly number[])[]): LogStore {
  const store = new LogStore('us-east-1', '123456789012');
  eventsPerStream.forEach((timestamps, streamIndex) => {
    store.createStream('/aws/lambda/f', `s${streamIndex}`);
    for (const [index, timestamp] of timestamps.entries()) {
      store.append('/aws/lambda/f', `s${streamIndex}`, timestamp, `line ${streamIndex}-${index}`);
    }
  });
  return store;
}

type Page = { events: { message: string; timestamp: number }[]; nextToken?: string };

describe('LogStore.filterLogEvents', () => {
  it('pages through every matching event once, in time order', () => {
    fc.assert(
      fc.property(
        fc.array(fc.array(fc.integer({ min: 0, max: 50 }), { maxLength: 12 }), {
          minLength: 1,
          maxLength: 4,
        }),
        fc.integer({ min: 1, max: 7 }),
        (streams, limit) => {
          const sorted = streams.map((timestamps) => [...timestamps].sort((a, b) => a - b));
          const store = storeWith(sorted);
          const seen: { message: string; timestamp: number }[] = [];
          let nextToken: string | undefined;
          let pages = 0;
          do {
            const page = store.filterLogEvents({
              logGroupName: '/aws/lambda/f',
              limit,
              ...(nextToken === undefined ? {} : { nextToken }),
            }) as Page;
            expect(page.events.length).toBeLessThanOrEqual(limit);
            seen.push(...page.events);
            nextToken = page.nextToken;
            pages++;
          } while (nextToken !== undefined && pages < 1000);
          const total = sorted.reduce((sum, timestamps) => sum + timestamps.length, 0);
          expect(seen).toHaveLength(total);
          expect(new Set(seen.map((event) => event.message)).size).toBe(total);
          for (let index = 1; index < seen.length; index++) {
            expect(seen[index]!.timestamp).toBeGreaterThanOrEqual(seen[index - 1]!.timestamp);
          }
        },
      ),
    );
  });

  it('filters by time (inclusive), streams and pattern', () => {
    const store = storeWith([
      [1, 2, 3],
      [2, 4],
    ]);
    const page = store.filterLogEvents({
      logGroupName: '/aws/lambda/f',
      startTime: 2,
      endTime: 3,
      logStreamNames: ['s0'],
      filterPattern: 'line',
    }) as Page;
    expect(page.events.map((event) => event.message)).toEqual(['line 0-1', 'line 0-2']);
  });

  it('refuses an unknown group and a forged token', () => {
    const store = storeWith([[1]]);
    expect(() => store.filterLogEvents({ logGroupName: '/aws/lambda/none' })).toThrow(
      /ResourceNotFoundException/,
    );
    expect(() =>
      store.filterLogEvents({ logGroupName: '/aws/lambda/f', nextToken: 'garbage' }),
    ).toThrow(/InvalidParameterException/);
  });
});

describe('LogStore.getLogEvents', () => {
  const request = { logGroupName: '/aws/lambda/f', logStreamName: 's0' };
  type Events = {
    events: { message: string }[];
    nextForwardToken: string;
    nextBackwardToken: string;
  };

  it('reads forward in pages and returns the same forward token at the end', () => {
    const store = storeWith([[1, 2, 3, 4, 5]]);
    const first = store.getLogEvents({ ...request, startFromHead: true, limit: 2 }) as Events;
    expect(first.events.map((event) => event.message)).toEqual(['line 0-0', 'line 0-1']);
    const second = store.getLogEvents({
      ...request,
      nextToken: first.nextForwardToken,
      limit: 2,
    }) as Events;
    const third = store.getLogEvents({
      ...request,
      nextToken: second.nextForwardToken,
      limit: 2,
    }) as Events;
    expect(third.events.map((event) => event.message)).toEqual(['line 0-4']);
    const end = store.getLogEvents({
      ...request,
      nextToken: third.nextForwardToken,
      limit: 2,
    }) as Events;
    expect(end.events).toEqual([]);
    expect(end.nextForwardToken).toBe(third.nextForwardToken);
  });

  it('reads the latest events by default and pages backward', () => {
    const store = storeWith([[1, 2, 3, 4, 5]]);
    const latest = store.getLogEvents({ ...request, limit: 2 }) as Events;
    expect(latest.events.map((event) => event.message)).toEqual(['line 0-3', 'line 0-4']);
    const before = store.getLogEvents({
      ...request,
      nextToken: latest.nextBackwardToken,
      limit: 2,
    }) as Events;
    expect(before.events.map((event) => event.message)).toEqual(['line 0-1', 'line 0-2']);
  });

  it('sees events appended after the end token', () => {
    const store = storeWith([[1]]);
    const first = store.getLogEvents({ ...request, startFromHead: true }) as Events;
    store.append('/aws/lambda/f', 's0', 9, 'late');
    const next = store.getLogEvents({ ...request, nextToken: first.nextForwardToken }) as Events;
    expect(next.events.map((event) => event.message)).toEqual(['late']);
  });
});

describe('LogStore.describeLogStreams', () => {
  it('orders by last event time, descending, with pages', () => {
    const store = storeWith([[5], [9], [1]]);
    type Streams = { logStreams: { logStreamName: string }[]; nextToken?: string };
    const first = store.describeLogStreams({
      logGroupName: '/aws/lambda/f',
      orderBy: 'LastEventTime',
      descending: true,
      limit: 2,
    }) as Streams;
    expect(first.logStreams.map((stream) => stream.logStreamName)).toEqual(['s1', 's0']);
    const second = store.describeLogStreams({
      logGroupName: '/aws/lambda/f',
      orderBy: 'LastEventTime',
      descending: true,
      limit: 2,
      nextToken: first.nextToken,
    }) as Streams;
    expect(second.logStreams.map((stream) => stream.logStreamName)).toEqual(['s2']);
    expect(second.nextToken).toBeUndefined();
  });
});
