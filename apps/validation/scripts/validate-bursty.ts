/**
 * Is the model trustworthy on bursty traffic it was not built from? For the seeded bursty hard
 * case (on/off clusters: a third of the gaps under 5 ms, inter-arrival SCV above 100, a tenth of
 * the minutes empty; `hard` with sizes independent of time, `drift` with sizes drifting with time)
 * and the Azure LLM conversation trace, the parametric profile (8 quantile classes) and the
 * DeepSpeech profile (33 classes), at three p95 SLOs each, it prints:
 *
 * 1. accuracy: ours solved on the trace's fit (`fitWorkload` defaults: the fit chosen by counting
 *    statistics at the T grid, a marked MAP when sizes depend on the arrivals), with the model's
 *    p95, the p95 of 10^6 requests sampled from the fitted process, and the p95 of the trace's own
 *    arrivals replayed (errors relative to the model; goal: every real-arrival error within 10 %,
 *    the median within 5 %);
 * 2. in-sample verification (`verifySolution` on the trace's arrivals): does the kept
 *    configuration meet the SLO on the trace, and is it ever worse than the unverified one;
 * 3. out of sample (`--holdout 0.5`): fit, solve and verify on the first half of the trace, then
 *    replay the kept configuration on the second half (goal: at most 2 % over the SLO). Verified
 *    as `mbs solve --verify-holdout` does: at confidence 0.99 (`DEFAULT_HOLDOUT_CONFIDENCE`)
 *    unless `--verify-confidence C` (0: no bound) or `--verify-margin K` says otherwise.
 *
 * Run: `npm run validate:bursty -w @mbs/validation [-- --traces hard,drift --profiles parametric
 * --slos-parametric 0.5,0.6,0.8 --slos-deepspeech 7.5,9,15 --holdout 0.5 --holdout-traces
 * hard,drift,azure --no-accuracy --verify-confidence 0.9 --json --out results.json]`. The synthetic traces need no data;
 * the DeepSpeech profile and the Azure trace are read from ../shared/data and skipped with a
 * notice when it is absent. Progress goes to stderr, tables to stdout; with `--out` every row is
 * also appended to a JSON-lines file as it finishes.
 */
import { appendFile } from 'node:fs/promises';
import { DEFAULT_HOLDOUT_CONFIDENCE } from '@mbs/cli';
import { sortedQuantile, usdPerMillionRequests } from '@mbs/core';
import {
  createFrontierStrategy,
  createModelEvaluator,
  type OptimizationProblem,
  type ReplayMeasurement,
  type Solution,
  type Verification,
  verifySolution,
} from '@mbs/optimizer';
import { createAwsPricing } from '@mbs/pricing-aws';
import {
  BURSTY_TRACES,
  type FittedCase,
  fitCase,
  loadTrace,
  type ProfileName,
  sliceTrace,
  type TraceArrays,
} from '../src/bursty-cases.js';
import { burstinessSummary } from '../src/bursty-trace.js';
import { errors } from '../src/errors.js';
import { dataDirectory, realDataPresent } from '../src/real-data.js';

const started = performance.now();
const log = (message: string) =>
  process.stderr.write(
    `[${((performance.now() - started) / 1000).toFixed(0).padStart(5)} s] ${message}\n`,
  );

function listOption(name: string, fallback: string): string[] {
  const index = process.argv.indexOf(`--${name}`);
  const value = index >= 0 ? process.argv[index + 1] : fallback;
  return (value ?? fallback)
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part !== '');
}
function numbers(name: string, fallback: string): number[] {
  const values = listOption(name, fallback).map(Number);
  if (values.some((value) => !(value > 0))) {
    throw errors.error('OPTION_INVALID', `--${name}: give numbers > 0, e.g. ${fallback}`);
  }
  return values;
}
function traceNames(name: string, fallback: string): (keyof typeof BURSTY_TRACES)[] {
  return listOption(name, fallback).map((trace) => {
    if (!(trace in BURSTY_TRACES)) {
      throw errors.error(
        'OPTION_INVALID',
        `--${name}: unknown trace "${trace}"; give ${Object.keys(BURSTY_TRACES).join(', ')}`,
      );
    }
    return trace as keyof typeof BURSTY_TRACES;
  });
}

