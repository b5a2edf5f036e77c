import { writeFile } from 'node:fs/promises';
import {
  type Arrival,
  type ClassScheme,
  type ConfigurationDocument,
  classSchemeFromEdges,
  formatSeconds,
  MbsError,
  usdPerMillionRequests,
} from '@mbs/core';
import {
  createArrivalsReplay,
  createBayesianStrategy,
  createExhaustiveStrategy,
  createFrontierStrategy,
  createModelEvaluator,
  DEFAULT_VERIFY_ROUNDS,
  type MbsSearchStrategy,
  type OptimizationProblem,
  type Solution,
  type SolveReport,
  solveWithBaselines,
  type Verification,
  verifySolution,
} from '@mbs/optimizer';
import { createAwsPricing } from '@mbs/pricing-aws';
import { createRangeArrivals } from '@mbs/traces';
import type { Argv, CommandModule } from 'yargs';
import { type CommandContext, type GlobalOptions, printResult } from '../context.js';
import { EXIT_RUNTIME_ERROR } from '../exit-codes.js';
import { createProgress } from '../progress.js';
import { formatTable } from '../table.js';
import { type SolveSearchOptions, searchBounds, searchConstraint } from './solve-options.js';
import { createWindowReader, jsonVerification } from './solve-verify.js';
import { loadProfile, loadWorkload, type WorkloadSource } from './solve-workload.js';
import { openTrace } from './trace.js';

interface SolveOptions extends GlobalOptions, SolveSearchOptions, WorkloadSource {
  readonly profile?: string;
  readonly pricing: string;
  readonly strategy: string;
  readonly perSize: boolean;
  readonly baselines: boolean;
  readonly out?: string;
  readonly verify: boolean;
  readonly verifyRounds: number;
  readonly verifyRefine: number;
  readonly rangeFits: boolean;
}

const STRATEGIES: Record<string, () => MbsSearchStrategy> = {
  frontier: () => createFrontierStrategy({ createEvaluator: createModelEvaluator }),
  exhaustive: () => createExhaustiveStrategy({ createEvaluator: createModelEvaluator }),
  bayesian: () => createBayesianStrategy({ createEvaluator: createModelEvaluator }),
};

interface WindowResult {
  readonly startSeconds: number;
  readonly endSeconds: number;
  readonly arrivals: number;
  readonly report: SolveReport;
  readonly verification?: Verification;
}

function checkRangeFitsOption(argv: SolveOptions): void {
  if (argv.rangeFits && argv.trace === undefined) {
    throw new MbsError(
      'OPTION_INVALID',
      "[@mbs/cli] --range-fits needs --trace: it fits each buffer's stream from the trace's own arrivals",
      { details: { option: 'range-fits' } },
    );
  }
}

/**
 * Each class range's own arrival stream in one window (`--range-fits`), fitted from the window's
 * arrivals classed by the workload's class scheme.
 */
function windowRangeArrivals(
  arrivals: readonly Arrival[],
  classScheme: ClassScheme,
  window: { startSeconds: number; endSeconds: number },
) {
  return createRangeArrivals(
    arrivals.map((arrival) => ({
      timeSeconds: arrival.timeSeconds,
      classId: classScheme.classOf(arrival.size),
    })),
    classScheme.count,
    { durationSeconds: window.endSeconds - window.startSeconds },
  );
}

function checkVerifyOptions(argv: SolveOptions): void {
  if (!argv.verify) return;
  const problem =
    argv.trace === undefined
      ? "needs --trace: it replays the trace's own arrivals"
      : argv.perSize
        ? 'measures latency in seconds; it cannot be used with --per-size'
        : undefined;
  if (problem !== undefined) {
    throw new MbsError('OPTION_INVALID', `[@mbs/cli] --verify ${problem}`, {
      details: { option: 'verify' },
    });
  }
  for (const [option, value] of [
    ['verify-rounds', argv.verifyRounds],
    ['verify-refine', argv.verifyRefine],
  ] as const) {
    if (!Number.isInteger(value) || value < 0) {
      throw new MbsError(
        'OPTION_INVALID',
        `[@mbs/cli] --${option} is ${JSON.stringify(value)}; give an integer >= 0`,
        { details: { option, value } },
      );
    }
  }
}

