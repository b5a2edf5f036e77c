import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, normalize, sep } from 'node:path';
import { unzipSync } from 'fflate';
import { invalidParameterValue, requestTooLarge } from './lambda-errors.js';
import {
  MAXIMUM_CODE_REQUEST_BYTES,
  MAXIMUM_UNZIPPED_CODE_BYTES,
  MAXIMUM_ZIPPED_CODE_BYTES,
} from './limits.js';

/** A deployment package unpacked on disk. */
export interface UnpackedCode {
  /** SHA-256 of the zip, base64, as Lambda reports CodeSha256. */
  readonly sha256Base64: string;
  /** SHA-256 of the zip, hex (names the directory and the stored zip). */
  readonly sha256Hex: string;
  /** Size of the zip in bytes (CodeSize). */
  readonly sizeBytes: number;
  /** Directory holding the unzipped files (the function's task root). */
  readonly directory: string;
  /** The zip itself, for GetFunction's Code.Location. */
  readonly zipPath: string;
}

const UNZIP_ERROR =
  'Could not unzip uploaded file. Please check your file, then try to upload again.';

function safeRelativePath(entry: string): string | undefined {
  const cleaned = normalize(entry.replaceAll('\\', '/'));
  if (cleaned.startsWith('..') || cleaned.startsWith('/') || cleaned.split(sep).includes('..')) {
    return undefined;
  }
  return cleaned;
}

/**
 * Unzips a Lambda deployment zip into `<root>/<sha256>/` (once per distinct zip) and keeps the
 * zip beside it. Refuses, as Lambda does, zips that do not unzip, zips over 50 MB, packages over
 * 250 MB unzipped, and entries that would land outside the directory.
 */
export function unpackCode(root: string, zip: Uint8Array): UnpackedCode {
  if (zip.byteLength > MAXIMUM_ZIPPED_CODE_BYTES) {
    // A zip over 50 MB makes a base64 request body over Lambda's limit for the operation.
    throw requestTooLarge(MAXIMUM_CODE_REQUEST_BYTES, 'CreateFunction');
  }
  const hash = createHash('sha256').update(zip);
  const sha256Hex = hash.copy().digest('hex');
  const sha256Base64 = hash.digest('base64');
  const directory = join(root, sha256Hex);
  const zipPath = join(root, `${sha256Hex}.zip`);
  const unpacked = { sha256Base64, sha256Hex, sizeBytes: zip.byteLength, directory, zipPath };
  if (existsSync(zipPath)) return unpacked;
  let unzippedBytes = 0;
  let files: Record<string, Uint8Array>;
  try {
    files = unzipSync(zip, {
      filter: (file) => {
        unzippedBytes += file.originalSize;
        return true;
      },
    });
  } catch (error) {
    throw invalidParameterValue(`${UNZIP_ERROR} (${(error as Error).message})`);
  }
  if (unzippedBytes > MAXIMUM_UNZIPPED_CODE_BYTES) {
    throw invalidParameterValue(
      `Unzipped size must be smaller than ${MAXIMUM_UNZIPPED_CODE_BYTES} bytes`,
    );
  }
  mkdirSync(directory, { recursive: true });
  for (const [entry, bytes] of Object.entries(files)) {
    const relative = safeRelativePath(entry);
    if (relative === undefined) {
      throw invalidParameterValue(
        `${UNZIP_ERROR} (entry ${JSON.stringify(entry)} leaves the package)`,
      );
    }
    const target = join(directory, relative);
    if (entry.endsWith('/')) {
      mkdirSync(target, { recursive: true });
      continue;
    }
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, bytes);
  }
  // The zip is written last: its presence marks a complete unpack for the cache check above.
  writeFileSync(zipPath, zip);
  return unpacked;
}
