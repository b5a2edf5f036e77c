import { isMbsError } from '@mbs/core';
import { describe, expect, it } from 'vitest';
import { MEASURED_PROFILE_SCHEMA } from './measured-profile.js';
import { measurementMarker } from './measurement-marker.js';

const source = {
  provider: 'local',
  endpoint: 'http://127.0.0.1:9001',
  model: 'default',
  code: `sha256:${'a'.repeat(64)}`,
  encoding: 'numbers',
  functions: [
    { memoryMb: 512, functionName: 'mbs-profile-m512' },
    { memoryMb: 1769, functionName: 'mbs-profile-m1769' },
  ],
  measurementLog: 'measured.json.measurements.jsonl',
};
const document = (measurement: Record<string, unknown>) => ({
  service_time: { '512': [[1]] },
  measurement: {
    schema: MEASURED_PROFILE_SCHEMA,
    createdAt: '2026-12-06T00:00:00.000Z',
    source,
    ...measurement,
  },
});

function problem(value: unknown): string {
  try {
    measurementMarker(value, 'p.json');
  } catch (error) {
    expect(isMbsError(error) && error.code).toBe('PROFILE_INVALID');
    return (error as Error).message;
  }
  throw new Error('no error');
}

describe('measurementMarker', () => {
  it('reads where a measured profile was measured', () => {
    expect(measurementMarker(document({}), 'p.json')).toEqual({
      provider: 'local',
      endpoint: 'http://127.0.0.1:9001',
      model: 'default',
      code: source.code,
      functions: source.functions,
      createdAt: '2026-12-06T00:00:00.000Z',
    });
  });

  it('is undefined for a profile that was not measured by mbs profile', () => {
    expect(measurementMarker({ service_time: { '512': [[1]] } }, 'p.json')).toBeUndefined();
    expect(measurementMarker(document({ schema: 'other' }), 'p.json')).toBeUndefined();
    expect(measurementMarker([1, 2], 'p.json')).toBeUndefined();
  });

  it('names the field a damaged marker lacks', () => {
    expect(problem(document({ source: 'x' }))).toMatch(/p\.json: measurement\.source must be/);
    expect(problem(document({ source: { ...source, provider: 3 } }))).toMatch(
      /measurement\.source\.provider must be a non-empty string; got 3/,
    );
    expect(problem(document({ source: { ...source, functions: [] } }))).toMatch(
      /measurement\.source\.functions must be a non-empty array/,
    );
    expect(
      problem(
        document({ source: { ...source, functions: [{ memoryMb: 64, functionName: 'f' }] } }),
      ),
    ).toMatch(/functions\[0\]\.memoryMb must be a whole number of MB >= 128; got 64/);
    expect(problem(document({ createdAt: undefined }))).toMatch(/measurement\.createdAt/);
  });
});
