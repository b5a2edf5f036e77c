/** One request arriving at the system. */
export interface Arrival {
  /** Arrival time in seconds from the start of the trace. */
  readonly timeSeconds: number;
  /** Request size in the trace's size unit (tokens, bytes, pixels...); finite and >= 0. */
  readonly size: number;
  /** Size class, when the source states it (e.g. the MBS replay format). */
  readonly classId?: number;
}

/** What a trace says about itself. */
export interface TraceMetadata {
  /** Where it came from: a file path or a generator description. */
  readonly source: string;
  /** The reader plugin that produced it. */
  readonly format: string;
  /** Unit of `Arrival.size`, e.g. `tokens`. */
  readonly sizeUnit?: string;
  /** Absolute time of `timeSeconds = 0`, when the source has wall-clock timestamps. */
  readonly startEpochMs?: number;
}

/** Counts of input lines a reader skipped on purpose (headers, comments, blank lines). */
export interface TraceReadReport {
  /** Lines read in total. */
  readonly linesRead: number;
  /** Arrivals produced. */
  readonly arrivals: number;
  /** Lines skipped, by reason (e.g. `{ blank: 2, comment: 1 }`). Nothing is dropped silently. */
  readonly skipped: Readonly<Record<string, number>>;
}

/**
 * A request trace: an async iterable of arrivals in non-decreasing time order, plus metadata.
 * It streams; iterating twice reads the source twice.
 */
export interface Trace extends AsyncIterable<Arrival> {
  readonly metadata: TraceMetadata;
  /** Counts of what the last completed iteration read and skipped. */
  report(): TraceReadReport;
}

/**
 * A Markovian Arrival Process: `d0` holds rates of hidden phase changes (negative diagonal),
 * `d1` rates of phase changes that come with an arrival. `d0 + d1` is a generator (rows sum to 0).
 * Rates are per second.
 */
export interface MarkovianArrivalProcess {
  readonly d0: readonly (readonly number[])[];
  readonly d1: readonly (readonly number[])[];
}

/**
 * A marked MAP: a MAP whose arrivals carry a class (a request size class). `classArrivals[k]`
 * holds the rates of the phase changes that come with an arrival of class k; they sum to `d1`.
 * When each `classArrivals[k]` is `share_k d1`, classes are independent marks of the stream
 * (thinning); otherwise a class's arrivals depend on the phase, as when sizes are correlated
 * with time.
 */
export interface MarkedArrivalProcess extends MarkovianArrivalProcess {
  readonly classArrivals: readonly (readonly (readonly number[])[])[];
}

/** A scheme that maps request sizes to classes 0..count-1 (class 0 smallest). */
export interface ClassScheme {
  /** Number of classes. */
  readonly count: number;
  /**
   * Upper edges: class c holds sizes in (upperEdges[c-1], upperEdges[c]]; class 0 holds sizes up
   * to upperEdges[0]; the last edge is +Infinity or the largest size seen.
   */
  readonly upperEdges: readonly number[];
  /** The class of a size. */
  classOf(size: number): number;
  /** The size a batch padded to class c is padded to (its upper edge, or the largest seen). */
  representativeSize(classId: number): number;
}
