import { writeFile } from 'node:fs/promises';
import { MbsError } from '@mbs/core';
import { DEFAULT_VERIFY_ROUNDS } from '@mbs/optimizer';
import { createAwsPricing } from '@mbs/pricing-aws';
import type { Argv, CommandModule } from 'yargs';
import { type CommandContext, type GlobalOptions, printResult } from '../context.js';
import { EXIT_RUNTIME_ERROR } from '../exit-codes.js';
import { createProgress } from '../progress.js';
import { checkHoldout } from './solve-holdout.js';
import {
  allFeasible,
  configurationDocument,
  jsonSolveResult,
  type SolveSettings,
} from './solve-json.js';
import {
  checkMarginOptions,
  checkRangeFitsOption,
  checkVerifyOptions,
  robustnessMargin,
  type SolveSearchOptions,
  searchBounds,
  searchConstraint,
  timeoutsOf,
  verifies,
} from './solve-options.js';
import { describeSolve } from './solve-tables.js';
import { STRATEGIES, solveWindows, type WindowSolveOptions } from './solve-windows.js';
import { loadProfile, loadWorkload, type WorkloadSource } from './solve-workload.js';

interface SolveOptions
  extends GlobalOptions,
    SolveSearchOptions,
    WorkloadSource,
    WindowSolveOptions {
  readonly profile?: string;
  readonly pricing: string;
  readonly out?: string;
  readonly marks?: string;
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
        .option('verify-margin', {
          type: 'number',
          default: 0,
          describe:
            "With --verify: the replay must meet the SLO by this many standard errors of its percentile's variation over 10 consecutive stretches of the trace (a margin for traffic like it, not seen yet)",
        })
        .option('verify-holdout', {
          type: 'number',
          describe:
            'With --trace: hold out this fraction of the trace (its end, e.g. 0.5): fit and verify on the rest, then replay the held-out part through the configuration and report it (out of sample)',
        })
        .option('marks', {
          type: 'string',
          choices: ['auto', 'independent', 'fitted'],
          describe:
            'With --trace: classes as marks of the arrivals: auto (a marked MAP when sizes depend on the arrivals), independent (thinning), fitted (always marked)',
        })
        .option('margin-percentile', {
          type: 'number',
          describe:
            'Robustness: the SLO must hold for the percentile plus this share (0.01: p95 -> p96), so a cliff just past the SLO is not chosen; the price is reported',
        })
        .option('margin-slo', {
          type: 'number',
          describe:
            'Robustness: the percentile must stay within the SLO minus this share of it (0.05: 95 % of the SLO); the price is reported',
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
      checkMarginOptions(argv);
      if (argv.marks !== undefined && argv.trace === undefined) {
        throw new MbsError(
          'OPTION_INVALID',
          '[@mbs/cli] --marks needs --trace: it chooses how the trace is fitted',
          { details: { option: 'marks' } },
        );
      }
      const progress = createProgress(context.io);
      progress.update('loading the workload');
      const explicitProfile =
        argv.profile === undefined ? undefined : await loadProfile(argv.profile);
      const { workload, holdout: split } = await loadWorkload(argv, explicitProfile?.classCount, {
        countWindowsSeconds: timeoutsOf(argv),
        ...(argv.marks === undefined ? {} : { marks: argv.marks as 'auto' }),
        ...(argv.verifyHoldout === undefined ? {} : { holdoutFraction: argv.verifyHoldout }),
      });
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
      const results = await solveWindows(argv, {
        workload,
        profile,
        pricing,
        constraint,
        bounds,
        progress,
      });
      const holdout =
        split && argv.verifyHoldout !== undefined && results.length > 0
          ? checkHoldout(split, argv.verifyHoldout, results[results.length - 1]!, {
              workload,
              profile,
              pricing,
              constraint,
              percentile: argv.percentile,
            })
          : undefined;
      progress.done();
      const document = configurationDocument(results, workload, {
        pricing: pricing.name,
        profile: profile.name,
      });
      if (argv.out) await writeFile(argv.out, `${JSON.stringify(document, null, 2)}\n`);
      const settings: SolveSettings = {
        workload: workload.source,
        profile: profile.name,
        pricing: pricing.name,
        percentile: argv.percentile,
        constraint,
        perSize: argv.perSize,
        rangeFits: argv.rangeFits,
        verify: verifies(argv),
        margin: robustnessMargin(argv),
      };
      printResult(context, argv, jsonSolveResult(settings, results, document, holdout), () =>
        describeSolve(settings, results, { verify: verifies(argv), out: argv.out, holdout }),
      );
      const infeasible = results.filter((result) => !result.report.solution.feasible);
      if (infeasible.length > 0) {
        context.io.stderr(
          `mbs: the constraint cannot be met in ${infeasible.length} of ${results.length} window(s); the best achievable configuration is shown\n`,
        );
        context.exitCode = EXIT_RUNTIME_ERROR;
      }
      const unverified = results.filter((result) => result.verification?.verified === false);
      if (unverified.length > 0) {
        context.io.stderr(
          `mbs: infeasible: the replayed trace misses the constraint in ${unverified.length} of ${results.length} window(s) after up to ${argv.verifyRounds} tightening round(s); the unverified configuration is shown (no tightened one met it either)\n`,
        );
        context.exitCode = EXIT_RUNTIME_ERROR;
      }
      if (holdout && !holdout.meets) {
        context.io.stderr(
          `mbs: out of sample, the held-out ${(holdout.fraction * 100).toFixed(0)} % of the trace misses the constraint: p${argv.percentile * 100} ${holdout.replay.percentileSeconds.toFixed(3)} s\n`,
        );
        context.exitCode = EXIT_RUNTIME_ERROR;
      }
      // The JSON's feasible is false in either case above; keep the exit code in step with it.
      if (!allFeasible(results)) context.exitCode = EXIT_RUNTIME_ERROR;
    },
  };
}
