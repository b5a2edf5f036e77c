import type { ConfigurationDocument, ServiceTimeProfile } from '@mbs/core';
import { isMbsError } from '@mbs/core';
import { describe, expect, it } from 'vitest';
import { formatDeploymentPlan, planDeployment } from './deployment-plan.js';
import { codeSha256Of } from './function-state.js';

const buffer = (firstClass: number, lastClass: number, memoryMb: number, batchSize = 4) => ({
  firstClass,
  lastClass,
  firstClassShare: 1,
  lastClassShare: 1,
  batchSize,
  timeoutSeconds: 0.5,
  memoryMb,
});

const config: ConfigurationDocument = {
  schema: 'mbs.configuration',
  version: 1,
  classUpperEdges: [10, 20, 30],
  windows: [
    {
      startSeconds: 0,
      endSeconds: 3600,
      system: { buffers: [buffer(0, 1, 1024), buffer(2, 2, 2048)] },
    },
  ],
};

// Service time grows with class and batch size and falls with memory.
const profile: ServiceTimeProfile = {
  specificationVersion: 'v1',
  name: 'linear-test',
  memorySizesMb: [1024, 2048],
  maxBatchSize: 16,
  classCount: 3,
  interpolation: 'inverse-memory',
  memoryRangeMb: { min: 128, max: 10_240 },
  serviceTimeSeconds: (memoryMb, largestClass, batchSize) =>
    ((largestClass + 1) * batchSize * 1024) / memoryMb,
};

const zipFile = new Uint8Array([80, 75, 5, 6, 0, 0, 0, 0]);

describe('planDeployment', () => {
  it('plans one function per buffer with its memory, creating all when none exist', () => {
    const plan = planDeployment(config, { prefix: 'mbs', existing: {}, zipFile });
    expect(
      plan.functions.map((planned) => [
        planned.functionName,
        planned.action,
        planned.spec.memoryMb,
      ]),
    ).toEqual([
      ['mbs-b0', 'create', 1024],
      ['mbs-b1', 'create', 2048],
    ]);
    expect(plan.counts).toEqual({ create: 2, update: 0, unchanged: 0 });
    expect(plan.problems).toEqual([]);
  });

  it('sets the timeout to a safety factor over the longest batch, bounded below and by 900 s', () => {
    const plan = planDeployment(config, {
      prefix: 'mbs',
      existing: {},
      profile,
      timeoutSafetyFactor: 3,
    });
    // b0: class 1, B=4, 1024 MB -> 8 s x 3 = 24 s; b1: class 2, B=4, 2048 MB -> 6 s x 3 = 18 s.
    expect(plan.functions.map((planned) => planned.spec.timeoutSeconds)).toEqual([24, 18]);
    expect(
      planDeployment(config, {
        prefix: 'mbs',
        existing: {},
        profile,
        minimumFunctionTimeoutSeconds: 30,
      }).functions[1]!.spec.timeoutSeconds,
    ).toBe(30);
    const capped = planDeployment(config, {
      prefix: 'mbs',
      existing: {},
      profile,
      timeoutSafetyFactor: 200,
    });
    expect(capped.functions[0]!.spec.timeoutSeconds).toBe(900);
    expect(capped.warnings[0]).toContain('capped');
    expect(
      planDeployment(config, { prefix: 'mbs', existing: {}, functionTimeoutSeconds: 45, profile })
        .functions[0]!.spec.timeoutSeconds,
    ).toBe(45);
  });

  it('marks up-to-date functions unchanged and says what changes in the others', () => {
    const existing = {
      'mbs-b0': {
        functionName: 'mbs-b0',
        memoryMb: 1024,
        timeoutSeconds: 60,
        codeSha256: codeSha256Of(zipFile),
      },
      'mbs-b1': { functionName: 'mbs-b1', memoryMb: 1024, timeoutSeconds: 60, codeSha256: 'old' },
    };
    const plan = planDeployment(config, { prefix: 'mbs', existing, zipFile });
    expect(plan.functions.map((planned) => planned.action)).toEqual(['unchanged', 'update']);
    expect(plan.functions[1]!.changes).toEqual(['memoryMb 1024 -> 2048', 'code']);
    const text = formatDeploymentPlan(plan);
    expect(text).toMatch(/^unchanged {2}mbs-b0/m);
    expect(text).toContain(
      'update     mbs-b1    2048 MB, timeout 60 s (default): memoryMb 1024 -> 2048, code',
    );
    expect(text).toContain('2 function(s): 0 to create, 1 to update, 1 unchanged.');
    const same = planDeployment(config, {
      prefix: 'mbs',
      existing: {
        ...existing,
        'mbs-b1': {
          functionName: 'mbs-b1',
          memoryMb: 2048,
          timeoutSeconds: 60,
          codeSha256: codeSha256Of(zipFile),
        },
      },
      zipFile,
    });
    expect(formatDeploymentPlan(same)).toContain(
      'Nothing to do: all 2 function(s) are up to date.',
    );
  });

  it('names functions per window when there are several, and honours buffer function names', () => {
    const twoWindows: ConfigurationDocument = {
      ...config,
      windows: [
        config.windows[0]!,
        {
          startSeconds: 3600,
          endSeconds: 7200,
          system: { buffers: [{ ...buffer(0, 2, 512), functionName: 'night' }] },
        },
      ],
    };
    const names = planDeployment(twoWindows, { prefix: 'p', existing: {} }).functions.map(
      (planned) => planned.functionName,
    );
    expect(names).toEqual(['p-w0-b0', 'p-w0-b1', 'night']);
    expect(
      planDeployment(twoWindows, { prefix: 'p', existing: {}, window: 1 }).functions.map(
        (planned) => planned.functionName,
      ),
    ).toEqual(['night']);
  });

  it('chooses arm64 for a configuration priced on arm64', () => {
    const plan = planDeployment(
      { ...config, pricing: 'aws-arm64' },
      { prefix: 'mbs', existing: {} },
    );
    expect(plan.functions[0]!.spec.architecture).toBe('arm64');
  });

  it('lists a create without a zip as a problem and rejects bad settings', () => {
    expect(planDeployment(config, { prefix: 'mbs', existing: {} }).problems[0]).toContain(
      'needs a deployment zip',
    );
    const badPrefix = (() => {
      try {
        planDeployment(config, { prefix: 'has space', existing: {} });
      } catch (error) {
        return error;
      }
    })();
    expect(isMbsError(badPrefix, 'OPTION_INVALID')).toBe(true);
    expect(() => planDeployment(config, { prefix: 'mbs', existing: {}, window: 3 })).toThrow(
      /window must be an index in 0\.\.0/,
    );
    expect(() =>
      planDeployment(config, { prefix: 'mbs', existing: {}, runtime: 'nodejs18.x' }),
    ).toThrow(/runtime must be one of nodejs20\.x, nodejs22\.x, nodejs24\.x; got "nodejs18\.x"/);
    expect(
      planDeployment(config, { prefix: 'mbs', existing: {}, runtime: 'nodejs24.x' }).functions[0]!
        .spec.runtime,
    ).toBe('nodejs24.x');
    const clash: ConfigurationDocument = {
      ...config,
      windows: [
        {
          startSeconds: 0,
          endSeconds: 1,
          system: {
            buffers: [
              { ...buffer(0, 1, 1024), functionName: 'x' },
              { ...buffer(2, 2, 2048), functionName: 'x' },
            ],
          },
        },
      ],
    };
    expect(() => planDeployment(clash, { prefix: 'mbs', existing: {} })).toThrow(
      /named by buffers with different settings/,
    );
  });
});
