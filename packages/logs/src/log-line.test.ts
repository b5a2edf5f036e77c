import { describe, expect, it } from 'vitest';
import { classifyLogLine } from './log-line.js';

const ID = '3f5c2e1a-9b7d-4c3e-8f1a-2b6d9e0c4a71';

describe('classifyLogLine', () => {
  it('recognises START, END and REPORT lines', () => {
    expect(classifyLogLine(`START RequestId: ${ID} Version: $LATEST\n`)).toEqual({
      kind: 'start',
      requestId: ID,
      version: '$LATEST',
    });
    expect(classifyLogLine(`END RequestId: ${ID}\n`)).toEqual({ kind: 'end', requestId: ID });
    const report = classifyLogLine(
      `REPORT RequestId: ${ID}\tDuration: 2.00 ms\tBilled Duration: 2 ms\tMemory Size: 128 MB\tMax Memory Used: 60 MB\t`,
    );
    expect(report.kind).toBe('report');
  });

  it('recognises a timeout line, tab- or space-separated', () => {
    expect(
      classifyLogLine(`2025-01-01T00:00:03.012Z ${ID} Task timed out after 3.00 seconds`),
    ).toEqual({
      kind: 'timeout',
      requestId: ID,
      timeoutSeconds: 3,
    });
    expect(
      classifyLogLine(`2025-01-01T00:00:03.012Z\t${ID}\tTask timed out after 10.02 seconds`),
    ).toMatchObject({
      kind: 'timeout',
      timeoutSeconds: 10.02,
    });
  });

  it('reads errorType and errorMessage of an Invoke Error line', () => {
    const line = `2025-01-01T00:00:00.100Z\t${ID}\tERROR\tInvoke Error \t{"errorType":"ReferenceError","errorMessage":"x is not defined","trace":["ReferenceError: x is not defined"]}\n`;
    expect(classifyLogLine(line)).toEqual({
      kind: 'error',
      requestId: ID,
      failure: true,
      errorType: 'ReferenceError',
      errorMessage: 'x is not defined',
    });
    expect(classifyLogLine(`2025-01-01T00:00:00.100Z\t${ID}\tERROR\tplain text`)).toEqual({
      kind: 'error',
      requestId: ID,
      failure: false,
    });
  });

  it('recognises application and platform lines', () => {
    expect(classifyLogLine(`2025-01-01T00:00:00.100Z\t${ID}\tINFO\tloaded model`)).toEqual({
      kind: 'application',
      requestId: ID,
      level: 'INFO',
    });
    expect(
      classifyLogLine('INIT_START Runtime Version: nodejs:20.v30\tRuntime Version ARN: x'),
    ).toEqual({
      kind: 'platform',
      type: 'INIT_START',
    });
  });

  it('marks anything else, and malformed REPORT lines, as unknown', () => {
    expect(classifyLogLine('hello')).toEqual({ kind: 'unknown' });
    expect(classifyLogLine(`REPORT RequestId: ${ID}\tDuration: 2.00 ms`)).toEqual({
      kind: 'unknown',
      problem: 'REPORT line lacks Billed Duration, Memory Size, Max Memory Used',
    });
  });
});
