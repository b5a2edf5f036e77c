import { errors } from './core-errors.js';

/** A parsed JSON object, read key by key while checking it. */
export type JsonObject = Record<string, unknown>;

/**
 * Throws the error of a malformed document: MbsError('CONFIG_INVALID') reading
 * `[@mbs/core] <source>: <path> <problem>`, with `source` and `path` in its details.
 */
export function failDocument(source: string, path: string, problem: string): never {
  throw errors.error('CONFIG_INVALID', `${source}: ${path} ${problem}`, {
    details: { source, path },
  });
}

/**
 * The root of a versioned MBS document: checks that it is an object whose `schema` is `schema`
 * and whose `version` is 1 (the only version so far), and returns it for reading.
 */
export function documentRoot(value: unknown, source: string, schema: string): JsonObject {
  if (typeof value !== 'object' || value === null) {
    failDocument(source, '(root)', 'must be a JSON object');
  }
  const object = value as JsonObject;
  if (object.schema !== schema || object.version !== 1) {
    failDocument(
      source,
      'schema/version',
      `must be "${schema}" version 1; got ${JSON.stringify(object.schema)} version ${JSON.stringify(object.version)}`,
    );
  }
  return object;
}

/**
 * A document's `classUpperEdges`, checked to be a non-empty array of finite sizes > 0 in strictly
 * ascending order (class c holds the sizes above edge c-1 up to edge c).
 */
export function classUpperEdgesOf(object: JsonObject, source: string): number[] {
  const edges = object.classUpperEdges;
  if (
    !Array.isArray(edges) ||
    edges.length === 0 ||
    edges.some((edge) => typeof edge !== 'number' || !Number.isFinite(edge))
  ) {
    failDocument(source, 'classUpperEdges', 'must be a non-empty array of finite numbers');
  }
  edges.forEach((edge: number, index) => {
    if (index === 0 ? edge <= 0 : edge <= edges[index - 1]) {
      failDocument(
        source,
        `classUpperEdges[${index}]`,
        `is ${edge}; edges must be sizes > 0 in strictly ascending order${index === 0 ? '' : ` (the one before is ${edges[index - 1]})`}`,
      );
    }
  });
  return edges;
}

/**
 * Checks the time span of each window of a document: `startSeconds` finite and >= 0,
 * `endSeconds` finite and after it, and windows in time order without overlap (a schedule applies
 * one window at a time).
 */
export function checkWindowSpans(source: string, windows: readonly unknown[]): void {
  let previousEnd = 0;
  windows.forEach((window, index) => {
    const path = `windows[${index}]`;
    const { startSeconds: start, endSeconds: end } = window as JsonObject;
    if (typeof start !== 'number' || !Number.isFinite(start) || start < 0) {
      failDocument(
        source,
        `${path}.startSeconds`,
        `must be a finite number of seconds >= 0; got ${JSON.stringify(start)}`,
      );
    }
    if (typeof end !== 'number' || !Number.isFinite(end) || end <= start) {
      failDocument(
        source,
        `${path}.endSeconds`,
        `must be a finite number of seconds after startSeconds (${start}); got ${JSON.stringify(end)}`,
      );
    }
    if (index > 0 && start < previousEnd) {
      failDocument(
        source,
        `${path}.startSeconds`,
        `is ${start}, before the end of windows[${index - 1}] (${previousEnd}); windows must be in time order without overlap`,
      );
    }
    previousEnd = end;
  });
}
