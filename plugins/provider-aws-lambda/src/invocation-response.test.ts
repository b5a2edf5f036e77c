import { formatReportLine } from '@mbs/logs';
import { describe, expect, it } from 'vitest';
import { invocationResultOf, reportFromLogTail } from './invocation-response.js';

const ID = '6f1c2a3b-4d5e-4f60-8a1b-2c3d4e5f6a7b';
const base64 = (text: string) => Buffer.from(text, 'utf8').toString('base64');
const tail = (initDurationMs?: number) =>
  base64(
    [
      `START RequestId: ${ID} Version: $LATEST`,
      `2025-01-01T00:00:00.000Z\t${ID}\tINFO\tbatch`,
      `END RequestId: ${ID}`,
      formatReportLine({
        requestId: ID,
        durationMs: 27.55,
        billedDurationMs: initDurationMs === undefined ? 28 : 362,
        memorySizeMb: 1024,
        maxMemoryUsedMb: 472,
        ...(initDurationMs === undefined ? {} : { initDurationMs }),
      }),
      '',
    ].join('\n'),
  );
const event = {
  batchId: 'b1',
  requests: [
    { id: 'a', input: 1 },
    { id: 'b', input: 2 },
  ],
};

describe('invocationResultOf', () => {
  it('builds the record from the REPORT line of the log tail', () => {
    const { record, results } = invocationResultOf(event, {
      functionName: 'fn',
      requestId: ID,
      logResult: tail(333.05),
      payloadText: JSON.stringify({
        results: [
          { id: 'b', ok: true, output: 20 },
          { id: 'a', ok: true, output: 10 },
        ],
        timings: { totalMs: 20 },
      }),
      elapsedMs: 500,
    });
    expect(record).toEqual({
      requestId: ID,
      functionName: 'fn',
      durationMs: 27.55,
      billedDurationMs: 362,
      memorySizeMb: 1024,
      maxMemoryUsedMb: 472,
      initDurationMs: 333.05,
    });
    expect(results).toEqual([
      { id: 'a', ok: true, output: 10 },
      { id: 'b', ok: true, output: 20 },
    ]);
  });

  it('reports a function error in the record, with no results', () => {
    const { record, results } = invocationResultOf(event, {
      functionName: 'fn',
      requestId: ID,
      functionError: 'Unhandled',
      logResult: tail(),
      payloadText: JSON.stringify({
        errorType: 'ReferenceError',
        errorMessage: 'x is not defined',
        trace: [],
      }),
      elapsedMs: 40,
    });
    expect(results).toEqual([]);
    expect(record.error).toEqual({ type: 'ReferenceError', message: 'x is not defined' });
    expect(record.billedDurationMs).toBe(28);
  });

  it('fails the requests the handler did not answer and keeps per-item errors', () => {
    const { results } = invocationResultOf(event, {
      functionName: 'fn',
      logResult: tail(),
      payloadText: JSON.stringify({
        results: [{ id: 'a', ok: false, error: { code: 'EVENT_INVALID', message: 'bad' } }],
      }),
      elapsedMs: 40,
    });
    expect(results).toEqual([
      { id: 'a', ok: false, error: { code: 'EVENT_INVALID', message: 'bad' } },
      {
        id: 'b',
        ok: false,
        error: { code: 'FUNCTION_ERROR', message: 'the handler returned no result for "b"' },
      },
    ]);
  });

  it('reports a malformed response as an error of the invocation', () => {
    const { record, results } = invocationResultOf(event, {
      functionName: 'fn',
      logResult: tail(),
      payloadText: '"just a string"',
      elapsedMs: 40,
    });
    expect(results).toEqual([]);
    expect(record.error?.type).toBe('Mbs.InvalidResponse');
    expect(record.requestId).toBe(ID);
  });

  it('falls back to wall-clock time and known memory when the tail has no REPORT line', () => {
    const { record } = invocationResultOf(event, {
      functionName: 'fn',
      requestId: ID,
      payloadText: JSON.stringify({ results: [] }),
      elapsedMs: 12.3,
      fallbackMemoryMb: 512,
    });
    expect(record).toMatchObject({ durationMs: 12.3, billedDurationMs: 13, memorySizeMb: 512 });
  });
});

describe('reportFromLogTail', () => {
  it('picks the REPORT line of the named request among several', () => {
    const other = formatReportLine({
      requestId: 'other',
      durationMs: 1,
      billedDurationMs: 1,
      memorySizeMb: 128,
      maxMemoryUsedMb: 1,
    });
    const text = base64(
      `${formatReportLine({ requestId: ID, durationMs: 5, billedDurationMs: 5, memorySizeMb: 128, maxMemoryUsedMb: 9 })}\n${other}\n`,
    );
    expect(reportFromLogTail(text, ID)?.durationMs).toBe(5);
    expect(reportFromLogTail(text)?.requestId).toBe('other');
    expect(reportFromLogTail(undefined)).toBeUndefined();
  });
});
