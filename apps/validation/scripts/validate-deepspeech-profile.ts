// Reads the published DeepSpeech profile from ../shared/data (when present) and reports its shape,
// how often it is not monotone, and the leave-one-out error of inverse-memory interpolation.
// Run: npm run validate:profile -w @mbs/validation.
import { readFile } from 'node:fs/promises';
import { parseMbsProfile, readMbsProfile } from '@mbs/profiles';
import { deepSpeechProfilePath as path, realDataPresent } from '../src/real-data.js';

if (!realDataPresent()) {
  console.log(`No reference data at ${path}; nothing to validate.`);
  process.exit(0);
}
const profile = await readMbsProfile(path);
const { memorySizesMb, classCount, maxBatchSize } = profile;
console.log(
  `${profile.name}: ${memorySizesMb.length} memories ${memorySizesMb[0]}..${memorySizesMb.at(-1)} MB, ${classCount} classes, batch 1..${maxBatchSize}`,
);
let batchDrops = 0;
let classDrops = 0;
let memoryRises = 0;
let cells = 0;
for (const memoryMb of memorySizesMb) {
  for (let classId = 0; classId < classCount; classId++) {
    for (let batch = 1; batch <= maxBatchSize; batch++) {
      cells++;
      const time = profile.serviceTimeSeconds(memoryMb, classId, batch);
      if (batch > 1 && time < profile.serviceTimeSeconds(memoryMb, classId, batch - 1))
        batchDrops++;
      if (classId > 0 && time < profile.serviceTimeSeconds(memoryMb, classId - 1, batch))
        classDrops++;
      const index = memorySizesMb.indexOf(memoryMb);
      if (index > 0 && time > profile.serviceTimeSeconds(memorySizesMb[index - 1]!, classId, batch))
        memoryRises++;
    }
  }
}
console.log(
  `not monotone: ${batchDrops} drops with batch size, ${classDrops} drops with class, ${memoryRises} rises with memory, of ${cells} entries`,
);
// Leave one interior memory out, interpolate it from its neighbours, compare with the measurement.
const raw = JSON.parse(await readFile(path, 'utf8')) as { service_time: Record<string, unknown> };
const errors: number[] = [];
for (const left of memorySizesMb.slice(1, -1)) {
  const reduced = Object.fromEntries(
    Object.entries(raw.service_time).filter(([key]) => Number(key) !== left),
  );
  const partial = parseMbsProfile({ service_time: reduced }, 'leave-one-out.json');
  for (let classId = 0; classId < classCount; classId++) {
    for (let batch = 1; batch <= maxBatchSize; batch++) {
      const measured = profile.serviceTimeSeconds(left, classId, batch);
      errors.push(Math.abs(partial.serviceTimeSeconds(left, classId, batch) / measured - 1));
    }
  }
}
errors.sort((a, b) => a - b);
const at = (q: number) => errors[Math.min(errors.length - 1, Math.floor(q * errors.length))]!;
console.log(
  `leave-one-out inverse-memory interpolation, relative error: median ${(at(0.5) * 100).toFixed(2)}%, p95 ${(at(0.95) * 100).toFixed(2)}%, max ${(errors.at(-1)! * 100).toFixed(2)}% over ${errors.length} entries`,
);