function describeVerification(windows: readonly WindowResult[], percentile: number): string {
  const label = `p${Number((percentile * 100).toFixed(3))}`;
  const rows = windows.filter((window) => window.verification !== undefined);
  return `verification: each window's trace arrivals replayed through its configuration\n${formatTable(
    rows,
    [
      {
        header: 'window',
        value: (row) =>
          `${Number(row.startSeconds.toFixed(1))} s .. ${Number(row.endSeconds.toFixed(1))} s`,
      },
      {
        header: `model ${label}`,
        value: (row) => formatSeconds(row.verification!.solution.latencyPercentile),
        align: 'right',
      },
      {
        header: `replay ${label}`,
        value: (row) => formatSeconds(row.verification!.replay.percentileSeconds),
        align: 'right',
      },
      {
        header: 'replay $/1M req',
        value: (row) =>
          usdPerMillionRequests(row.verification!.replay.costPerRequestUsd).toFixed(3),
        align: 'right',
      },
      { header: 'verified', value: (row) => (row.verification!.verified ? 'yes' : 'no') },
      {
        header: 'rounds',
        value: (row) =>
          `${row.verification!.rounds}${row.verification!.refinements > 0 ? ` + ${row.verification!.refinements}` : ''}`,
        align: 'right',
      },
      {
        header: 'internal SLO',
        value: (row) =>
          Number.isNaN(row.verification!.internalSloSeconds)
            ? '-'
            : formatSeconds(row.verification!.internalSloSeconds),
        align: 'right',
      },
      {
        header: 'premium',
        value: (row) => `${(row.verification!.costPremiumShare * 100).toFixed(2)} %`,
        align: 'right',
      },
    ],
  )}`;
}

/** The report with ours replaced by the verified solution, in the baselines table too. */
function keepVerified(report: SolveReport, verified: Solution): SolveReport {
  return {
    solution: verified,
    baselines: report.baselines.map((baseline) =>
      baseline.solution === report.solution ? { ...baseline, solution: verified } : baseline,
    ),
  };
}

function describeBuffers(solution: Solution): string {
  return formatTable(solution.buffers, [
    {
      header: 'buffer',
      value: (buffer) => String(solution.buffers.indexOf(buffer)),
      align: 'right',
    },
    {
      header: 'classes',
      value: ({ range }) =>
        `${range.firstClass}${range.firstClassShare < 1 ? `(${range.firstClassShare})` : ''}..${range.lastClass}${
          range.lastClass !== range.firstClass && range.lastClassShare < 1
            ? `(${range.lastClassShare})`
            : ''
        }`,
    },
    { header: 'share', value: ({ outcome }) => outcome.requestShare.toFixed(3), align: 'right' },
    { header: 'B', value: ({ settings }) => String(settings.batchSize), align: 'right' },
    {
      header: 'T',
      value: ({ settings }) => formatSeconds(settings.timeoutSeconds),
      align: 'right',
    },
    { header: 'M (MB)', value: ({ settings }) => String(settings.memoryMb), align: 'right' },
    {
      header: '$/1M req',
      value: ({ outcome }) => usdPerMillionRequests(outcome.costPerRequestUsd).toFixed(3),
      align: 'right',
    },
    {
      header: 'inv/s',
      value: ({ outcome }) => outcome.invocationsPerSecond.toFixed(2),
      align: 'right',
    },
    {
      header: 'padding',
      value: ({ outcome }) => `${(outcome.paddingShare * 100).toFixed(1)} %`,
      align: 'right',
    },
  ]);
}

