import type { MarkovianArrivalProcess } from '@mbs/core';
import { thinArrivalProcess } from './arrival-process.js';
import { errors } from './errors.js';
import { computeWaitLaw, type ModelApproximation, type WaitLaw } from './wait-law.js';

/** Options of {@link WaitLawCache}. */
export interface WaitLawCacheOptions {
  /**
   * Wait laws kept at once; beyond it one not used since the cache last passed over it is dropped
   * (CLOCK, an approximation of least recently used that needs no reordering per use). Default
   * 4096.
   */
  readonly capacity?: number;
  /**
   * Relative step to which {@link WaitLawCache.get} rounds a share before looking it up, so
   * buffers with nearly equal shares reuse one law: 0 rounds only float noise (12 significant
   * digits); 0.002 moves a buffer's arrival rate by at most 0.1 %. Default: shares as given.
   */
  readonly shareResolution?: number;
  /**
   * The largest B the cache will be asked for (a search grid's largest): the counting matrices
   * every law of a stream shares per T are then computed once to that many levels. Default: each
   * law's own B (still shared, grown as larger B come).
   */
  readonly largestBatchSize?: number;
}

/** Streams (thinned MAPs) kept so that their laws share one flattening and counting matrices. */
const STREAMS_KEPT = 64;

/** Shares whose rounding a cache remembers. */
const ROUNDED_SHARES_KEPT = 4096;

const DEFAULT_CAPACITY = 4096;

/**
 * `share` rounded to a multiple of `step` in log scale (none when 0), then to 12 significant
 * digits so that equal shares reached by different float sums meet; at most 1.
 */
function roundShare(share: number, step: number): number {
  const stepped = step > 0 ? Math.exp(Math.round(Math.log(share) / step) * step) : share;
  return Math.min(1, Number(stepped.toPrecision(12)));
}

/**
 * Wait laws of the buffers fed by one MAP, by (arrival stream, B, T, approximation). A wait law
 * depends on neither memory nor class mix, so whoever evaluates many buffers on one workload (the
 * optimizer, a sweep of systems) computes each once. A buffer's stream is the MAP thinned to its
 * share of the requests ({@link WaitLawCache.get}), or a stream of its own named by a key
 * ({@link WaitLawCache.getForStream}, e.g. a class range's own fitted MAP). Pass one cache to
 * every evaluation that should share it; nothing is shared behind the caller's back.
 *
 * @example
 * ```ts
 * const waitLaws = new WaitLawCache(map, { capacity: 1024 });
 * evaluateSystem({ map, classShares, system, profile, pricing, percentile: 0.95, waitLawCache: waitLaws });
 * ```
 */
export class WaitLawCache {
  // In insertion order, each marked when used since the eviction scan last passed it.
  readonly #laws = new Map<number | string, { readonly law: WaitLaw; used: boolean }>();
  // Law keys are numbers built from small ids of the stream key and the timeout (hashing a fresh
  // string per lookup was a tenth of a search's time); ids are never reused.
  readonly #streamIds = new Map<string, number>();
  readonly #timeoutIds = new Map<number, number>();
  readonly #shareKeys = new Map<number, string>();
  readonly #map: MarkovianArrivalProcess;
  readonly #capacity: number;
  readonly #round: (share: number) => number;
  readonly #shareResolution: number;
  readonly #largestBatchSize: number | undefined;
  readonly #streams = new Map<string, MarkovianArrivalProcess>();

  constructor(map: MarkovianArrivalProcess, options: WaitLawCacheOptions = {}) {
    const { capacity = DEFAULT_CAPACITY, shareResolution, largestBatchSize } = options;
    if (
      largestBatchSize !== undefined &&
      !(Number.isInteger(largestBatchSize) && largestBatchSize >= 1)
    ) {
      throw errors.option(
        'largestBatchSize',
        `is ${largestBatchSize}; give an integer >= 1`,
        largestBatchSize,
      );
    }
    this.#largestBatchSize = largestBatchSize;
    if (!Number.isInteger(capacity) || capacity < 1) {
      throw errors.option('capacity', `is ${capacity}; give an integer >= 1`, capacity);
    }
    if (shareResolution !== undefined && !(shareResolution >= 0 && shareResolution < 1)) {
      throw errors.option(
        'shareResolution',
        `is ${shareResolution}; give a number in [0, 1), e.g. 0.002`,
        shareResolution,
      );
    }
    this.#map = map;
    this.#capacity = capacity;
    this.#shareResolution = shareResolution ?? 0;
    const step = Math.log1p(shareResolution ?? 0);
    // A search asks the same few hundred shares over and over: each is rounded once.
    const rounded = new Map<number, number>();
    this.#round =
      shareResolution === undefined
        ? (share) => share
        : (share) => {
            let value = rounded.get(share);
            if (value === undefined) {
              if (rounded.size >= ROUNDED_SHARES_KEPT) rounded.clear();
              value = roundShare(share, step);
              rounded.set(share, value);
            }
            return value;
          };
  }

