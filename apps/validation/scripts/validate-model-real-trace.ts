/**
 * Model vs replay of a real trace: the Azure LLM conversation trace (one hour) from
 * ../shared/data. Classes are 8 size quantiles; the model is driven by a MAP(2) fitted to the
 * trace (@mbs/traces fitWindow, matching rate, SCV, third moment and lag-1 autocorrelation) and
 * compared with (a) a replay in @mbs/sim of the real arrivals and (b) a replay of 10^6 arrivals
 * drawn from the fitted MAP, which separates the fit's error from the model's. The service times
 * are `mbs validate`'s synthetic profile and Lambda x86 prices. p95 errors (and cost) are reported.
 * Run: `npm run validate:model-trace -w @mbs/validation` after `npx turbo run build`. Exits 0
 * with a notice when the data is absent.
 */
import path from 'node:path';
import type { Arrival, SystemConfiguration } from '@mbs/core';
import { evaluateSystem } from '@mbs/model';
import { replayArrivals, simulateMap } from '@mbs/sim';
import { createLambdaLikePricing, createSyntheticProfile } from '@mbs/test-utils';
import { createCsvTraceReader } from '@mbs/trace-formats';
import { classSchemeByQuantile, fitWindow, classShares as sharesOf } from '@mbs/traces';
import { dataDirectory, realDataPresent } from '../src/real-data.js';

const tracePath = path.join(dataDirectory, 'azure-llm-conv-2023.csv');
if (!realDataPresent()) {
  console.log(`No real data at ${dataDirectory}: nothing to validate (fine on a fresh clone).`);
  process.exit(0);
}

const read: Arrival[] = [];
const trace = createCsvTraceReader().read(tracePath);
for await (const arrival of trace) read.push(arrival);
const report = trace.report();
const count = read.length;
const times = Float64Array.from(read, (arrival) => arrival.timeSeconds);
const sizes = Float64Array.from(read, (arrival) => arrival.size);
const scheme = classSchemeByQuantile(Float64Array.from(sizes).sort(), 8);
const classes = Int32Array.from(sizes, (size) => scheme.classOf(size));
const classShares = sharesOf(scheme, sizes);
const arrivals: Arrival[] = read.map((arrival, index) => ({
  ...arrival,
  classId: classes[index]!,
}));
const gaps = Float64Array.from(
  { length: count - 1 },
  (_, index) => times[index + 1]! - times[index]!,
);

const { map, report: fitReport } = fitWindow(gaps, 'map2', 'azure-llm-conv-2023');
const span = times[count - 1]! - times[0]!;
console.log(
  `Azure LLM conversation trace: ${count} requests over ${span.toFixed(0)} s (${(count / span).toFixed(2)} req/s); lines read ${report.linesRead}, skipped ${JSON.stringify(report.skipped)}.`,
);
console.log(
  `Classes (8 size quantiles), upper edges in tokens: ${scheme.upperEdges.map((edge) => Math.round(edge)).join(', ')}`,
);
console.log(
  `MAP: @mbs/traces fitWindow map2: d0 ${JSON.stringify(map.d0)}, d1 ${JSON.stringify(map.d1)}${fitReport.warnings.length ? `; warnings: ${fitReport.warnings.join('; ')}` : ''}`,
);
console.log('Replay: @mbs/sim\n');

// The synthetic 8-class profile and the Lambda x86 pricing of `mbs validate`.
const profile = createSyntheticProfile({
  name: 'validation-synthetic',
  classCount: 8,
  secondsPerClass: 0.008,
});
const pricing = createLambdaLikePricing({ billsInitPhase: false });
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
function replayTrace(system: SystemConfiguration) {
  return replayArrivals(arrivals, { system, profile, pricing, seed: 11 }).overall;
}
function replayMap(system: SystemConfiguration) {
  return simulateMap({ map, classShares }, { system, profile, pricing, seed: 5 }, 1_000_000)
    .overall;
}

const percent = (value: number) => `${value >= 0 ? '+' : ''}${(value * 100).toFixed(2)}%`;
const header =
  'buf   B   T ms  trace p95 ms  MAP-replay p95 ms  exact vs trace  exact vs MAP replay  mbs vs trace  cost exact vs trace';
console.log(header);
console.log('-'.repeat(header.length));
const errors: number[] = [];
for (const bufferCount of [1, 4]) {
  for (const batchSize of [5, 10, 25]) {
    for (const timeoutSeconds of [0.05, 0.2, 0.5]) {
      const system = systemOf(bufferCount, batchSize, timeoutSeconds);
      const real = replayTrace(system);
      const synthetic = replayMap(system);
      const input = { map, classShares, system, profile, pricing, percentile: 0.95 };
      const exact = evaluateSystem(input);
      const mbs = evaluateSystem({ ...input, approximation: 'mbs' });
      const versusTrace = exact.latencyPercentileSeconds / real.p95LatencySeconds - 1;
      errors.push(versusTrace);
      console.log(
        [
          String(bufferCount).padStart(3),
          String(batchSize).padStart(3),
          String(timeoutSeconds * 1000).padStart(5),
          (real.p95LatencySeconds * 1000).toFixed(1).padStart(12),
          (synthetic.p95LatencySeconds * 1000).toFixed(1).padStart(17),
          percent(versusTrace).padStart(14),
          percent(exact.latencyPercentileSeconds / synthetic.p95LatencySeconds - 1).padStart(19),
          percent(mbs.latencyPercentileSeconds / real.p95LatencySeconds - 1).padStart(12),
          percent(exact.costPerRequestUsd / real.costPerRequestUsd - 1).padStart(19),
        ].join('  '),
      );
    }
  }
}
const largest = errors.reduce((worst, value) => Math.max(worst, Math.abs(value)), 0);
console.log(
  `\nLargest |p95 error| of the model vs the real trace: ${(largest * 100).toFixed(2)} %. "exact vs MAP replay" is the model's own error; "exact vs trace" adds the fit's (a MAP(2) does not capture the trace's non-stationarity).`,
);
