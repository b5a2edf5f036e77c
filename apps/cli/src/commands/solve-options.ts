import { MbsError, type ServiceTimeProfile } from '@mbs/core';
import { batchSizeGrid, type SearchBounds, timeoutGrid } from '@mbs/optimizer';
import type { ResolvedObjective } from '../resolvers/objective.js';

/** The search options of `mbs solve`, as parsed. */
export interface SolveSearchOptions {
  readonly buffers: string;
  readonly minBatchSize: number;
  readonly maxBatchSize?: number;
  readonly minTimeout: number;
  readonly maxTimeout: number;
  readonly timeoutResolution: number;
  readonly timeoutSteps: number;
  readonly memories?: string;
  readonly splitShares: string;
}

function invalid(option: string, value: unknown, accepted: string): never {
  throw new MbsError(
    'OPTION_INVALID',
    `[@mbs/cli] --${option} is ${JSON.stringify(value)}; ${accepted}`,
    {
      details: { option, value },
    },
  );
}

/**
 * Checks the options an objective without a standard form cannot honour: `--verify` tightens an
 * SLO and `--report` reads a standard constraint, so both need latency-slo or cost-budget.
 */
export function checkObjectiveOptions(
  resolved: ResolvedObjective,
  options: { readonly verify: boolean; readonly report?: string },
): void {
  if (resolved.standard) return;
  for (const option of ['verify', 'report'] as const) {
    if (options[option] === undefined || options[option] === false) continue;
    throw new MbsError(
      'OPTION_INVALID',
      `[@mbs/cli] --${option} works with the latency-slo and cost-budget objectives only; --objective is ${resolved.objective.name}`,
      { details: { option } },
    );
  }
}

/** The options of `mbs solve` that use the trace's own arrivals, as parsed. */
export interface SolveTraceOptions {
  readonly trace?: string;
  readonly perSize: boolean;
  readonly verify: boolean;
  readonly verifyRounds: number;
  readonly verifyRefine: number;
  readonly rangeFits: boolean;
}

/** Checks `--verify` and its rounds: it needs a trace and latency in seconds. */
export function checkVerifyOptions(options: SolveTraceOptions): void {
  if (!options.verify) return;
  const problem =
    options.trace === undefined
      ? "needs --trace: it replays the trace's own arrivals"
      : options.perSize
        ? 'measures latency in seconds; it cannot be used with --per-size'
        : undefined;
  if (problem !== undefined) {
    throw new MbsError('OPTION_INVALID', `[@mbs/cli] --verify ${problem}`, {
      details: { option: 'verify' },
    });
  }
  for (const [option, value] of [
    ['verify-rounds', options.verifyRounds],
    ['verify-refine', options.verifyRefine],
  ] as const) {
    if (!Number.isInteger(value) || value < 0) invalid(option, value, 'give an integer >= 0');
  }
}

/** Checks `--range-fits`: it needs a trace to fit each buffer's stream from. */
export function checkRangeFitsOption(options: SolveTraceOptions): void {
  if (options.rangeFits && options.trace === undefined) {
    throw new MbsError(
      'OPTION_INVALID',
      "[@mbs/cli] --range-fits needs --trace: it fits each buffer's stream from the trace's own arrivals",
      { details: { option: 'range-fits' } },
    );
  }
}

/** The grid and bounds the options ask for, checked against the profile. */
export function searchBounds(
  options: SolveSearchOptions,
  profile: ServiceTimeProfile,
  classCount: number,
): SearchBounds {
  const maxBatch = options.maxBatchSize ?? Math.min(25, profile.maxBatchSize);
  if (!Number.isInteger(options.minBatchSize) || options.minBatchSize < 1)
    invalid('min-batch-size', options.minBatchSize, 'give an integer >= 1');
  if (
    !Number.isInteger(maxBatch) ||
    maxBatch < options.minBatchSize ||
    maxBatch > profile.maxBatchSize
  ) {
    invalid(
      'max-batch-size',
      maxBatch,
      `give an integer from --min-batch-size to the profile's largest batch, ${profile.maxBatchSize}`,
    );
  }
  if (!(options.timeoutResolution > 0))
    invalid('timeout-resolution', options.timeoutResolution, 'give seconds > 0, e.g. 0.001');
  if (!(options.minTimeout > 0 && options.maxTimeout >= options.minTimeout)) {
    invalid(
      'max-timeout',
      options.maxTimeout,
      `give seconds >= --min-timeout (${options.minTimeout}) > 0`,
    );
  }
  if (!Number.isInteger(options.timeoutSteps) || options.timeoutSteps < 1)
    invalid('timeout-steps', options.timeoutSteps, 'give an integer >= 1');
  const buffers = options.buffers === 'auto' ? Math.min(classCount, 6) : Number(options.buffers);
  if (!Number.isInteger(buffers) || buffers < 1 || buffers > classCount) {
    invalid(
      'buffers',
      options.buffers,
      `give auto or an integer from 1 to the number of classes, ${classCount}`,
    );
  }
  const memories =
    options.memories === undefined || options.memories === 'profile'
      ? [...profile.memorySizesMb]
      : options.memories.split(',').map((part) => Number(part.trim()));
  for (const memory of memories) {
    if (
      !Number.isInteger(memory) ||
      memory < profile.memoryRangeMb.min ||
      memory > profile.memoryRangeMb.max
    ) {
      invalid(
        'memories',
        options.memories,
        `give "profile" or comma-separated MB within the profile's ${profile.memoryRangeMb.min}..${profile.memoryRangeMb.max}`,
      );
    }
  }
  const splitShares =
    options.splitShares === 'none' || options.splitShares === ''
      ? []
      : options.splitShares.split(',').map((part) => Number(part.trim()));
  if (splitShares.some((share) => !(share > 0 && share < 1))) {
    invalid(
      'split-shares',
      options.splitShares,
      'give "none" or comma-separated shares in (0, 1), e.g. 0.5',
    );
  }
  return {
    maxBuffers: buffers,
    batchSizes: batchSizeGrid(options.minBatchSize, maxBatch),
    timeoutsSeconds: timeoutGrid(
      options.minTimeout,
      options.maxTimeout,
      options.timeoutSteps,
      options.timeoutResolution,
    ),
    memoriesMb: [...new Set(memories)].sort((a, b) => a - b),
    splitShares,
    refineTimeoutResolutionSeconds: options.timeoutResolution,
  };
}
