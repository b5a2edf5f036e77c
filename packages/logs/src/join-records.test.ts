import { describe, expect, it } from 'vitest';
import { joinRecords } from './join-records.js';
import { testBatch, testInvocation, testRequest } from './testing/records.js';

describe('joinRecords', () => {
  it('joins by invocation id and reports what is unmatched on either side', () => {
    const invocations = [
      testInvocation({ requestId: 'inv-1' }),
      testInvocation({ requestId: 'inv-2' }),
      testInvocation({ requestId: 'inv-orphan' }),
      testInvocation({ requestId: 'inv-1' }),
    ];
    const batches = [
      testBatch({ batchId: 'b1', invocationId: 'inv-1' }),
      testBatch({ batchId: 'b2', invocationId: 'inv-2' }),
      testBatch({ batchId: 'b3', invocationId: 'inv-missing' }),
      testBatch({ batchId: 'b4' }),
      testBatch({ batchId: 'b1', invocationId: 'inv-1' }),
    ];
    const requests = [
      testRequest({ requestId: 'r1', batchId: 'b1' }),
      testRequest({ requestId: 'r2', batchId: 'b1' }),
      testRequest({ requestId: 'r3', batchId: 'b2' }),
      testRequest({ requestId: 'r4', batchId: 'nowhere' }),
    ];
    const result = joinRecords(invocations, batches, requests);
    expect(result.joined.map((pair) => [pair.batch.batchId, pair.invocation.requestId])).toEqual([
      ['b1', 'inv-1'],
      ['b2', 'inv-2'],
    ]);
    expect(result.joined[0]!.requests.map((request) => request.requestId)).toEqual(['r1', 'r2']);
    expect(result.unmatchedInvocations.map((invocation) => invocation.requestId)).toEqual([
      'inv-orphan',
    ]);
    expect(result.unmatchedBatches.map((batch) => batch.batchId)).toEqual(['b3', 'b4']);
    expect(result.unmatchedRequests.map((request) => request.requestId)).toEqual(['r4']);
    expect(result.duplicateInvocationIds).toEqual(['inv-1']);
    expect(result.duplicateBatchIds).toEqual(['b1']);
  });

  it('accounts for every record exactly once', () => {
    const invocations = Array.from({ length: 50 }, (_, i) =>
      testInvocation({ requestId: `i${i}` }),
    );
    const batches = Array.from({ length: 40 }, (_, i) =>
      testBatch({ batchId: `b${i}`, ...(i % 4 === 0 ? {} : { invocationId: `i${i * 2}` }) }),
    );
    const result = joinRecords(invocations, batches, []);
    expect(result.joined.length + result.unmatchedBatches.length).toBe(batches.length);
    expect(result.joined.length + result.unmatchedInvocations.length).toBe(invocations.length);
  });
});
