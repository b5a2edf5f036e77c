import type { ServiceTimeProfile } from '@mbs/core';
import { errors } from './errors.js';
import { cpuSpeedup, LAMBDA_MEMORY_RANGE_MB, lambdaVcpu } from './lambda-cpu.js';
import { checkServiceTimeArguments } from './profile-arguments.js';

/** Parameters of {@link createParametricProfile}; every one has a documented default. */
export interface ParametricProfileParameters {
  /** Plugin name; default `parametric`. */
  readonly name?: string;
  /**
   * Size each class pads to, ascending, one per class (the class count). Default: the upper edges
   * of the 8 equal-share classes of the default synthetic workload's token sizes,
   * [166, 268, 385, 534, 744, 1089, 1885, 32768] tokens.
   */
  readonly representativeSizes?: readonly number[];
  /** Time that does not scale with CPU (invocation, transfer), in ms; default 15. */
  readonly overheadMs?: number;
  /** CPU time of a batch regardless of its content, at one vCPU, in ms; default 10. */
  readonly perBatchMs?: number;
  /** CPU time per request per size unit^exponent at one vCPU, in ms; default 0.05. */
  readonly perElementMs?: number;
  /** How compute grows with the padded size; default 1 (linear). */
  readonly sizeExponent?: number;
  /** Share of the compute that runs in parallel on more than one vCPU (Amdahl); default 0.8. */
  readonly parallelShare?: number;
  /** Largest batch size answered; default 32. */
  readonly maxBatchSize?: number;
}

/** The defaults of {@link createParametricProfile}. */
export const DEFAULT_PARAMETRIC_PROFILE = {
  name: 'parametric',
  representativeSizes: [166, 268, 385, 534, 744, 1089, 1885, 32768],
  overheadMs: 15,
  perBatchMs: 10,
  perElementMs: 0.05,
  sizeExponent: 1,
  parallelShare: 0.8,
  maxBatchSize: 32,
} as const satisfies Required<ParametricProfileParameters>;

// The grid a search starts from; every MB in between is answered too.
const MODELLED_MEMORIES_MB = [
  128, 256, 512, 768, 1024, 1536, 1769, 2048, 3008, 3538, 4096, 5120, 6144, 7168, 8192, 9216,
  10_240,
];

function invalid(option: string, value: unknown, accepted: string): never {
  throw errors.error(
    'OPTION_INVALID',
    `parametric profile option ${option} is ${JSON.stringify(value)}; accepted: ${accepted}`,
    { details: { option, value } },
  );
}

function checkParameters(parameters: ParametricProfileParameters) {
  for (const key of Object.keys(parameters)) {
    if (!(key in DEFAULT_PARAMETRIC_PROFILE)) {
      invalid(key, 'unknown', Object.keys(DEFAULT_PARAMETRIC_PROFILE).join(', '));
    }
  }
  const merged = { ...DEFAULT_PARAMETRIC_PROFILE, ...parameters };
  const nonNegative = (option: 'overheadMs' | 'perBatchMs' | 'perElementMs') => {
    const value = merged[option];
    if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
      invalid(option, value, 'a finite number >= 0');
    }
  };
  nonNegative('overheadMs');
  nonNegative('perBatchMs');
  nonNegative('perElementMs');
  if (!(merged.perElementMs > 0)) invalid('perElementMs', merged.perElementMs, 'a number > 0');
  if (!(merged.sizeExponent > 0 && Number.isFinite(merged.sizeExponent))) {
    invalid('sizeExponent', merged.sizeExponent, 'a finite number > 0');
  }
  if (!(merged.parallelShare >= 0 && merged.parallelShare <= 1)) {
    invalid('parallelShare', merged.parallelShare, 'a number in [0, 1]');
  }
  if (!Number.isInteger(merged.maxBatchSize) || merged.maxBatchSize < 1) {
    invalid('maxBatchSize', merged.maxBatchSize, 'an integer >= 1');
  }
  const sizes = merged.representativeSizes;
  if (
    !Array.isArray(sizes) ||
    sizes.length === 0 ||
    sizes.some(
      (size, index) =>
        !(size > 0 && Number.isFinite(size)) || (index > 0 && size <= sizes[index - 1]!),
    )
  ) {
    invalid(
      'representativeSizes',
      sizes,
      'a non-empty array of finite sizes > 0, strictly ascending',
    );
  }
  if (!/^[a-z0-9][a-z0-9-]*$/.test(merged.name)) {
    invalid('name', merged.name, 'kebab-case letters, digits and dashes');
  }
  return merged;
}

/**
 * A built-in parametric profile for the default workload, answering every MB from 128 to 10,240:
 *
 * time(M, c, b) = overheadMs + (perBatchMs + perElementMs x b x size(c)^sizeExponent) / speedup(M)
 *
 * where speedup(M) is the CPU speed-up of M MB on Lambda: vCPU = M / 1769 (at most 6); below one
 * vCPU the job is throttled in proportion (speed-up = vCPU), above it Amdahl's law with the
 * parallel share gives diminishing returns. With the defaults a batch of one 534-token request
 * takes 15 + (10 + 26.7) / 1 = 51.7 ms at 1769 MB, and 15 + 36.7 / 0.0724 = 522 ms at 128 MB.
 *
 * @example
 * ```ts
 * const profile = createParametricProfile({ representativeSizes: scheme.upperEdges });
 * profile.serviceTimeSeconds(2048, 3, 8);
 * ```
 */
export function createParametricProfile(
  parameters: ParametricProfileParameters = {},
): ServiceTimeProfile {
  const {
    name,
    representativeSizes,
    overheadMs,
    perBatchMs,
    perElementMs,
    sizeExponent,
    parallelShare,
    maxBatchSize,
  } = checkParameters(parameters);
  const classCount = representativeSizes.length;
  const elementMs = representativeSizes.map((size) => perElementMs * size ** sizeExponent);
  const coverage = { name, classCount, maxBatchSize, memoryRangeMb: LAMBDA_MEMORY_RANGE_MB };
  return {
    specificationVersion: 'v1',
    name,
    description: `Parametric service time: ${overheadMs} ms + (${perBatchMs} ms + ${perElementMs} ms x batch x size^${sizeExponent}) / Lambda CPU speed-up (parallel share ${parallelShare}); ${classCount} classes, batch 1..${maxBatchSize}`,
    memorySizesMb: MODELLED_MEMORIES_MB,
    maxBatchSize,
    classCount,
    // Answers every MB in range from its formula, which is at least as fine as interpolating.
    interpolation: 'inverse-memory',
    memoryRangeMb: { ...LAMBDA_MEMORY_RANGE_MB },
    serviceTimeSeconds(memoryMb, largestClass, batchSize) {
      checkServiceTimeArguments(coverage, memoryMb, largestClass, batchSize);
      const speedup = cpuSpeedup(lambdaVcpu(memoryMb), parallelShare);
      const computeMs = perBatchMs + batchSize * elementMs[largestClass]!;
      return (overheadMs + computeMs / speedup) / 1000;
    },
  };
}
