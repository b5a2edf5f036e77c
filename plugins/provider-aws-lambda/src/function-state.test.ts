import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { isMbsError } from '@mbs/core';
import { afterEach, describe, expect, it } from 'vitest';
import { waitForFunctionReady } from './function-state.js';
import { TEST_CREDENTIALS } from './testing/emulator.js';

type Status = { State: string; LastUpdateStatus: string; LastUpdateStatusReason?: string };

/** A Lambda endpoint whose GetFunctionConfiguration walks through `statuses` (the last repeats). */
async function scriptedLambda(
  statuses: readonly Status[],
): Promise<{ client: LambdaClient; polls: () => number; server: Server }> {
  let polls = 0;
  const server = createServer((request, response) => {
    request.resume();
    const status = statuses[Math.min(polls, statuses.length - 1)]!;
    polls += 1;
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end(JSON.stringify({ FunctionName: 'fn', MemorySize: 512, Timeout: 10, ...status }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const client = new LambdaClient({
    endpoint: `http://127.0.0.1:${port}`,
    region: 'us-east-1',
    credentials: TEST_CREDENTIALS,
  });
  return { client, polls: () => polls, server };
}

const open: { client: LambdaClient; server: Server }[] = [];
afterEach(async () => {
  for (const { client, server } of open.splice(0)) {
    client.destroy();
    await new Promise((resolve) => server.close(resolve));
  }
});

describe('waitForFunctionReady', () => {
  it('polls until the function is Active and its update Successful', async () => {
    const lambda = await scriptedLambda([
      { State: 'Pending', LastUpdateStatus: 'InProgress' },
      { State: 'Active', LastUpdateStatus: 'InProgress' },
      { State: 'Active', LastUpdateStatus: 'Successful' },
    ]);
    open.push(lambda);
    const state = await waitForFunctionReady(lambda.client, 'fn', { waitMs: 5000, pollMs: 5 });
    expect(state).toMatchObject({ memoryMb: 512, state: 'Active', lastUpdateStatus: 'Successful' });
    expect(lambda.polls()).toBe(3);
  });

  it('gives up after the bounded wait, as retryable', async () => {
    const lambda = await scriptedLambda([{ State: 'Active', LastUpdateStatus: 'InProgress' }]);
    open.push(lambda);
    const started = Date.now();
    const error = await waitForFunctionReady(lambda.client, 'fn', {
      waitMs: 500,
      pollMs: 10,
    }).catch((caught: unknown) => caught);
    expect(Date.now() - started).toBeLessThan(5000);
    expect(isMbsError(error, 'PROVIDER_ERROR')).toBe(true);
    expect((error as Error).message).toContain('still Active/InProgress after 500 ms');
    // It polled again after the first answer (a busy machine may fit only a few polls in 500 ms).
    expect(lambda.polls()).toBeGreaterThanOrEqual(2);
  });

  it('stops at once on a failed update, with its reason', async () => {
    const lambda = await scriptedLambda([
      { State: 'Active', LastUpdateStatus: 'Failed', LastUpdateStatusReason: 'handler not found' },
    ]);
    open.push(lambda);
    const error = await waitForFunctionReady(lambda.client, 'fn', {
      waitMs: 5000,
      pollMs: 5,
    }).catch((caught: unknown) => caught);
    expect((error as Error).message).toContain('deployment failed (handler not found)');
    expect(lambda.polls()).toBe(1);
  });
});
