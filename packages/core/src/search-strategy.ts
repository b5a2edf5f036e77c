import type { PluginBase } from './plugin.js';

/** Progress of a long search, for a progress line on stderr. */
export interface SearchProgress {
  /** Model evaluations done so far. */
  readonly evaluations: number;
  /** Fraction done, in [0, 1], when known. */
  readonly fraction?: number;
  readonly message?: string;
}

/**
 * A configuration search strategy (plugin). The optimizer defines the problem and solution
 * types; core only fixes the shape so strategies can be registered and listed.
 */
export interface SearchStrategy<Problem = unknown, Solution = unknown> extends PluginBase {
  search(problem: Problem, onProgress?: (progress: SearchProgress) => void): Promise<Solution>;
}
