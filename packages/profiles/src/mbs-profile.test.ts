import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isMbsError } from '@mbs/core';
import { expectRegistrable } from '@mbs/test-utils';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseMbsProfile, readMbsProfile } from './mbs-profile.js';

// Times of the form a + k / memory, which interpolation linear in 1/memory reproduces exactly.
const exactForm = (memoryMb: number, classId: number, batchSize: number) =>
  100 * (classId + 1) + 50 * batchSize + (400_000 * batchSize * (classId + 1)) / memoryMb;
const MEMORIES = [1024, 2048, 4096];
const fixture = {
  service_time: Object.fromEntries(
    MEMORIES.map((memoryMb) => [
      String(memoryMb),
      [0, 1].map((classId) => [1, 2, 3].map((batch) => exactForm(memoryMb, classId, batch))),
    ]),
  ),
};

function errorOf(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  return undefined;
}

describe('parseMbsProfile', () => {
  it('reads the shape and answers measured points exactly, in seconds', () => {
    const profile = parseMbsProfile(fixture, 'profiles/deep speech.json');
    expectRegistrable('profile', profile);
    expect(profile.name).toBe('deep-speech');
    expect(profile.memorySizesMb).toEqual(MEMORIES);
    expect(profile.classCount).toBe(2);
    expect(profile.maxBatchSize).toBe(3);
    expect(profile.interpolation).toBe('inverse-memory');
    expect(profile.memoryRangeMb).toEqual({ min: 1024, max: 4096 });
    for (const memoryMb of MEMORIES) {
      for (const classId of [0, 1]) {
        for (const batch of [1, 2, 3]) {
          expect(profile.serviceTimeSeconds(memoryMb, classId, batch)).toBe(
            exactForm(memoryMb, classId, batch) / 1000,
          );
        }
      }
    }
  });

  it('interpolates linearly in 1/memory between measured memories', () => {
    const profile = parseMbsProfile(fixture, 'fixture.json');
    fc.assert(
      fc.property(
        fc.double({ min: 1024, max: 4096, noNaN: true }),
        fc.integer({ min: 0, max: 1 }),
        fc.integer({ min: 1, max: 3 }),
        (memoryMb, classId, batch) => {
          expect(profile.serviceTimeSeconds(memoryMb, classId, batch)).toBeCloseTo(
            exactForm(memoryMb, classId, batch) / 1000,
            9,
          );
        },
      ),
    );
  });

  it('sorts memories given out of order and clamps inside a wider range', () => {
    const shuffled = {
      service_time: Object.fromEntries(Object.entries(fixture.service_time).reverse()),
    };
    const profile = parseMbsProfile(shuffled, 'fixture.json', {
      memoryRangeMb: { min: 128, max: 10_240 },
    });
    expect(profile.memorySizesMb).toEqual(MEMORIES);
    expect(profile.serviceTimeSeconds(512, 1, 2)).toBe(profile.serviceTimeSeconds(1024, 1, 2));
    expect(profile.serviceTimeSeconds(8192, 0, 1)).toBe(profile.serviceTimeSeconds(4096, 0, 1));
  });

  it('answers only measured memories when exact', () => {
    const profile = parseMbsProfile(fixture, 'fixture.json', { interpolation: 'exact' });
    expect(profile.serviceTimeSeconds(2048, 1, 3)).toBe(exactForm(2048, 1, 3) / 1000);
    const error = errorOf(() => profile.serviceTimeSeconds(1536, 1, 3));
    expect(isMbsError(error, 'PROFILE_INVALID')).toBe(true);
    expect((error as Error).message).toMatch(/1536 MB was not measured.*1024, 2048, 4096/);
  });

  it('refuses queries outside what it covers', () => {
    const profile = parseMbsProfile(fixture, 'fixture.json');
    expect(() => profile.serviceTimeSeconds(2048, 2, 1)).toThrow(/class 2 is outside 0..1/);
    expect(() => profile.serviceTimeSeconds(2048, 0, 4)).toThrow(/batch size 4 is outside 1..3/);
    expect(() => profile.serviceTimeSeconds(2048, 0, 0)).toThrow(/batch size 0/);
    expect(() => profile.serviceTimeSeconds(512, 0, 1)).toThrow(/memory 512 MB is outside/);
  });

  it('names the memory, class and batch of a bad entry', () => {
    const broken = structuredClone(fixture) as { service_time: Record<string, unknown[][]> };
    broken.service_time['2048']![1]![2] = null;
    const error = errorOf(() => parseMbsProfile(broken, 'broken.json'));
    expect(isMbsError(error, 'PROFILE_INVALID')).toBe(true);
    expect((error as Error).message).toBe(
      '[@mbs/profiles] broken.json: service_time["2048"][1][2] (memory 2048 MB, class 1, batch 3) must be a time in ms > 0; got null',
    );
  });

  it('refuses ragged tables, bad keys and bad roots', () => {
    const cases: [unknown, RegExp][] = [
      [[], /\(root\)/],
      [{ serviceTime: {} }, /service_time must be an object/],
      [{ service_time: {} }, /lists no memory size/],
      [{ service_time: { '1k': [[1]] } }, /not a memory size in whole MB/],
      [
        {
          service_time: {
            1024: [[1, 2]],
            2048: [
              [1, 2],
              [3, 4],
            ],
          },
        },
        /"2048"\] \(memory 2048 MB\) lists 2 classes/,
      ],
      [
        { service_time: { 1024: [[1, 2], [3]] } },
        /"1024"\]\[1\] \(memory 1024 MB, class 1\) must be an array of 2 times/,
      ],
      [{ service_time: { 1024: [[1, -2]] } }, /batch 2\) must be a time in ms > 0; got -2/],
      [{ service_time: { 1024: [] } }, /non-empty array of classes/],
    ];
    for (const [value, pattern] of cases) {
      const error = errorOf(() => parseMbsProfile(value, 'bad.json'));
      expect(isMbsError(error, 'PROFILE_INVALID')).toBe(true);
      expect((error as Error).message).toMatch(pattern);
    }
  });

  it('rejects unknown and invalid options', () => {
    expect(() =>
      parseMbsProfile(fixture, 'f.json', { mode: 'x' } as unknown as Parameters<
        typeof parseMbsProfile
      >[2]),
    ).toThrow(/unknown option "mode"/);
    expect(() =>
      parseMbsProfile(fixture, 'f.json', { interpolation: 'linear' as 'exact' }),
    ).toThrow(/accepted: inverse-memory, exact/);
    expect(() => parseMbsProfile(fixture, 'f.json', { name: 'Bad Name' })).toThrow(/kebab-case/);
  });
});

