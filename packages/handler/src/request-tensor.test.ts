import { describe, expect, it } from 'vitest';
import { DEFAULT_MODEL_DESCRIPTOR, PPOCR_REC_DESCRIPTOR } from './model-descriptor.js';
import { parseRequestTensor } from './request-tensor.js';

function problemOf(input: unknown, descriptor = DEFAULT_MODEL_DESCRIPTOR): string {
  const parsed = parseRequestTensor(input, descriptor);
  if (!('problem' in parsed)) throw new Error('expected a problem');
  return parsed.problem;
}

describe('parseRequestTensor', () => {
  it('reads token ids given as numbers', () => {
    const parsed = parseRequestTensor({ dims: [3], data: [5, 7, 9] }, DEFAULT_MODEL_DESCRIPTOR);
    expect(parsed).toMatchObject({ dims: [3], length: 3, encoding: 'json' });
    expect(Array.from((parsed as { values: BigInt64Array }).values)).toEqual([5n, 7n, 9n]);
  });

  it('reads base64 little-endian values of either element type', () => {
    const ids = BigInt64Array.of(1n, 999n);
    const parsedIds = parseRequestTensor(
      { dims: [2], data: Buffer.from(ids.buffer).toString('base64'), dtype: 'int64' },
      DEFAULT_MODEL_DESCRIPTOR,
    );
    expect(Array.from((parsedIds as { values: BigInt64Array }).values)).toEqual([1n, 999n]);
    expect(parsedIds).toMatchObject({ encoding: 'base64' });
    const pixels = Float32Array.from({ length: 3 * 48 * 8 }, (_, index) => index / 100);
    const parsedPixels = parseRequestTensor(
      { dims: [3, 48, 8], data: Buffer.from(pixels.buffer).toString('base64') },
      PPOCR_REC_DESCRIPTOR,
    );
    expect((parsedPixels as { values: Float32Array }).values).toEqual(pixels);
  });

  it('names the problem with a request’s input', () => {
    expect(problemOf('tokens')).toMatch(/input must be an object/);
    expect(problemOf({ dims: [2], data: [1, 2], extra: 1 })).toMatch(/unknown key\(s\) extra/);
    expect(problemOf({ dims: [2], data: [1, 2], dtype: 'float32' })).toMatch(
      /dtype "float32" is not accepted; model default takes int64/,
    );
    expect(problemOf({ dims: [1, 2], data: [1, 2] })).toMatch(
      /have 2 axes; model default takes \[length\]/,
    );
    expect(problemOf({ dims: [0], data: [] })).toMatch(/positive integers/);
    expect(problemOf({ dims: [5000], data: [] })).toMatch(/length 5000 .* outside \[1, 4096\]/);
    expect(problemOf({ dims: [3], data: [1, 2] })).toMatch(/holds 2 values; dims need 3/);
    expect(problemOf({ dims: [2], data: [1, 2.5] })).toMatch(
      /data\[1\] is 2.5; int64 data must be integers/,
    );
    expect(problemOf({ dims: [2], data: [1, 1000] })).toMatch(/data\[1\] is 1000; .* \[1, 999\]/);
    expect(problemOf({ dims: [2], data: [0, 3] })).toMatch(/data\[0\] is 0/);
    expect(problemOf({ dims: [2], data: 'not base64!' })).toMatch(/not base64/);
    expect(problemOf({ dims: [2], data: Buffer.alloc(8).toString('base64') })).toMatch(
      /holds 8 bytes; dims need 2 int64 values \(16 bytes/,
    );
    expect(problemOf({ dims: [2], data: { 0: 1 } })).toMatch(/array of numbers or a base64 string/);
    expect(problemOf({ dims: [3, 48, 12], data: [] }, PPOCR_REC_DESCRIPTOR)).toMatch(
      /length 12 .* multiple of 8/,
    );
    expect(problemOf({ dims: [1, 48, 8], data: [] }, PPOCR_REC_DESCRIPTOR)).toMatch(
      /axis 0 must be 3/,
    );
    const pixels = new Float32Array(3 * 48 * 8);
    pixels[5] = Number.NaN;
    expect(
      problemOf(
        { dims: [3, 48, 8], data: Buffer.from(pixels.buffer).toString('base64') },
        PPOCR_REC_DESCRIPTOR,
      ),
    ).toMatch(/data\[5\] is NaN/);
    expect(problemOf({ dims: [3, 48, 8], data: [null] }, PPOCR_REC_DESCRIPTOR)).toMatch(
      /holds 1 values/,
    );
  });
});
