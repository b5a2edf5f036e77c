import {
  bytesField,
  floatField,
  packedFloatField,
  packedVarintField,
  protobufMessage,
  stringField,
  varintField,
} from './protobuf-writer.js';

// Field numbers and enum values follow onnx/onnx.proto (IR version 8, the one ORT 1.x reads).

/** ONNX tensor element types used here (TensorProto.DataType). */
export const ONNX_DATA_TYPE = { float32: 1, int64: 7 } as const;

/** An element type name of {@link ONNX_DATA_TYPE}. */
export type OnnxElementType = keyof typeof ONNX_DATA_TYPE;

/** A constant tensor (an initializer) with its values in little-endian raw bytes. */
export interface OnnxTensor {
  readonly name: string;
  readonly elementType: OnnxElementType;
  readonly dims: readonly number[];
  /** Values, row-major. */
  readonly values: Float32Array | BigInt64Array;
}

/** One node attribute; the value's form picks the AttributeProto type. */
export type OnnxAttribute =
  | { readonly name: string; readonly int: number }
  | { readonly name: string; readonly ints: readonly number[] }
  | { readonly name: string; readonly float: number }
  | { readonly name: string; readonly floats: readonly number[] };

/** One operator application. */
export interface OnnxNode {
  readonly opType: string;
  readonly inputs: readonly string[];
  readonly outputs: readonly string[];
  readonly name?: string;
  readonly attributes?: readonly OnnxAttribute[];
}

/** A graph input or output: a tensor type whose dims are sizes or symbolic names. */
export interface OnnxValueInfo {
  readonly name: string;
  readonly elementType: OnnxElementType;
  readonly shape: readonly (number | string)[];
}

/** A whole model: one graph and the default-domain opset it is written against. */
export interface OnnxModel {
  readonly graphName: string;
  readonly producerName: string;
  readonly opsetVersion: number;
  readonly irVersion: number;
  readonly nodes: readonly OnnxNode[];
  readonly initializers: readonly OnnxTensor[];
  readonly inputs: readonly OnnxValueInfo[];
  readonly outputs: readonly OnnxValueInfo[];
  /** Free-form key/value pairs (ModelProto.metadata_props). */
  readonly metadata?: Readonly<Record<string, string>>;
}

const ATTRIBUTE_TYPE = { float: 1, int: 2, floats: 6, ints: 7 } as const;

function encodeTensor(tensor: OnnxTensor): Uint8Array {
  const raw = new Uint8Array(tensor.values.byteLength);
  const view = new DataView(raw.buffer);
  // Written element by element so the bytes are little-endian whatever the host's order.
  if (tensor.values instanceof Float32Array) {
    tensor.values.forEach((value, index) => {
      view.setFloat32(index * 4, value, true);
    });
  } else {
    tensor.values.forEach((value, index) => {
      view.setBigInt64(index * 8, value, true);
    });
  }
  return protobufMessage([
    packedVarintField(1, tensor.dims),
    varintField(2, ONNX_DATA_TYPE[tensor.elementType]),
    stringField(8, tensor.name),
    bytesField(9, raw),
  ]);
}

function encodeAttribute(attribute: OnnxAttribute): Uint8Array {
  const name = stringField(1, attribute.name);
  if ('int' in attribute) {
    return protobufMessage([
      name,
      varintField(3, attribute.int),
      varintField(20, ATTRIBUTE_TYPE.int),
    ]);
  }
  if ('ints' in attribute) {
    return protobufMessage([
      name,
      packedVarintField(8, attribute.ints),
      varintField(20, ATTRIBUTE_TYPE.ints),
    ]);
  }
  if ('float' in attribute) {
    return protobufMessage([
      name,
      floatField(2, attribute.float),
      varintField(20, ATTRIBUTE_TYPE.float),
    ]);
  }
  return protobufMessage([
    name,
    packedFloatField(7, attribute.floats),
    varintField(20, ATTRIBUTE_TYPE.floats),
  ]);
}

function encodeNode(node: OnnxNode): Uint8Array {
  return protobufMessage([
    ...node.inputs.map((input) => stringField(1, input)),
    ...node.outputs.map((output) => stringField(2, output)),
    ...(node.name === undefined ? [] : [stringField(3, node.name)]),
    stringField(4, node.opType),
    ...(node.attributes ?? []).map((attribute) => bytesField(5, encodeAttribute(attribute))),
  ]);
}

function encodeDimension(dimension: number | string): Uint8Array {
  return typeof dimension === 'number' ? varintField(1, dimension) : stringField(2, dimension);
}

function encodeValueInfo(value: OnnxValueInfo): Uint8Array {
  const shape = protobufMessage(
    value.shape.map((dimension) => bytesField(1, encodeDimension(dimension))),
  );
  const tensorType = protobufMessage([
    varintField(1, ONNX_DATA_TYPE[value.elementType]),
    bytesField(2, shape),
  ]);
  const type = bytesField(1, tensorType);
  return protobufMessage([stringField(1, value.name), bytesField(2, type)]);
}

function encodeGraph(model: OnnxModel): Uint8Array {
  return protobufMessage([
    ...model.nodes.map((node) => bytesField(1, encodeNode(node))),
    stringField(2, model.graphName),
    ...model.initializers.map((tensor) => bytesField(5, encodeTensor(tensor))),
    ...model.inputs.map((input) => bytesField(11, encodeValueInfo(input))),
    ...model.outputs.map((output) => bytesField(12, encodeValueInfo(output))),
  ]);
}

/**
 * Serialises a model to ONNX protobuf bytes (ModelProto), the form `InferenceSession.create`
 * loads. Fields are written in a fixed order, so equal models give equal bytes.
 *
 * @example
 * ```ts
 * const bytes = encodeOnnxModel({ graphName: 'g', producerName: 'me', opsetVersion: 17,
 *   irVersion: 8, nodes: [{ opType: 'Relu', inputs: ['x'], outputs: ['y'] }], initializers: [],
 *   inputs: [{ name: 'x', elementType: 'float32', shape: ['n'] }],
 *   outputs: [{ name: 'y', elementType: 'float32', shape: ['n'] }] });
 * ```
 */
export function encodeOnnxModel(model: OnnxModel): Uint8Array {
  const opset = protobufMessage([stringField(1, ''), varintField(2, model.opsetVersion)]);
  const metadata = Object.entries(model.metadata ?? {}).map(([key, value]) =>
    bytesField(14, protobufMessage([stringField(1, key), stringField(2, value)])),
  );
  return protobufMessage([
    varintField(1, model.irVersion),
    stringField(2, model.producerName),
    bytesField(7, encodeGraph(model)),
    bytesField(8, opset),
    ...metadata,
  ]);
}
