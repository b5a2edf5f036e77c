/**
 * Are a trace's size classes independent marks of its arrival stream? The model gives a buffer
 * the fitted MAP thinned to the buffer's share of requests, which is exact only when each request's
 * class is drawn independently of the others. This script compares, for consecutive class ranges
 * of the Azure LLM conversation trace (33 quantile classes, as in `validate:optimizer`), the real
 * stream of each range with the same range after the trace's sizes are shuffled (independent
 * marks, same arrival times) and with the fitted MAP thinned to the range's share (what the model
 * uses): inter-arrival SCV, lag-1 autocorrelation, and the index of dispersion of counts in 1 s
 * windows (the scale of a 1 s batch timeout).
 *
 * Run: `npm run validate:class-streams -w @mbs/validation [-- --ranges 0-3,4-12 --seed 7]`.
 * Exits 0 with a notice when ../shared/data is absent.
 */
import path from 'node:path';
import { classSchemeFromEdges, createRandom } from '@mbs/core';
import { interArrivalScv, lagAutocorrelation, thinMap } from '@mbs/markov';
import { createCsvTraceReader } from '@mbs/trace-formats';
import { fitWorkload } from '@mbs/traces';
import { errors } from '../src/errors.js';
import { dataDirectory, realDataPresent } from '../src/real-data.js';
import { type StreamStatistics, streamStatistics } from '../src/stream-statistics.js';

const tracePath = path.join(dataDirectory, 'azure-llm-conv-2023.csv');
if (!realDataPresent()) {
  console.log(`No real data at ${dataDirectory}: nothing to check (fine on a fresh clone).`);
  process.exit(0);
}

const argument = (name: string) => {
  const index = process.argv.indexOf(`--${name}`);
  return index < 0 ? undefined : process.argv[index + 1];
};
// The default ranges are the five buffers ours chose, unverified, for the 15 s p95 SLO.
const rangesText = argument('ranges') ?? '0-3,4-12,13-20,21-28,29-32';
const seed = Number(argument('seed') ?? 7);
const ranges = rangesText.split(',').map((text) => {
  const match = /^(\d+)-(\d+)$/.exec(text.trim());
  if (!match) {
    throw errors.error(
      'OPTION_INVALID',
      `--ranges: "${text}" is not a class range; give first-last, e.g. 0-3,4-12`,
    );
  }
  return { first: Number(match[1]), last: Number(match[2]) };
});

const reader = createCsvTraceReader();
const workload = await fitWorkload(reader.read(tracePath), {
  classes: { by: 'quantile', count: 33 },
});
const window = workload.windows[0]!;
const scheme = classSchemeFromEdges(workload.classUpperEdges, workload.classRepresentativeSizes);
const times: number[] = [];
const classes: number[] = [];
for await (const arrival of reader.read(tracePath)) {
  times.push(arrival.timeSeconds);
  classes.push(scheme.classOf(arrival.size));
}
// Independent marks with the same class shares: the real classes in a seeded random order.
const shuffled = [...classes];
const random = createRandom(seed);
for (let index = shuffled.length - 1; index > 0; index--) {
  const other = Math.floor(random.next() * (index + 1));
  [shuffled[index], shuffled[other]] = [shuffled[other]!, shuffled[index]!];
}

const format = (statistics: StreamStatistics) =>
  `${statistics.scv.toFixed(3).padStart(6)} ${statistics.lag1.toFixed(3).padStart(6)} ${statistics.countDispersion.toFixed(3).padStart(6)}`;
console.log(
  `${tracePath}: ${times.length} arrivals, ${workload.classUpperEdges.length} quantile classes; whole stream: ${format(streamStatistics(times))} (SCV, lag-1, IDC 1 s); shuffle seed ${seed}`,
);
console.log(
  '\nclasses  requests   real: SCV   lag-1  IDC 1s   shuffled: SCV   lag-1  IDC 1s   fitted MAP thinned: SCV   lag-1',
);
for (const { first, last } of ranges) {
  const inRange = (classId: number) => classId >= first && classId <= last;
  const real = times.filter((_, index) => inRange(classes[index]!));
  const independent = times.filter((_, index) => inRange(shuffled[index]!));
  const share = window.classShares.slice(first, last + 1).reduce((sum, value) => sum + value, 0);
  const thinned = thinMap(window.map, share);
  console.log(
    `${`${first}-${last}`.padEnd(8)} ${String(real.length).padStart(8)}   ${format(streamStatistics(real))}             ${format(streamStatistics(independent))}                    ${interArrivalScv(thinned).toFixed(3).padStart(6)} ${lagAutocorrelation(thinned, 1).toFixed(3).padStart(6)}`,
  );
}
