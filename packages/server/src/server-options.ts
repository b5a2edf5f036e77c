import type { RetryOptions } from '@mbs/batcher';
import type {
  BatchRecord,
  ConfigurationDocument,
  PricingModel,
  Provider,
  RequestRecord,
} from '@mbs/core';
import { assertPlugin, parseConfigurationDocument, rejectUnknownOptions } from '@mbs/core';
import { errors } from './errors.js';

/** Bounds that make the server refuse work (429) instead of queueing without bound. */
export interface ServerLimits {
  /** Requests one buffer may hold: its open batch plus batches waiting for a slot. Default 1,000. */
  readonly maxQueuedPerBuffer?: number;
  /** HTTP inference requests accepted and not yet answered, in total. Default 10,000. */
  readonly maxInFlightRequests?: number;
  /** Invocations in flight in total (retry backoffs included). Default 1,000 (Lambda's default). */
  readonly maxInFlightInvocations?: number;
  /** Invocations in flight per buffer. Default unlimited (only the total bounds them). */
  readonly maxInFlightInvocationsPerBuffer?: number;
}

/** Options of {@link createMbsServer}. */
export interface MbsServerOptions {
  /** The configuration to serve (`mbs solve --out`); its window schedule is followed. */
  readonly config: ConfigurationDocument;
  /** Where batches go: the AWS Lambda provider, the local emulator, or any Provider (v1). */
  readonly provider: Provider;
  /** Prices invocations for the batch records, `/metrics` cost and answers; none: cost unknown. */
  readonly pricing?: PricingModel;
  /** Prefix of the default function names, as `mbs deploy --prefix`. Default `mbs`. */
  readonly functionNamePrefix?: string;
  readonly limits?: ServerLimits;
  /** How refused invocations are retried (the batcher's retry options). */
  readonly retry?: RetryOptions;
  /** Seconds a 429 or 503 tells the client to wait (`Retry-After`). Default 1. */
  readonly retryAfterSeconds?: number;
  /**
   * Buffers this front end serves (scale-out by size class); requests of other classes get 421.
   * Every class of an owned buffer must be owned whole, in every window. Default: all.
   */
  readonly ownedBuffers?: readonly number[];
  /** Apply each window of the configuration when its start comes (seconds after start). Default true. */
  readonly followSchedule?: boolean;
  /** Repeat the window schedule with this period in seconds (e.g. 86400). */
  readonly schedulePeriodSeconds?: number;
  /**
   * Enables `PUT /admin/configuration`, which takes a new configuration document, when the
   * request carries `Authorization: Bearer <adminToken>` (at least 16 characters). Off by default.
   */
  readonly adminToken?: string;
  /** Seed of split-class routing and retry jitter. */
  readonly seed?: number;
  /** Called once per answered request that reached a buffer (the records `mbs run` writes). */
  readonly onRequestRecord?: (record: RequestRecord) => void;
  /** Called once per finished batch. */
  readonly onBatchRecord?: (record: BatchRecord) => void;
  /** Fastify's logger option: false (default), true, or pino options. */
  readonly logger?: boolean | Readonly<Record<string, unknown>>;
}

/** {@link ServerLimits} with the defaults filled in. */
export type ResolvedServerLimits = Required<ServerLimits>;

/** The limit defaults. */
export const DEFAULT_SERVER_LIMITS: ResolvedServerLimits = {
  maxQueuedPerBuffer: 1000,
  maxInFlightRequests: 10_000,
  maxInFlightInvocations: 1000,
  maxInFlightInvocationsPerBuffer: Number.POSITIVE_INFINITY,
};

const OPTION_KEYS: readonly (keyof MbsServerOptions)[] = [
  'config',
  'provider',
  'pricing',
  'functionNamePrefix',
  'limits',
  'retry',
  'retryAfterSeconds',
  'ownedBuffers',
  'followSchedule',
  'schedulePeriodSeconds',
  'adminToken',
  'seed',
  'onRequestRecord',
  'onBatchRecord',
  'logger',
];

/** Smallest accepted admin token: a guessable token would open the configuration to anyone. */
export const MINIMUM_ADMIN_TOKEN_LENGTH = 16;

function resolveLimits(value: ServerLimits | undefined): ResolvedServerLimits {
  if (value === undefined) return DEFAULT_SERVER_LIMITS;
  if (typeof value !== 'object' || value === null) {
    throw errors.option('limits', `is ${String(value)}; give an object`, value);
  }
  rejectUnknownOptions(value, Object.keys(DEFAULT_SERVER_LIMITS), errors.prefix('limits'));
  const resolved = { ...DEFAULT_SERVER_LIMITS };
  for (const key of Object.keys(DEFAULT_SERVER_LIMITS) as (keyof ServerLimits)[]) {
    const limit = value[key];
    if (limit === undefined) continue;
    const infinityAllowed = key === 'maxInFlightInvocationsPerBuffer';
    const ok =
      typeof limit === 'number' &&
      ((Number.isInteger(limit) && limit >= 1) ||
        (infinityAllowed && limit === Number.POSITIVE_INFINITY));
    if (!ok) {
      throw errors.option(
        `limits.${key}`,
        `is ${String(limit)}; give an integer >= 1${infinityAllowed ? ' or Infinity' : ''}`,
        limit,
      );
    }
    resolved[key] = limit;
  }
  return resolved;
}

/** The options checked, with defaults filled in. */
export interface ResolvedServerOptions {
  readonly options: MbsServerOptions;
  readonly config: ConfigurationDocument;
  readonly limits: ResolvedServerLimits;
  readonly retryAfterSeconds: number;
}

/**
 * Checks the options of a server: unknown keys are refused, each bad value named with what is
 * accepted (OPTION_INVALID), the configuration checked as a configuration file is (CONFIG_INVALID).
 */
export function resolveServerOptions(options: MbsServerOptions): ResolvedServerOptions {
  if (typeof options !== 'object' || options === null) {
    throw errors.option('options', `is ${String(options)}; give an object`);
  }
  rejectUnknownOptions(options, OPTION_KEYS, errors.prefix('createMbsServer'));
  if (options.config === undefined) throw errors.option('config', 'is required');
  if (options.provider === undefined) throw errors.option('provider', 'is required');
  assertPlugin('provider', options.provider);
  if (options.pricing !== undefined) assertPlugin('pricing', options.pricing);
  const config = parseConfigurationDocument(options.config, 'options.config');
  const retryAfterSeconds = options.retryAfterSeconds ?? 1;
  if (!(Number.isInteger(retryAfterSeconds) && retryAfterSeconds >= 0)) {
    throw errors.option(
      'retryAfterSeconds',
      `is ${String(retryAfterSeconds)}; give whole seconds >= 0 (Retry-After takes an integer)`,
      retryAfterSeconds,
    );
  }
  const token = options.adminToken;
  if (
    token !== undefined &&
    (typeof token !== 'string' || token.length < MINIMUM_ADMIN_TOKEN_LENGTH)
  ) {
    throw errors.option(
      'adminToken',
      `must be a string of at least ${MINIMUM_ADMIN_TOKEN_LENGTH} characters (a random one, e.g. openssl rand -hex 24)`,
    );
  }
  return { options, config, limits: resolveLimits(options.limits), retryAfterSeconds };
}
