import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ServiceTimeProfile } from '@mbs/core';
import { batchSizeGrid, type SearchBounds, timeoutGrid } from '@mbs/optimizer';

/** The repository root. */
export const repositoryRoot = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '..',
  '..',
  '..',
);

/** The reference data beside the repository (`../shared/data`); absent on a fresh clone. */
export const dataDirectory = path.resolve(repositoryRoot, '..', 'shared', 'data');

/** The DeepSpeech Lambda service-time profile published with the MBS paper. */
export const deepSpeechProfilePath = path.join(
  dataDirectory,
  'deepspeech-lambda-service-time.json',
);

/** Whether the reference data is there to read. */
export function realDataPresent(): boolean {
  return existsSync(deepSpeechProfilePath);
}

/**
 * The grid every real case is solved on: up to 6 buffers, B 1..25 (a denser start), T 5 ms..1 s
 * in 12 geometric steps refined to 1 ms, every profile memory, and no split classes, because the
 * MBS paper's configurations do not split classes either.
 */
export function realCaseBounds(profile: ServiceTimeProfile): SearchBounds {
  return {
    maxBuffers: Math.min(6, profile.classCount),
    batchSizes: batchSizeGrid(1, Math.min(25, profile.maxBatchSize)),
    timeoutsSeconds: timeoutGrid(0.005, 1, 12, 0.001),
    memoriesMb: [...profile.memorySizesMb],
    splitShares: [],
    refineTimeoutResolutionSeconds: 0.001,
  };
}
