import { errors } from '../errors.js';
import { MEASURED_PROFILE_SCHEMA } from './measured-profile.js';

// How a profile document says it was measured by `mbs profile`, and on what: the `measurement`
// section's `schema` is MEASURED_PROFILE_SCHEMA, and its `source` names the provider, the model,
// the package (or reused function) and the function measured at each memory. Commands that
// compare a run with a prediction read it to tell whether the profile fits the deployed function.

/** The function measured at one memory. */
export interface MeasuredFunction {
  readonly memoryMb: number;
  readonly functionName: string;
}

/** What a measured profile says about where it was measured. */
export interface MeasurementMarker {
  /** `local` (the emulator) or `aws`, as `mbs profile --provider` was given. */
  readonly provider: string;
  /** The Lambda endpoint the profiler talked to, when one was given. */
  readonly endpoint?: string;
  /** Name of the model descriptor of the measured package. */
  readonly model: string;
  /** `sha256:<hex>` of the deployment zip, or `function:<name>` when a deployed function was reused. */
  readonly code: string;
  /** The functions measured, one per memory. */
  readonly functions: readonly MeasuredFunction[];
  /** When the measurement section was written (ISO 8601). */
  readonly createdAt: string;
}

function fail(source: string, path: string, problem: string): never {
  throw errors.error('PROFILE_INVALID', `${source}: ${path} ${problem}`, {
    details: { source, path },
  });
}

function stringAt(source: string, object: Record<string, unknown>, key: string, path: string) {
  const value = object[key];
  if (typeof value !== 'string' || value === '') {
    fail(source, `${path}.${key}`, `must be a non-empty string; got ${JSON.stringify(value)}`);
  }
  return value;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The measurement marker of a parsed profile document: undefined when the document has no
 * `measurement` section of {@link MEASURED_PROFILE_SCHEMA} (a profile written by hand or by
 * another tool); PROFILE_INVALID naming the field when the section is there but its `source`
 * lacks the provider, model, code or functions.
 *
 * @param source - the document's file name, for messages
 * @example
 * ```ts
 * const marker = measurementMarker(JSON.parse(await readFile('measured.json', 'utf8')), 'measured.json');
 * if (marker?.code !== `sha256:${deployedZipSha256}`) console.warn('profile not measured for this package');
 * ```
 */
export function measurementMarker(
  document: unknown,
  source: string,
): MeasurementMarker | undefined {
  if (!isObject(document) || !isObject(document.measurement)) return undefined;
  const section = document.measurement;
  if (section.schema !== MEASURED_PROFILE_SCHEMA) return undefined;
  const path = 'measurement.source';
  if (!isObject(section.source)) fail(source, path, 'must be an object');
  const origin = section.source;
  const functions = origin.functions;
  if (!Array.isArray(functions) || functions.length === 0) {
    fail(source, `${path}.functions`, 'must be a non-empty array of {memoryMb, functionName}');
  }
  const measured = functions.map((entry: unknown, index) => {
    const at = `${path}.functions[${index}]`;
    if (!isObject(entry)) fail(source, at, 'must be an object {memoryMb, functionName}');
    const memoryMb = entry.memoryMb;
    if (typeof memoryMb !== 'number' || !Number.isInteger(memoryMb) || memoryMb < 128) {
      fail(
        source,
        `${at}.memoryMb`,
        `must be a whole number of MB >= 128; got ${JSON.stringify(memoryMb)}`,
      );
    }
    return { memoryMb, functionName: stringAt(source, entry, 'functionName', at) };
  });
  const endpoint = origin.endpoint;
  if (endpoint !== undefined && typeof endpoint !== 'string') {
    fail(
      source,
      `${path}.endpoint`,
      `must be a string when present; got ${JSON.stringify(endpoint)}`,
    );
  }
  return {
    provider: stringAt(source, origin, 'provider', path),
    ...(endpoint === undefined ? {} : { endpoint }),
    model: stringAt(source, origin, 'model', path),
    code: stringAt(source, origin, 'code', path),
    functions: measured,
    createdAt: stringAt(source, section, 'createdAt', 'measurement'),
  };
}
