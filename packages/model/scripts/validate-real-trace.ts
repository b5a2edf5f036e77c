/**
 * Model vs replay of a real trace: the Azure LLM conversation trace (one hour) from
 * ../shared/data. Classes are 8 size quantiles; the model is driven by a MAP(2) fitted to the
 * trace (@mbs/traces fitWindow, matching rate, SCV, third moment and lag-1 autocorrelation) and
 * compared with (a) a replay of the real arrivals and (b) a replay of 10^6 arrivals drawn from
 * the fitted MAP, which separates the fit's error from the model's. Replays use @mbs/sim when it
 * is built, else this package's reference replay. p95 errors (and cost) are reported.
 * Run: `npm run validate:trace -w @mbs/model`. Exits 0 with a notice when the data is absent.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type {
  Arrival,
  ClassScheme,
  MarkovianArrivalProcess,
  PricingModel,
  ServiceTimeProfile,
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

/** The parts of other workspaces used here, loaded by name: they are not declared dependencies. */
interface TraceReaders {
  createCsvTraceReader(): { read(source: string): Trace };
}
interface TraceTools {
  classSchemeByQuantile(sorted: Float64Array, count: number): ClassScheme;
  classShares(scheme: ClassScheme, sizes: ArrayLike<number>): number[];
  fitWindow?(
    gaps: ArrayLike<number>,
    method: 'map2',
    label: string,
  ): { map: MarkovianArrivalProcess; report: { warnings: readonly string[] } };
}
interface Figures {
  p95LatencySeconds: number;
  costPerRequestUsd: number;
}
interface ReplayOptions {
  system: SystemConfiguration;
  profile: ServiceTimeProfile;
  pricing: PricingModel;
  seed: number;
}
interface Simulator {
  replayArrivals(arrivals: readonly Arrival[], options: ReplayOptions): { overall: Figures };
  simulateMap(
    workload: { map: MarkovianArrivalProcess; classShares: readonly number[] },
    options: ReplayOptions,
    requests: number,
  ): { overall: Figures };
}
async function load<T>(name: string): Promise<T | undefined> {
  try {
    return (await import(name)) as T;
  } catch {
    return undefined;
  }
}
const readers = await load<TraceReaders>('@mbs/trace-formats');
const traces = await load<TraceTools>('@mbs/traces');
const simulator = await load<Simulator>('@mbs/sim');
if (!readers || !traces) {
  console.log(
    '@mbs/trace-formats or @mbs/traces is not built; build them with npx turbo run build --filter=@mbs/trace-formats --filter=@mbs/traces',
  );
  process.exit(0);
}

const read: Arrival[] = [];
const trace = readers.createCsvTraceReader().read(tracePath);
for await (const arrival of trace) read.push(arrival);
const report = trace.report();
const count = read.length;
const times = Float64Array.from(read, (arrival) => arrival.timeSeconds);
const sizes = Float64Array.from(read, (arrival) => arrival.size);
const scheme = traces.classSchemeByQuantile(Float64Array.from(sizes).sort(), 8);
const classes = Int32Array.from(sizes, (size) => scheme.classOf(size));
const classShares = traces.classShares(scheme, sizes);
const arrivals: Arrival[] = read.map((arrival, index) => ({
  ...arrival,
  classId: classes[index]!,
}));
const gaps = Float64Array.from(
  { length: count - 1 },
  (_, index) => times[index + 1]! - times[index]!,
);

/** Fallback fit: a renewal MAP(2) with hyperexponential gaps matching mean and SCV. */
function fitRenewalMap(): MarkovianArrivalProcess {
  const mean = gaps.reduce((sum, gap) => sum + gap, 0) / gaps.length;
  const scv = gaps.reduce((sum, gap) => sum + gap * gap, 0) / gaps.length / (mean * mean) - 1;
  if (scv <= 1) return { d0: [[-1 / mean]], d1: [[1 / mean]] };
  const p = 0.5 * (1 + Math.sqrt((scv - 1) / (scv + 1)));
  const rates = [(2 * p) / mean, (2 * (1 - p)) / mean];
  return {
    d0: [
      [-rates[0]!, 0],
      [0, -rates[1]!],
    ],
    d1: rates.map((rate) => [rate * p, rate * (1 - p)]),
  };
}
const fitted = traces.fitWindow?.(gaps, 'map2', 'azure-llm-conv-2023');
const map = fitted?.map ?? fitRenewalMap();
const span = times[count - 1]! - times[0]!;
console.log(
  `Azure LLM conversation trace: ${count} requests over ${span.toFixed(0)} s (${(count / span).toFixed(2)} req/s); lines read ${report.linesRead}, skipped ${JSON.stringify(report.skipped)}.`,
);
console.log(
  `Classes (8 size quantiles), upper edges in tokens: ${scheme.upperEdges.map((edge) => Math.round(edge)).join(', ')}`,
);
console.log(
  `MAP: ${fitted ? '@mbs/traces fitWindow map2' : 'balanced-means H2 renewal (fallback)'}: d0 ${JSON.stringify(map.d0)}, d1 ${JSON.stringify(map.d1)}${fitted?.report.warnings.length ? `; warnings: ${fitted.report.warnings.join('; ')}` : ''}`,
);
console.log(
  `Replay: ${simulator ? '@mbs/sim' : 'the reference replay of @mbs/model (@mbs/sim not built)'}\n`,
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
function replayTrace(system: SystemConfiguration): Figures {
  if (simulator)
    return simulator.replayArrivals(arrivals, { system, profile, pricing, seed: 11 }).overall;
  const sample = replaySystemOnArrivals({
    arrivalTimes: times,
    classes,
    system,
    profile,
    pricing,
    uniform: seededUniform(11),
  });
  return {
    p95LatencySeconds: empiricalQuantile(sample.latenciesSeconds, 0.95),
    costPerRequestUsd: sample.meanCostPerRequestUsd,
  };
}
function replayMap(system: SystemConfiguration): Figures {
  if (simulator)
    return simulator.simulateMap(
      { map, classShares },
      { system, profile, pricing, seed: 5 },
      1_000_000,
    ).overall;
  const sample = replaySystem({
    map,
    classShares,
    system,
    profile,
    pricing,
    requests: 1_000_000,
    seed: 5,
  });
  return {
    p95LatencySeconds: empiricalQuantile(sample.latenciesSeconds, 0.95),
    costPerRequestUsd: sample.meanCostPerRequestUsd,
  };
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
