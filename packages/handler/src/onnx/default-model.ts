import { createRandom } from '@mbs/core';
import { encodeOnnxModel, type OnnxNode, type OnnxTensor } from './onnx-messages.js';

/** The shape of the default model: a small convolutional text classifier. */
export const DEFAULT_MODEL_SHAPE = {
  /** Token ids run from 1 to vocabularySize - 1; id 0 is padding. */
  vocabularySize: 1000,
  /** Width of the token embedding and of every convolution. */
  channels: 64,
  kernelSize: 3,
  /** One residual Conv1d + Relu block per entry, with this dilation. */
  dilations: [1, 2, 4] as const,
  classCount: 16,
  /** Token id that marks padding; masked out of every convolution and of the pooling. */
  paddingTokenId: 0,
  seed: 20220901,
  opsetVersion: 17,
  irVersion: 8,
} as const;

function uniformTensor(
  name: string,
  dims: readonly number[],
  bound: number,
  next: () => number,
): OnnxTensor {
  const count = dims.reduce((product, dim) => product * dim, 1);
  const values = new Float32Array(count);
  for (let index = 0; index < count; index++) values[index] = (next() * 2 - 1) * bound;
  return { name, elementType: 'float32', dims, values };
}

/**
 * Builds the default model's ONNX bytes: int64 token ids `[batch, length]` (0 = padding) ->
 * embedding -> three dilated residual Conv1d + Relu blocks -> masked mean pool -> linear
 * classifier, giving float32 `logits [batch, 16]`. Padding never reaches a real token: the
 * activations are multiplied by the token mask before every convolution, which is what the
 * convolution's own zero padding does at the end of an unpadded sequence, so a request's logits
 * do not depend on how far its batch is padded. Weights come from a seeded generator, so every
 * call returns the same bytes.
 *
 * @example
 * ```ts
 * await writeFile('default.onnx', buildDefaultModel());
 * ```
 */
export function buildDefaultModel(): Uint8Array {
  const shape = DEFAULT_MODEL_SHAPE;
  const random = createRandom(shape.seed);
  const next = random.next;
  const convolutionBound = Math.sqrt(6 / (shape.channels * shape.kernelSize));
  const initializers: OnnxTensor[] = [
    {
      name: 'padding_token_id',
      elementType: 'int64',
      dims: [],
      values: BigInt64Array.of(BigInt(shape.paddingTokenId)),
    },
    { name: 'axis_1', elementType: 'int64', dims: [1], values: BigInt64Array.of(1n) },
    { name: 'axis_2', elementType: 'int64', dims: [1], values: BigInt64Array.of(2n) },
    { name: 'one', elementType: 'float32', dims: [], values: Float32Array.of(1) },
    uniformTensor('embedding', [shape.vocabularySize, shape.channels], 1, next),
  ];
  const nodes: OnnxNode[] = [
    { opType: 'Greater', inputs: ['token_ids', 'padding_token_id'], outputs: ['is_token'] },
    {
      opType: 'Cast',
      inputs: ['is_token'],
      outputs: ['token_mask'],
      attributes: [{ name: 'to', int: 1 }],
    },
    { opType: 'Unsqueeze', inputs: ['token_mask', 'axis_1'], outputs: ['channel_mask'] },
    {
      opType: 'Gather',
      inputs: ['embedding', 'token_ids'],
      outputs: ['embedded'],
      attributes: [{ name: 'axis', int: 0 }],
    },
    {
      opType: 'Transpose',
      inputs: ['embedded'],
      outputs: ['embedded_channels'],
      attributes: [{ name: 'perm', ints: [0, 2, 1] }],
    },
    { opType: 'Mul', inputs: ['embedded_channels', 'channel_mask'], outputs: ['hidden_0'] },
  ];
  shape.dilations.forEach((dilation, layer) => {
    const weight = `conv_${layer}_weight`;
    const bias = `conv_${layer}_bias`;
    initializers.push(
      uniformTensor(
        weight,
        [shape.channels, shape.channels, shape.kernelSize],
        convolutionBound,
        next,
      ),
      uniformTensor(bias, [shape.channels], 0.05, next),
    );
    // Same-length output: pads of dilation x (kernel - 1) / 2 on each side.
    const pad = (dilation * (shape.kernelSize - 1)) / 2;
    nodes.push(
      {
        opType: 'Conv',
        inputs: [`hidden_${layer}`, weight, bias],
        outputs: [`conv_${layer}`],
        attributes: [
          { name: 'kernel_shape', ints: [shape.kernelSize] },
          { name: 'dilations', ints: [dilation] },
          { name: 'pads', ints: [pad, pad] },
        ],
      },
      { opType: 'Relu', inputs: [`conv_${layer}`], outputs: [`relu_${layer}`] },
      {
        opType: 'Add',
        inputs: [`relu_${layer}`, `hidden_${layer}`],
        outputs: [`residual_${layer}`],
      },
      {
        opType: 'Mul',
        inputs: [`residual_${layer}`, 'channel_mask'],
        outputs: [`hidden_${layer + 1}`],
      },
    );
  });
  const last = `hidden_${shape.dilations.length}`;
  initializers.push(
    uniformTensor(
      'classifier_weight',
      [shape.channels, shape.classCount],
      Math.sqrt(6 / (shape.channels + shape.classCount)),
      next,
    ),
    uniformTensor('classifier_bias', [shape.classCount], 0.05, next),
  );
  nodes.push(
    {
      opType: 'ReduceSum',
      inputs: [last, 'axis_2'],
      outputs: ['pooled_sum'],
      attributes: [{ name: 'keepdims', int: 0 }],
    },
    {
      opType: 'ReduceSum',
      inputs: ['token_mask', 'axis_1'],
      outputs: ['token_count'],
      attributes: [{ name: 'keepdims', int: 1 }],
    },
    // An all-padding row would divide by zero; requests have at least one token, rows never do.
    { opType: 'Max', inputs: ['token_count', 'one'], outputs: ['safe_token_count'] },
    { opType: 'Div', inputs: ['pooled_sum', 'safe_token_count'], outputs: ['pooled'] },
    { opType: 'MatMul', inputs: ['pooled', 'classifier_weight'], outputs: ['scores'] },
    { opType: 'Add', inputs: ['scores', 'classifier_bias'], outputs: ['logits'] },
  );
  return encodeOnnxModel({
    graphName: 'mbs_default_text_classifier',
    producerName: '@mbs/handler',
    opsetVersion: shape.opsetVersion,
    irVersion: shape.irVersion,
    nodes,
    initializers,
    inputs: [{ name: 'token_ids', elementType: 'int64', shape: ['batch', 'length'] }],
    outputs: [{ name: 'logits', elementType: 'float32', shape: ['batch', shape.classCount] }],
    metadata: {
      description:
        'MBS default model: token ids [batch, length] (0 = padding) -> logits [batch, 16]',
      vocabulary_size: String(shape.vocabularySize),
      padding_token_id: String(shape.paddingTokenId),
    },
  });
}
