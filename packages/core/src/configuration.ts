import {
  checkWindowSpans,
  classUpperEdgesOf,
  documentRoot,
  failDocument,
  type JsonObject,
} from './document-checks.js';
import { batchSizeProblem, bufferTimeoutProblem, lambdaMemoryProblem } from './lambda-limits.js';
import type { MarkovianArrivalProcess } from './workload.js';
import { checkWindowArrivals } from './workload-document.js';

/**
 * One buffer of a system: a contiguous range of classes, and the batch size, timeout and memory
 * of the function it sends batches to. A boundary class may be split between two buffers; the
 * shares say which fraction of that class's requests this buffer takes.
 */
export interface BufferConfiguration {
  readonly firstClass: number;
  readonly lastClass: number;
  /** Share of `firstClass` requests routed here, in (0, 1]; 1 unless the class is split. */
  readonly firstClassShare: number;
  /** Share of `lastClass` requests routed here, in (0, 1]; 1 unless the class is split. */
  readonly lastClassShare: number;
  /** B: a batch is dispatched when it holds this many requests. */
  readonly batchSize: number;
  /** T: a batch is dispatched this long after its first request, if not full before. */
  readonly timeoutSeconds: number;
  /** M: memory of the buffer's function, in MB. */
  readonly memoryMb: number;
  /**
   * Name of the deployed function; without it, {@link defaultFunctionName} names it
   * (`<prefix>-b<index>`) in deployment, runs and the batcher alike.
   */
  readonly functionName?: string;
}

/**
 * A buffer as written by hand: like {@link BufferConfiguration}, but the class shares may be left
 * out, meaning 1 (the buffer takes its first and last classes whole).
 *
 * @example
 * ```ts
 * const buffer: BufferInput = { firstClass: 0, lastClass: 3, batchSize: 8, timeoutSeconds: 0.1, memoryMb: 2048 };
 * ```
 */
export type BufferInput = Omit<BufferConfiguration, 'firstClassShare' | 'lastClassShare'> &
  Partial<Pick<BufferConfiguration, 'firstClassShare' | 'lastClassShare'>>;

/** A system as written by hand: buffers whose class shares default to 1. */
export interface SystemInput {
  readonly buffers: readonly BufferInput[];
}

/** A multi-buffer system: buffers in ascending class order, covering every class. */
export interface SystemConfiguration {
  readonly buffers: readonly BufferConfiguration[];
}

/** What the model predicted for a configuration, kept beside it for later comparison. */
export interface ConfigurationPrediction {
  readonly percentile: number;
  readonly latencyPercentileSeconds: number;
  readonly meanLatencySeconds: number;
  readonly costPerRequestUsd: number;
  readonly invocationsPerSecond: number;
  readonly paddingShare: number;
}

/**
 * The arrivals a window was solved for, so that its prediction can be evaluated again for the
 * workload a run really offered (`mbs logs summarize` scales the MAP by the run's speed).
 */
export interface ConfigurationWindowWorkload {
  /** Arrivals of all requests, in requests per second of trace time. */
  readonly map: MarkovianArrivalProcess;
  /** Share of each class among the window's requests, by class id; sums to 1. */
  readonly classShares: readonly number[];
}

/** One time window of a schedule: the configuration to apply from `startSeconds`. */
export interface ConfigurationWindow {
  readonly startSeconds: number;
  readonly endSeconds: number;
  readonly system: SystemConfiguration;
  readonly prediction?: ConfigurationPrediction;
  /** What the prediction was made for; absent in documents written before it was recorded. */
  readonly workload?: ConfigurationWindowWorkload;
}

/** The versioned file `mbs solve --out` writes and the runtime and deployment read. */
export interface ConfigurationDocument {
  readonly schema: 'mbs.configuration';
  readonly version: 1;
  /** Upper edges of the size classes (class c holds sizes up to upperEdges[c]). */
  readonly classUpperEdges: readonly number[];
  /**
   * The size each class pads to, by class id, as the prediction used them; absent in documents
   * written before it was recorded (readers then take the upper edges).
   */
  readonly classRepresentativeSizes?: readonly number[];
  readonly sizeUnit?: string;
  /** Pricing plugin name the prediction used, e.g. `aws-x86`. */
  readonly pricing?: string;
  /** Profile the prediction used: its plugin name, or the name read from its file. */
  readonly profile?: string;
  /**
   * Where `profile` came from, so the configuration can be replayed without naming the profile
   * again. Absent in documents written before it existed: readers then look `profile` up by name.
   */
  readonly profileSource?: ProfileSource;
  readonly windows: readonly ConfigurationWindow[];
}

