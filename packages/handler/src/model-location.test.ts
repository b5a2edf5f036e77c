import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { findPpocrRecognizerPath } from './builtin-models.js';
import { DEFAULT_MODEL_DESCRIPTOR, PPOCR_REC_DESCRIPTOR } from './model-descriptor.js';
import { locateModel } from './model-location.js';
import { buildDefaultModel } from './onnx/default-model.js';

let directory: string;
beforeEach(async () => {
  directory = await mkdtemp(join(tmpdir(), 'mbs-locate-'));
});
afterEach(async () => {
  await rm(directory, { recursive: true, force: true });
});

describe('locateModel', () => {
  it('builds the default model in memory when nothing else is there', () => {
    const located = locateModel({}, directory);
    expect(located.descriptor).toEqual(DEFAULT_MODEL_DESCRIPTOR);
    expect(located.source).toBe('built-in default');
    expect(Buffer.from(located.model as Uint8Array).equals(Buffer.from(buildDefaultModel()))).toBe(
      true,
    );
  });

  it('prefers a packaged model.onnx and model-descriptor.json beside the entry', async () => {
    await writeFile(join(directory, 'model.onnx'), 'bytes');
    await writeFile(join(directory, 'model-descriptor.json'), JSON.stringify(PPOCR_REC_DESCRIPTOR));
    const located = locateModel({}, directory);
    expect(located.model).toBe(join(directory, 'model.onnx'));
    expect(located.descriptor).toEqual(PPOCR_REC_DESCRIPTOR);
  });

  it('takes MBS_MODEL_PATH and MBS_MODEL_DESCRIPTOR, relative to LAMBDA_TASK_ROOT', async () => {
    await writeFile(
      join(directory, 'mine.json'),
      JSON.stringify({ ...DEFAULT_MODEL_DESCRIPTOR, name: 'mine' }),
    );
    const located = locateModel(
      {
        MBS_MODEL_PATH: 'mine.onnx',
        MBS_MODEL_DESCRIPTOR: 'mine.json',
        LAMBDA_TASK_ROOT: directory,
      },
      '/nowhere',
    );
    expect(located.model).toBe(join(directory, 'mine.onnx'));
    expect(located.descriptor.name).toBe('mine');
    expect(locateModel({ MBS_MODEL_DESCRIPTOR: 'ppocr' }, directory).descriptor).toEqual(
      PPOCR_REC_DESCRIPTOR,
    );
  });

  it('names ppocr by its installed path when the optional package is there', () => {
    const path = findPpocrRecognizerPath();
    if (path === undefined) {
      expect(() => locateModel({ MBS_MODEL_PATH: 'ppocr' }, directory)).toThrow(/not installed/);
    } else {
      expect(locateModel({ MBS_MODEL_PATH: 'ppocr' }, directory)).toEqual({
        model: path,
        descriptor: PPOCR_REC_DESCRIPTOR,
        source: path,
      });
    }
  });

  it('asks for a descriptor for a model file it does not know, and names bad descriptor files', async () => {
    expect(() => locateModel({ MBS_MODEL_PATH: '/models/x.onnx' }, directory)).toThrow(
      /MBS_MODEL_PATH=\/models\/x.onnx: no descriptor for this model; set MBS_MODEL_DESCRIPTOR/,
    );
    await writeFile(join(directory, 'broken.json'), '{');
    const broken = join(directory, 'broken.json');
    expect(() => locateModel({ MBS_MODEL_DESCRIPTOR: broken }, directory)).toThrow(
      `model descriptor ${broken}: not valid JSON`,
    );
    expect(() =>
      locateModel({ MBS_MODEL_DESCRIPTOR: join(directory, 'absent.json') }, directory),
    ).toThrow(/cannot be read/);
  });
});
