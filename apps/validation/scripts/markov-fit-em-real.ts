/**
 * MAP(2) by moments against maximum-likelihood MAP(n) fits (fitMapEm, n = 2, 4, 6) on the real
 * Azure LLM traces in ../shared/data: the conversation trace, and the code-completion trace when
 * a file named like `azure-llm-code*.csv` is there. Prints per fit the target (trace) vs fitted
 * SCV and lag 1..5 autocorrelations, the log-likelihood per arrival (densities per second; higher
 * is better, comparable between fits of the same trace) and the fit's time.
 * Run: `npm run validate:markov-real -w @mbs/validation [-- phases,comma-separated seed]` after
 * `npx turbo run build`. Exits 0 with a notice when the data is absent.
 */
import { readdirSync } from 'node:fs';
import path from 'node:path';
import type { MarkovianArrivalProcess } from '@mbs/core';
import {
  createInterArrivalStatistics,
  describeMap,
  fitMap2,
  fitMapEm,
  fitTargetsFromStatistics,
  mapLogLikelihood,
} from '@mbs/markov';
import { createCsvTraceReader } from '@mbs/trace-formats';
import { dataDirectory, realDataPresent } from '../src/real-data.js';

const phaseCounts = (process.argv[2] ?? '2,4,6').split(',').map(Number);
const seed = Number(process.argv[3] ?? 1);
const LAGS = 5;

const conversation = path.join(dataDirectory, 'azure-llm-conv-2023.csv');
if (!realDataPresent()) {
  console.log(`No real data at ${dataDirectory}: nothing to fit (this is fine on a fresh clone).`);
  process.exit(0);
}
const codeTraces = readdirSync(dataDirectory)
  .filter((name) => /^azure-llm-code.*\.csv$/.test(name))
  .map((name) => path.join(dataDirectory, name));

interface Row {
  readonly fit: string;
  readonly scv: number;
  readonly autocorrelations: readonly number[];
  readonly logLikelihoodPerArrival: number;
  readonly milliseconds: number;
  readonly note: string;
}

function describeFit(
  fit: string,
  map: MarkovianArrivalProcess,
  logLikelihood: number,
  count: number,
  milliseconds: number,
  note: string,
): Row {
  const { scv, autocorrelations } = describeMap(map, { maxLag: LAGS });
  return {
    fit,
    scv,
    autocorrelations,
    logLikelihoodPerArrival: logLikelihood / count,
    milliseconds,
    note,
  };
}

async function fitTrace(file: string): Promise<void> {
  const times: number[] = [];
  for await (const arrival of createCsvTraceReader().read(file)) {
    times.push(arrival.timeSeconds);
  }
  const gaps = times.slice(1).map((time, index) => time - times[index]!);
  const positive = gaps.filter((gap) => gap > 0);
  const statistics = createInterArrivalStatistics(LAGS);
  for (const gap of positive) statistics.add(gap);
  const sample = statistics.result();
  console.log(
    `\n${path.basename(file)}: ${times.length} arrivals over ${(times[times.length - 1]! - times[0]!).toFixed(0)} s, ${positive.length} positive inter-arrival times (${gaps.length - positive.length} zero gaps left out: a MAP gives them no density)`,
  );
  const rows: Row[] = [];
  let started = performance.now();
  const moments = fitMap2(fitTargetsFromStatistics(sample));
  const momentsMilliseconds = performance.now() - started;
  rows.push(
    describeFit(
      'MAP(2) moments',
      moments.map,
      mapLogLikelihood(moments.map, positive),
      positive.length,
      momentsMilliseconds,
      moments.report.warnings.join('; '),
    ),
  );
  for (const phases of phaseCounts) {
    started = performance.now();
    const fit = fitMapEm(positive, { phases, seed, maxLag: LAGS });
    const milliseconds = performance.now() - started;
    const { report } = fit;
    rows.push(
      describeFit(
        `MAP(${phases}) EM`,
        fit.map,
        report.logLikelihood,
        positive.length,
        milliseconds,
        `branches ${report.branchOrders.join('+')}, ${report.iterations} iterations${report.converged ? '' : ' (not converged)'}`,
      ),
    );
  }
  const header = [
    'fit',
    'SCV',
    ...Array.from({ length: LAGS }, (_, lag) => `lag ${lag + 1}`),
    'loglik/arrival',
    'time s',
    'note',
  ];
  const table: string[][] = [
    header,
    [
      'trace',
      sample.scv.toPrecision(4),
      ...sample.autocorrelations.map((value) => value.toFixed(4)),
      '',
      '',
      'targets',
    ],
    ...rows.map((row) => [
      row.fit,
      row.scv.toPrecision(4),
      ...row.autocorrelations.map((value) => value.toFixed(4)),
      row.logLikelihoodPerArrival.toFixed(4),
      (row.milliseconds / 1000).toFixed(2),
      row.note,
    ]),
  ];
  const widths = header.map((_, column) =>
    Math.max(...table.map((cells) => cells[column]!.length)),
  );
  for (const cells of table) {
    console.log(
      cells
        .map((cell, column) =>
          column === 0 || column === header.length - 1
            ? cell.padEnd(widths[column]!)
            : cell.padStart(widths[column]!),
        )
        .join('  '),
    );
  }
}

console.log(`fitMapEm seed ${seed}, phases ${phaseCounts.join(', ')}; data ${dataDirectory}`);
for (const file of [conversation, ...codeTraces]) await fitTrace(file);
if (codeTraces.length === 0) {
  console.log(
    '\n(no azure-llm-code*.csv in the data folder: the code-completion trace was not fitted)',
  );
}
