import { writeFile } from 'node:fs/promises';
import { DEFAULT_FUNCTION_NAME_PREFIX, isFunctionNamePrefix } from '@mbs/core';
import { DEFAULT_VERIFY_ROUNDS, hasRobustnessMargin } from '@mbs/optimizer';
import type { ClassedWorkload, HoldoutSplit } from '@mbs/traces';
import type { Argv, CommandModule } from 'yargs';
import { type CommandContext, type GlobalOptions, printResult, warn } from '../context.js';
import { errors } from '../errors.js';
import { EXIT_RUNTIME_ERROR } from '../exit-codes.js';
import { optionError } from '../options/option-error.js';
import { createProgress } from '../progress.js';
import { writeReportFile } from '../report-file.js';
import {
  type ObjectiveOptions,
  objectiveOptionBuilder,
  resolveObjective,
} from '../resolvers/objective.js';
import {
  DEFAULT_PRICING,
  type PricingOption,
  pricingOptionBuilder,
  resolvePricing,
} from '../resolvers/pricing.js';
import { type ProfileOption, profileOptionBuilder, resolveProfile } from '../resolvers/profile.js';
import { TRACE_SOURCE_HELP, traceReaderOptionsBuilder } from '../resolvers/trace.js';
import { floorNotices } from './solve-floor.js';
import {
  checkFrontEndsOption,
  compareFrontEnds,
  describeFrontEnds,
  type FrontEndsComparison,
  frontEndWorkload,
} from './solve-front-ends.js';
import { checkHoldout } from './solve-holdout.js';
import {
  allFeasible,
  configurationDocument,
  jsonSolveResult,
  type SolveSettings,
} from './solve-json.js';
import {
  checkMarginOptions,
  checkObjectiveOptions,
  checkRangeFitsOption,
  checkVerifyOptions,
  robustnessMargin,
  type SolveSearchOptions,
  searchBounds,
  timeoutsOf,
  verifies,
  verifyConfidenceOf,
} from './solve-options.js';
import {
  describeSweep,
  jsonSweep,
  parseSloList,
  sweepWindows,
  withFrontiers,
} from './solve-sweep.js';
import { describeSolve } from './solve-tables.js';
import { solveThreads, solveWindows } from './solve-threads.js';
import { STRATEGIES, type WindowSolveOptions } from './solve-windows.js';
import { loadWorkload, openSolveTrace, type WorkloadSource } from './solve-workload.js';

interface SolveOptions
  extends GlobalOptions,
    SolveSearchOptions,
    WorkloadSource,
    WindowSolveOptions,
    ProfileOption,
    PricingOption,
    ObjectiveOptions {
  readonly out?: string;
  readonly marks?: string;
  readonly report?: string;
  readonly prefix: string;
  readonly frontEnds: number;
  readonly slos?: string;
  readonly threads?: number;
}

