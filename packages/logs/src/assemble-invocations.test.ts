import { formatReportLine } from '@mbs/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { LogEvent } from './assemble-invocations.js';
import { assembleInvocations } from './assemble-invocations.js';

interface Generated {
  requestId: string;
  startMs: number;
  durationMs: number;
  billedDurationMs: number;
  memorySizeMb: number;
  maxMemoryUsedMb: number;
  initDurationMs?: number;
  outcome: 'ok' | 'error' | 'timeout';
}

function render(invocation: Generated, stream: string): LogEvent[] {
  const at = (offsetMs: number, message: string): LogEvent => ({
    timestamp: invocation.startMs + offsetMs,
    message,
    logStreamName: stream,
  });
  const iso = new Date(invocation.startMs).toISOString();
  const events = [at(0, `START RequestId: ${invocation.requestId} Version: $LATEST\n`)];
  events.push(at(1, `${iso}\t${invocation.requestId}\tINFO\tbatch of 3\n`));
  // A handler's own console.error does not make the invocation fail.
  events.push(at(1, `${iso}\t${invocation.requestId}\tERROR\tslow input {"errorType":"Nope"}\n`));
  if (invocation.outcome === 'error') {
    events.push(
      at(
        2,
        `${iso}\t${invocation.requestId}\tERROR\tInvoke Error \t{"errorType":"TypeError","errorMessage":"bad input"}\n`,
      ),
    );
  }
  if (invocation.outcome === 'timeout') {
    events.push(at(3, `${iso} ${invocation.requestId} Task timed out after 3.00 seconds\n`));
  }
  events.push(at(4, `END RequestId: ${invocation.requestId}\n`));
  events.push(
    at(
      4,
      formatReportLine({
        requestId: invocation.requestId,
        durationMs: invocation.durationMs,
        billedDurationMs: invocation.billedDurationMs,
        memorySizeMb: invocation.memorySizeMb,
        maxMemoryUsedMb: invocation.maxMemoryUsedMb,
        ...(invocation.initDurationMs === undefined
          ? {}
          : { initDurationMs: invocation.initDurationMs }),
        ...(invocation.outcome === 'timeout' ? { status: 'timeout' } : {}),
      }),
    ),
  );
  return events;
}

const generatedInvocation = fc.record(
  {
    requestId: fc.uuid(),
    startMs: fc.integer({ min: 1_700_000_000_000, max: 1_700_000_100_000 }),
    durationMs: fc.integer({ min: 0, max: 300_000 }).map((hundredths) => hundredths / 100),
    billedDurationMs: fc.integer({ min: 0, max: 4000 }),
    memorySizeMb: fc.integer({ min: 128, max: 10_240 }),
    maxMemoryUsedMb: fc.integer({ min: 1, max: 10_240 }),
    initDurationMs: fc.integer({ min: 0, max: 100_000 }).map((hundredths) => hundredths / 100),
    outcome: fc.constantFrom<Generated['outcome']>('ok', 'error', 'timeout'),
  },
  {
    requiredKeys: [
      'requestId',
      'startMs',
      'durationMs',
      'billedDurationMs',
      'memorySizeMb',
      'maxMemoryUsedMb',
      'outcome',
    ],
  },
);

describe('assembleInvocations', () => {
  it('recovers every invocation from interleaved streams, with errors, timeouts and junk counted', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(generatedInvocation, {
          selector: (invocation) => invocation.requestId,
          maxLength: 30,
        }),
        fc.array(
          fc.string({ maxLength: 40 }).map((text) => `junk ${text}`),
          { maxLength: 5 },
        ),
        (invocations, junk) => {
          const events = invocations.flatMap((invocation, index) =>
            render(invocation, `stream-${index % 3}`),
          );
          events.push(...junk.map((message) => ({ timestamp: 1_700_000_000_000, message })));
          const assembled = assembleInvocations('fn', events);
          expect(assembled.invocations).toHaveLength(invocations.length);
          expect(assembled.incompleteRequestIds).toEqual([]);
          expect(assembled.lineCounts.unknown).toBe(junk.length);
          expect(assembled.lineCounts.report).toBe(invocations.length);
          const byId = new Map(assembled.invocations.map((record) => [record.requestId, record]));
          for (const invocation of invocations) {
            const record = byId.get(invocation.requestId)!;
            expect(record.startMs).toBe(invocation.startMs);
            expect(record.durationMs).toBe(invocation.durationMs);
            expect(record.billedDurationMs).toBe(invocation.billedDurationMs);
            expect(record.initDurationMs).toBe(invocation.initDurationMs);
            expect(record.timedOut).toBe(invocation.outcome === 'timeout');
            expect(record.errorLines).toBe(invocation.outcome === 'error' ? 2 : 1);
            expect(record.error?.type).toBe(
              invocation.outcome === 'ok'
                ? undefined
                : invocation.outcome === 'error'
                  ? 'TypeError'
                  : 'Sandbox.Timedout',
            );
          }
          const starts = assembled.invocations.map((record) => record.startMs);
          expect(starts).toEqual([...starts].sort((a, b) => a - b));
        },
      ),
      { numRuns: 60 },
    );
  });

  it('lists invocations that started but never reported', () => {
    const assembled = assembleInvocations('fn', [
      { timestamp: 1, message: 'START RequestId: a Version: $LATEST' },
      { timestamp: 2, message: 'START RequestId: b Version: $LATEST' },
      {
        timestamp: 3,
        message:
          'REPORT RequestId: a\tDuration: 1.00 ms\tBilled Duration: 1 ms\tMemory Size: 128 MB\tMax Memory Used: 50 MB',
      },
    ]);
    expect(assembled.invocations.map((record) => record.requestId)).toEqual(['a']);
    expect(assembled.incompleteRequestIds).toEqual(['b']);
  });

  it('keeps a sample of unknown lines with the reason a REPORT line was rejected', () => {
    const assembled = assembleInvocations('fn', [
      { timestamp: 1, message: 'REPORT RequestId: a\tDuration: fast' },
    ]);
    expect(assembled.lineCounts.unknown).toBe(1);
    expect(assembled.unknownSamples[0]).toContain('REPORT line');
  });
});
