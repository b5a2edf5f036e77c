import type { ServiceTimeProfile } from '@mbs/core';
import { createLambdaLikePricing, createSyntheticProfile } from '@mbs/test-utils';
import { describe, expect, it } from 'vitest';
import { batchServiceTables, createBatchServiceTable } from './batch-service-table.js';

const pricing = createLambdaLikePricing({ billsInitPhase: false });

describe('createBatchServiceTable', () => {
  it('asks the profile and the pricing once per entry', () => {
    const synthetic = createSyntheticProfile();
    let calls = 0;
    const profile: ServiceTimeProfile = {
      ...synthetic,
      serviceTimeSeconds: (memoryMb, largestClass, batchSize) => {
        calls++;
        return synthetic.serviceTimeSeconds(memoryMb, largestClass, batchSize);
      },
    };
    const table = createBatchServiceTable(profile, pricing, 2048, 8);
    const seconds = synthetic.serviceTimeSeconds(2048, 2, 5);
    expect(table.seconds(2, 5)).toBe(seconds);
    expect(table.costUsd(2, 5)).toBe(
      pricing.invocationCostUsd({ durationMs: seconds * 1000, memoryMb: 2048 }),
    );
    expect(table.seconds(2, 5)).toBe(seconds);
    expect(calls).toBe(1);
  });

  it('refuses classes, batch sizes and service times the profile does not cover', () => {
    const profile = createSyntheticProfile({ classCount: 4, maxBatchSize: 32 });
    expect(() => createBatchServiceTable(profile, pricing, 2048, 40)).toThrow(
      /batch sizes 1..32; batchSize 40/,
    );
    const table = createBatchServiceTable(profile, pricing, 2048, 8);
    expect(() => table.seconds(4, 1)).toThrow(/classes 0..3; class 4/);
    expect(() => table.costUsd(0, 9)).toThrow(/batchSize 9 is outside/);
    const broken = { ...profile, serviceTimeSeconds: () => Number.NaN };
    expect(() => createBatchServiceTable(broken, pricing, 2048).seconds(0, 1)).toThrow(
      /service time NaN s/,
    );
  });

  it('keeps one table per memory', () => {
    const tableAt = batchServiceTables(createSyntheticProfile(), pricing, 2);
    expect(tableAt(1024)).toBe(tableAt(1024));
    expect(tableAt(2048).memoryMb).toBe(2048);
  });
});
