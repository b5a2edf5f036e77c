/**
 * Reading and classing a generated 10-million-line trace (Azure CSV format), against a baseline
 * of raw newline counting over the same file, measured in the same run.
 * Run: npm run bench -w @mbs/trace-formats   (LINES=1000000 for a quicker run)
 *
 * Time: medians of repeated runs in this process. Peak memory: each case runs once more in a
 * fresh child process that reports its own maxRSS, so one case's heap does not hide another's.
 */
import { fork } from 'node:child_process';
import { createReadStream, existsSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { measure, printBenchTable } from '@mbs/test-utils';
import { classSchemeByLog, traceStatistics } from '@mbs/traces';
import { createCsvTraceReader, generateSyntheticTrace, writeTraceCsv } from '../src/index.js';
import { readLineChunks } from '../src/line-chunks.js';

const LINES = Number(process.env.LINES ?? 10_000_000);
const path = join(tmpdir(), `mbs-bench-trace-${LINES}.csv`);

/** Log classes fixed ahead (1..32768 tokens, 32 classes) so classing costs one classOf a line. */
const scheme = classSchemeByLog(Float64Array.from([1, 32768]), 32);

const cases: Record<string, () => Promise<number>> = {
  'count newlines (baseline)': async () => {
    let lines = 0;
    for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 })) {
      const buffer = chunk as Buffer;
      let index = buffer.indexOf(10);
      while (index !== -1) {
        lines++;
        index = buffer.indexOf(10, index + 1);
      }
    }
    return lines;
  },
  'split lines': async () => {
    let lines = 0;
    for await (const chunk of readLineChunks(path)) lines += chunk.length;
    return lines;
  },
  'csv reader': async () => {
    let arrivals = 0;
    for await (const _ of createCsvTraceReader().read(path)) arrivals++;
    return arrivals;
  },
  'csv reader + classOf (32 log classes)': async () => {
    const counts = new Float64Array(scheme.count);
    for await (const arrival of createCsvTraceReader().read(path))
      counts[scheme.classOf(arrival.size)]!++;
    return counts.reduce((sum, count) => sum + count, 0);
  },
  'traceStatistics (8 quantile classes, 5 lags)': async () => {
    const statistics = await traceStatistics(createCsvTraceReader().read(path), {
      classes: { by: 'quantile', count: 8 },
      lags: 5,
    });
    return statistics.count;
  },
};

const caseName = process.argv[2] === '--case' ? process.argv[3] : undefined;
if (caseName !== undefined) {
  // Child: run one case once and report time and peak memory.
  const started = performance.now();
  const units = await cases[caseName]!();
  const milliseconds = performance.now() - started;
  process.send?.({ units, milliseconds, maxRssMb: process.resourceUsage().maxRSS / 1024 });
  process.exit(0);
}

if (!existsSync(path) || statSync(path).size === 0) {
  const started = performance.now();
  const result = await writeTraceCsv(generateSyntheticTrace({ seed: 1, count: LINES }), path);
  console.log(
    `generated ${result.arrivals} arrivals (${(result.bytes / 1e6).toFixed(0)} MB) at ${path} in ${((performance.now() - started) / 1000).toFixed(1)} s`,
  );
} else {
  console.log(`using ${path} (${(statSync(path).size / 1e6).toFixed(0)} MB)`);
}

const runs = Number(process.env.RUNS ?? 3);
const results = [];
for (const [name, run] of Object.entries(cases)) {
  results.push(await measure(name, run, { warmup: 1, runs, unitsPerRun: LINES }));
}
printBenchTable(`read and class ${LINES} lines (${runs} runs each)`, results);

console.log('\npeak memory, each case alone in a fresh process');
const self = fileURLToPath(import.meta.url);
for (const name of Object.keys(cases)) {
  const report = await new Promise<{ units: number; milliseconds: number; maxRssMb: number }>(
    (resolve, reject) => {
      const child = fork(self, ['--case', name], {
        stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      });
      child.on('message', (message) => resolve(message as never));
      child.on('error', reject);
      child.on('exit', (code) => code !== 0 && reject(new Error(`${name}: child exited ${code}`)));
    },
  );
  console.log(
    `${name.padEnd(46)} maxRSS ${report.maxRssMb.toFixed(0).padStart(5)} MB   ${(((LINES / report.milliseconds) * 1000) / 1e6).toFixed(2)} M lines/s   (${report.units} units)`,
  );
}
