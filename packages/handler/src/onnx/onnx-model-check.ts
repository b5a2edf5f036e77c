// An ONNX file is a protobuf ModelProto. Reading its top-level fields (without a protobuf library)
// tells an ONNX graph from any other file before it is zipped as the model: the handler would
// only fail on the first cold start, in the cloud.

/** ModelProto field numbers that must be present: ir_version (varint) and graph (message). */
const IR_VERSION_FIELD = 1;
const GRAPH_FIELD = 7;

function readVarint(bytes: Uint8Array, start: number): { value: number; next: number } | undefined {
  let value = 0;
  let scale = 1;
  for (let index = start; index < bytes.length && index < start + 10; index++) {
    const byte = bytes[index]!;
    value += (byte & 0x7f) * scale;
    scale *= 128;
    if ((byte & 0x80) === 0) return { value, next: index + 1 };
  }
  return undefined;
}

/**
 * Why `bytes` is not an ONNX model, or undefined when it is one as far as its top level shows:
 * a well-formed protobuf message, every field's length within the file, with an `ir_version` and
 * a non-empty `graph`.
 *
 * @example
 * ```ts
 * onnxModelProblem(new TextEncoder().encode('root:x:0:0')); // 'is not a protobuf message ...'
 * ```
 */
export function onnxModelProblem(bytes: Uint8Array): string | undefined {
  if (bytes.length === 0) return 'is empty';
  let offset = 0;
  let irVersion = false;
  let graphBytes = 0;
  while (offset < bytes.length) {
    const key = readVarint(bytes, offset);
    const field = key === undefined ? 0 : Math.floor(key.value / 8);
    const wireType = key === undefined ? -1 : key.value % 8;
    if (key === undefined || field === 0) {
      return `is not a protobuf message (bad field key at byte ${offset}), so not an ONNX model`;
    }
    offset = key.next;
    if (wireType === 0) {
      const value = readVarint(bytes, offset);
      if (value === undefined) return `is not an ONNX model (truncated number at byte ${offset})`;
      if (field === IR_VERSION_FIELD) irVersion = value.value >= 1;
      offset = value.next;
    } else if (wireType === 1 || wireType === 5) {
      offset += wireType === 1 ? 8 : 4;
    } else if (wireType === 2) {
      const length = readVarint(bytes, offset);
      if (length === undefined || length.next + length.value > bytes.length) {
        return `is not an ONNX model (field ${field} at byte ${offset} runs past the end of the file)`;
      }
      if (field === GRAPH_FIELD) graphBytes = length.value;
      offset = length.next + length.value;
    } else {
      return `is not a protobuf message (wire type ${wireType} at byte ${offset}), so not an ONNX model`;
    }
  }
  if (offset !== bytes.length) return 'is not an ONNX model (its last field is cut short)';
  if (!irVersion) return 'is not an ONNX model (no ir_version)';
  if (graphBytes === 0) return 'is not an ONNX model (no graph)';
  return undefined;
}
