/**
 * Validation against real data in ../shared/data (not a test: the data is not in the repo).
 * Run: `npm run validate:traces -w @mbs/validation` after `npx turbo run build`.
 *
 * 1. The Azure LLM conversation trace: statistics and a per-window fit, checked against the
 *    figures published with the data (about 5.5 req/s, SCV about 1.2, sizes 2 to 14,050 tokens,
 *    median about 1,020) and the arrival count against a direct count of its data lines.
 * 2. The 24 Twitter MAPs: 10^5 sampled arrivals each, sample rate/SCV/lag-1 vs the MAP's analytic
 *    values from @mbs/markov.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { arrivalRate, interArrivalScv, lagAutocorrelation, validateMap } from '@mbs/markov';
import { createCsvTraceReader, createMapTraceReader, readMapFiles } from '@mbs/trace-formats';
import { fitWorkload, traceStatistics } from '@mbs/traces';
import { dataDirectory } from '../src/real-data.js';

function figure(value: number, digits = 4): string {
  return Number.isFinite(value) ? String(Number(value.toPrecision(digits))) : String(value);
}

function check(label: string, ok: boolean, detail: string): boolean {
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${label}: ${detail}`);
  return ok;
}

async function validateAzure(path: string): Promise<boolean> {
  console.log(`\n== Azure LLM trace: ${path}`);
  const started = performance.now();
  const statistics = await traceStatistics(createCsvTraceReader().read(path), {
    classes: { by: 'quantile', count: 8 },
    lags: 5,
  });
  const seconds = (performance.now() - started) / 1000;
  const ia = statistics.interArrival!;
  console.log(
    `read ${statistics.read.linesRead} lines in ${seconds.toFixed(2)} s; skipped ${JSON.stringify(statistics.read.skipped)}`,
  );
  console.log(
    `arrivals ${statistics.count}, duration ${figure(statistics.durationSeconds)} s, rate ${figure(statistics.rateRequestsPerSecond)} req/s, SCV ${figure(ia.scv)}, lags 1..5 ${ia.autocorrelations.map((value) => figure(value, 3)).join(' ')}`,
  );
  console.log(
    `sizes (${statistics.sizeUnit}): min ${statistics.sizes.min}, p50 ${statistics.sizes.p50}, p90 ${statistics.sizes.p90}, p99 ${statistics.sizes.p99}, max ${statistics.sizes.max}`,
  );
  console.log(
    `quantile classes: edges ${statistics.classes.upperEdges.join(', ')}; shares ${statistics.classes.shares.map((share) => `${(share * 100).toFixed(1)}%`).join(' ')}`,
  );
  // Independent count: non-blank lines after the header, by a plain split of the whole file.
  const dataLines = readFileSync(path, 'utf8')
    .split('\n')
    .slice(1)
    .filter((line) => line.trim()).length;
  let ok = true;
  ok =
    check(
      'arrivals',
      statistics.count === dataLines,
      `${statistics.count} = ${dataLines} data lines counted directly (the data README says 19,365)`,
    ) && ok;
  ok =
    check(
      'rate',
      Math.abs(statistics.rateRequestsPerSecond - 5.5) < 0.3,
      `${figure(statistics.rateRequestsPerSecond)} req/s (published about 5.5)`,
    ) && ok;
  ok = check('SCV', Math.abs(ia.scv - 1.2) < 0.15, `${figure(ia.scv)} (published about 1.2)`) && ok;
  ok =
    check(
      'size range',
      statistics.sizes.min === 2 && statistics.sizes.max === 14050,
      `${statistics.sizes.min}..${statistics.sizes.max} (published 2..14,050)`,
    ) && ok;
  ok =
    check(
      'size median',
      Math.abs(statistics.sizes.p50 - 1020) < 60,
      `${statistics.sizes.p50} (published about 1,020)`,
    ) && ok;
  for (const windowSeconds of [Number.POSITIVE_INFINITY, 600]) {
    const workload = await fitWorkload(createCsvTraceReader().read(path), {
      windowSeconds,
      classes: { by: 'quantile', count: 8 },
    });
    console.log(`\nfit, window ${windowSeconds} s: ${workload.windows.length} windows`);
    console.log(
      'window s         arrivals  method        rate target/fitted   SCV target/fitted   lag-1 target/fitted',
    );
    for (const window of workload.windows) {
      validateMap(window.map, { source: `window ${window.startSeconds}` });
      const fit = window.fit!;
      console.log(
        `${`${figure(window.startSeconds, 6)}-${figure(window.endSeconds, 6)}`.padEnd(16)} ${String(window.arrivals).padStart(8)}  ${fit.method.padEnd(12)}  ${`${figure(fit.rate.target)} / ${figure(fit.rate.fitted)}`.padStart(19)}  ${`${figure(fit.scv.target)} / ${figure(fit.scv.fitted)}`.padStart(18)}  ${fit.lag1Autocorrelation ? `${figure(fit.lag1Autocorrelation.target, 3)} / ${figure(fit.lag1Autocorrelation.fitted, 3)}` : '-'}${fit.warnings.length ? `  (${fit.warnings.join('; ')})` : ''}`,
      );
      if (Math.abs(fit.rate.fitted / fit.rate.target - 1) > 1e-6) {
        ok = check('fitted rate', false, `${fit.rate.fitted} for target ${fit.rate.target}`) && ok;
      }
    }
  }
  return ok;
}

async function validateTwitter(directory: string): Promise<boolean> {
  console.log(`\n== Twitter MAPs: ${directory} (10^5 sampled arrivals each, seed = hour)`);
  console.log('hour  rate MAP   rate sample  SCV MAP  SCV sample  lag-1 MAP  lag-1 sample');
  let ok = true;
  for (let hour = 1; hour <= 24; hour++) {
    const d0 = join(directory, `hour${hour}_D0.csv`);
    const d1 = join(directory, `hour${hour}_D1.csv`);
    const map = await readMapFiles(d0, d1);
    const rate = arrivalRate(map);
    const scv = interArrivalScv(map);
    const lag1 = lagAutocorrelation(map, 1);
    const statistics = await traceStatistics(
      createMapTraceReader().read(`${d0},${d1}`, { seed: hour, count: 100_000 }),
      { lags: 1, classes: { by: 'log', count: 1 } },
    );
    const sample = statistics.interArrival!;
    console.log(
      `${String(hour).padStart(4)}  ${figure(rate).padStart(8)}  ${figure(statistics.rateRequestsPerSecond).padStart(11)}  ${figure(scv).padStart(7)}  ${figure(sample.scv).padStart(10)}  ${figure(lag1, 3).padStart(9)}  ${figure(sample.autocorrelations[0]!, 3).padStart(12)}`,
    );
    // 10^5 nearly exponential gaps: standard errors are about sqrt(scv / n) for the relative
    // rate, 2 / sqrt(n) for the SCV and 1 / sqrt(n) for the lag-1 autocorrelation; allow 4 each.
    const n = 100_000;
    ok = Math.abs(statistics.rateRequestsPerSecond / rate - 1) < 4 * Math.sqrt(scv / n) && ok;
    ok = Math.abs(sample.scv - scv) < 8 / Math.sqrt(n) && ok;
    ok = Math.abs(sample.autocorrelations[0]! - lag1) < 4 / Math.sqrt(n) && ok;
  }
  return check(
    'Twitter MAPs',
    ok,
    'sample rate, SCV and lag-1 autocorrelation within 4 standard errors of the analytic values, all 24 hours',
  );
}

const azure = join(dataDirectory, 'azure-llm-conv-2023.csv');
const twitter = join(dataDirectory, 'twitter-maps');
if (!existsSync(dataDirectory)) {
  console.log(
    `No reference data at ${dataDirectory}; nothing to validate (this is not a failure).`,
  );
  process.exit(0);
}
let passed = true;
if (existsSync(azure)) passed = (await validateAzure(azure)) && passed;
else console.log(`skipped: ${azure} is absent`);
if (existsSync(twitter)) passed = (await validateTwitter(twitter)) && passed;
else console.log(`skipped: ${twitter} is absent`);
console.log(passed ? '\nall checks passed' : '\nsome checks FAILED');
process.exit(passed ? 0 : 1);
