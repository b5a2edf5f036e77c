import { isMbsError } from '@mbs/core';
import { describe, expect, it } from 'vitest';
import { parseProfileDocument } from './parse-profile-document.js';

const table = {
  '1024': [
    [100, 150],
    [200, 300],
  ],
  '2048': [
    [60, 90],
    [110, 170],
  ],
};

describe('parseProfileDocument', () => {
  it('reads the service_time law and measured points from an extra field', () => {
    const data = parseProfileDocument(
      {
        service_time: table,
        measured: [{ memory_mb: 1024, batch_size: 2, class: 1, ms: 310 }],
        note: 'x',
      },
      'p.json',
    );
    expect(data.profile.memorySizesMb).toEqual([1024, 2048]);
    expect(data.measured).toEqual([
      { memoryMb: 1024, classId: 1, batchSize: 2, serviceTimeMs: 310 },
    ]);
    expect(data.measuredFrom).toBe('field "measured"');
    expect(data.ignoredFields).toEqual(['note']);
  });

  it('takes a table shaped like service_time as measured points', () => {
    const data = parseProfileDocument(
      { service_time: table, samples: { '1024': [[101, 149]] } },
      'p.json',
    );
    expect(data.measured).toEqual([
      { memoryMb: 1024, classId: 0, batchSize: 1, serviceTimeMs: 101 },
      { memoryMb: 1024, classId: 0, batchSize: 2, serviceTimeMs: 149 },
    ]);
  });

  it('refuses a malformed law with the file named', () => {
    let error: unknown;
    try {
      parseProfileDocument({ service_time: { '1024': [[1, 'x']] } }, 'bad.json');
    } catch (caught) {
      error = caught;
    }
    expect(isMbsError(error) && error.code).toBe('PROFILE_INVALID');
    expect((error as Error).message).toContain('bad.json');
  });
});