/**
 * Where a configuration's profile came from: a registered profile plugin (found again by the
 * configuration's `profile` name; `parametric` is rebuilt for the configuration's classes), or an
 * MBS-format profile file, recorded by absolute path and the SHA-256 of its bytes so a moved or
 * edited file is told apart from the one the prediction used.
 */
export type ProfileSource =
  | { readonly kind: 'plugin' }
  | {
      readonly kind: 'file';
      /** Absolute path of the profile file when the configuration was written. */
      readonly path: string;
      /** SHA-256 of the file's bytes, 64 lowercase hex digits. */
      readonly sha256: string;
      /**
       * Present when the file is a profile measured on a provider (`mbs profile`): its
       * `measurement.source` marker, so that a run can tell whether the prediction's service
       * times are those of the function it deployed.
       */
      readonly measured?: ProfileMeasurement;
    };

/**
 * Where a measured profile was measured, as `mbs profile` marks it in the file's
 * `measurement.source` (schema `mbs.measured-profile`): the provider, and the model and code of
 * the function measured (`sha256:<hex of the zip>` or `function:<name>`) when it says them.
 */
export interface ProfileMeasurement {
  readonly provider: string;
  readonly model?: string;
  readonly code?: string;
}

function numberAt(
  source: string,
  object: JsonObject,
  key: string,
  path: string,
  check?: (value: number) => string | undefined,
): number {
  const value = object[key];
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    failDocument(source, `${path}.${key}`, `must be a finite number; got ${JSON.stringify(value)}`);
  }
  const problem = check?.(value);
  if (problem) failDocument(source, `${path}.${key}`, `${problem}; got ${value}`);
  return value;
}

const nonNegativeInteger = (value: number) =>
  Number.isInteger(value) && value >= 0 ? undefined : 'must be an integer >= 0';
const share = (value: number) => (value > 0 && value <= 1 ? undefined : 'must be in (0, 1]');

/** A class share, 1 (the whole class) when the key is absent. */
const shareAt = (source: string, object: JsonObject, key: string, path: string): number =>
  object[key] === undefined ? 1 : numberAt(source, object, key, path, share);
const nonNegative = (value: number) => (value >= 0 ? undefined : 'must be >= 0');
/**
 * The share of class `classId`'s requests that a buffer takes: `firstClassShare` for its first
 * class (also when it covers that one class only), `lastClassShare` for its last, 1 for the classes
 * between and 0 for classes outside its range.
 *
 * @example
 * ```ts
 * const buffer = { firstClass: 2, lastClass: 4, firstClassShare: 0.3, lastClassShare: 1, ... };
 * bufferClassShare(buffer, 2); // 0.3
 * bufferClassShare(buffer, 3); // 1
 * bufferClassShare(buffer, 5); // 0
 * ```
 */
export function bufferClassShare(
  buffer: Pick<
    BufferConfiguration,
    'firstClass' | 'lastClass' | 'firstClassShare' | 'lastClassShare'
  >,
  classId: number,
): number {
  if (classId < buffer.firstClass || classId > buffer.lastClass) return 0;
  if (classId === buffer.firstClass) return buffer.firstClassShare;
  return classId === buffer.lastClass ? buffer.lastClassShare : 1;
}

/**
 * Checks a system against a class count: buffers ascending and contiguous, every class covered
 * once in total (split shares of a boundary class add up to 1).
 */
export function validateSystemConfiguration(
  system: SystemConfiguration,
  classCount: number,
  source = 'configuration',
): SystemConfiguration {
  const covered = new Array<number>(classCount).fill(0);
  if (system.buffers.length === 0) failDocument(source, 'buffers', 'must hold at least one buffer');
  system.buffers.forEach((buffer, index) => {
    const path = `buffers[${index}]`;
    if (buffer.lastClass < buffer.firstClass || buffer.lastClass >= classCount) {
      failDocument(
        source,
        path,
        buffer.lastClass < buffer.firstClass
          ? `has firstClass ${buffer.firstClass} after lastClass ${buffer.lastClass}; a buffer covers firstClass..lastClass, in 0..${classCount - 1}`
          : `covers classes ${buffer.firstClass}..${buffer.lastClass}, outside 0..${classCount - 1}`,
      );
    }
    for (let classId = buffer.firstClass; classId <= buffer.lastClass; classId++) {
      covered[classId] = (covered[classId] ?? 0) + bufferClassShare(buffer, classId);
    }
  });
  covered.forEach((total, classId) => {
    if (Math.abs(total - 1) > 1e-6) {
      failDocument(
        source,
        'buffers',
        `give class ${classId} a total share of ${total}; each class needs exactly 1`,
      );
    }
  });
  return system;
}

