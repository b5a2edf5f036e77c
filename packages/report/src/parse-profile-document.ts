import type { ServiceTimeProfile } from '@mbs/core';
import { parseMbsProfile } from '@mbs/profiles';

/** One measured service time: a batch of `batchSize` whose largest class is `classId`. */
export interface MeasuredProfilePoint {
  readonly memoryMb: number;
  readonly classId: number;
  readonly batchSize: number;
  readonly serviceTimeMs: number;
}

/** A profile document read for the report: the law it tabulates and any measured points. */
export interface ProfileForReport {
  readonly source: string;
  /** The `service_time` table as a profile (exact at its memories). */
  readonly profile: ServiceTimeProfile;
  /** Measured points found in extra fields; empty when there are none. */
  readonly measured: readonly MeasuredProfilePoint[];
  /** Where the measured points came from, e.g. `field "measured"`. */
  readonly measuredFrom?: string;
  /** Extra fields the report does not draw, by name. */
  readonly ignoredFields: readonly string[];
}

type JsonObject = Record<string, unknown>;
const isObject = (value: unknown): value is JsonObject =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const firstNumber = (object: JsonObject, keys: readonly string[]): number | undefined => {
  for (const key of keys) {
    const value = object[key];
    if (typeof value === 'number' && Number.isFinite(value)) return value;
  }
  return undefined;
};

/** Points from an array of objects naming memory, batch size, class and a time. */
function pointsFromList(list: readonly unknown[]): MeasuredProfilePoint[] {
  const points: MeasuredProfilePoint[] = [];
  for (const entry of list) {
    if (!isObject(entry)) continue;
    const memoryMb = firstNumber(entry, ['memoryMb', 'memory_mb', 'memory', 'memorySizeMb']);
    const batchSize = firstNumber(entry, ['batchSize', 'batch_size', 'batch']);
    const classId = firstNumber(entry, ['classId', 'class_id', 'class']) ?? 0;
    const ms =
      firstNumber(entry, [
        'serviceTimeMs',
        'service_time_ms',
        'medianMs',
        'median_ms',
        'durationMs',
        'ms',
        'timeMs',
      ]) ?? (firstNumber(entry, ['serviceTimeSeconds', 'seconds']) ?? Number.NaN) * 1000;
    if (memoryMb === undefined || batchSize === undefined || !Number.isFinite(ms)) continue;
    points.push({ memoryMb, classId, batchSize, serviceTimeMs: ms });
  }
  return points;
}

/** Points from a table shaped like `service_time`: `{"<MB>": [[ms per batch] per class]}`. */
function pointsFromTable(table: JsonObject): MeasuredProfilePoint[] {
  const points: MeasuredProfilePoint[] = [];
  for (const [key, classes] of Object.entries(table)) {
    const memoryMb = Number(key);
    if (!Number.isFinite(memoryMb) || !Array.isArray(classes)) return [];
    classes.forEach((row: unknown, classId) => {
      if (!Array.isArray(row)) return;
      row.forEach((ms: unknown, at) => {
        if (typeof ms === 'number' && Number.isFinite(ms)) {
          points.push({ memoryMb, classId, batchSize: at + 1, serviceTimeMs: ms });
        }
      });
    });
  }
  return points;
}

/**
 * Reads a profile in the MBS format for the report. `service_time` is checked by
 * `parseMbsProfile` of `@mbs/profiles` (errors name the memory, class and batch). Extra fields are
 * tolerated: an array of `{memoryMb, batchSize, classId?, serviceTimeMs}` objects (snake case and
 * a few synonyms accepted) or a table shaped like `service_time` is taken as measured points, drawn
 * against the `service_time` law; other fields are listed as ignored.
 *
 * @example
 * ```ts
 * const profile = parseProfileDocument(JSON.parse(text), 'profile.json');
 * ```
 */
export function parseProfileDocument(value: unknown, source: string): ProfileForReport {
  const profile = parseMbsProfile(value, source);
  const object = value as JsonObject;
  let measured: MeasuredProfilePoint[] = [];
  let measuredFrom: string | undefined;
  const ignoredFields: string[] = [];
  for (const [key, field] of Object.entries(object)) {
    if (key === 'service_time') continue;
    const points = Array.isArray(field)
      ? pointsFromList(field)
      : isObject(field)
        ? Array.isArray(field.points)
          ? pointsFromList(field.points)
          : pointsFromTable(field)
        : [];
    if (points.length > 0 && measured.length === 0) {
      measured = points;
      measuredFrom = `field "${key}"`;
    } else {
      ignoredFields.push(key);
    }
  }
  return {
    source,
    profile,
    measured,
    ...(measuredFrom === undefined ? {} : { measuredFrom }),
    ignoredFields,
  };
}
