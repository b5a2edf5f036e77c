import type { ServiceTimeProfile } from '@mbs/core';
import {
  batchSizeGrid,
  type RobustnessMargin,
  type SearchBounds,
  timeoutGrid,
} from '@mbs/optimizer';
import { errors } from '../errors.js';
import { DEFAULT_OBJECTIVE, type ResolvedObjective } from '../resolvers/objective.js';

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
  throw errors.error('OPTION_INVALID', `--${option} is ${JSON.stringify(value)}; ${accepted}`, {
    details: { option, value },
  });
}

/**
 * Checks the options an objective without a standard form cannot honour: `--verify` and
 * `--verify-holdout` check an SLO or budget and `--report` reads a standard constraint, so they
 * need latency-slo or cost-budget; `--slos` sweeps latency SLOs, so it needs latency-slo.
 */
export function checkObjectiveOptions(
  resolved: ResolvedObjective,
  options: {
    readonly verify: boolean;
    readonly verifyHoldout?: number;
    readonly report?: string;
    readonly slos?: string;
  },
): void {
  if (options.slos !== undefined && resolved.objective.name !== DEFAULT_OBJECTIVE) {
    throw errors.error(
      'OPTION_INVALID',
      `--slos sweeps latency SLOs; it works with the latency-slo objective only, and --objective is ${resolved.objective.name}`,
      { details: { option: 'slos' } },
    );
  }
  if (resolved.standard) return;
  for (const option of ['verify', 'verifyHoldout', 'report'] as const) {
    if (options[option] === undefined || options[option] === false) continue;
    const name = option === 'verifyHoldout' ? 'verify-holdout' : option;
    throw errors.error(
      'OPTION_INVALID',
      `--${name} works with the latency-slo and cost-budget objectives only; --objective is ${resolved.objective.name}`,
      { details: { option: name } },
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
  /**
   * Standard errors of the replayed percentile's stretch-to-stretch variability (10 consecutive
   * stretches of the trace) that the replay must clear the SLO by.
   */
  readonly verifyMargin: number;
  /**
   * Confidence that later traffic like the trace meets the SLO: the share of replayed requests
   * over the SLO plus its prediction margin over 10 stretches must leave room for the percentile.
   * 0: no such bound. Absent: {@link DEFAULT_HOLDOUT_CONFIDENCE} with `--verify-holdout` (see
   * {@link verifyConfidenceOf}), none otherwise.
   */
  readonly verifyConfidence?: number;
  /** Hold out this fraction of the trace (its end): fit and tune on the rest, check on it. */
  readonly verifyHoldout?: number;
  readonly rangeFits: boolean;
  readonly marginPercentile?: number;
  readonly marginSlo?: number;
}

/**
 * Whether the trace's own arrivals are replayed: `--verify`, or `--verify-holdout` (which tunes
 * on the first part as `--verify` does, then checks on the rest).
 */
export function verifies(options: SolveTraceOptions): boolean {
  return options.verify || options.verifyHoldout !== undefined;
}

/**
 * The confidence `--verify-holdout` verifies at unless `--verify-confidence` or `--verify-margin`
 * says otherwise. Asking for a held-out check asks for an out-of-sample guarantee, which a replay
 * that just meets the SLO in sample does not give: bursty traffic moves the share over the SLO
 * from one half of a trace to the next by more than the percentile's slack (default verification
 * left 5 of 9 bursty held-out cases more than 2 % over the SLO, worst +6.0 %). At 0.99 all 9 were
 * within 2 % (worst +1.9 %) for 2.0 % more model cost on average (0.2 to 9.2 %); 0.95 left one
 * over, 0.9 three (apps/validation README, `validate:bursty` and `validate:margin-coverage`: the
 * batch-means bound covers less often than its nominal confidence on bursty traffic, about 0.9
 * at 0.99, because bursts correlate neighbouring stretches).
 */
export const DEFAULT_HOLDOUT_CONFIDENCE = 0.99;

/**
 * The confidence verification bounds the share over the SLO at, or undefined for none:
 * `--verify-confidence` when given (0: none); otherwise {@link DEFAULT_HOLDOUT_CONFIDENCE} with
 * `--verify-holdout` on a latency SLO without `--verify-margin` (a budget has no share over an
 * SLO to bound, and `--verify-margin` is the other margin, not combined with this one).
 */
export function verifyConfidenceOf(
  options: Pick<SolveTraceOptions, 'verifyConfidence' | 'verifyHoldout' | 'verifyMargin'>,
  latencySlo: boolean,
): number | undefined {
  if (options.verifyConfidence !== undefined) {
    return options.verifyConfidence > 0 ? options.verifyConfidence : undefined;
  }
  return options.verifyHoldout !== undefined && latencySlo && options.verifyMargin === 0
    ? DEFAULT_HOLDOUT_CONFIDENCE
    : undefined;
}

/** The robustness margin `--margin-percentile` and `--margin-slo` ask for. */
export function robustnessMargin(options: SolveTraceOptions): RobustnessMargin {
  return {
    ...(options.marginPercentile === undefined
      ? {}
      : { percentileMargin: options.marginPercentile }),
    ...(options.marginSlo === undefined ? {} : { latencyMargin: options.marginSlo }),
  };
}

/** Checks `--verify`, `--verify-holdout` and their rounds: they need a trace and latency in seconds. */
export function checkVerifyOptions(options: SolveTraceOptions): void {
  const holdout = options.verifyHoldout;
  const confidence = options.verifyConfidence;
  if (confidence !== undefined) {
    if (!(confidence >= 0 && confidence < 1)) {
      invalid(
        'verify-confidence',
        confidence,
        'give a probability in [0, 1), e.g. 0.9 (0: no bound)',
      );
    }
    if (!verifies(options)) {
      invalid('verify-confidence', confidence, 'it needs --verify or --verify-holdout');
    }
    if (options.verifyMargin > 0 && confidence > 0) {
      invalid(
        'verify-confidence',
        confidence,
        `give one margin: not with --verify-margin ${options.verifyMargin}`,
      );
    }
  }
  if (holdout !== undefined && !(holdout > 0 && holdout < 1)) {
    invalid(
      'verify-holdout',
      holdout,
      'give the fraction of the trace to hold out, in (0, 1), e.g. 0.5',
    );
  }
  if (!verifies(options)) return;
  const option = options.verify ? 'verify' : 'verify-holdout';
  const problem =
    options.trace === undefined
      ? "needs --trace: it replays the trace's own arrivals"
      : options.perSize
        ? 'measures latency in seconds; it cannot be used with --per-size'
        : undefined;
  if (problem !== undefined) {
    throw errors.error('OPTION_INVALID', `--${option} ${problem}`, {
      details: { option },
    });
  }
  for (const [option, value] of [
    ['verify-rounds', options.verifyRounds],
    ['verify-refine', options.verifyRefine],
  ] as const) {
    if (!Number.isInteger(value) || value < 0) invalid(option, value, 'give an integer >= 0');
  }
  if (!(options.verifyMargin >= 0 && Number.isFinite(options.verifyMargin))) {
    invalid('verify-margin', options.verifyMargin, 'give a number of standard errors >= 0, e.g. 1');
  }
}

/** Checks `--range-fits`: it needs a trace to fit each buffer's stream from. */
export function checkRangeFitsOption(options: SolveTraceOptions): void {
  if (options.rangeFits && options.trace === undefined) {
    throw errors.error(
      'OPTION_INVALID',
      "--range-fits needs --trace: it fits each buffer's stream from the trace's own arrivals",
      { details: { option: 'range-fits' } },
    );
  }
}

/**
 * Checks `--margin-percentile` and `--margin-slo`: shares, with an objective whose standard form
 * is a latency constraint (the SLO the margin is kept from).
 */
export function checkMarginOptions(options: SolveTraceOptions, resolved: ResolvedObjective): void {
  const { marginPercentile, marginSlo } = options;
  const percentile = resolved.standard?.percentile ?? resolved.settings.percentile;
  if (
    marginPercentile !== undefined &&
    !(marginPercentile >= 0 && percentile + marginPercentile < 1)
  ) {
    invalid(
      'margin-percentile',
      marginPercentile,
      `give a share >= 0 keeping --percentile (${percentile}) + margin below 1, e.g. 0.01`,
    );
  }
  if (marginSlo !== undefined && !(marginSlo >= 0 && marginSlo < 1)) {
    invalid('margin-slo', marginSlo, 'give a share of the SLO in [0, 1), e.g. 0.05');
  }
  if (
    (marginPercentile ?? 0) + (marginSlo ?? 0) > 0 &&
    resolved.standard?.constraint.mode !== 'latency'
  ) {
    const option = marginPercentile !== undefined ? 'margin-percentile' : 'margin-slo';
    invalid(
      option,
      marginPercentile ?? marginSlo,
      `margins need an SLO to keep a margin from: the latency-slo objective (--constraint latency), not ${resolved.objective.name}`,
    );
  }
}

/** The T grid the options ask for (checked): also where fits are compared with the trace's counts. */
export function timeoutsOf(options: SolveSearchOptions): number[] {
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
  return timeoutGrid(
    options.minTimeout,
    options.maxTimeout,
    options.timeoutSteps,
    options.timeoutResolution,
  );
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
    timeoutsSeconds: timeoutsOf(options),
    memoriesMb: [...new Set(memories)].sort((a, b) => a - b),
    splitShares,
    refineTimeoutResolutionSeconds: options.timeoutResolution,
  };
}
