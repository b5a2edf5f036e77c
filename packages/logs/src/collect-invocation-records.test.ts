import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { describe, expect, it } from 'vitest';
import { collectInvocationRecords } from './collect-invocation-records.js';

// Collection against the local emulator over HTTP lives in test/logs-collection-emulator.test.ts:
// the emulator is a plugin, and packages do not depend on plugins.
describe('collectInvocationRecords options', () => {
  it('rejects bad options, naming them', async () => {
    const base = { functionNames: ['f'], startMs: 0, endMs: 1 };
    await expect(collectInvocationRecords({ ...base, pageSize: 0 })).rejects.toThrow(
      /pageSize must be an integer in \[1, 10000\]; got 0/,
    );
    await expect(collectInvocationRecords({ ...base, startMs: 5, endMs: 1 })).rejects.toThrow(
      /startMs <= endMs/,
    );
    await expect(collectInvocationRecords({ ...base, functionNames: [] })).rejects.toThrow(
      /functionNames/,
    );
    await expect(collectInvocationRecords({ ...base, pages: 1 } as never)).rejects.toThrow(
      /unknown option "pages"/,
    );
    await expect(
      collectInvocationRecords({ ...base, client: new CloudWatchLogsClient({}), region: 'x' }),
    ).rejects.toThrow(/either client or region/);
  });
});
