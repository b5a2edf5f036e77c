import { MbsError } from '@mbs/core';
import { describe, expect, it } from 'vitest';
import { onnxThreads } from './session-threads.js';

describe('onnxThreads', () => {
  it('gives a Lambda function its whole vCPUs, at least one', () => {
    expect(onnxThreads({ AWS_LAMBDA_FUNCTION_MEMORY_SIZE: '128' })).toBe(1);
    expect(onnxThreads({ AWS_LAMBDA_FUNCTION_MEMORY_SIZE: '1769' })).toBe(1);
    expect(onnxThreads({ AWS_LAMBDA_FUNCTION_MEMORY_SIZE: '3537' })).toBe(1);
    expect(onnxThreads({ AWS_LAMBDA_FUNCTION_MEMORY_SIZE: '3538' })).toBe(2);
    expect(onnxThreads({ AWS_LAMBDA_FUNCTION_MEMORY_SIZE: '10240' })).toBe(5);
  });

  it("uses the emulator's cores there, and MBS_ONNX_THREADS over both", () => {
    const emulated = { AWS_LAMBDA_FUNCTION_MEMORY_SIZE: '10240', MBS_EMULATOR_CORES: '1' };
    expect(onnxThreads(emulated)).toBe(1);
    expect(onnxThreads({ ...emulated, MBS_ONNX_THREADS: '3' })).toBe(3);
  });

  it('leaves the runtime default outside Lambda', () => {
    expect(onnxThreads({})).toBeUndefined();
  });

  it('refuses a thread count that is not a whole number in 1..64, naming the variable', () => {
    for (const value of ['0', '1.5', 'many', '65', '']) {
      expect(() => onnxThreads({ MBS_ONNX_THREADS: value })).toThrow(
        `MBS_ONNX_THREADS=${value}: give a whole number of threads in 1..64`,
      );
    }
    expect(() => onnxThreads({ MBS_EMULATOR_CORES: '-1' })).toThrow(MbsError);
    expect(() => onnxThreads({ MBS_EMULATOR_CORES: '-1' })).toThrow('MBS_EMULATOR_CORES=-1');
  });
});