function parseBuffer(source: string, value: unknown, path: string): BufferConfiguration {
  if (typeof value !== 'object' || value === null) failDocument(source, path, 'must be an object');
  const object = value as JsonObject;
  const buffer: BufferConfiguration = {
    firstClass: numberAt(source, object, 'firstClass', path, nonNegativeInteger),
    lastClass: numberAt(source, object, 'lastClass', path, nonNegativeInteger),
    firstClassShare: shareAt(source, object, 'firstClassShare', path),
    lastClassShare: shareAt(source, object, 'lastClassShare', path),
    batchSize: numberAt(source, object, 'batchSize', path, batchSizeProblem),
    timeoutSeconds: numberAt(source, object, 'timeoutSeconds', path, bufferTimeoutProblem),
    memoryMb: numberAt(source, object, 'memoryMb', path, lambdaMemoryProblem),
  };
  const functionName = object.functionName;
  if (functionName === undefined) return buffer;
  if (typeof functionName !== 'string' || functionName.length === 0) {
    failDocument(source, `${path}.functionName`, 'must be a non-empty string');
  }
  return { ...buffer, functionName };
}

const PREDICTION_FIELDS = [
  'latencyPercentileSeconds',
  'meanLatencySeconds',
  'costPerRequestUsd',
  'invocationsPerSecond',
  'paddingShare',
] as const;

/** Checks a window's `prediction`, when present: finite numbers >= 0 and a percentile. */
function parsePrediction(
  source: string,
  value: unknown,
  path: string,
): ConfigurationPrediction | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    failDocument(source, path, 'must be an object (mbs solve writes it)');
  }
  const object = value as JsonObject;
  // Documents written as 99 rather than 0.99 are read as percentages.
  numberAt(source, object, 'percentile', path, (percentile) =>
    percentile > 0 && percentile < 100 && percentile !== 1
      ? undefined
      : 'must be in (0, 1), or a percentage in (1, 100)',
  );
  for (const key of PREDICTION_FIELDS) numberAt(source, object, key, path, nonNegative);
  return object as unknown as ConfigurationPrediction;
}

/** Checks `profileSource`, when present (older documents have none). */
function parseProfileSource(source: string, value: unknown): ProfileSource | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    failDocument(
      source,
      'profileSource',
      'must be an object: {"kind": "plugin"} or {"kind": "file", "path", "sha256"}',
    );
  }
  const object = value as JsonObject;
  const allowed = object.kind === 'file' ? ['kind', 'path', 'sha256', 'measured'] : ['kind'];
  if (object.kind !== 'plugin' && object.kind !== 'file') {
    failDocument(
      source,
      'profileSource.kind',
      `must be "plugin" or "file"; got ${JSON.stringify(object.kind)}`,
    );
  }
  for (const key of Object.keys(object)) {
    if (!allowed.includes(key)) {
      failDocument(
        source,
        `profileSource.${key}`,
        `is not a field of a ${object.kind} profile source; accepted: ${allowed.join(', ')}`,
      );
    }
  }
  if (object.kind === 'plugin') return { kind: 'plugin' };
  if (typeof object.path !== 'string' || object.path.length === 0) {
    failDocument(source, 'profileSource.path', 'must be the non-empty path of the profile file');
  }
  if (typeof object.sha256 !== 'string' || !/^[0-9a-f]{64}$/.test(object.sha256)) {
    failDocument(
      source,
      'profileSource.sha256',
      `must be 64 lowercase hex digits (SHA-256 of the profile file); got ${JSON.stringify(object.sha256)}`,
    );
  }
  const measured = parseProfileMeasurement(source, object.measured);
  return {
    kind: 'file',
    path: object.path,
    sha256: object.sha256,
    ...(measured === undefined ? {} : { measured }),
  };
}

