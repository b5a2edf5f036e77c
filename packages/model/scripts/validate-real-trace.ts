/**
 * Model vs replay of a real trace: the Azure LLM conversation trace (19,365 requests, one hour)
 * from ../shared/data. Classes are 8 size quantiles; the model is driven by a MAP(2) fitted to
 * the trace's inter-arrival mean and SCV (a balanced-means hyperexponential renewal process)
 * and compared with (a) a replay of the real arrivals and (b) a replay of 10^6 arrivals drawn
 * from the fitted MAP, which separates fit error from model error. p95 errors are reported.
 * Run: `tsx scripts/validate-real-trace.ts`. Exits 0 with a notice when the data is absent.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type {
  Arrival,
  ClassScheme,
  MarkovianArrivalProcess,
  SystemConfiguration,
  Trace,
} from '@mbs/core';
import {
  createValidationPricing,
  createValidationProfile,
  empiricalQuantile,
  evaluateSystem,
  replaySystem,
  replaySystemOnArrivals,
  seededUniform,
} from '../src/index.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const repositoryRoot = path.resolve(here, '..', '..', '..');
const tracePath = path.resolve(repositoryRoot, '..', 'shared', 'data', 'azure-llm-conv-2023.csv');
if (!existsSync(tracePath)) {
  console.log(
    `No real trace at ${tracePath}: nothing to validate (this is fine on a fresh clone).`,
  );
  process.exit(0);
}

/** The parts of @mbs/trace-formats and @mbs/traces used here (loaded by name at run time). */
interface TraceReaders {
  createCsvTraceReader(): { read(source: string): Trace };
}
interface TraceTools {
  classSchemeByQuantile(sorted: Float64Array, count: number): ClassScheme;
  classShares(scheme: ClassScheme, sizes: ArrayLike<number>): number[];
}
// Not declared dependencies of this package: the type checker must not need their builds.
const readerModule = '@mbs/trace-formats';
const traceModule = '@mbs/traces';
let readers: TraceReaders;
let traces: TraceTools;
try {
  readers = (await import(readerModule)) as TraceReaders;
  traces = (await import(traceModule)) as TraceTools;
} catch (error) {
  console.log(
    `@mbs/trace-formats or @mbs/traces is not built (${(error as Error).message}); build them with npx turbo run build --filter=@mbs/trace-formats --filter=@mbs/traces`,
  );
  process.exit(0);
}

const arrivals: Arrival[] = [];
const trace = readers.createCsvTraceReader().read(tracePath);
for await (const arrival of trace) arrivals.push(arrival);
const report = trace.report();
const count = arrivals.length;
const times = Float64Array.from(arrivals, (arrival) => arrival.timeSeconds);
const sizes = Float64Array.from(arrivals, (arrival) => arrival.size);
const scheme = traces.classSchemeByQuantile(Float64Array.from(sizes).sort(), 8);
const classes = Int32Array.from(sizes, (size) => scheme.classOf(size));
const classShares = traces.classShares(scheme, sizes);

// Inter-arrival mean and SCV; ties (equal timestamps) are kept as zero gaps.
let sum = 0;
let sumSquares = 0;
for (let index = 1; index < count; index++) {
  const gap = times[index]! - times[index - 1]!;
  sum += gap;
  sumSquares += gap * gap;
}
const mean = sum / (count - 1);
const scv = sumSquares / (count - 1) / (mean * mean) - 1;

/** A renewal MAP(2) with hyperexponential gaps matching mean and SCV (balanced means), or Poisson. */
function fitRenewalMap(meanSeconds: number, squaredCoefficient: number): MarkovianArrivalProcess {
  if (squaredCoefficient <= 1) return { d0: [[-1 / meanSeconds]], d1: [[1 / meanSeconds]] };
  const p = 0.5 * (1 + Math.sqrt((squaredCoefficient - 1) / (squaredCoefficient + 1)));
  const rates = [(2 * p) / meanSeconds, (2 * (1 - p)) / meanSeconds];
  return {
    d0: [
      [-rates[0]!, 0],
      [0, -rates[1]!],
    ],
    d1: rates.map((rate) => [rate * p, rate * (1 - p)]),
  };
}
const map = fitRenewalMap(mean, scv);

