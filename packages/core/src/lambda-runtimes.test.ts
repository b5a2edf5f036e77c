import { describe, expect, it } from 'vitest';
import { DEFAULT_LAMBDA_RUNTIME, isLambdaRuntime, LAMBDA_RUNTIMES } from './lambda-runtimes.js';

describe('Lambda runtimes', () => {
  it('defaults to a supported Node.js line and refuses other names', () => {
    expect(DEFAULT_LAMBDA_RUNTIME).toBe('nodejs22.x');
    expect(LAMBDA_RUNTIMES).toContain(DEFAULT_LAMBDA_RUNTIME);
    expect(isLambdaRuntime('nodejs24.x')).toBe(true);
    for (const name of ['nodejs18.x', 'python3.12', '', 22, undefined]) {
      expect(isLambdaRuntime(name), String(name)).toBe(false);
    }
  });
});
