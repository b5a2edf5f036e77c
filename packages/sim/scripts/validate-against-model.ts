// Compares @mbs/sim's replay with @mbs/model's analysis on the model's validation grid (Twitter
// hour-1 and a bursty MAP, 1 and 4 buffers, B x T): p50/p95/p99 latency and mean cost per request.
// Usage: tsx scripts/validate-against-model.ts [requests per case, default 200000]
import {
  formatValidationTable,
  replayValidationCases,
  VALIDATION_TOLERANCES,
  validateAgainstReplay,
} from '@mbs/model';
import { simulateMap } from '../src/index.js';

const requests = Number(process.argv[2] ?? 200_000);
const cases = replayValidationCases({ batchSizes: [1, 5, 25], timeoutsSeconds: [0.05, 0.5] });
const started = performance.now();
const rows = await validateAgainstReplay({
  cases,
  requests,
  replay: ({ validationCase, profile, pricing, requests: count, seed }) => {
    const { overall } = simulateMap(
      { map: validationCase.map, classShares: validationCase.classShares },
      { system: validationCase.system, profile, pricing, seed },
      count,
    );
    return {
      p50Seconds: overall.p50LatencySeconds,
      p95Seconds: overall.p95LatencySeconds,
      p99Seconds: overall.p99LatencySeconds,
      meanCostPerRequestUsd: overall.costPerRequestUsd,
    };
  },
});
console.log(formatValidationTable(rows));
const passed = rows.filter((row) => row.passed).length;
console.log(
  `${passed}/${rows.length} cases within ${VALIDATION_TOLERANCES.latency * 100}% latency and ${VALIDATION_TOLERANCES.cost * 100}% cost of the exact model; ${requests} requests per case; ${((performance.now() - started) / 1000).toFixed(1)} s`,
);
