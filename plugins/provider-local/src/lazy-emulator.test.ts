import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isMbsError } from '@mbs/core';
import { afterAll, describe, expect, it } from 'vitest';
import { createLocalProvider } from './local-provider.js';

const scratch = mkdtempSync(join(tmpdir(), 'mbs-local-provider-lazy-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const echo = async (event: unknown) => ({
  results: (event as { requests: { id: string; input: unknown }[] }).requests.map((request) => ({
    id: request.id,
    ok: true,
    output: request.input,
  })),
});

describe('createLocalProvider side effects', () => {
  it('creates nothing on disk until first use, and removes what it made on dispose', async () => {
    // A work directory that does not exist yet: the emulator would create it with its own.
    const workDirectory = join(scratch, 'first-use');
    const provider = createLocalProvider({ workDirectory });
    expect(existsSync(workDirectory)).toBe(false);
    await provider.deployFunction({
      functionName: 'echo',
      memoryMb: 1769,
      timeoutSeconds: 3,
      inProcess: { handler: echo },
    });
    expect(
      readdirSync(workDirectory).filter((name) => name.startsWith('mbs-emulator-')),
    ).toHaveLength(1);
    const { results } = await provider.invoke('echo', { requests: [{ id: 'a', input: 1 }] });
    expect(results).toEqual([{ id: 'a', ok: true, output: 1 }]);
    await provider.dispose();
    expect(readdirSync(workDirectory)).toEqual([]);
  });

  it('leaves nothing behind when created and disposed unused, and refuses use afterwards', async () => {
    const workDirectory = join(scratch, 'unused');
    const provider = createLocalProvider({ workDirectory });
    await provider.dispose();
    expect(existsSync(workDirectory)).toBe(false);
    const error = await provider
      .invoke('echo', { requests: [] })
      .catch((caught: unknown) => caught);
    expect(isMbsError(error, 'CLOSED')).toBe(true);
    expect(existsSync(workDirectory)).toBe(false);
  });

  it('still checks its options when created', () => {
    expect(() => createLocalProvider({ warmSeconds: -1 })).toThrow(/option warmSeconds/);
    expect(() => createLocalProvider({ bogus: 1 } as never)).toThrow(/option bogus/);
  });
});
