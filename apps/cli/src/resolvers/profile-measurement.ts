import { readFile } from 'node:fs/promises';
import type { ProfileMeasurement } from '@mbs/core';

/**
 * The provider, model and code a profile file was measured on, read from the marker `mbs profile`
 * writes (`measurementMarker` of `@mbs/profiles`, the one reader of it); undefined for any other
 * profile (a published table, or a file without the marker). The file's profile itself is read
 * and checked by `readMbsProfile`; a damaged marker is refused with `PROFILE_INVALID` naming the
 * field.
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
  const { measurementMarker } = await import('@mbs/profiles');
  const marker = measurementMarker(document, path);
  if (marker === undefined) return undefined;
  return { provider: marker.provider, model: marker.model, code: marker.code };
}
