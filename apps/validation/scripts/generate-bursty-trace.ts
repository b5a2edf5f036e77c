import { writeTraceCsv } from '@mbs/trace-formats';
import {
  burstinessSummary,
  generateBurstyArrivals,
  generateBurstyTrace,
} from '../src/bursty-trace.js';
import { errors } from '../src/errors.js';

const argument = (name: string) => {
  const index = process.argv.indexOf(`--${name}`);
  return index < 0 ? undefined : process.argv[index + 1];
};
const seed = Number(argument('seed') ?? 6);
const durationSeconds = Number(argument('duration') ?? 3600);
const sizeDrift = process.argv.includes('--drift');
const out = argument('out');
if (out === undefined) {
  throw errors.error('OPTION_INVALID', '--out: give the CSV path to write');
}
const options = { seed, durationSeconds, sizeDrift };
const summary = burstinessSummary(generateBurstyArrivals(options).times);
const written = await writeTraceCsv(generateBurstyTrace(options), out);
console.log(
  `${written.path}: ${written.arrivals} arrivals (${summary.ratePerSecond.toFixed(2)} req/s), ${(summary.shortGapShare * 100).toFixed(1)} % of gaps under 5 ms, inter-arrival SCV ${summary.scv.toFixed(0)}, ${(summary.emptyMinuteShare * 100).toFixed(1)} % of minutes empty; sizes ${sizeDrift ? 'drift with time' : 'independent of time'}`,
);