function describeWindow(
  window: WindowResult,
  problem: { percentile: number; perSize: boolean },
): string {
  const ours = window.report.solution;
  const reference = window.report.baselines.find(
    (baseline) => baseline.name === 'no batching',
  )?.solution;
  const label = `p${Number((problem.percentile * 100).toFixed(3))}${problem.perSize ? ' per size' : ''}`;
  const rows = window.report.baselines;
  const comparison = formatTable(rows, [
    { header: 'configuration', value: (row) => row.name },
    { header: 'buffers', value: (row) => String(row.solution.buffers.length), align: 'right' },
    {
      header: '$/1M req',
      value: (row) => usdPerMillionRequests(row.solution.costPerRequestUsd).toFixed(3),
      align: 'right',
    },
    {
      header: label,
      value: (row) =>
        problem.perSize
          ? row.solution.latencyPercentile.toPrecision(3)
          : formatSeconds(row.solution.latencyPercentile),
      align: 'right',
    },
    { header: 'meets', value: (row) => (row.solution.feasible ? 'yes' : 'no') },
    {
      header: 'inv/s',
      value: (row) => row.solution.invocationsPerSecond.toFixed(2),
      align: 'right',
    },
    {
      header: 'padding',
      value: (row) => `${(row.solution.paddingShare * 100).toFixed(1)} %`,
      align: 'right',
    },
    {
      header: 'ours saves',
      value: (row) =>
        row.solution === ours || !row.solution.feasible
          ? ''
          : `${((1 - ours.costPerRequestUsd / row.solution.costPerRequestUsd) * 100).toFixed(1)} %`,
      align: 'right',
    },
    { header: 'evals', value: (row) => String(row.solution.evaluations), align: 'right' },
    {
      header: 'time',
      value: (row) => `${row.solution.elapsedSeconds.toFixed(2)} s`,
      align: 'right',
    },
  ]);
  const header = `window ${Number(window.startSeconds.toFixed(1))} s .. ${Number(window.endSeconds.toFixed(1))} s${window.arrivals > 0 ? ` (${window.arrivals} arrivals)` : ''}`;
  const verdict = ours.feasible
    ? `ours: ${ours.buffers.length} buffer(s), ${usdPerMillionRequests(ours.costPerRequestUsd).toFixed(3)} $ per million requests${
        reference?.feasible
          ? `, ${(reference.costPerRequestUsd / ours.costPerRequestUsd).toFixed(2)}x cheaper than no batching`
          : ''
      }`
    : `the constraint cannot be met: the best achievable ${label} is ${formatSeconds(ours.latencyPercentile)}, with this configuration`;
  return `${header}\n${comparison}\n${verdict}\n${describeBuffers(ours)}`;
}

function configurationDocument(
  windows: readonly WindowResult[],
  workload: { classUpperEdges: readonly number[]; sizeUnit?: string },
  names: { pricing: string; profile: string },
): ConfigurationDocument {
  return {
    schema: 'mbs.configuration',
    version: 1,
    classUpperEdges: workload.classUpperEdges,
    ...(workload.sizeUnit === undefined ? {} : { sizeUnit: workload.sizeUnit }),
    pricing: names.pricing,
    profile: names.profile,
    windows: windows.map(({ startSeconds, endSeconds, report: { solution } }) => ({
      startSeconds,
      endSeconds,
      system: solution.system,
      prediction: {
        percentile: solution.percentile,
        latencyPercentileSeconds: solution.latencyPercentile,
        meanLatencySeconds: solution.meanLatencySeconds,
        costPerRequestUsd: solution.costPerRequestUsd,
        invocationsPerSecond: solution.invocationsPerSecond,
        paddingShare: solution.paddingShare,
      },
    })),
  };
}

