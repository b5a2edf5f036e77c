import type {
  ClassScheme,
  ConfigurationDocument,
  ConfigurationWindow,
  SystemInput,
} from '@mbs/core';
import { classSchemeFromEdges, parseConfigurationDocument } from '@mbs/core';
import { errors } from './errors.js';

/**
 * A system with the class edges its buffers refer to. A buffer's `firstClassShare` and
 * `lastClassShare` may be left out: it then takes those classes whole (share 1).
 */
export interface SystemWithClasses {
  /** Upper edges of the size classes (class c holds sizes up to classUpperEdges[c]). */
  readonly classUpperEdges: readonly number[];
  readonly system: SystemInput;
}

/**
 * What a batcher runs: a configuration document (the output of `mbs solve`, one system per time
 * window) or one system with its class edges.
 */
export type BatcherConfiguration = ConfigurationDocument | SystemWithClasses;

/** A configuration checked and reduced to what the runtime needs. */
export interface NormalizedConfiguration {
  readonly scheme: ClassScheme;
  /** At least one window, each system validated against the scheme. */
  readonly windows: readonly ConfigurationWindow[];
}

/**
 * Checks a batcher configuration with the same rules as a configuration file (every field's
 * range, every class covered once) and returns its class scheme and windows.
 *
 * @param source what to name in error messages, e.g. `options.config`
 */
export function normalizeConfiguration(value: unknown, source: string): NormalizedConfiguration {
  if (typeof value !== 'object' || value === null) {
    throw errors.error(
      'OPTION_INVALID',
      `${source} must be a configuration document ({ schema: 'mbs.configuration', ... }) or { classUpperEdges, system }; got ${value === null ? 'null' : typeof value}`,
    );
  }
  const candidate = value as Partial<ConfigurationDocument & SystemWithClasses>;
  const document =
    candidate.schema !== undefined
      ? candidate
      : {
          schema: 'mbs.configuration',
          version: 1,
          classUpperEdges: candidate.classUpperEdges,
          // One window that never ends: the system applies from the start.
          windows: [{ startSeconds: 0, endSeconds: Number.MAX_VALUE, system: candidate.system }],
        };
  const parsed = parseConfigurationDocument(document, source);
  return {
    scheme: classSchemeFromEdges(parsed.classUpperEdges),
    windows: [...parsed.windows].sort((a, b) => a.startSeconds - b.startSeconds),
  };
}
