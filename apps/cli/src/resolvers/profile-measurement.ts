import { readFile } from 'node:fs/promises';
import type { ProfileMeasurement } from '@mbs/core';

/**
 * Schema of the `measurement` section `mbs profile` writes into a measured profile (the value of
 * `MEASURED_PROFILE_SCHEMA` in `@mbs/profiles`' measured-profile module).
 */
export const MEASURED_PROFILE_SCHEMA = 'mbs.measured-profile';

const text = (value: unknown): string | undefined =>
  typeof value === 'string' && value !== '' ? value : undefined;

/**
 * The provider, model and code a profile file was measured on, read from its
 * `measurement.source` when the file is a measured profile; undefined for any other profile
 * (a published table, or a file without the marker). The file's profile itself is read and
 * checked by `readMbsProfile`; this reads only the marker and never throws on its absence.
 *
 * @example
 * ```ts
 * await readProfileMeasurement('measured.json'); // { provider: 'local', model: 'default', code: 'sha256:...' }
 * ```
 */
export async function readProfileMeasurement(
  path: string,
): Promise<ProfileMeasurement | undefined> {
  let document: unknown;
  try {
    document = JSON.parse(await readFile(path, 'utf8'));
  } catch {
    // readMbsProfile reports an unreadable or malformed file with its own message.
    return undefined;
  }
  const measurement = (document as { measurement?: { schema?: unknown; source?: unknown } })
    ?.measurement;
  if (measurement?.schema !== MEASURED_PROFILE_SCHEMA) return undefined;
  const source = (measurement.source ?? {}) as Record<string, unknown>;
  const provider = text(source.provider);
  if (provider === undefined) return undefined;
  const model = text(source.model);
  const code = text(source.code);
  return {
    provider,
    ...(model === undefined ? {} : { model }),
    ...(code === undefined ? {} : { code }),
  };
}