  /**
   * The wait law of a buffer receiving `share` (in (0, 1]) of the MAP's requests, rounded as the
   * cache's `shareResolution` says.
   */
  get(
    share: number,
    batchSize: number,
    timeoutSeconds: number,
    approximation: ModelApproximation = 'exact',
  ): WaitLaw {
    const rounded = this.#round(share);
    let streamKey = this.#shareKeys.get(rounded);
    if (streamKey === undefined) {
      if (this.#shareKeys.size >= ROUNDED_SHARES_KEPT) this.#shareKeys.clear();
      streamKey = `share ${rounded}`;
      this.#shareKeys.set(rounded, streamKey);
    }
    return this.getForStream(
      streamKey,
      () => (rounded === 1 ? this.#map : thinArrivalProcess(this.#map, rounded)),
      batchSize,
      timeoutSeconds,
      approximation,
    );
  }

  /**
   * The wait law of a buffer fed by a stream of its own, named by `streamKey`; `stream` is called
   * only when the law is missing.
   */
  getForStream(
    streamKey: string,
    stream: () => MarkovianArrivalProcess,
    batchSize: number,
    timeoutSeconds: number,
    approximation: ModelApproximation = 'exact',
  ): WaitLaw {
    const key = this.#keyOf(streamKey, batchSize, timeoutSeconds, approximation);
    const kept = this.#laws.get(key);
    if (kept) {
      kept.used = true;
      return kept.law;
    }
    const law = computeWaitLaw(this.#stream(streamKey, stream), batchSize, timeoutSeconds, {
      approximation,
      ...(this.#largestBatchSize ? { largestBatchSize: this.#largestBatchSize } : {}),
    });
    if (this.#laws.size >= this.#capacity) this.#evictOne();
    this.#laws.set(key, { law, used: false });
    return law;
  }

  // From the oldest: a law used since it was last passed over goes to the back unmarked (its
  // second chance); the first one not used is dropped.
  #evictOne(): void {
    for (const [key, entry] of this.#laws) {
      this.#laws.delete(key);
      if (!entry.used) return;
      entry.used = false;
      this.#laws.set(key, entry);
    }
  }

  // (stream, T, approximation) as ids below 2^20 and B below 2^12 pack into one safe integer;
  // beyond (never on a search grid) the key is a string, which no number equals.
  #keyOf(
    streamKey: string,
    batchSize: number,
    timeoutSeconds: number,
    approximation: ModelApproximation,
  ): number | string {
    let stream = this.#streamIds.get(streamKey);
    if (stream === undefined) {
      stream = this.#streamIds.size;
      this.#streamIds.set(streamKey, stream);
    }
    let timeout = this.#timeoutIds.get(timeoutSeconds);
    if (timeout === undefined) {
      timeout = this.#timeoutIds.size;
      this.#timeoutIds.set(timeoutSeconds, timeout);
    }
    const packed =
      stream < 2 ** 20 &&
      timeout < 2 ** 20 &&
      Number.isInteger(batchSize) &&
      batchSize >= 0 &&
      batchSize < 2 ** 12 &&
      (approximation === 'exact' || approximation === 'mbs');
    if (packed)
      return (
        ((stream * 2 ** 20 + timeout) * 2 ** 12 + batchSize) * 2 +
        (approximation === 'exact' ? 0 : 1)
      );
    return `${streamKey}|${batchSize}|${timeoutSeconds}|${approximation}`;
  }

  // One object per stream while it is in use: the model keeps per stream object what its laws
  // share (the flattened MAP, counting matrices per T), and a search asks one range's laws together.
  #stream(streamKey: string, stream: () => MarkovianArrivalProcess): MarkovianArrivalProcess {
    let kept = this.#streams.get(streamKey);
    if (kept) this.#streams.delete(streamKey);
    else {
      kept = stream();
      if (this.#streams.size >= STREAMS_KEPT)
        this.#streams.delete(this.#streams.keys().next().value as string);
    }
    this.#streams.set(streamKey, kept);
    return kept;
  }

  /** The relative step shares are rounded to ({@link WaitLawCacheOptions.shareResolution}; 0: none). */
  get shareResolution(): number {
    return this.#shareResolution;
  }

  /** Whether this cache was made for `map` (the same object). */
  isFor(map: MarkovianArrivalProcess): boolean {
    return map === this.#map;
  }

  /** Wait laws held now. */
  get size(): number {
    return this.#laws.size;
  }
}