console.log(
  `Azure LLM conversation trace: ${count} requests over ${(times[count - 1]! - times[0]!).toFixed(0)} s (${(count / (times[count - 1]! - times[0]!)).toFixed(2)} req/s), inter-arrival SCV ${scv.toFixed(2)}; lines read ${report.linesRead}, skipped ${JSON.stringify(report.skipped)}.`,
);
console.log(
  `Class upper edges (tokens): ${scheme.upperEdges.map((edge) => Math.round(edge)).join(', ')}`,
);
console.log(
  `Fitted MAP: balanced-means H2 renewal, d0 ${JSON.stringify(map.d0)}, d1 ${JSON.stringify(map.d1)}\n`,
);

const profile = createValidationProfile();
const pricing = createValidationPricing();
function systemOf(
  bufferCount: number,
  batchSize: number,
  timeoutSeconds: number,
): SystemConfiguration {
  const buffer = (first: number, last: number) => ({
    firstClass: first,
    lastClass: last,
    firstClassShare: 1,
    lastClassShare: 1,
    batchSize,
    timeoutSeconds,
    memoryMb: 2048,
  });
  return bufferCount === 1
    ? { buffers: [buffer(0, 7)] }
    : { buffers: [buffer(0, 1), buffer(2, 3), buffer(4, 5), buffer(6, 7)] };
}

const percent = (value: number) => `${value >= 0 ? '+' : ''}${(value * 100).toFixed(2)}%`;
const header =
  'buf   B  T ms  trace p95 ms  MAP-replay p95 ms  exact vs trace  exact vs MAP replay  mbs vs trace  cost exact vs trace';
console.log(header);
console.log('-'.repeat(header.length));
for (const bufferCount of [1, 4]) {
  for (const batchSize of [5, 10, 25]) {
    for (const timeoutSeconds of [0.05, 0.2, 0.5]) {
      const system = systemOf(bufferCount, batchSize, timeoutSeconds);
      const real = replaySystemOnArrivals({
        arrivalTimes: times,
        classes,
        system,
        profile,
        pricing,
        uniform: seededUniform(11),
      });
      const synthetic = replaySystem({
        map,
        classShares,
        system,
        profile,
        pricing,
        requests: 1_000_000,
        seed: 5,
      });
      const exact = evaluateSystem({
        map,
        classShares,
        system,
        profile,
        pricing,
        percentile: 0.95,
      });
      const mbs = evaluateSystem({
        map,
        classShares,
        system,
        profile,
        pricing,
        percentile: 0.95,
        approximation: 'mbs',
      });
      const realP95 = empiricalQuantile(real.latenciesSeconds, 0.95);
      const syntheticP95 = empiricalQuantile(synthetic.latenciesSeconds, 0.95);
      console.log(
        [
          String(bufferCount).padStart(3),
          String(batchSize).padStart(3),
          String(timeoutSeconds * 1000).padStart(5),
          (realP95 * 1000).toFixed(1).padStart(12),
          (syntheticP95 * 1000).toFixed(1).padStart(17),
          percent(exact.latencyPercentileSeconds / realP95 - 1).padStart(14),
          percent(exact.latencyPercentileSeconds / syntheticP95 - 1).padStart(19),
          percent(mbs.latencyPercentileSeconds / realP95 - 1).padStart(12),
          percent(exact.costPerRequestUsd / real.meanCostPerRequestUsd - 1).padStart(19),
        ].join('  '),
      );
    }
  }
}
console.log(
  '\n"exact vs MAP replay" is the model error; "exact vs trace" adds the error of fitting a renewal MAP(2) to the trace (its correlations and non-stationarity are not captured).',
);
