import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { padBatch, trimOutput } from './batch-padding.js';
import type { ModelDescriptor } from './model-descriptor.js';
import type { RequestTensor } from './request-tensor.js';

// Item shape [2, length, 3]: the padded axis sits between fixed ones, the hardest layout.
const descriptor: ModelDescriptor = {
  name: 'test',
  inputName: 'x',
  elementType: 'float32',
  itemShape: [2, null, 3],
  padValue: -7,
  minLength: 1,
  maxLength: 50,
  lengthMultiple: 1,
  outputName: 'y',
  outputTrim: { axis: 1, lengthDivisor: 1 },
};

function tensorOf(length: number, offset: number): RequestTensor {
  const values = Float32Array.from({ length: 2 * length * 3 }, (_, index) => offset + index);
  return { dims: [2, length, 3], length, values, encoding: 'json' };
}

const lengthsArbitrary = fc.array(fc.integer({ min: 1, max: 12 }), { minLength: 1, maxLength: 6 });

describe('padBatch', () => {
  it('puts every value at its multi-index and the pad value everywhere else', () => {
    fc.assert(
      fc.property(lengthsArbitrary, (lengths) => {
        const tensors = lengths.map((length, row) => tensorOf(length, row * 1000));
        const batch = padBatch(tensors, descriptor);
        const paddedLength = Math.max(...lengths);
        expect(batch.dims).toEqual([lengths.length, 2, paddedLength, 3]);
        expect(batch.paddedLength).toBe(paddedLength);
        tensors.forEach((tensor, row) => {
          for (let a = 0; a < 2; a++) {
            for (let position = 0; position < paddedLength; position++) {
              for (let c = 0; c < 3; c++) {
                const actual = batch.values[((row * 2 + a) * paddedLength + position) * 3 + c];
                const expected =
                  position < tensor.length
                    ? tensor.values[(a * tensor.length + position) * 3 + c]
                    : descriptor.padValue;
                expect(actual).toBe(expected);
              }
            }
          }
        });
      }),
    );
  });

  it('reports the share of padded elements', () => {
    fc.assert(
      fc.property(lengthsArbitrary, (lengths) => {
        const batch = padBatch(
          lengths.map((length) => tensorOf(length, 1)),
          descriptor,
        );
        const padded = Array.from(batch.values as ArrayLike<number | bigint>).filter(
          (value) => value === descriptor.padValue,
        );
        expect(batch.paddingShare).toBeCloseTo(padded.length / batch.values.length, 12);
      }),
    );
  });

  it('pads int64 token ids with the pad token', () => {
    const tokens: ModelDescriptor = {
      ...descriptor,
      elementType: 'int64',
      itemShape: [null],
      padValue: 0,
    };
    const batch = padBatch(
      [
        { dims: [1], length: 1, values: BigInt64Array.of(5n), encoding: 'json' },
        { dims: [3], length: 3, values: BigInt64Array.of(1n, 2n, 3n), encoding: 'json' },
      ],
      tokens,
    );
    expect(Array.from(batch.values as ArrayLike<number | bigint>)).toEqual([
      5n,
      0n,
      0n,
      1n,
      2n,
      3n,
    ]);
    expect(batch.paddingShare).toBeCloseTo(2 / 6, 12);
  });
});

describe('trimOutput', () => {
  it('undoes padding when the output keeps the padded axis', () => {
    fc.assert(
      fc.property(lengthsArbitrary, (lengths) => {
        const tensors = lengths.map((length, row) => tensorOf(length, row * 1000));
        const batch = padBatch(tensors, descriptor);
        tensors.forEach((tensor, row) => {
          const trimmed = trimOutput(
            batch.values as Float32Array,
            batch.dims,
            row,
            tensor.length,
            descriptor,
          );
          expect(trimmed.dims).toEqual(tensor.dims);
          expect(Array.from(trimmed.values as ArrayLike<number | bigint>)).toEqual(
            Array.from(tensor.values as ArrayLike<number | bigint>),
          );
        });
      }),
    );
  });

  it('keeps length / divisor positions and returns whole rows when there is no padded axis', () => {
    // Output [batch, positions, 2] with positions = paddedLength / 4.
    const strided: ModelDescriptor = { ...descriptor, outputTrim: { axis: 0, lengthDivisor: 4 } };
    const output = Float32Array.from({ length: 2 * 3 * 2 }, (_, index) => index);
    const trimmed = trimOutput(output, [2, 3, 2], 1, 8, strided);
    expect(trimmed.dims).toEqual([2, 2]);
    expect(Array.from(trimmed.values as ArrayLike<number | bigint>)).toEqual([6, 7, 8, 9]);
    const { outputTrim: _unused, ...pooled } = descriptor;
    const whole = trimOutput(output, [2, 6], 1, 8, pooled);
    expect(whole.dims).toEqual([6]);
    expect(Array.from(whole.values as ArrayLike<number | bigint>)).toEqual([6, 7, 8, 9, 10, 11]);
  });
});