const asJson = process.argv.includes('--json');
const outIndex = process.argv.indexOf('--out');
const outFile = outIndex >= 0 ? process.argv[outIndex + 1] : undefined;
const accuracy = !process.argv.includes('--no-accuracy');
const traces = traceNames('traces', 'hard,drift');
const holdoutTraces = traceNames('holdout-traces', 'hard,drift,azure');
const holdoutIndex = process.argv.indexOf('--holdout');
const holdout = holdoutIndex >= 0 ? Number(process.argv[holdoutIndex + 1]) : 0.5;
if (!(holdout > 0 && holdout < 1)) {
  throw errors.error('OPTION_INVALID', `--holdout ${holdout}: give a fraction in (0, 1)`);
}
const profiles = listOption('profiles', 'parametric,deepspeech').map((name) => {
  if (name !== 'parametric' && name !== 'deepspeech') {
    throw errors.error(
      'OPTION_INVALID',
      `--profiles: unknown "${name}"; give parametric, deepspeech`,
    );
  }
  return name as ProfileName;
});
const slos: Record<ProfileName, number[]> = {
  parametric: numbers('slos-parametric', '0.5,0.6,0.8'),
  deepspeech: numbers('slos-deepspeech', '7.5,9,15'),
};
const dataPresent = realDataPresent();
if (!dataPresent) log(`no real data at ${dataDirectory}: DeepSpeech and Azure cases are skipped`);
const usable = (trace: string, profile: ProfileName) =>
  dataPresent || (trace !== 'azure' && profile !== 'deepspeech');

const pricing = createAwsPricing({ architecture: 'x86_64' });
const strategy = createFrontierStrategy({ createEvaluator: createModelEvaluator });
const search = (problem: OptimizationProblem) => strategy.search(problem);
/** Standard errors of the trace's stretch-to-stretch variability verification must clear. */
const verifyMarginIndex = process.argv.indexOf('--verify-margin');
const verifyMargin = verifyMarginIndex >= 0 ? Number(process.argv[verifyMarginIndex + 1]) : 0;
if (!(verifyMargin >= 0)) {
  throw errors.error('OPTION_INVALID', `--verify-margin ${verifyMargin}: give a number >= 0`);
}
/**
 * Confidence that later traffic like the trace meets the SLO too: verification bounds the share
 * of requests over the SLO by a prediction margin over 10 stretches (`mbs solve
 * --verify-confidence C`; 0: no bound). Absent: none in sample (as `mbs solve --verify`), and
 * `DEFAULT_HOLDOUT_CONFIDENCE` out of sample (as `mbs solve --verify-holdout`) unless
 * `--verify-margin` is given.
 */
const verifyConfidenceIndex = process.argv.indexOf('--verify-confidence');
const givenConfidence =
  verifyConfidenceIndex >= 0 ? Number(process.argv[verifyConfidenceIndex + 1]) : undefined;
if (givenConfidence !== undefined && !(givenConfidence >= 0 && givenConfidence < 1)) {
  throw errors.error(
    'OPTION_INVALID',
    `--verify-confidence ${givenConfidence}: give a probability in [0, 1), e.g. 0.9 (0: no bound)`,
  );
}
const confidenceOrNone = (value: number | undefined) =>
  value !== undefined && value > 0 ? value : undefined;
const verifyConfidence = confidenceOrNone(givenConfidence);
const holdoutConfidence = confidenceOrNone(
  givenConfidence ?? (verifyMargin > 0 ? undefined : DEFAULT_HOLDOUT_CONFIDENCE),
);
/**
 * Verification as `mbs solve --verify --verify-refine 2 --verify-margin K` (or
 * `--verify-confidence C`) does it.
 */
const verify = (
  problem: OptimizationProblem,
  solution: Solution,
  replay: FittedCase['realReplay'],
  confidence = verifyConfidence,
) =>
  verifySolution({
    problem,
    solution,
    // The evaluator's wait laws depend on the arrivals, not on the SLO: re-solves share them.
    solve: (tightened) =>
      createFrontierStrategy({ createEvaluator: () => createModelEvaluator(problem) }).search(
        tightened,
      ),
    replay,
    maxRounds: 6,
    refineRounds: 2,
    standardErrors: verifyMargin,
    ...(confidence === undefined ? {} : { confidence }),
  });

