import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  bytesField,
  encodeVarint,
  packedVarintField,
  stringField,
  varintField,
} from './protobuf-writer.js';

/** Reads a varint back as an unsigned 64-bit value, independently of the writer. */
function decodeVarint(bytes: Uint8Array, start = 0): { value: bigint; next: number } {
  let value = 0n;
  let shift = 0n;
  let index = start;
  for (;;) {
    const byte = bytes[index++]!;
    value |= BigInt(byte & 0x7f) << shift;
    shift += 7n;
    if ((byte & 0x80) === 0) return { value, next: index };
  }
}

describe('encodeVarint', () => {
  it('writes the protobuf documentation examples', () => {
    expect([...encodeVarint(1)]).toEqual([0x01]);
    expect([...encodeVarint(150)]).toEqual([0x96, 0x01]);
    expect([...encodeVarint(300)]).toEqual([0xac, 0x02]);
  });

  it('writes negative int64 values as ten-byte two’s complement', () => {
    const bytes = encodeVarint(-1);
    expect(bytes.length).toBe(10);
    expect(decodeVarint(bytes).value).toBe(2n ** 64n - 1n);
  });

  it('round-trips any int64', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }), (value) => {
        const { value: decoded, next } = decodeVarint(encodeVarint(value));
        expect(BigInt.asIntN(64, decoded)).toBe(value);
        expect(next).toBe(encodeVarint(value).length);
      }),
    );
  });
});

describe('fields', () => {
  it('tags a field with its number and wire type', () => {
    // Field 1, varint 150: the protobuf documentation's 08 96 01.
    expect([...varintField(1, 150)]).toEqual([0x08, 0x96, 0x01]);
    // Field 2, string "testing": 12 07 74 65 73 74 69 6e 67.
    expect([...stringField(2, 'testing')]).toEqual([
      0x12, 0x07, 0x74, 0x65, 0x73, 0x74, 0x69, 0x6e, 0x67,
    ]);
  });

  it('length-prefixes packed values and embedded messages', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 2 ** 40 }), { maxLength: 20 }), (values) => {
        const field = packedVarintField(4, values);
        const { value: tag, next } = decodeVarint(field);
        expect(tag).toBe(BigInt((4 << 3) | 2));
        const { value: length, next: bodyStart } = decodeVarint(field, next);
        expect(bodyStart + Number(length)).toBe(field.length);
        const decoded: number[] = [];
        for (let index = bodyStart; index < field.length; ) {
          const item = decodeVarint(field, index);
          decoded.push(Number(item.value));
          index = item.next;
        }
        expect(decoded).toEqual(values);
      }),
    );
    const nested = bytesField(7, varintField(1, 3));
    expect([...nested]).toEqual([0x3a, 0x02, 0x08, 0x03]);
  });
});
