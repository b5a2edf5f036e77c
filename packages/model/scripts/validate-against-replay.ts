/**
 * Model vs discrete-event replay over the validation grid: B in {1, 2, 5, 10, 25}, T in
 * {10, 50, 200, 500} ms, one and four buffers, Twitter hour-1 and bursty MAP(2); exact model and
 * MBS approximations side by side, 10^6 requests per configuration by default.
 * Run: `npm run validate -w @mbs/model [-- --requests 1000000] [--replay sim|reference]`.
 *
 * `--replay sim` (default) uses @mbs/sim's `simulateMap` (it must be built); `reference` uses
 * this package's own independent replay (src/reference-replay.ts).
 */
import type { PricingModel, ServiceTimeProfile, SystemConfiguration } from '@mbs/core';
import {
  formatValidationTable,
  type ReplayFunction,
  referenceReplay,
  replayValidationCases,
  validateAgainstReplay,
} from '../src/index.js';

function option(name: string, fallback: string): string {
  const index = process.argv.indexOf(`--${name}`);
  return index < 0 ? fallback : (process.argv[index + 1] ?? '');
}

const requests = Number(option('requests', '1000000'));
if (!Number.isInteger(requests) || requests < 1000) {
  console.error(`--requests must be an integer >= 1000; got ${option('requests', '')}`);
  process.exit(2);
}
const replayName = option('replay', 'sim');
if (replayName !== 'sim' && replayName !== 'reference') {
  console.error(`--replay must be sim or reference; got ${replayName}`);
  process.exit(2);
}

/** The part of @mbs/sim used here (loaded by name: it is not a declared dependency). */
interface Simulator {
  simulateMap(
    workload: { map: unknown; classShares: readonly number[] },
    options: {
      system: SystemConfiguration;
      profile: ServiceTimeProfile;
      pricing: PricingModel;
      seed: number;
    },
    requests: number,
  ): {
    overall: {
      p50LatencySeconds: number;
      p95LatencySeconds: number;
      p99LatencySeconds: number;
      costPerRequestUsd: number;
    };
  };
}

let replay: ReplayFunction;
if (replayName === 'sim') {
  const simModule = '@mbs/sim';
  let simulator: Simulator;
  try {
    simulator = (await import(simModule)) as Simulator;
  } catch (error) {
    console.error(
      `@mbs/sim is not built (${(error as Error).message}); build it (npx turbo run build --filter=@mbs/sim) or pass --replay reference`,
    );
    process.exit(1);
  }
  replay = ({ validationCase, profile, pricing, requests: count, seed }) => {
    const summary = simulator.simulateMap(
      { map: validationCase.map, classShares: validationCase.classShares },
      { system: validationCase.system, profile, pricing, seed },
      count,
    );
    return {
      p50Seconds: summary.overall.p50LatencySeconds,
      p95Seconds: summary.overall.p95LatencySeconds,
      p99Seconds: summary.overall.p99LatencySeconds,
      meanCostPerRequestUsd: summary.overall.costPerRequestUsd,
    };
  };
} else {
  replay = referenceReplay;
}

const cases = replayValidationCases();
const started = Date.now();
console.log(
  `Model vs ${replayName === 'sim' ? '@mbs/sim simulateMap' : 'the reference replay of @mbs/model'}: ${cases.length} configurations x ${requests} requests (errors = model / replay - 1)`,
);
const rows = await validateAgainstReplay({
  cases,
  replay,
  requests,
  onRow: (row, index, total) => {
    if ((index + 1) % 10 === 0) console.error(`  ${index + 1}/${total} (${row.workload})`);
  },
});
console.log(formatValidationTable(rows));
console.log(`Took ${((Date.now() - started) / 1000).toFixed(1)} s.`);
process.exitCode = rows.every((row) => row.passed) ? 0 : 1;
