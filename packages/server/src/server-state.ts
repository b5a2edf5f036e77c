import type { Batcher } from '@mbs/batcher';
import type { ClassScheme, ConfigurationDocument, IdTable, RequestRecord } from '@mbs/core';
import { classSchemeFromEdges, parseConfigurationDocument } from '@mbs/core';
import { type Ownership, resolveOwnership } from './owned-buffers.js';
import { type ClassPayloadBudget, classPayloadBudgets } from './payload-budget.js';
import type { ServerMetrics } from './server-metrics.js';
import type { ResolvedServerLimits } from './server-options.js';

/** The configuration in force and what the front door derives from it. */
export interface ServedConfiguration {
  readonly document: ConfigurationDocument;
  readonly scheme: ClassScheme;
  readonly ownership: Ownership;
  /** Bytes of input a request of each class may carry (Lambda's payload limit over B). */
  readonly budgets: readonly ClassPayloadBudget[];
}

/** A request between its arrival and its answer; the batcher's record lands here. */
export interface Waiter {
  record: RequestRecord | undefined;
}

/** Everything the routes of one server share. */
export interface ServerState {
  readonly batcher: Batcher;
  readonly metrics: ServerMetrics;
  readonly limits: ResolvedServerLimits;
  readonly retryAfterSeconds: number;
  readonly now: () => number;
  readonly ownedBuffers: readonly number[] | undefined;
  served: ServedConfiguration;
  /**
   * Records of requests being answered, by request id, until their promise settles. An IdTable,
   * not a Map: a Map churned per request keeps answered requests alive through scavenges.
   */
  readonly waiters: IdTable<Waiter>;
  requestSequence: number;
  /** Inference requests accepted and not yet answered. */
  inFlightRequests: number;
  draining: boolean;
}

/**
 * Checks a configuration document for this front end (its owned buffers) and derives what the
 * routes need: the class scheme, the owned size ranges and the payload budgets.
 */
export function serveConfiguration(
  value: unknown,
  source: string,
  ownedBuffers: readonly number[] | undefined,
): ServedConfiguration {
  const document = parseConfigurationDocument(value, source);
  return {
    document,
    scheme: classSchemeFromEdges(document.classUpperEdges),
    ownership: resolveOwnership(document, ownedBuffers),
    budgets: classPayloadBudgets(document),
  };
}
