import { describe, expect, it } from 'vitest';
import {
  DEFAULT_MODEL_DESCRIPTOR,
  dynamicAxisOf,
  PPOCR_REC_DESCRIPTOR,
  parseModelDescriptor,
} from './model-descriptor.js';

describe('parseModelDescriptor', () => {
  it('accepts the built-in descriptors after a JSON round trip', () => {
    for (const descriptor of [DEFAULT_MODEL_DESCRIPTOR, PPOCR_REC_DESCRIPTOR]) {
      expect(parseModelDescriptor(JSON.parse(JSON.stringify(descriptor)), 'json')).toEqual(
        descriptor,
      );
    }
    expect(dynamicAxisOf(DEFAULT_MODEL_DESCRIPTOR)).toBe(0);
    expect(dynamicAxisOf(PPOCR_REC_DESCRIPTOR)).toBe(2);
  });

  it('names the key that is wrong', () => {
    const cases: [Record<string, unknown>, RegExp][] = [
      [{ surprise: 1 }, /unknown key\(s\) surprise/],
      [{ inputName: '' }, /inputName must be a non-empty string/],
      [{ elementType: 'float16' }, /elementType must be int64 or float32; got float16/],
      [{ itemShape: [3, 48, 8] }, /exactly one null/],
      [{ itemShape: [null, null] }, /exactly one null/],
      [{ padValue: Number.NaN }, /padValue must be a finite number/],
      [{ maxLength: 0 }, /maxLength must be a positive integer/],
      [{ minLength: 9000 }, /minLength must not exceed maxLength/],
      [{ valueRange: { min: 5, max: 1 } }, /valueRange must be \{ min, max \}/],
      [{ outputTrim: { axis: -1, lengthDivisor: 8 } }, /outputTrim must be/],
      [{ lengthMultiple: 4 }, /lengthMultiple must be a multiple of outputTrim.lengthDivisor/],
    ];
    for (const [change, message] of cases) {
      expect(() => parseModelDescriptor({ ...PPOCR_REC_DESCRIPTOR, ...change }, 'd.json')).toThrow(
        message,
      );
    }
    expect(() => parseModelDescriptor([], 'd.json')).toThrow(
      /model descriptor d.json: is not an object/,
    );
  });
});
