// Simulation against analysis: for several MAPs, draws 10^6 inter-arrival times with
// createMapSampler and compares the sample rate, SCV, third moment and lag-1..3 autocorrelations
// with their analytic values. Run: npm run validate:markov -w @mbs/validation, or
// npx tsx scripts/markov-samples-vs-analysis.ts [samples] from apps/validation.
import type { MarkovianArrivalProcess } from '@mbs/core';
import { createInterArrivalStatistics, createMapSampler, describeMap } from '@mbs/markov';
import {
  ERLANG2_RENEWAL,
  EXAMPLE_MMPP2,
  NEGATIVELY_CORRELATED_MAP3,
  POSITIVELY_CORRELATED_MAP2,
} from '@mbs/test-utils';

const samples = Number(process.argv[2] ?? 1_000_000);
const maps: Record<string, MarkovianArrivalProcess> = {
  'Poisson 5/s': { d0: [[-5]], d1: [[5]] },
  'MAP(2) rho>0': POSITIVELY_CORRELATED_MAP2,
  'MMPP(2)': EXAMPLE_MMPP2,
  'MAP(3) rho<0': NEGATIVELY_CORRELATED_MAP3,
  'Erlang-2 renewal': ERLANG2_RENEWAL,
};

const rows: string[][] = [['MAP', 'statistic', 'analytic', 'sample', 'relative gap / gap']];
let worst = 0;
for (const [name, map] of Object.entries(maps)) {
  const analytic = describeMap(map, { moments: 3, maxLag: 3 });
  const sampler = createMapSampler(map, 12345);
  const statistics = createInterArrivalStatistics(3);
  for (let index = 0; index < samples; index++) statistics.add(sampler.nextInterArrival());
  const sample = statistics.result();
  const compare = (statistic: string, expected: number, actual: number, absolute: boolean) => {
    const gap = absolute ? actual - expected : (actual - expected) / expected;
    if (!absolute) worst = Math.max(worst, Math.abs(gap));
    rows.push([
      name,
      statistic,
      expected.toPrecision(6),
      actual.toPrecision(6),
      absolute ? gap.toFixed(4) : `${(gap * 100).toFixed(2)} %`,
    ]);
  };
  compare('rate /s', analytic.rate, sample.rate, false);
  compare('SCV', analytic.scv, sample.scv, false);
  compare('m3 s^3', analytic.moments[2]!, sample.moments[2], false);
  analytic.autocorrelations.forEach((rho, index) => {
    compare(`lag-${index + 1} acf`, rho, sample.autocorrelations[index]!, true);
  });
}
const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => row[column]!.length)));
console.log(`${samples} samples per MAP (seed 12345)`);
for (const row of rows) {
  console.log(
    row
      .map((cell, column) =>
        column < 2 ? cell.padEnd(widths[column]!) : cell.padStart(widths[column]!),
      )
      .join('  '),
  );
}
console.log(`largest relative gap of rate/SCV/m3: ${(worst * 100).toFixed(2)} %`);
