import { MbsError } from '@mbs/core';

const DEFAULTS = {
  usdPerVcpuSecond: 0.000024,
  usdPerGibSecond: 0.0000025,
  usdPerRequest: 0.0000004,
  mbPerVcpu: 2048,
  billingStepMs: 100,
};

/**
 * A cost model `cloud-run` for a Cloud-Run-like platform, billed per instance-time rather than per
 * GB-second: the duration (with any cold start) rounded up to 100 ms, times vCPUs x the vCPU-second
 * price plus GiB x the GiB-second price, plus a fee per request. vCPUs follow memory: one per
 * 2048 MB, at least one.
 */
export function createCloudRunPricing(options = {}) {
  for (const key of Object.keys(options)) {
    if (!(key in DEFAULTS)) {
      throw new MbsError(
        'OPTION_INVALID',
        `[cloud-run] option ${key} is not accepted; accepted: ${Object.keys(DEFAULTS).join(', ')}`,
        { details: { option: key } },
      );
    }
  }
  const settings = { ...DEFAULTS, ...options };
  for (const [key, value] of Object.entries(settings)) {
    if (!(Number.isFinite(value) && value >= 0) || (key !== 'usdPerRequest' && value === 0)) {
      throw new MbsError(
        'OPTION_INVALID',
        `[cloud-run] option ${key} is ${value}; give a finite number > 0`,
        { details: { option: key, value } },
      );
    }
  }
  const billedDurationMs = ({ durationMs, initDurationMs = 0 }) =>
    Math.ceil((durationMs + initDurationMs) / settings.billingStepMs - 1e-9) *
    settings.billingStepMs;
  return {
    specificationVersion: 'v1',
    name: 'cloud-run',
    description: `Cloud-Run-like: $${settings.usdPerVcpuSecond}/vCPU-s + $${settings.usdPerGibSecond}/GiB-s in ${settings.billingStepMs} ms steps + $${settings.usdPerRequest}/request`,
    billedDurationMs,
    billingGranularityMs: settings.billingStepMs,
    invocationCostUsd(usage) {
      const seconds = billedDurationMs(usage) / 1000;
      const vcpus = Math.max(1, usage.memoryMb / settings.mbPerVcpu);
      const gib = usage.memoryMb / 1024;
      return (
        seconds * (vcpus * settings.usdPerVcpuSecond + gib * settings.usdPerGibSecond) +
        settings.usdPerRequest
      );
    },
  };
}
