import type { Provider } from '@mbs/core';
import { isMbsError } from '@mbs/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectRegistrable } from './assert-registrable.js';

/** What a provider suite needs: a provider with an echo function deployed. */
export interface ProviderFixture {
  readonly provider: Provider;
  /** A function that answers each request with `{ id, ok: true, output: <its input> }`. */
  readonly echoFunctionName: string;
  /** A function that throws; its invocations must resolve with `record.error`. */
  readonly failingFunctionName: string;
  /** Called after the suite, e.g. to stop a server. */
  readonly teardown?: () => Promise<void>;
  /**
   * Whether invocation records carry a platform's fields (request id, billed duration, memory
   * size and memory used). Default true; an in-process provider sets false and must then leave
   * them out rather than invent them.
   */
  readonly platformRecords?: boolean;
}

/**
 * The contract every provider passes, run against a live fixture.
 *
 * @example
 * ```ts
 * testProvider('local', async () => ({ provider, echoFunctionName: 'echo' }));
 * ```
 */
export function testProvider(label: string, setup: () => Promise<ProviderFixture>): void {
  describe(`provider contract: ${label}`, () => {
    let fixture: ProviderFixture;
    beforeAll(async () => {
      fixture = await setup();
    });
    afterAll(async () => {
      await fixture?.teardown?.();
      await fixture?.provider.dispose?.();
    });

    it('is a registrable v1 provider', () => {
      expectRegistrable('provider', fixture.provider);
    });

    it('returns one result per request, in order, with an invocation record', async () => {
      const requests = [1, 2, 3].map((n) => ({ id: `r${n}`, input: { value: n } }));
      const { results, record } = await fixture.provider.invoke(fixture.echoFunctionName, {
        batchId: 'contract-1',
        requests,
      });
      expect(results.map((result) => result.id)).toEqual(['r1', 'r2', 'r3']);
      for (const [index, result] of results.entries()) {
        expect(result.ok).toBe(true);
        if (result.ok) expect(result.output).toEqual(requests[index]!.input);
      }
      expect(record.error).toBeUndefined();
      expect(record.durationMs).toBeGreaterThanOrEqual(0);
      if (fixture.platformRecords === false) {
        for (const field of [
          'requestId',
          'billedDurationMs',
          'memorySizeMb',
          'maxMemoryUsedMb',
        ] as const) {
          expect(record[field], field).toBeUndefined();
        }
        return;
      }
      expect(record.requestId).toMatch(/\S/);
      expect(record.billedDurationMs).toBeGreaterThanOrEqual(Math.floor(record.durationMs));
      expect(record.memorySizeMb).toBeGreaterThanOrEqual(128);
      expect(record.maxMemoryUsedMb).toBeGreaterThan(0);
    });

    it('rejects an unknown function with an MbsError that names it', async () => {
      const error = await fixture.provider
        .invoke('mbs-contract-no-such-function', { requests: [{ id: 'x', input: 1 }] })
        .then(
          () => undefined,
          (caught: unknown) => caught,
        );
      expect(isMbsError(error, 'PROVIDER_ERROR')).toBe(true);
      expect((error as Error).message).toContain('mbs-contract-no-such-function');
    });

    it('reports a function error in the record instead of throwing', async () => {
      const { results, record } = await fixture.provider.invoke(fixture.failingFunctionName, {
        requests: [{ id: 'f1', input: 1 }],
      });
      expect(record.error?.type).toMatch(/\S/);
      expect(results.every((result) => !result.ok)).toBe(true);
    });
  });
}