/** Checks `profileSource.measured`, when present. */
function parseProfileMeasurement(source: string, value: unknown): ProfileMeasurement | undefined {
  if (value === undefined) return undefined;
  const path = 'profileSource.measured';
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    failDocument(source, path, 'must be an object: {"provider", "model"?, "code"?}');
  }
  const object = value as JsonObject;
  for (const key of Object.keys(object)) {
    if (!['provider', 'model', 'code'].includes(key)) {
      failDocument(source, `${path}.${key}`, 'is not a field; accepted: provider, model, code');
    }
  }
  for (const key of ['provider', 'model', 'code'] as const) {
    const field = object[key];
    if (
      (key === 'provider' || field !== undefined) &&
      (typeof field !== 'string' || field === '')
    ) {
      failDocument(
        source,
        `${path}.${key}`,
        `must be a non-empty string; got ${JSON.stringify(field)}`,
      );
    }
  }
  return object as unknown as ProfileMeasurement;
}

/** Checks a window's `workload`, when present. */
function parseWindowWorkload(
  source: string,
  value: unknown,
  path: string,
  classCount: number,
): ConfigurationWindowWorkload | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    failDocument(source, path, 'must be an object: {"map": {"d0", "d1"}, "classShares"}');
  }
  const object = value as JsonObject;
  checkWindowArrivals(source, path, object, classCount);
  const map = object.map as unknown as MarkovianArrivalProcess;
  return { map: { d0: map.d0, d1: map.d1 }, classShares: object.classShares as number[] };
}

/**
 * Parses and checks a configuration document (the JSON of `mbs solve --out`). A buffer without
 * `firstClassShare` / `lastClassShare` takes those classes whole (share 1).
 *
 * @param value the parsed JSON
 * @param source file name for error messages
 * @example
 * ```ts
 * const config = parseConfigurationDocument(JSON.parse(text), 'config.json');
 * ```
 */
export function parseConfigurationDocument(value: unknown, source: string): ConfigurationDocument {
  const object = documentRoot(value, source, 'mbs.configuration');
  const edges = classUpperEdgesOf(object, source);
  const windows = object.windows;
  if (!Array.isArray(windows) || windows.length === 0)
    failDocument(source, 'windows', 'must be a non-empty array');
  windows.forEach((window: unknown, index) => {
    if (typeof window !== 'object' || window === null || Array.isArray(window))
      failDocument(source, `windows[${index}]`, 'must be an object');
  });
  checkWindowSpans(source, windows);
  const parsedWindows = windows.map((window: unknown, index): ConfigurationWindow => {
    const path = `windows[${index}]`;
    if (typeof window !== 'object' || window === null)
      failDocument(source, path, 'must be an object');
    const windowObject = window as JsonObject;
    const system = windowObject.system as JsonObject | undefined;
    if (typeof system !== 'object' || system === null || !Array.isArray(system.buffers)) {
      failDocument(source, `${path}.system.buffers`, 'must be an array');
    }
    const buffers = (system.buffers as unknown[]).map((buffer, bufferIndex) =>
      parseBuffer(source, buffer, `${path}.system.buffers[${bufferIndex}]`),
    );
    const parsed: ConfigurationWindow = {
      startSeconds: windowObject.startSeconds as number,
      endSeconds: windowObject.endSeconds as number,
      system: validateSystemConfiguration({ buffers }, edges.length, `${source} ${path}`),
    };
    const prediction = parsePrediction(source, windowObject.prediction, `${path}.prediction`);
    const workload = parseWindowWorkload(
      source,
      windowObject.workload,
      `${path}.workload`,
      edges.length,
    );
    return {
      ...parsed,
      ...(prediction === undefined ? {} : { prediction }),
      ...(workload === undefined ? {} : { workload }),
    };
  });
  const representatives = object.classRepresentativeSizes;
  if (
    representatives !== undefined &&
    (!Array.isArray(representatives) ||
      representatives.length !== edges.length ||
      representatives.some((size) => typeof size !== 'number' || !(size > 0)))
  ) {
    failDocument(
      source,
      'classRepresentativeSizes',
      `must be ${edges.length} sizes > 0, one per class`,
    );
  }
  for (const key of ['pricing', 'profile'] as const) {
    if (object[key] !== undefined && (typeof object[key] !== 'string' || object[key] === '')) {
      failDocument(
        source,
        key,
        `must be a plugin name (a non-empty string); got ${JSON.stringify(object[key])}`,
      );
    }
  }
  const profileSource = parseProfileSource(source, object.profileSource);
  if (profileSource !== undefined && object.profile === undefined) {
    failDocument(source, 'profileSource', 'needs "profile", the name of the profile it locates');
  }
  return {
    ...(object as unknown as ConfigurationDocument),
    classUpperEdges: edges,
    ...(profileSource === undefined ? {} : { profileSource }),
    windows: parsedWindows,
  };
}
