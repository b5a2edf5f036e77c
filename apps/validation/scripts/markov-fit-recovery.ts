// Fit recovery: for known MAP(2)s spanning SCV 0.6..50 and lag-1 autocorrelation -0.3..0.4,
// draws 10^6 inter-arrival times, fits a MAP(2) to the sample statistics and compares the fitted
// MAP's analytic rate, SCV and lag-1 autocorrelation with the true MAP's. Acceptance: rate within
// 1 %, SCV within 5 %, lag-1 within 0.03. The rate s.e. column is the sampling error of the rate
// itself (relative standard error of the sample mean), against which the 1 % criterion is judged.
// Run: npm run validate:markov -w @mbs/validation (with samples-vs-analysis), or
// npx tsx scripts/markov-fit-recovery.ts [samples] [seed] from apps/validation.
import type { MarkovianArrivalProcess } from '@mbs/core';
import {
  createInterArrivalStatistics,
  createMapSampler,
  describeMap,
  fitMap2,
  fitTargetsFromStatistics,
} from '@mbs/markov';

const samples = Number(process.argv[2] ?? 1_000_000);
const seed = Number(process.argv[3] ?? 1);

/** The canonical MAP(2) with gamma = a b >= 0 (Bodrog et al. 2008). */
function positive(rate1: number, rate2: number, a: number, b: number): MarkovianArrivalProcess {
  return {
    d0: [
      [-rate1, (1 - a) * rate1],
      [0, -rate2],
    ],
    d1: [
      [a * rate1, 0],
      [(1 - b) * rate2, b * rate2],
    ],
  };
}

/** The canonical MAP(2) with gamma = -a b < 0. */
function negative(rate1: number, rate2: number, a: number, b: number): MarkovianArrivalProcess {
  return {
    d0: [
      [-rate1, (1 - a) * rate1],
      [0, -rate2],
    ],
    d1: [
      [0, a * rate1],
      [b * rate2, (1 - b) * rate2],
    ],
  };
}

const truths: MarkovianArrivalProcess[] = [
  positive(1.5, 2.5, 0.09, 0.06),
  negative(2.8, 1.2, 0.2, 0.99),
  {
    d0: [
      [-2, 1.5],
      [0, -4],
    ],
    d1: [
      [0, 0.5],
      [4, 0],
    ],
  },
  negative(3.3, 0.73, 0.7, 0.8),
  {
    d0: [
      [-1, 0],
      [0, -20],
    ],
    d1: [
      [0, 1],
      [18, 2],
    ],
  },
  positive(0.4, 3.6, 0.7, 0.9),
  positive(0.15, 4, 0.9, 0.97),
  positive(0.14, 3.9, 0.5, 0.99),
  positive(0.03, 4, 0.82, 0.996),
];

const header = [
  'true rate',
  'fit rate',
  'gap',
  'rate s.e.',
  'true SCV',
  'fit SCV',
  'gap',
  'true lag1',
  'sample lag1',
  'fit lag1',
  'gap',
  'ok',
];
const rows: string[][] = [header];
let failures = 0;
truths.forEach((truth, index) => {
  const exact = describeMap(truth, { maxLag: 2000 });
  // Relative standard error of the sample mean of correlated draws: sqrt(SCV (1 + 2 Σ rho_k) / n).
  const correlationSum = exact.autocorrelations.reduce((sum, rho) => sum + rho, 0);
  const rateError = Math.sqrt((exact.scv * (1 + 2 * correlationSum)) / samples);
  const sampler = createMapSampler(truth, seed + index);
  const statistics = createInterArrivalStatistics(1);
  for (let draw = 0; draw < samples; draw++) statistics.add(sampler.nextInterArrival());
  const sample = statistics.result();
  const { map, report } = fitMap2(fitTargetsFromStatistics(sample));
  const fitted = describeMap(map);
  const rateGap = fitted.rate / exact.rate - 1;
  const scvGap = fitted.scv / exact.scv - 1;
  const lagGap = fitted.autocorrelations[0]! - exact.autocorrelations[0]!;
  const ok = Math.abs(rateGap) <= 0.01 && Math.abs(scvGap) <= 0.05 && Math.abs(lagGap) <= 0.03;
  if (!ok) failures++;
  rows.push([
    exact.rate.toPrecision(4),
    fitted.rate.toPrecision(4),
    `${(rateGap * 100).toFixed(2)}%`,
    `${(rateError * 100).toFixed(2)}%`,
    exact.scv.toPrecision(4),
    fitted.scv.toPrecision(4),
    `${(scvGap * 100).toFixed(2)}%`,
    exact.autocorrelations[0]!.toFixed(4),
    sample.autocorrelations[0]!.toFixed(4),
    fitted.autocorrelations[0]!.toFixed(4),
    lagGap.toFixed(4),
    ok ? 'yes' : 'NO',
  ]);
  for (const warning of report.warnings) console.log(`MAP ${index + 1}: ${warning}`);
});
const widths = header.map((_, column) => Math.max(...rows.map((row) => row[column]!.length)));
console.log(`${samples} samples per MAP, seed ${seed}; criteria: rate 1 %, SCV 5 %, lag-1 0.03`);
for (const row of rows)
  console.log(row.map((cell, column) => cell.padStart(widths[column]!)).join('  '));
console.log(`${truths.length - failures} of ${truths.length} MAPs recovered within the criteria`);