interface AccuracyRow {
  readonly trace: string;
  readonly profile: ProfileName;
  readonly sloSeconds: number;
  readonly fit: string;
  readonly modelP95: number;
  readonly modelCostPerMillion: number;
  readonly fitted: ReplayMeasurement;
  readonly real: ReplayMeasurement;
  readonly verification: Verification;
  readonly solveSeconds: number;
}
interface HoldoutRow {
  readonly trace: string;
  readonly profile: ProfileName;
  readonly sloSeconds: number;
  readonly fit: string;
  readonly modelP95: number;
  readonly verification: Verification;
  readonly heldOut: ReplayMeasurement;
  /** The unverified configuration on the held-out part, for comparison. */
  readonly heldOutUnverified: ReplayMeasurement;
}

/** The window's fit, and how buffers get their streams: thinning, or per-range streams. */
function describeFit(fitted: FittedCase): string {
  const method = fitted.window.fit?.method ?? '?';
  return fitted.rangeArrivals ? `${method}, per-range streams` : `${method}, thinned`;
}

/** What the ranges kept, once the search has asked for them. */
function describeRanges(fitted: FittedCase): string {
  const summary = fitted.rangeArrivals?.summary();
  return summary
    ? `; ranges: ${summary.ranges} (${summary.ownFits} own fits, ${summary.candidates} marked restrictions, ${summary.poisson} Poisson; mean counting score ${summary.meanScore?.toFixed(3) ?? '-'})`
    : '';
}

async function record(kind: string, row: object): Promise<void> {
  if (outFile) await appendFile(outFile, `${JSON.stringify({ kind, ...row })}\n`);
}

function describeTrace(trace: TraceArrays): string {
  const summary = burstinessSummary(trace.times);
  return `${trace.name}: ${summary.arrivals} arrivals, ${summary.ratePerSecond.toFixed(2)} req/s, ${(summary.shortGapShare * 100).toFixed(1)} % of gaps < 5 ms, SCV ${summary.scv.toFixed(1)}, ${(summary.emptyMinuteShare * 100).toFixed(1)} % of minutes empty`;
}

/** A verification margin, as the tables' titles say it. */
const marginText = (confidence: number | undefined) =>
  confidence === undefined
    ? `margin ${verifyMargin} standard errors of the p95 over 10 stretches`
    : `share over the SLO + its prediction margin at confidence ${confidence} over 10 stretches <= 5 %`;
/** The share of a replay's requests over the SLO, in percent, when the replay has stretches. */
const overShare = (measured: ReplayMeasurement, sloSeconds: number) => {
  const estimate = measured.latencyStretches?.exceedance(sloSeconds);
  return estimate ? `${(estimate.share * 100).toFixed(2)} %` : '-';
};
/** The kept attempt's share over the SLO and its margin, when verified with a confidence. */
const keptOverSlo = ({ requestsOverSlo }: Verification) =>
  requestsOverSlo
    ? `${(requestsOverSlo.share * 100).toFixed(2)} % + ${(requestsOverSlo.marginShare * 100).toFixed(2)} %`
    : '-';
const percent = (value: number) => `${value >= 0 ? '+' : ''}${(value * 100).toFixed(1)} %`;
const seconds = (value: number) => `${value.toFixed(3)} s`;

const accuracyRows: AccuracyRow[] = [];
const holdoutRows: HoldoutRow[] = [];
const loaded = new Map<string, TraceArrays>();
async function traceOf(name: keyof typeof BURSTY_TRACES): Promise<TraceArrays> {
  let trace = loaded.get(name);
  if (!trace) {
    trace = await loadTrace(name);
    loaded.set(name, trace);
    log(describeTrace(trace));
  }
  return trace;
}

