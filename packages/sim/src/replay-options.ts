import { assertPlugin, validateSystemConfiguration } from '@mbs/core';
import { errors } from './errors.js';
import type { ReplayOptions } from './replay-types.js';

const OPTION_KEYS = [
  'system',
  'profile',
  'pricing',
  'classScheme',
  'seed',
  'coldStart',
  'maxRequests',
  'percentiles',
  'onRequest',
  'onBatch',
];

function invalid(option: string, problem: string, details: Record<string, unknown> = {}): never {
  throw errors.error('OPTION_INVALID', `option ${option}: ${problem}`, {
    details: { option, ...details },
  });
}

/** Replay options with defaults filled in. */
export type CheckedReplayOptions = ReplayOptions & {
  readonly seed: number;
  readonly percentiles: readonly number[];
};

/**
 * Checks replay options: unknown keys, the plugins' contracts, and that the profile covers every
 * buffer (its classes, B and M) and the class scheme has the system's class count.
 */
export function checkReplayOptions(options: ReplayOptions): CheckedReplayOptions {
  if (typeof options !== 'object' || options === null) invalid('(options)', 'must be an object');
  for (const key of Object.keys(options)) {
    if (!OPTION_KEYS.includes(key)) invalid(key, `unknown; accepted: ${OPTION_KEYS.join(', ')}`);
  }
  const { system, profile, pricing, classScheme, coldStart } = options;
  assertPlugin('profile', profile);
  assertPlugin('pricing', pricing);
  if (typeof system !== 'object' || system === null || !Array.isArray(system.buffers)) {
    invalid('system', 'must be a system configuration { buffers: [...] }');
  }
  const classCount = Math.max(0, ...system.buffers.map((buffer) => buffer.lastClass + 1));
  validateSystemConfiguration(system, classCount, errors.prefix('option system'));
  system.buffers.forEach((buffer, index) => {
    const where = `system.buffers[${index}]`;
    if (buffer.lastClass >= profile.classCount) {
      invalid(
        where,
        `covers class ${buffer.lastClass} but profile "${profile.name}" has classes 0..${profile.classCount - 1}`,
      );
    }
    if (buffer.batchSize > profile.maxBatchSize) {
      invalid(
        where,
        `batchSize ${buffer.batchSize} exceeds the largest batch size ${profile.maxBatchSize} of profile "${profile.name}"`,
      );
    }
    const range = profile.memoryRangeMb;
    const measured =
      profile.interpolation !== 'exact' || profile.memorySizesMb.includes(buffer.memoryMb);
    if (buffer.memoryMb < range.min || buffer.memoryMb > range.max || !measured) {
      invalid(
        where,
        `memoryMb ${buffer.memoryMb} is not answered by profile "${profile.name}" (${profile.interpolation === 'exact' ? `measured: ${profile.memorySizesMb.join(', ')}` : `${range.min}..${range.max} MB`})`,
      );
    }
  });
  if (classScheme !== undefined && classScheme.count !== classCount) {
    invalid(
      'classScheme',
      `has ${classScheme.count} classes but the system covers ${classCount}; use the scheme the configuration was solved with`,
    );
  }
  if (coldStart !== undefined) {
    const { initDurationMs, keepWarmSeconds } = coldStart;
    for (const key of Object.keys(coldStart)) {
      if (key !== 'initDurationMs' && key !== 'keepWarmSeconds') {
        invalid(`coldStart.${key}`, 'unknown; accepted: initDurationMs, keepWarmSeconds');
      }
    }
    if (!(initDurationMs >= 0 && Number.isFinite(initDurationMs))) {
      invalid('coldStart.initDurationMs', `${initDurationMs}; must be a finite number >= 0`);
    }
    if (!(keepWarmSeconds >= 0)) {
      invalid('coldStart.keepWarmSeconds', `${keepWarmSeconds}; must be a number >= 0`);
    }
  }
  const seed = options.seed ?? 1;
  if (!Number.isFinite(seed)) invalid('seed', `${seed}; must be a finite number`);
  const { maxRequests } = options;
  if (maxRequests !== undefined && !(Number.isInteger(maxRequests) && maxRequests >= 1)) {
    invalid('maxRequests', `${maxRequests}; must be an integer >= 1`);
  }
  const percentiles = options.percentiles ?? [];
  for (const percentile of percentiles) {
    if (!(percentile > 0 && percentile < 1)) {
      invalid('percentiles', `${percentile}; each must be in (0, 1), e.g. 0.9 for p90`);
    }
  }
  return { ...options, seed, percentiles };
}
