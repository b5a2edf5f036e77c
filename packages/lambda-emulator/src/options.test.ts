import { isMbsError } from '@mbs/core';
import { describe, expect, it } from 'vitest';
import { defaultMaxInstances, type EmulatorOptions, resolveEmulatorOptions } from './options.js';

function refusal(options: unknown): unknown {
  try {
    resolveEmulatorOptions(options as EmulatorOptions);
  } catch (error) {
    return error;
  }
  return undefined;
}

describe('resolveEmulatorOptions', () => {
  it('fills Lambda defaults', () => {
    const resolved = resolveEmulatorOptions();
    expect(resolved.accountConcurrency).toBe(1000);
    expect(resolved.minimumUnreservedConcurrency).toBe(100);
    expect(resolved.cpuScaling).toEqual({
      excludeHostWait: true,
      referenceVcpu: 1,
      minimumScale: 1 / 6,
    });
    expect(resolved.billInitPhase).toBe(true);
    expect(resolved.faults.throttleRate).toBe(0);
    expect(resolved.isolation).toBe('process');
    expect(resolved.maxInstances).toBe(defaultMaxInstances());
    expect(resolved.maxQueuedInvocations).toBe(1000);
    expect(resolved.logRetention).toEqual({ maxBytes: 134_217_728, maxAgeSeconds: undefined });
  });

  it('bounds instances by twice the cores, at least 4', () => {
    expect([1, 2, 3, 8, 64].map((cores) => defaultMaxInstances(cores))).toEqual([4, 4, 6, 16, 128]);
  });

  it('keeps the unreserved minimum within a small account limit', () => {
    expect(resolveEmulatorOptions({ accountConcurrency: 5 }).minimumUnreservedConcurrency).toBe(5);
  });

  it('refuses unknown keys and out-of-range values, naming the option', () => {
    for (const [options, option] of [
      [{ bogus: 1 }, 'bogus'],
      [{ faults: { throttleRate: 2 } }, 'faults.throttleRate'],
      [{ faults: { typo: 0.1 } }, 'faults.typo'],
      [{ accountConcurrency: 0 }, 'accountConcurrency'],
      [{ cpuScaling: { referenceVcpu: -1 } }, 'cpuScaling.referenceVcpu'],
      [{ cpuScaling: { excludeHostWait: 'yes' } }, 'cpuScaling.excludeHostWait'],
      [{ isolation: 'vm' }, 'isolation'],
      [{ warmSeconds: -1 }, 'warmSeconds'],
      [{ maxInstances: 0 }, 'maxInstances'],
      [{ maxInstances: 2.5 }, 'maxInstances'],
      [{ maxQueuedInvocations: 0 }, 'maxQueuedInvocations'],
      [{ logRetention: { maxBytes: 1000 } }, 'logRetention.maxBytes'],
      [{ logRetention: { maxAgeSeconds: 0 } }, 'logRetention.maxAgeSeconds'],
      [{ logRetention: { days: 7 } }, 'logRetention.days'],
      [{ logRetention: 7 }, 'logRetention'],
    ] as const) {
      const error = refusal(options);
      expect(isMbsError(error, 'OPTION_INVALID')).toBe(true);
      expect((error as Error).message).toContain(`option ${option}`);
    }
  });
});