if (accuracy) {
  for (const traceName of traces) {
    for (const profileName of profiles) {
      if (!usable(traceName, profileName)) continue;
      const fitted = await fitCase(await traceOf(traceName), profileName, pricing);
      const fit = describeFit(fitted);
      log(
        `${traceName} / ${profileName}: fit ${fit} in ${fitted.fitSeconds.toFixed(1)} s; ${fitted.window.fit?.marks?.reason ?? ''}`,
      );
      for (const sloSeconds of slos[profileName]) {
        const solveStarted = performance.now();
        const problem = fitted.problem(sloSeconds);
        const solution = await search(problem);
        const solveSeconds = (performance.now() - solveStarted) / 1000;
        const real = fitted.realReplay(solution.system, 0.95);
        const fittedReplay = fitted.fittedReplay(solution.system, 0.95);
        log(
          `${traceName} / ${profileName} / ${sloSeconds} s: model ${solution.latencyPercentile.toFixed(3)} s (solved in ${solveSeconds.toFixed(0)} s), fitted ${fittedReplay.percentileSeconds.toFixed(3)} s, real ${real.percentileSeconds.toFixed(3)} s${describeRanges(fitted)}; verifying`,
        );
        const verification = await verify(problem, solution, fitted.realReplay);
        const row: AccuracyRow = {
          trace: traceName,
          profile: profileName,
          sloSeconds,
          fit,
          modelP95: solution.latencyPercentile,
          modelCostPerMillion: usdPerMillionRequests(solution.costPerRequestUsd),
          fitted: fittedReplay,
          real,
          verification,
          solveSeconds,
        };
        accuracyRows.push(row);
        await record('accuracy', { ...row, verification: summarizeVerification(verification) });
        log(
          `  verified: ${verification.verified ? 'yes' : 'NO'}, replay ${verification.replay.percentileSeconds.toFixed(3)} s, premium ${(verification.costPremiumShare * 100).toFixed(2)} %`,
        );
      }
    }
  }
}

for (const traceName of holdoutTraces) {
  for (const profileName of profiles) {
    if (!usable(traceName, profileName)) continue;
    const trace = await traceOf(traceName);
    const end = trace.times[trace.times.length - 1]! + 1e-9;
    const cut = end * (1 - holdout);
    const tuning = sliceTrace(trace, 0, cut);
    const heldOut = sliceTrace(trace, cut, end);
    const fitted = await fitCase(tuning, profileName, pricing);
    const heldOutReplay = fitted.replayOf(heldOut);
    const fit = describeFit(fitted);
    log(
      `holdout ${traceName} / ${profileName}: fit ${fit} on ${tuning.times.length} arrivals, check on ${heldOut.times.length}`,
    );
    for (const sloSeconds of slos[profileName]) {
      const problem = fitted.problem(sloSeconds);
      const solution = await search(problem);
      const verification = await verify(problem, solution, fitted.realReplay, holdoutConfidence);
      const row: HoldoutRow = {
        trace: traceName,
        profile: profileName,
        sloSeconds,
        fit,
        modelP95: solution.latencyPercentile,
        verification,
        heldOut: heldOutReplay(verification.solution.system, 0.95),
        heldOutUnverified: heldOutReplay(solution.system, 0.95),
      };
      holdoutRows.push(row);
      await record('holdout', { ...row, verification: summarizeVerification(verification) });
      log(
        `holdout ${traceName} / ${profileName} / ${sloSeconds} s: tuned ${verification.replay.percentileSeconds.toFixed(3)} s (${verification.verified ? 'met' : 'NOT met'}), held out ${row.heldOut.percentileSeconds.toFixed(3)} s (${overShare(row.heldOut, sloSeconds)} over the SLO; in sample ${keptOverSlo(verification)}), premium ${percent(verification.costPremiumShare)}`,
      );
    }
  }
}

function summarizeVerification(verification: Verification) {
  return {
    verified: verification.verified,
    replayP95: verification.replay.percentileSeconds,
    ...(verification.requestsOverSlo ? { requestsOverSlo: verification.requestsOverSlo } : {}),
    modelP95: verification.solution.latencyPercentile,
    modelCostPerMillion: usdPerMillionRequests(verification.solution.costPerRequestUsd),
    rounds: verification.rounds,
    bisections: verification.bisections,
    jumps: verification.jumps,
    refinements: verification.refinements,
    internalSloSeconds: verification.internalSloSeconds,
    costPremiumShare: verification.costPremiumShare,
    attempts: verification.attempts.map((attempt) => ({
      phase: attempt.phase,
      internalSloSeconds: attempt.internalSloSeconds,
      modelP95: attempt.solution.latencyPercentile,
      replayP95: attempt.replay.percentileSeconds,
      meets: attempt.meets,
      jump: attempt.jump,
      ...(attempt.requestsOverSlo ? { requestsOverSlo: attempt.requestsOverSlo } : {}),
    })),
  };
}

