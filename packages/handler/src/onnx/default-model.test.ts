import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { createRandom } from '@mbs/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loadOnnxRuntime } from '../onnx-runtime.js';
import { buildDefaultModel, DEFAULT_MODEL_SHAPE } from './default-model.js';

const packageDirectory = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** The default model's forward pass for one unpadded sequence, in plain float64 JavaScript. */
function referenceLogits(tokens: readonly number[]): number[] {
  const { vocabularySize, channels, kernelSize, dilations, classCount, seed } = DEFAULT_MODEL_SHAPE;
  const { next } = createRandom(seed);
  // Weights are drawn in the order the builder draws them, rounded to float32 as stored.
  const draw = (count: number, bound: number) =>
    Array.from({ length: count }, () => Math.fround((next() * 2 - 1) * bound));
  const embedding = draw(vocabularySize * channels, 1);
  const length = tokens.length;
  let hidden = Array.from({ length: channels }, (_, channel) =>
    tokens.map((token) => embedding[token * channels + channel]!),
  );
  for (const dilation of dilations) {
    const weight = draw(channels * channels * kernelSize, Math.sqrt(6 / (channels * kernelSize)));
    const bias = draw(channels, 0.05);
    const offset = (dilation * (kernelSize - 1)) / 2;
    hidden = hidden.map((row, out) =>
      row.map((value, position) => {
        let sum = bias[out]!;
        for (let input = 0; input < channels; input++) {
          for (let tap = 0; tap < kernelSize; tap++) {
            const source = position + tap * dilation - offset;
            if (source < 0 || source >= length) continue;
            sum += weight[(out * channels + input) * kernelSize + tap]! * hidden[input]![source]!;
          }
        }
        return Math.max(sum, 0) + value;
      }),
    );
  }
  const classifier = draw(channels * classCount, Math.sqrt(6 / (channels + classCount)));
  const classifierBias = draw(classCount, 0.05);
  const pooled = hidden.map((row) => row.reduce((total, value) => total + value, 0) / length);
  return Array.from({ length: classCount }, (_, label) =>
    pooled.reduce(
      (total, value, channel) => total + value * classifier[channel * classCount + label]!,
      classifierBias[label]!,
    ),
  );
}

async function runModel(rows: readonly (readonly number[])[]): Promise<Float32Array[]> {
  const ort = await loadOnnxRuntime();
  const session = await ort.InferenceSession.create(buildDefaultModel());
  const paddedLength = Math.max(...rows.map((row) => row.length));
  const ids = new BigInt64Array(rows.length * paddedLength);
  rows.forEach((row, index) => {
    row.forEach((token, position) => {
      ids[index * paddedLength + position] = BigInt(token);
    });
  });
  const { logits } = await session.run({
    token_ids: new ort.Tensor('int64', ids, [rows.length, paddedLength]),
  });
  await session.release();
  const values = logits!.data as Float32Array;
  return rows.map((_, index) => values.slice(index * 16, (index + 1) * 16));
}

describe('buildDefaultModel', () => {
  it('returns the same bytes on every call, well under a megabyte', () => {
    const first = buildDefaultModel();
    expect(Buffer.from(buildDefaultModel()).equals(Buffer.from(first))).toBe(true);
    expect(first.length).toBeGreaterThan(300_000);
    expect(first.length).toBeLessThan(1_000_000);
  });

  it('is what scripts/build-default-model.ts writes', async () => {
    const directory = await mkdtemp(join(tmpdir(), 'mbs-default-model-'));
    try {
      const outFile = join(directory, 'default.onnx');
      await promisify(execFile)(
        process.execPath,
        ['--import', 'tsx', 'scripts/build-default-model.ts', outFile],
        { cwd: packageDirectory },
      );
      expect(Buffer.from(await readFile(outFile)).equals(Buffer.from(buildDefaultModel()))).toBe(
        true,
      );
    } finally {
      await rm(directory, { recursive: true, force: true });
    }
  });

  it('loads in onnxruntime-node with token_ids in and logits out', async () => {
    const ort = await loadOnnxRuntime();
    const session = await ort.InferenceSession.create(buildDefaultModel());
    expect(session.inputNames).toEqual(['token_ids']);
    expect(session.outputNames).toEqual(['logits']);
    await session.release();
  });

  it('computes embedding -> dilated residual convolutions -> mean pool -> classifier', async () => {
    const rows = [[5], [17, 999, 1, 42, 7, 7, 300], Array.from({ length: 40 }, (_, i) => i + 1)];
    const outputs = await runModel(rows);
    rows.forEach((row, index) => {
      const expected = referenceLogits(row);
      const actual = Array.from(outputs[index]!);
      actual.forEach((value, label) => {
        expect(value).toBeCloseTo(expected[label]!, 3);
      });
    });
  });

  it('gives each sequence the same logits whatever its batch is padded to', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.array(fc.integer({ min: 1, max: 999 }), { minLength: 1, maxLength: 60 }), {
          minLength: 2,
          maxLength: 6,
        }),
        async (rows) => {
          const batched = await runModel(rows);
          for (const [index, row] of rows.entries()) {
            const [alone] = await runModel([row]);
            const scale = Math.max(1, ...Array.from(alone!, Math.abs));
            for (let label = 0; label < 16; label++) {
              expect(Math.abs(batched[index]![label]! - alone![label]!)).toBeLessThan(1e-5 * scale);
            }
          }
        },
      ),
      { numRuns: 15 },
    );
  });
});