function jsonSolution(solution: Solution) {
  return {
    strategy: solution.strategy,
    feasible: solution.feasible,
    costPerRequestUsd: solution.costPerRequestUsd,
    costPerMillionRequestsUsd: usdPerMillionRequests(solution.costPerRequestUsd),
    latencyPercentile: solution.latencyPercentile,
    meanLatencySeconds: solution.meanLatencySeconds,
    invocationsPerSecond: solution.invocationsPerSecond,
    paddingShare: solution.paddingShare,
    evaluations: solution.evaluations,
    elapsedSeconds: solution.elapsedSeconds,
    system: solution.system,
  };
}

/** `mbs solve`: the cheapest configuration under the SLO, with baselines, per window. */
export function solveCommand(context: CommandContext): CommandModule<GlobalOptions, SolveOptions> {
  return {
    command: 'solve',
    describe:
      'Find the cheapest multi-buffer configuration whose latency percentile meets the SLO (default: the built-in workload)',
    builder: (yargs: Argv<GlobalOptions>) =>
      yargs
        .option('workload', {
          type: 'string',
          describe: 'Workload JSON of mbs fit, or a MAP as D0.csv,D1.csv',
        })
        .option('class-shares', {
          type: 'string',
          describe: 'With a MAP pair: comma-separated share per profile class (default equal)',
        })
        .option('trace', {
          type: 'string',
          describe: 'A trace to fit on the fly (default: synthetic, the built-in workload)',
        })
        .option('format', {
          type: 'string',
          describe: 'Trace reader name (default: the first that recognises the trace)',
        })
        .option('classes', {
          type: 'number',
          describe: 'With --trace: number of size classes (default 8)',
        })
        .option('by', {
          type: 'string',
          choices: ['quantile', 'log', 'edges'],
          describe: 'With --trace: how class edges are chosen',
        })
        .option('edges', {
          type: 'string',
          describe: 'With --by edges: ascending class upper edges',
        })
        .option('window', {
          type: 'number',
          describe: 'With --trace: window length in seconds (one configuration per window)',
        })
        .option('seed', { type: 'number', describe: 'Seed of a synthetic or MAP trace' })
        .option('profile', {
          type: 'string',
          describe: 'Service-time profile in the MBS JSON format (default: the parametric profile)',
        })
        .option('pricing', {
          type: 'string',
          choices: ['aws-x86', 'aws-arm64'],
          default: 'aws-x86',
          describe: 'Pricing plugin',
        })
        .option('percentile', {
          type: 'number',
          default: 0.95,
          describe: 'Latency percentile constrained (or minimised), in (0, 1)',
        })
        .option('slo', {
          type: 'number',
          describe: 'Latency objective in seconds (or per size unit with --per-size); default 1',
        })
        .option('budget', {
          type: 'number',
          describe: 'With --constraint cost: mean cost per request in USD',
        })
        .option('constraint', {
          type: 'string',
          choices: ['latency', 'cost'],
          default: 'latency',
          describe: 'latency: cheapest within the SLO; cost: lowest percentile within the budget',
        })
        .option('per-size', {
          type: 'boolean',
          default: false,
          describe: 'Constrain latency per unit of request size, as MBS normalised by KB',
        })
        .option('buffers', {
          type: 'string',
          default: 'auto',
          describe: 'Number of buffers: auto (up to 6) or K',
        })
        .option('min-batch-size', { type: 'number', default: 1, describe: 'Smallest B' })
        .option('max-batch-size', {
          type: 'number',
          describe: "Largest B (default min(25, the profile's largest))",
        })
        .option('min-timeout', {
          type: 'number',
          default: 0.005,
          describe: 'Smallest T in seconds',
        })
        .option('max-timeout', { type: 'number', default: 1, describe: 'Largest T in seconds' })
        .option('timeout-steps', {
          type: 'number',
          default: 12,
          describe: 'Timeouts on the search grid (geometric); refined to --timeout-resolution',
        })
        .option('timeout-resolution', {
          type: 'number',
          default: 0.001,
          describe: 'Resolution of T in seconds',
        })
        .option('memories', {
          type: 'string',
          describe:
            'Memory sizes of the grid in MB, or "profile" (default); refined to every MB the profile answers',
        })
        .option('split-shares', {
          type: 'string',
          default: '0.5',
          describe: 'Shares at which a boundary class may be split between buffers, or "none"',
        })
        .option('strategy', {
          type: 'string',
          choices: Object.keys(STRATEGIES),
          default: 'frontier',
          describe: 'Search strategy',
        })
        .option('baselines', {
          type: 'boolean',
          default: true,
          describe: 'Also solve the baselines (no batching, one buffer, MBS)',
        })
        .option('out', {
          type: 'string',
          describe: 'Write the configuration (mbs.configuration v1) for deploy and run',
        })
        .option('verify', {
          type: 'boolean',
          default: false,
          describe:
            "With --trace: replay each window's arrivals through its configuration and tighten the SLO while the replay misses it",
        })
        .option('verify-rounds', {
          type: 'number',
          default: DEFAULT_VERIFY_ROUNDS,
          describe: 'With --verify: most re-solves with a tightened SLO per window',
        })
        .option('verify-refine', {
          type: 'number',
          default: 0,
          describe:
            'With --verify: re-solves bisecting the SLO after a round meets it, to win back the cost of a whole tightening step',
        })
        .option('range-fits', {
          type: 'boolean',
          default: false,
          describe:
            "With --trace: model each buffer with a MAP fitted to its own classes' arrivals, not the window's MAP thinned to its share (for sizes correlated in time)",
        }) as unknown as Argv<SolveOptions>,
    handler: async (argv) => {
      checkVerifyOptions(argv);
      checkRangeFitsOption(argv);
      const progress = createProgress(context.io);
      progress.update('loading the workload');
      const explicitProfile =
        argv.profile === undefined ? undefined : await loadProfile(argv.profile);
      const workload = await loadWorkload(argv, explicitProfile?.classCount);
      const profile = explicitProfile ?? (await loadProfile(undefined, workload));
      const classCount = workload.classUpperEdges.length;
      if (profile.classCount !== classCount) {
        throw new MbsError(
          'OPTION_INVALID',
          `[@mbs/cli] the workload has ${classCount} classes but the profile ${profile.name} has ${profile.classCount}; fit with --classes ${profile.classCount}`,
        );
      }
      const pricing = createAwsPricing({
        architecture: argv.pricing === 'aws-arm64' ? 'arm64' : 'x86_64',
      });
      const constraint = searchConstraint(argv);
      const bounds = searchBounds(argv, profile, classCount);
      const strategy = STRATEGIES[argv.strategy]!();
      const results: WindowResult[] = [];
      const windowReader =
        argv.verify || argv.rangeFits
          ? createWindowReader(
              await openTrace({
                file: argv.trace!,
                ...(argv.format === undefined ? {} : { format: argv.format }),
                ...(argv.seed === undefined ? {} : { seed: argv.seed }),
              }),
            )
          : undefined;
      const classScheme = classSchemeFromEdges(
        workload.classUpperEdges,
        workload.classRepresentativeSizes,
      );
      try {
        for (const [index, window] of workload.windows.entries()) {
          const prefix = `window ${index + 1}/${workload.windows.length}`;
          if (windowReader) progress.update(`${prefix}: reading the trace's arrivals`);
          // One read serves both the range fits and the replay.
          const arrivals = await windowReader?.next(window.arrivals, window.startSeconds);
          const problem: OptimizationProblem = {
            map: window.map,
            classShares: window.classShares,
            classRepresentativeSizes: workload.classRepresentativeSizes,
            profile,
            pricing,
            percentile: argv.percentile,
            constraint,
            perSize: argv.perSize,
            bounds,
            ...(argv.rangeFits && arrivals
              ? { rangeArrivals: windowRangeArrivals(arrivals, classScheme, window) }
              : {}),
          };
          const solve = (problem: OptimizationProblem): Promise<SolveReport> =>
            argv.baselines
              ? solveWithBaselines(problem, strategy, createModelEvaluator, (message) =>
                  progress.update(`${prefix}: ${message}`),
                )
              : strategy
                  .search(problem, (update) =>
                    progress.update(`${prefix}: ${update.message ?? ''}`),
                  )
                  .then((solution) => ({
                    solution,
                    baselines: [{ name: `ours (${strategy.name})`, solution }],
                  }));
          const report = await solve(problem);
          let verification: Verification | undefined;
          if (argv.verify && arrivals) {
            progress.update(`${prefix}: replaying the trace's arrivals`);
            verification = await verifySolution({
              problem,
              solution: report.solution,
              // Re-solves only ours: the baselines stay solved for the SLO the user asked for.
              solve: (tightened) =>
                strategy.search(tightened, (update) =>
                  progress.update(`${prefix}: ${update.message ?? ''}`),
                ),
              replay: createArrivalsReplay(arrivals, { profile, pricing, classScheme }),
              maxRounds: argv.verifyRounds,
              refineRounds: argv.verifyRefine,
              onProgress: (message) => progress.update(`${prefix}: ${message}`),
            });
          }
          results.push({
            startSeconds: window.startSeconds,
            endSeconds: window.endSeconds,
            arrivals: window.arrivals,
            report: verification ? keepVerified(report, verification.solution) : report,
            ...(verification === undefined ? {} : { verification }),
          });
        }
      } finally {
        await windowReader?.close();
      }
      progress.done();
      const document = configurationDocument(results, workload, {
        pricing: pricing.name,
        profile: profile.name,
      });
      if (argv.out) await writeFile(argv.out, `${JSON.stringify(document, null, 2)}\n`);
      const infeasible = results.filter((result) => !result.report.solution.feasible);
      printResult(
        context,
        argv,
        {
          workload: workload.source,
          profile: profile.name,
          pricing: pricing.name,
          percentile: argv.percentile,
          constraint,
          perSize: argv.perSize,
          rangeFits: argv.rangeFits,
          feasible: infeasible.length === 0,
          windows: results.map((result) => ({
            startSeconds: result.startSeconds,
            endSeconds: result.endSeconds,
            arrivals: result.arrivals,
            solution: jsonSolution(result.report.solution),
            ...(result.verification === undefined
              ? {}
              : { verification: jsonVerification(result.verification) }),
            baselines: result.report.baselines.map((baseline) => ({
              name: baseline.name,
              ...jsonSolution(baseline.solution),
            })),
          })),
          configuration: document,
        },
        () =>
          `workload ${workload.source}, profile ${profile.name}, pricing ${pricing.name}, ${
            constraint.mode === 'latency'
              ? `SLO ${constraint.sloSeconds}${argv.perSize ? ' s per size unit' : ' s'}`
              : `budget $${constraint.budgetUsdPerRequest} per request`
          } at p${argv.percentile * 100}${argv.rangeFits ? ', per-range arrival fits' : ''}\n\n${results.map((result) => describeWindow(result, { percentile: argv.percentile, perSize: argv.perSize })).join('\n')}${
            argv.verify ? `\n${describeVerification(results, argv.percentile)}\n` : ''
          }${argv.out ? `\nconfiguration written to ${argv.out}\n` : ''}`,
      );
      if (infeasible.length > 0) {
        context.io.stderr(
          `mbs: the constraint cannot be met in ${infeasible.length} of ${results.length} window(s); the best achievable configuration is shown\n`,
        );
        context.exitCode = EXIT_RUNTIME_ERROR;
      }
      const unverified = results.filter((result) => result.verification?.verified === false);
      if (unverified.length > 0) {
        context.io.stderr(
          `mbs: the replayed trace misses the constraint in ${unverified.length} of ${results.length} window(s) after up to ${argv.verifyRounds} tightening round(s); the last configuration is shown\n`,
        );
        context.exitCode = EXIT_RUNTIME_ERROR;
      }
    },
  };
}
