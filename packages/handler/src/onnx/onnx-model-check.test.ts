import { describe, expect, it } from 'vitest';
import { buildDefaultModel } from './default-model.js';
import { onnxModelProblem } from './onnx-model-check.js';

describe('onnxModelProblem', () => {
  it('accepts the built-in ONNX model', () => {
    expect(onnxModelProblem(buildDefaultModel())).toBeUndefined();
  });

  it('refuses text, empty, truncated and graph-less files', () => {
    const text = new TextEncoder().encode('root:x:0:0:root:/root:/bin/bash\n');
    expect(onnxModelProblem(text)).toMatch(/not/);
    expect(onnxModelProblem(new Uint8Array())).toBe('is empty');
    const model = buildDefaultModel();
    expect(onnxModelProblem(model.subarray(0, model.length - 3))).toMatch(/not an ONNX model/);
    // ir_version 8 alone: a protobuf message, but no graph.
    expect(onnxModelProblem(Uint8Array.from([0x08, 0x08]))).toBe('is not an ONNX model (no graph)');
    expect(onnxModelProblem(Uint8Array.from([0xff, 0xff, 0xff]))).toMatch(/not/);
  });
});
