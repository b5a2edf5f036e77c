/**
 * The few protobuf wire-format pieces an ONNX model needs: varints, tags, length-delimited fields
 * and packed numbers. Each function returns the encoded bytes of one field; a message is the
 * concatenation of its fields ({@link protobufMessage}).
 */

const WIRE_VARINT = 0;
const WIRE_LENGTH_DELIMITED = 2;

/** Bytes of a non-negative or negative integer as a protobuf varint (two's complement for < 0). */
export function encodeVarint(value: number | bigint): Uint8Array {
  // Negative int64 values are sent as their 64-bit two's complement, ten bytes long.
  let rest = BigInt.asUintN(64, BigInt(value));
  const bytes: number[] = [];
  while (rest > 0x7fn) {
    bytes.push(Number(rest & 0x7fn) | 0x80);
    rest >>= 7n;
  }
  bytes.push(Number(rest));
  return Uint8Array.from(bytes);
}

/** Concatenates encoded fields into one message body. */
export function protobufMessage(fields: readonly Uint8Array[]): Uint8Array {
  const length = fields.reduce((total, field) => total + field.length, 0);
  const message = new Uint8Array(length);
  let offset = 0;
  for (const field of fields) {
    message.set(field, offset);
    offset += field.length;
  }
  return message;
}

function tag(fieldNumber: number, wireType: number): Uint8Array {
  return encodeVarint((fieldNumber << 3) | wireType);
}

/** An integer field (int32, int64 or enum) with varint encoding. */
export function varintField(fieldNumber: number, value: number | bigint): Uint8Array {
  return protobufMessage([tag(fieldNumber, WIRE_VARINT), encodeVarint(value)]);
}

/** A bytes or embedded-message field. */
export function bytesField(fieldNumber: number, bytes: Uint8Array): Uint8Array {
  return protobufMessage([
    tag(fieldNumber, WIRE_LENGTH_DELIMITED),
    encodeVarint(bytes.length),
    bytes,
  ]);
}

/** A UTF-8 string field. */
export function stringField(fieldNumber: number, text: string): Uint8Array {
  return bytesField(fieldNumber, new TextEncoder().encode(text));
}

/** A packed repeated integer field (int64 or int32 values as varints). */
export function packedVarintField(
  fieldNumber: number,
  values: readonly (number | bigint)[],
): Uint8Array {
  return bytesField(fieldNumber, protobufMessage(values.map((value) => encodeVarint(value))));
}

/** A packed repeated float field (little-endian IEEE 754 single precision). */
export function packedFloatField(fieldNumber: number, values: readonly number[]): Uint8Array {
  const bytes = new Uint8Array(values.length * 4);
  const view = new DataView(bytes.buffer);
  values.forEach((value, index) => {
    view.setFloat32(index * 4, value, true);
  });
  return bytesField(fieldNumber, bytes);
}

/** A single float field (wire type 5, fixed 32 bits). */
export function floatField(fieldNumber: number, value: number): Uint8Array {
  const bytes = new Uint8Array(4);
  new DataView(bytes.buffer).setFloat32(0, value, true);
  return protobufMessage([tag(fieldNumber, 5), bytes]);
}
