import { errors } from './errors.js';

/** Options of `fitMapEm`. */
export interface FitMapEmOptions {
  /** Phases of the fitted MAP, an integer in 2..10. Default 4. */
  readonly phases?: number;
  /**
   * Fix the Erlang orders of the branches (they must sum to `phases`; e.g. `[1, 1, 1, 1]` is a
   * hyperexponential MAP) instead of trying every split of the phases and keeping the best.
   */
  readonly branchOrders?: readonly number[];
  /** Seed of the jitter in the initial rates and transition probabilities. Default 1. */
  readonly seed?: number;
  /** Most EM iterations, screening included, an integer >= 1. Default 1000. */
  readonly maxIterations?: number;
  /**
   * Stop once an iteration raises the log-likelihood by less than this per inter-arrival time
   * (a change independent of the time unit), > 0. Default 1e-7.
   */
  readonly tolerance?: number;
  /**
   * Iterations run on every branch structure before the best one is continued to convergence,
   * an integer >= 1. Default 10.
   */
  readonly screeningIterations?: number;
  /** Largest autocorrelation lag in the report, an integer >= 1. Default 5. */
  readonly maxLag?: number;
  /** Called after each EM iteration, for a progress line. */
  readonly onIteration?: (progress: EmProgress) => void;
}

/** One EM iteration of `fitMapEm`, as its `onIteration` option reports it. */
export interface EmProgress {
  /** `screening` (every branch structure a few iterations) or `fitting` (the best, to the end). */
  readonly stage: 'screening' | 'fitting';
  /** Iterations done in this stage, and at most how many it runs. */
  readonly iteration: number;
  readonly iterations: number;
  /** Log-likelihood after the iteration (time in units of the mean inter-arrival time). */
  readonly logLikelihood: number;
}

/** {@link FitMapEmOptions} with every default filled in. */
export interface CheckedFitMapEmOptions {
  readonly phases: number;
  readonly branchOrders: readonly number[] | undefined;
  readonly seed: number;
  readonly maxIterations: number;
  readonly tolerance: number;
  readonly screeningIterations: number;
  readonly maxLag: number;
}

/** The most phases `fitMapEm` accepts: 42 branch structures to screen at 10. */
export const MAX_EM_PHASES = 10;

const KNOWN_OPTIONS: readonly (keyof FitMapEmOptions)[] = [
  'phases',
  'branchOrders',
  'seed',
  'maxIterations',
  'tolerance',
  'screeningIterations',
  'maxLag',
  'onIteration',
];

function fail(option: string, value: unknown, accepted: string): never {
  throw errors.error(
    'OPTION_INVALID',
    `fitMapEm option ${option} = ${JSON.stringify(value)}; must be ${accepted}`,
    { details: { option, value } },
  );
}

function integerOption(
  options: FitMapEmOptions,
  name: 'phases' | 'maxIterations' | 'screeningIterations' | 'maxLag',
  fallback: number,
  minimum: number,
  maximum = Number.MAX_SAFE_INTEGER,
): number {
  const value = options[name] ?? fallback;
  if (!Number.isInteger(value) || value < minimum || value > maximum) {
    const range =
      maximum === Number.MAX_SAFE_INTEGER ? `>= ${minimum}` : `in ${minimum}..${maximum}`;
    fail(name, value, `an integer ${range}`);
  }
  return value;
}

/** Checks the options of `fitMapEm`, rejecting unknown keys, and fills in the defaults. */
export function checkFitMapEmOptions(options: FitMapEmOptions): CheckedFitMapEmOptions {
  for (const key of Object.keys(options)) {
    if (!KNOWN_OPTIONS.includes(key as keyof FitMapEmOptions)) {
      fail(key, (options as Record<string, unknown>)[key], `one of ${KNOWN_OPTIONS.join(', ')}`);
    }
  }
  const branchOrders = options.branchOrders;
  const phasesFallback = branchOrders?.reduce((sum, order) => sum + order, 0) ?? 4;
  const phases = integerOption(options, 'phases', phasesFallback, 2, MAX_EM_PHASES);
  if (branchOrders !== undefined) {
    const valid =
      Array.isArray(branchOrders) &&
      branchOrders.every((order) => Number.isInteger(order) && order >= 1) &&
      branchOrders.reduce((sum, order) => sum + order, 0) === phases;
    if (!valid) fail('branchOrders', branchOrders, `integers >= 1 summing to phases (${phases})`);
  }
  const seed = options.seed ?? 1;
  if (!Number.isFinite(seed)) fail('seed', seed, 'a finite number');
  const tolerance = options.tolerance ?? 1e-7;
  if (!(tolerance > 0) || !Number.isFinite(tolerance)) {
    fail('tolerance', tolerance, 'a finite number > 0 (log-likelihood per inter-arrival)');
  }
  return {
    phases,
    branchOrders,
    seed,
    maxIterations: integerOption(options, 'maxIterations', 1000, 1),
    tolerance,
    screeningIterations: integerOption(options, 'screeningIterations', 10, 1),
    maxLag: integerOption(options, 'maxLag', 5, 1),
  };
}
