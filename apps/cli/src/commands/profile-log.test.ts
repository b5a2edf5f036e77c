import { appendFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isMbsError } from '@mbs/core';
import type { PointMeasurement } from '@mbs/profiles';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  appendMeasurement,
  type MeasurementSetup,
  measurementLogPath,
  openMeasurementLog,
} from './profile-log.js';

const SETUP: MeasurementSetup = {
  provider: 'local',
  code: 'sha256:abc',
  model: 'default',
  classSizes: [16, 128],
  encoding: 'numbers',
};
const POINT: PointMeasurement = {
  memoryMb: 512,
  classIndex: 1,
  batchSize: 4,
  functionName: 'p-m512',
  size: 128,
  durationsMs: [10, 11, 12],
  billedDurationsMs: [10, 11, 12],
  warmUpDurationsMs: [20],
  coldStarts: 1,
  retries: 0,
  stop: 'confidence',
};

let directory: string;
beforeAll(async () => {
  directory = await mkdtemp(join(tmpdir(), 'mbs-profile-log-'));
});
afterAll(async () => {
  await rm(directory, { recursive: true, force: true });
});

describe('the measurement log', () => {
  it('sits beside the profile', () => {
    expect(measurementLogPath('out/profile.json')).toBe('out/profile.measurements.jsonl');
    expect(measurementLogPath('measured')).toBe('measured.measurements.jsonl');
  });

  it('starts with the setup, reads back what was appended, and drops a torn last line', async () => {
    const path = join(directory, 'a.measurements.jsonl');
    expect((await openMeasurementLog(path, SETUP, false)).points).toEqual([]);
    await appendMeasurement(path, { kind: 'point', ...POINT });
    await appendMeasurement(path, {
      kind: 'cold-start',
      memoryMb: 512,
      functionName: 'p-m512',
      initDurationMs: 300,
      durationMs: 12,
    });
    await appendFile(path, '{"kind":"point","memoryMb":1024,"classInd');
    const log = await openMeasurementLog(path, { ...SETUP, endpoint: 'http://elsewhere' }, false);
    expect(log.points).toEqual([POINT]);
    expect(log.coldStarts).toHaveLength(1);
    expect(log.tornLine).toBe(true);
    // The torn line is gone, so the next append starts on a line of its own.
    expect((await readFile(path, 'utf8')).endsWith('}\n')).toBe(true);
    expect((await openMeasurementLog(path, SETUP, true)).points).toEqual([]);
  });

  it('refuses a log taken with another package, model or classes, naming the difference', async () => {
    const path = join(directory, 'b.measurements.jsonl');
    await openMeasurementLog(path, SETUP, false);
    const cases: [Partial<MeasurementSetup>, RegExp][] = [
      [
        { code: 'sha256:def' },
        /measured with code "sha256:abc" \(now "sha256:def"\); give --restart/,
      ],
      [{ classSizes: [16, 256] }, /class sizes 16,128 \(now 16,256\)/],
      [{ provider: 'aws' }, /provider "local" \(now "aws"\)/],
    ];
    for (const [change, message] of cases) {
      const error = await openMeasurementLog(path, { ...SETUP, ...change }, false).catch(
        (caught: unknown) => caught,
      );
      expect(isMbsError(error, 'CONFIG_INVALID')).toBe(true);
      expect((error as Error).message).toMatch(message);
    }
    // A hand-edited point is refused with its line, before it can reach the profile.
    const edited = join(directory, 'd.measurements.jsonl');
    await openMeasurementLog(edited, SETUP, false);
    const cases2: [Record<string, unknown>, RegExp][] = [
      [{ durationsMs: [10, 0, 12] }, /durationsMs must hold at least one duration/],
      [{ durationsMs: ['10'] }, /durationsMs/],
      [{ durationsMs: [10, 1e308, 12] }, /at most 900000 \(Lambda's longest timeout\)/],
      [{ billedDurationsMs: [10] }, /billedDurationsMs must hold one billed duration/],
      [{ rounds: [1, 2] }, /rounds must hold one whole round number/],
      [{ session: 7 }, /session must be a string/],
      [{ batchSize: 0 }, /batchSize is 0/],
    ];
    for (const [change, message] of cases2) {
      await writeFile(edited, `${(await readFile(edited, 'utf8')).split('\n')[0]}\n`);
      await appendMeasurement(edited, { kind: 'point', ...POINT });
      await appendFile(edited, `${JSON.stringify({ kind: 'point', ...POINT, ...change })}\n`);
      const error = await openMeasurementLog(edited, SETUP, false).catch(
        (caught: unknown) => caught,
      );
      expect((error as Error).message).toMatch(
        /d\.measurements\.jsonl line 3: a measured point whose /,
      );
      expect((error as Error).message).toMatch(message);
      expect((error as Error).message).toMatch(/remove the line, or give --restart/);
    }
    const other = join(directory, 'c.measurements.jsonl');
    await writeFile(other, '{"kind":"point"}\n');
    await expect(openMeasurementLog(other, SETUP, false)).rejects.toThrow(
      /not a measurement log of mbs profile/,
    );
  });
});