/** `mbs solve`: the cheapest configuration under the SLO, with baselines, per window. */
export function solveCommand(context: CommandContext): CommandModule<GlobalOptions, SolveOptions> {
  return {
    command: 'solve',
    describe:
      'Find the cheapest multi-buffer configuration whose latency percentile meets the SLO (default: the built-in workload)',
    builder: (yargs: Argv<GlobalOptions>) =>
      objectiveOptionBuilder(
        pricingOptionBuilder(
          profileOptionBuilder(
            traceReaderOptionsBuilder(
              yargs
                .option('workload', {
                  type: 'string',
                  describe: 'Workload JSON of mbs fit, or a MAP as D0.csv,D1.csv',
                })
                .option('class-shares', {
                  type: 'string',
                  describe:
                    'With a MAP (--workload or --trace D0.csv,D1.csv): comma-separated share per profile class (default equal)',
                })
                .option('trace', {
                  type: 'string',
                  describe: `A trace to fit on the fly: ${TRACE_SOURCE_HELP} (default: synthetic, the built-in workload)`,
                }),
              context.plugins,
            ),
            context.plugins,
            "parametric, built for the workload's classes",
          ),
          context.plugins,
          DEFAULT_PRICING,
        ),
        context.plugins,
      )
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
        .option('percentile', {
          type: 'number',
          default: 0.95,
          describe: 'Latency percentile constrained (or minimised), in (0, 1); objectives read it',
        })
        .option('slo', {
          type: 'number',
          describe: 'Latency objective in seconds (or per size unit with --per-size); default 1',
        })
        .option('slos', {
          type: 'string',
          describe:
            'Sweep these SLOs (comma-separated seconds) and print cost against the SLO, sharing work across them',
        })
        .option('budget', {
          type: 'number',
          describe: 'With --objective cost-budget: mean cost per request in USD',
        })
        .option('constraint', {
          type: 'string',
          choices: ['latency', 'cost'],
          describe:
            'Short for --objective: latency is latency-slo (cheapest within the SLO), cost is cost-budget (lowest percentile within the budget)',
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
        .option('report', {
          type: 'string',
          describe: 'Also write the HTML report of this solve here (as mbs report --solve)',
        })
        .option('prefix', {
          type: 'string',
          default: DEFAULT_FUNCTION_NAME_PREFIX,
          describe:
            "Function name prefix of the configuration's buffers: <prefix>-b<buffer> (<prefix>-w<window>-b<buffer> with several windows), the names deploy, run and the batcher use",
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
        .option('verify-confidence', {
          type: 'number',
          describe:
            "With --verify or --verify-holdout: the replay meets only when the share of its requests over the SLO, plus that share's prediction margin at this confidence (e.g. 0.9) over 10 consecutive stretches of the trace, leaves room for the percentile: so later traffic like it should meet the SLO too; 0: no such bound (default: none with --verify, 0.99 with --verify-holdout; not with --verify-margin)",
        })
        .option('verify-holdout', {
          type: 'number',
          describe:
            'With --trace: hold out this fraction of the trace (its end, e.g. 0.5): fit and verify on the rest, then replay the held-out part through the configuration and report it (out of sample). An out-of-sample check is a guarantee asked for, so the rest is verified at --verify-confidence 0.99 unless that option or --verify-margin is given (its price is shown as the premium: 2 % on average on bursty test traces, more where sizes drift)',
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
        .option('front-ends', {
          type: 'number',
          default: 1,
          describe:
            'Solve for one of K identical front ends behind a round-robin balancer (each sees every K-th request) and print what K costs against one',
        })
        .option('threads', {
          type: 'number',
          describe:
            'Worker threads solving windows in parallel (default: one per core, up to one per window); results do not depend on it',
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
      checkFrontEndsOption(argv.frontEnds, argv);
      if (argv.marks !== undefined && argv.trace === undefined) {
        throw optionError(
          '--marks',
          'needs --trace: it chooses how the trace is fitted',
          argv.marks,
        );
      }
      const slos = parseSloList(argv.slos, argv as unknown as Record<string, unknown>);
      if (!isFunctionNamePrefix(argv.prefix)) {
        throw optionError(
          '--prefix',
          `is ${JSON.stringify(argv.prefix)}; give 1..40 letters, digits, "-" or "_"`,
          argv.prefix,
        );
      }
      // Before any reading: the objective decides which of the options above can be honoured.
      const objective = await resolveObjective(context.plugins, argv);
      checkObjectiveOptions(objective, argv);
      checkMarginOptions(argv, objective);
      const percentile = objective.standard?.percentile ?? argv.percentile;
      // A held-out check asks for an out-of-sample guarantee: a confidence bound by default.
      const verifyConfidence = verifyConfidenceOf(
        argv,
        objective.standard?.constraint.mode === 'latency',
      );
      const progress = createProgress(context.io);
      progress.update('loading the workload');
      const profileChoice = await resolveProfile(
        context.plugins,
        argv.profile,
        '--profile',
        (message) => warn(context, message),
      );
      const pricing = await resolvePricing(context.plugins, argv.pricing);
      // Under the latency floor the SLO is infeasible whatever the arrivals: say so before the
      // fit and the search (the search then finds the cheapest configuration at the floor).
      const floorSlo =
        objective.standard?.constraint.mode === 'latency' &&
        !hasRobustnessMargin(robustnessMargin(argv)) &&
        (argv.slo !== undefined || slos === undefined)
          ? objective.standard.constraint.sloSeconds
          : undefined;
      const onClasses = async (classed: ClassedWorkload) => {
        if (floorSlo === undefined) return;
        const classProfile = await profileChoice.forClasses(classed.classRepresentativeSizes);
        // A profile of another class count is refused below, after the fit.
        if (classProfile.classCount !== classed.classUpperEdges.length) return;
        const lines = floorNotices(classed, {
          profile: classProfile,
          pricing,
          bounds: searchBounds(argv, classProfile, classProfile.classCount),
          percentile,
          perSize: argv.perSize,
          sloSeconds: floorSlo,
        });
        if (lines.length === 0) return;
        progress.done();
        context.io.stderr(`${lines.join('\n')}\n`);
      };
      const { workload: wholeWorkload, holdout: split } = await loadWorkload(
        context.plugins,
        argv,
        profileChoice,
        {
          countWindowsSeconds: timeoutsOf(argv),
          ...(argv.marks === undefined ? {} : { marks: argv.marks as 'auto' }),
          ...(argv.verifyHoldout === undefined ? {} : { holdoutFraction: argv.verifyHoldout }),
          onClasses,
          onProgress: (message) => progress.update(`fitting: ${message}`),
        },
      );
      const workload = frontEndWorkload(wholeWorkload, argv.frontEnds);
      const profile = await profileChoice.forClasses(workload.classRepresentativeSizes);
      const classCount = workload.classUpperEdges.length;
      if (profile.classCount !== classCount) {
        throw errors.error(
          'OPTION_INVALID',
          `the workload has ${classCount} classes but the profile ${profile.name} has ${profile.classCount}; fit with --classes ${profile.classCount}`,
        );
      }
      const bounds = searchBounds(argv, profile, classCount);
      const sweeps =
        slos === undefined
          ? undefined
          : await sweepWindows(slos, {
              ...{ workload, profile, pricing, bounds, progress },
              ...{ percentile, perSize: argv.perSize, strategy: argv.strategy },
            });
      if (sweeps !== undefined && argv.slo === undefined) {
        progress.done();
        const text = () => describeSweep(sweeps, percentile);
        printResult(context, argv, jsonSweep(sweeps, percentile), text);
        return;
      }
      const inputs = {
        workload,
        profile,
        pricing,
        objective,
        bounds,
        progress,
        openTrace: () => openSolveTrace(context.plugins, argv, profileChoice),
        ...(context.pluginSources ? { plugins: context.pluginSources } : {}),
        onThreads: (line: string) => context.io.stderr(`mbs: ${line}\n`),
      };
      const threads = solveThreads(argv.threads, workload.windows.length);
      const { verifyConfidence: _given, ...solveArgv } = argv;
      // The bound is for the held-out part, whose length sets its own share's noise.
      const laterSeconds = split ? heldOutSeconds(split) : 0;
      const windowOptions = {
        ...solveArgv,
        percentile,
        ...(verifyConfidence === undefined ? {} : { verifyConfidence }),
        ...(verifyConfidence !== undefined && laterSeconds > 0
          ? { verifyLaterSeconds: laterSeconds }
          : {}),
      };
      const results = await solveWindows(
        windowOptions,
        { ...inputs, wholeStream: argv.frontEnds === 1 },
        threads,
      );
      const holdout =
        split && argv.verifyHoldout !== undefined && objective.standard && results.length > 0
          ? checkHoldout(split, argv.verifyHoldout, results[results.length - 1]!, {
              ...(verifyConfidence === undefined ? {} : { confidence: verifyConfidence }),
              workload,
              profile,
              pricing,
              constraint: objective.standard.constraint,
              percentile,
            })
          : undefined;
      let frontEnds: FrontEndsComparison | undefined;
      if (argv.frontEnds > 1) {
        // The same search for the whole stream on one front end, for the comparison.
        const single = await solveWindows(
          { ...windowOptions, baselines: false },
          { ...inputs, workload: wholeWorkload },
          threads,
        );
        frontEnds = compareFrontEnds(argv.frontEnds, results, single);
      }
      progress.done();
      const document = configurationDocument(results, workload, {
        pricing: pricing.name,
        profile: profile.name,
        profileSource: profileChoice.source,
        functionNamePrefix: argv.prefix,
      });
      if (argv.out) await writeFile(argv.out, `${JSON.stringify(document, null, 2)}\n`);
      const settings: SolveSettings = {
        workload: workload.source,
        profile: profile.name,
        pricing: pricing.name,
        percentile,
        objective: objective.objective.name,
        ...(objective.standard ? { constraint: objective.standard.constraint } : {}),
        perSize: argv.perSize,
        rangeFits: argv.rangeFits,
        verify: verifies(argv),
        margin: robustnessMargin(argv),
      };
      const solved = withFrontiers(jsonSolveResult(settings, results, document, holdout), sweeps);
      const result = frontEnds === undefined ? solved : { ...solved, frontEnds };
      if (argv.report !== undefined) {
        const { parseSolveDocument } = await import('@mbs/report');
        // Through JSON, as mbs report would read it (an infinite percentile becomes null).
        const source = `mbs solve (workload ${settings.workload})`;
        const parsed = parseSolveDocument(JSON.parse(JSON.stringify(result)), source);
        await writeReportFile(
          argv.report,
          { solve: { source, document: parsed.document }, problems: parsed.problems },
          '--report',
        );
        context.io.stderr(`wrote the report ${argv.report}\n`);
      }
      printResult(
        context,
        argv,
        result,
        () =>
          describeSolve(settings, results, { verify: verifies(argv), out: argv.out, holdout }) +
          (frontEnds === undefined ? '' : describeFrontEnds(frontEnds)) +
          (sweeps === undefined ? '' : `\n${describeSweep(sweeps, percentile)}`),
      );
      const infeasible = results.filter((result) => !result.report.solution.feasible);
      if (infeasible.length > 0) {
        context.io.stderr(
          `mbs: the ${objective.standard ? 'constraint' : `objective ${objective.objective.name}`} cannot be met in ${infeasible.length} of ${results.length} window(s); the best achievable configuration is shown\n`,
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
          `mbs: out of sample, the held-out ${(holdout.fraction * 100).toFixed(0)} % of the trace misses the constraint: p${percentile * 100} ${holdout.replay.percentileSeconds.toFixed(3)} s\n`,
        );
        context.exitCode = EXIT_RUNTIME_ERROR;
      }
      // The JSON's feasible is false in either case above; keep the exit code in step with it.
      if (!allFeasible(results)) context.exitCode = EXIT_RUNTIME_ERROR;
    },
  };
}

/** The held-out part's span in seconds (its arrivals start at the cut, 0 s). */
const heldOutSeconds = (split: HoldoutSplit): number => split.heldOut.at(-1)?.timeSeconds ?? 0;