describe('parseMbsProfile limits', () => {
  const rows = (first: number[]) => [first, [20, 24, 28]];

  it("refuses memories outside Lambda's 128..10240 MB, naming the key", () => {
    for (const memory of ['64', '99999']) {
      const error = errorOf(() =>
        parseMbsProfile({ service_time: { [memory]: rows([10, 12, 14]) } }, 'p.json'),
      );
      expect(isMbsError(error, 'PROFILE_INVALID')).toBe(true);
      expect((error as Error).message).toBe(
        `[@mbs/profiles] p.json: service_time["${memory}"] is ${memory} MB; memories must be a whole number of MB in 128..10240 (Lambda's range)`,
      );
    }
  });

  it('refuses a clearly non-monotone row, naming memory, class, batch sizes and times', () => {
    const error = errorOf(() =>
      parseMbsProfile({ service_time: { '1024': rows([10, 12, 5]) } }, 'p.json'),
    );
    expect(isMbsError(error, 'PROFILE_INVALID')).toBe(true);
    expect((error as Error).message).toContain(
      'service_time["1024"][0] (memory 1024 MB, class 0) is not monotone in batch size: batch 3 takes 5 ms, 58.3 % less than batch 2 (12 ms)',
    );
  });

  it('raises dips within the noise tolerance to the envelope and says so', () => {
    const warnings: string[] = [];
    const profile = parseMbsProfile(
      { service_time: { '1024': rows([10, 12, 11.9]), '2048': rows([8, 9, 10]) } },
      'p.json',
      { onWarning: (message) => warnings.push(message) },
    );
    expect(profile.serviceTimeSeconds(1024, 0, 3)).toBe(0.012);
    expect(profile.serviceTimeSeconds(2048, 0, 3)).toBe(0.01);
    expect(warnings).toEqual([
      'p.json: 1 service times were lower than the time of the next smaller batch (by up to 0.83 %, within the 5 % noise tolerance) and were raised to it, so the profile is monotone in batch size',
    ]);
    expect(profile.description).toContain('1 entries raised to be monotone in batch size');
  });

  it('is monotone in batch size after reading, or refused', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: 0.9, max: 1.5, noNaN: true }), { minLength: 2, maxLength: 8 }),
        (factors) => {
          let time = 10;
          const row = factors.map((factor) => (time *= factor));
          let profile: ReturnType<typeof parseMbsProfile>;
          try {
            profile = parseMbsProfile({ service_time: { '1024': [row] } }, 'p.json');
          } catch (error) {
            // Refused only when some time is more than 5 % below the largest one before it.
            expect(isMbsError(error, 'PROFILE_INVALID')).toBe(true);
            expect(
              row.some((value, index) => value < 0.95 * Math.max(...row.slice(0, index + 1))),
            ).toBe(true);
            return;
          }
          for (let batch = 2; batch <= row.length; batch++) {
            expect(profile.serviceTimeSeconds(1024, 0, batch)).toBeGreaterThanOrEqual(
              profile.serviceTimeSeconds(1024, 0, batch - 1),
            );
          }
        },
      ),
    );
  });
});

describe('readMbsProfile', () => {
  it('reads a file, and says which file cannot be read or parsed', async () => {
    const directory = await mkdtemp(join(tmpdir(), 'mbs-profiles-'));
    try {
      const good = join(directory, 'speech.json');
      await writeFile(good, JSON.stringify(fixture));
      const profile = await readMbsProfile(good);
      expect(profile.name).toBe('speech');
      expect(profile.serviceTimeSeconds(4096, 1, 1)).toBe(exactForm(4096, 1, 1) / 1000);

      const bad = join(directory, 'bad.json');
      await writeFile(bad, '{"service_time": ');
      await expect(readMbsProfile(bad)).rejects.toThrow(/bad\.json: not valid JSON/);
      const missing = join(directory, 'missing.json');
      await expect(readMbsProfile(missing)).rejects.toMatchObject({ code: 'IO' });
    } finally {
      await rm(directory, { recursive: true, force: true });
    }
  });
});
