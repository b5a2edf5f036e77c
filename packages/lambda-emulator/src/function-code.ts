import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { type UnpackedCode, unpackCode } from './code-store.js';
import type { InProcessCode } from './in-process-instance.js';
import { invalidParameterValue } from './lambda-errors.js';

/** A function's code: a deployment zip, or a handler function run in this thread. */
export type FunctionCode = { readonly zipFile: Uint8Array } | { readonly inProcess: InProcessCode };

/** A function's code as the emulator holds it: unpacked on disk, or the in-process handler. */
export interface StoredCode {
  readonly kind: 'zip' | 'in-process';
  /** CodeSha256 (base64); a random one for in-process code, which has no zip to hash. */
  readonly sha256Base64: string;
  /** CodeSize in bytes; 0 for in-process code. */
  readonly sizeBytes: number;
  readonly unpacked?: UnpackedCode;
  readonly inProcess?: InProcessCode;
}

/** Stores a function's code: unzips a deployment zip under `<root>/code`, or keeps the handler. */
export function storeCode(root: string, code: FunctionCode): StoredCode {
  if ('zipFile' in code) {
    const unpacked = unpackCode(join(root, 'code'), code.zipFile);
    return {
      kind: 'zip',
      sha256Base64: unpacked.sha256Base64,
      sizeBytes: unpacked.sizeBytes,
      unpacked,
    };
  }
  if (typeof code.inProcess?.handler !== 'function') {
    throw invalidParameterValue('Code must hold a ZipFile (or, in-process, a handler function)');
  }
  return {
    kind: 'in-process',
    sha256Base64: Buffer.from(randomUUID()).toString('base64'),
    sizeBytes: 0,
    inProcess: code.inProcess,
  };
}
