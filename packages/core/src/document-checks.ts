import { MbsError } from './errors.js';

/** A parsed JSON object, read key by key while checking it. */
export type JsonObject = Record<string, unknown>;

/**
 * Throws the error of a malformed document: MbsError('CONFIG_INVALID') reading
 * `[@mbs/core] <source>: <path> <problem>`, with `source` and `path` in its details.
 */
export function failDocument(source: string, path: string, problem: string): never {
  throw new MbsError('CONFIG_INVALID', `[@mbs/core] ${source}: ${path} ${problem}`, {
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

/** A document's `classUpperEdges`, checked to be a non-empty array of numbers. */
export function classUpperEdgesOf(object: JsonObject, source: string): number[] {
  const edges = object.classUpperEdges;
  if (
    !Array.isArray(edges) ||
    edges.length === 0 ||
    edges.some((edge) => typeof edge !== 'number')
  ) {
    failDocument(source, 'classUpperEdges', 'must be a non-empty array of numbers');
  }
  return edges;
}