if (asJson) {
  console.log(
    JSON.stringify(
      {
        accuracy: accuracyRows.map((row) => ({
          ...row,
          verification: summarizeVerification(row.verification),
        })),
        holdout: holdoutRows.map((row) => ({
          ...row,
          verification: summarizeVerification(row.verification),
        })),
      },
      null,
      2,
    ),
  );
} else {
  if (accuracyRows.length > 0) {
    console.log('\nAccuracy: model p95 vs replays of ours (errors = replay / model - 1)\n');
    console.log(
      '| trace | profile | p95 SLO | fit | model p95 | fitted-process replay p95 | real-arrival replay p95 | real error | model $/1M | real $/1M | solve |',
    );
    console.log('| --- | --- | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
    for (const row of accuracyRows) {
      const fittedError = row.fitted.percentileSeconds / row.modelP95 - 1;
      console.log(
        `| ${row.trace} | ${row.profile} | ${row.sloSeconds} s | ${row.fit} | ${seconds(row.modelP95)} | ${seconds(row.fitted.percentileSeconds)} ± ${((row.fitted.standardErrorSeconds ?? 0) * 1000).toFixed(1)} ms (${percent(fittedError)}) | ${seconds(row.real.percentileSeconds)} | ${percent(row.real.percentileSeconds / row.modelP95 - 1)} | ${row.modelCostPerMillion.toFixed(3)} | ${usdPerMillionRequests(row.real.costPerRequestUsd).toFixed(3)} | ${row.solveSeconds.toFixed(0)} s |`,
      );
    }
    const errors = accuracyRows
      .map((row) => Math.abs(row.real.percentileSeconds / row.modelP95 - 1))
      .sort((left, right) => left - right);
    console.log(
      `\nreal-arrival |error|: median ${(sortedQuantile(errors, 0.5) * 100).toFixed(1)} %, largest ${(errors[errors.length - 1]! * 100).toFixed(1)} %, within 10 %: ${errors.filter((error) => error <= 0.1).length} of ${errors.length} (goal: all, median <= 5 %)`,
    );
    console.log(
      `\nIn-sample verification (\`verifySolution\` on the trace, 6 rounds, 2 refinements, ${marginText(verifyConfidence)})\n`,
    );
    console.log(
      '| trace | profile | p95 SLO | unverified real p95 | kept real p95 | meets | rounds + bisections + refinements | jumps | premium | never worse |',
    );
    console.log('| --- | --- | ---: | ---: | ---: | --- | ---: | ---: | ---: | --- |');
    for (const row of accuracyRows) {
      const verification = row.verification;
      console.log(
        `| ${row.trace} | ${row.profile} | ${row.sloSeconds} s | ${seconds(row.real.percentileSeconds)} | ${seconds(verification.replay.percentileSeconds)} | ${verification.verified ? 'yes' : 'no'} | ${verification.rounds} + ${verification.bisections} + ${verification.refinements} | ${verification.jumps} | ${percent(verification.costPremiumShare)} | ${verification.replay.percentileSeconds <= row.real.percentileSeconds ? 'yes' : 'NO'} |`,
      );
    }
  }
  if (holdoutRows.length > 0) {
    console.log(
      `\nOut of sample: fit, solve and verify (${marginText(holdoutConfidence)}) on the first ${((1 - holdout) * 100).toFixed(0)} % of the trace, replay on the rest (goal: at most 2 % over the SLO)\n`,
    );
    console.log(
      '| trace | profile | p95 SLO | fit | tuned p95 (in sample) ± stretch SE | in-sample share over SLO + margin | held-out p95 | held-out share over SLO | over SLO | held-out p95 unverified | premium |',
    );
    console.log('| --- | --- | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
    for (const row of holdoutRows) {
      const over = row.heldOut.percentileSeconds / row.sloSeconds - 1;
      console.log(
        `| ${row.trace} | ${row.profile} | ${row.sloSeconds} s | ${row.fit} | ${seconds(row.verification.replay.percentileSeconds)} ± ${((row.verification.replay.standardErrorSeconds ?? 0) * 1000).toFixed(0)} ms${row.verification.verified ? '' : ' (not met)'} | ${keptOverSlo(row.verification)} | ${seconds(row.heldOut.percentileSeconds)} | ${overShare(row.heldOut, row.sloSeconds)} | ${over > 0 ? percent(over) : 'meets'} | ${seconds(row.heldOutUnverified.percentileSeconds)} | ${percent(row.verification.costPremiumShare)} |`,
      );
    }
  }
}
log('done');
