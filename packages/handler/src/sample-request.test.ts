import { isMbsError } from '@mbs/core';
import { strToU8, zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { DEFAULT_MODEL_DESCRIPTOR, PPOCR_REC_DESCRIPTOR } from './model-descriptor.js';
import { parseRequestTensor } from './request-tensor.js';
import { readPackagedDescriptor, requestLength, sampleRequestInput } from './sample-request.js';

describe('requestLength', () => {
  it('rounds up to the multiple and keeps within the model limits', () => {
    expect(requestLength(DEFAULT_MODEL_DESCRIPTOR, 534)).toBe(534);
    expect(requestLength(DEFAULT_MODEL_DESCRIPTOR, 533.2)).toBe(534);
    expect(requestLength(DEFAULT_MODEL_DESCRIPTOR, 32768)).toBe(4096);
    expect(requestLength(DEFAULT_MODEL_DESCRIPTOR, 0)).toBe(1);
    expect(requestLength(PPOCR_REC_DESCRIPTOR, 317)).toBe(320);
    expect(requestLength(PPOCR_REC_DESCRIPTOR, 3)).toBe(8);
    expect(requestLength(PPOCR_REC_DESCRIPTOR, 5000)).toBe(3200);
  });
});

describe('sampleRequestInput', () => {
  it('builds what mbs run --input tokens sends for the default model, and the handler accepts it', () => {
    const input = sampleRequestInput(DEFAULT_MODEL_DESCRIPTOR, 3, 'numbers');
    expect(input).toEqual({ dims: [3], data: [1, 1, 1], dtype: 'int64' });
    const parsed = parseRequestTensor(input, DEFAULT_MODEL_DESCRIPTOR);
    expect('problem' in parsed).toBe(false);
  });

  it('builds base64 images for PP-OCR that the handler accepts', () => {
    const input = sampleRequestInput(PPOCR_REC_DESCRIPTOR, 16, 'base64');
    expect(input.dims).toEqual([3, 48, 16]);
    expect(Buffer.from(input.data as string, 'base64')).toHaveLength(3 * 48 * 16 * 4);
    const parsed = parseRequestTensor(input, PPOCR_REC_DESCRIPTOR);
    expect('problem' in parsed).toBe(false);
    const tokens = parseRequestTensor(
      sampleRequestInput(DEFAULT_MODEL_DESCRIPTOR, 5, 'base64'),
      DEFAULT_MODEL_DESCRIPTOR,
    );
    expect('problem' in tokens).toBe(false);
  });

  it('refuses a length the model cannot take', () => {
    expect(() => sampleRequestInput(PPOCR_REC_DESCRIPTOR, 12, 'base64')).toThrow(
      /length 12 on axis 2 does not fit model ppocr/,
    );
  });
});

describe('readPackagedDescriptor', () => {
  it('reads the descriptor of a package', async () => {
    const zip = zipSync({
      'index.mjs': strToU8('export const handler = 1;'),
      'model-descriptor.json': strToU8(JSON.stringify(PPOCR_REC_DESCRIPTOR)),
    });
    expect(await readPackagedDescriptor(zip, 'ocr.zip')).toEqual(PPOCR_REC_DESCRIPTOR);
  });

  it('names the zip and the missing file, or the broken one', async () => {
    const bare = zipSync({ 'index.js': strToU8('exports.handler = 1;') });
    const missing = await readPackagedDescriptor(bare, 'bare.zip').catch((error: unknown) => error);
    expect(isMbsError(missing, 'CONFIG_INVALID')).toBe(true);
    expect((missing as Error).message).toMatch(
      /bare\.zip: the zip holds no model-descriptor\.json/,
    );
    await expect(readPackagedDescriptor(new Uint8Array([1, 2, 3]), 'junk.zip')).rejects.toThrow(
      /junk\.zip: not a readable zip/,
    );
    const broken = zipSync({ 'model-descriptor.json': strToU8('{"name": "x"}') });
    await expect(readPackagedDescriptor(broken, 'broken.zip')).rejects.toThrow(
      /broken\.zip:model-descriptor\.json/,
    );
  });
});
