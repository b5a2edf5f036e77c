// Acceptance figures of `mbs profile` on the local emulator, every step through `mbs` as a user
// runs it:
//   default   mbs package (default model) -> mbs profile --provider local (default plan): wall
//             time and the distribution of the table's relative error at the measured points;
//   hold-out  mbs profile --full --hold-out on the same measurements (resumed: only the points
//             outside the designed subset are measured): the law fitted on the designed subset
//             against the measured means of the other points;
//   ppocr     mbs package --model ppocr -> mbs profile (size = text-line width).
// Usage: npm run validate:profile -w @mbs/validation -- [--parts default,hold-out,ppocr]
//        [--work DIR] (keeps the packages, profiles and measurement logs there)
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { type CliIo, main } from '@mbs/cli';
import { formatSeconds } from '@mbs/core';
import type { MeasurementSection } from '@mbs/profiles';

const { values } = parseArgs({
  options: {
    parts: { type: 'string', default: 'default,hold-out,ppocr' },
    work: { type: 'string' },
  },
});
const parts = new Set(values.parts.split(','));
const work = values.work ?? (await mkdtemp(join(tmpdir(), 'mbs-profile-acceptance-')));
await mkdir(work, { recursive: true });

/** Runs `mbs` with progress on this process's stderr; returns stdout. */
async function mbs(args: readonly string[]): Promise<string> {
  let out = '';
  const io: CliIo = {
    stdout: (text) => {
      out += text;
    },
    stderr: (text) => process.stderr.write(text),
    stderrIsTty: Boolean(process.stderr.isTTY),
  };
  const code = await main(args, io);
  if (code !== 0) throw new Error(`mbs ${args.join(' ')} exited ${code}`);
  return out;
}

const percent = (value: number) => `${(value * 100).toFixed(1)} %`;

function distribution(errors: readonly number[]): string {
  const sorted = errors.map(Math.abs).sort((a, b) => a - b);
  const at = (p: number) => sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)]!;
  const within = sorted.filter((value) => value <= 0.1).length;
  return `${sorted.length} points: |error| p50 ${percent(at(0.5))}, p90 ${percent(at(0.9))}, max ${percent(sorted.at(-1)!)}; ${within} within 10 %`;
}

function report(label: string, measurement: MeasurementSection, seconds: number): void {
  const fit = measurement.points.filter((point) => point.role === 'fit');
  const heldOut = measurement.points.filter((point) => point.role === 'held-out');
  const converged = measurement.points.filter((point) => point.stop === 'confidence').length;
  console.log(
    `\n${label}: ${formatSeconds(seconds)} wall, load average ${loadavg()[0]!.toFixed(1)}`,
  );
  console.log(`  fit      ${distribution(fit.map((point) => point.relativeError))}`);
  if (heldOut.length > 0) {
    console.log(`  held out ${distribution(heldOut.map((point) => point.relativeError))}`);
  }
  console.log(`  confidence width reached at ${converged} of ${measurement.points.length} points`);
  console.log(
    `  law per memory (a_M ms, b_M µs/unit): ${measurement.law.memories.map((memory) => `${memory.memoryMb}: ${memory.perInvocationMs.toFixed(2)}, ${(memory.perWorkUnitMs * 1000).toFixed(3)}`).join('; ')}`,
  );
  console.log(
    `  w_c / size: ${measurement.law.classWork.map((w, index) => (w / measurement.classes.sizes[index]!).toFixed(3)).join(', ')}`,
  );
  console.log(
    `  Init Duration per memory: ${measurement.initDurationMs.map((init) => `${init.memoryMb} MB ${init.meanMs.toFixed(0)} ms`).join(', ')}`,
  );
  const worst = [...measurement.points]
    .sort((a, b) => Math.abs(b.relativeError) - Math.abs(a.relativeError))
    .slice(0, 5);
  for (const point of worst) {
    console.log(
      `  worst: ${point.memoryMb} MB class ${point.classIndex} (size ${point.size}) B ${point.batchSize} ${point.role}: mean ${point.meanMs.toFixed(2)} ms (n ${point.count}, median ${point.medianMs.toFixed(2)}, CI width ${percent(point.ciRelativeWidth)}), table ${point.predictedMs.toFixed(2)} ms, ${percent(point.relativeError)}`,
    );
  }
}

async function profile(label: string, args: readonly string[]): Promise<void> {
  const started = Date.now();
  const result = JSON.parse(await mbs(['profile', '--provider', 'local', ...args, '--json']));
  report(label, result.measurement as MeasurementSection, (Date.now() - started) / 1000);
}

try {
  console.log(
    `work directory ${work}; load average ${loadavg()
      .map((value) => value.toFixed(1))
      .join(' ')}`,
  );
  const defaultZip = join(work, 'default.zip');
  if (parts.has('default') || parts.has('hold-out')) {
    await mbs(['package', '--model', 'default', '--out', defaultZip]);
  }
  const defaultArgs = ['--zip', defaultZip, '--out', join(work, 'default.json')];
  if (parts.has('default')) await profile('default model, default plan', defaultArgs);
  if (parts.has('hold-out')) {
    await profile('default model, --full --hold-out (fit on the designed subset)', [
      ...defaultArgs,
      '--full',
      '--hold-out',
    ]);
  }
  if (parts.has('ppocr')) {
    const ppocrZip = join(work, 'ppocr.zip');
    await mbs(['package', '--model', 'ppocr', '--out', ppocrZip]);
    await profile('PP-OCRv4 recognizer (size = text-line width)', [
      '--zip',
      ppocrZip,
      '--edges',
      '80,160,320,640',
      '--batch-sizes',
      '1,2,4,8',
      '--memories',
      '512,1024,1769,3008',
      '--out',
      join(work, 'ppocr.json'),
    ]);
    const text = await readFile(join(work, 'ppocr.json'), 'utf8');
    console.log(`  ${join(work, 'ppocr.json')}: ${text.length} bytes`);
  }
} finally {
  if (values.work === undefined) await rm(work, { recursive: true, force: true });
}
