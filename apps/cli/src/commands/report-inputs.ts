import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import {
  type BatchRecord,
  type ConfigurationDocument,
  type InvocationRecord,
  isMbsError,
  parseConfigurationDocument,
  type RequestRecord,
} from '@mbs/core';
import type { JsonLineCheck } from '@mbs/logs';
import type { MeasuredRecords, ProfileForReport, RunInputs, SolveDocument } from '@mbs/report';
import type { CliPlugins } from '../plugin-loading/cli-plugins.js';
import { resolvePricing } from '../resolvers/pricing.js';
import type { RunDocument } from '../run/run-document.js';

/** What reading one input gave: its value when usable, and the problems met. */
export interface ReadOutcome<T> {
  readonly value?: T;
  readonly problems: readonly string[];
}

const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));

/** A file's text, or a problem naming it (missing, unreadable). */
async function readText(path: string): Promise<{ text?: string; problem?: string }> {
  try {
    return { text: await readFile(path, 'utf8') };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return {
      problem:
        code === 'ENOENT' ? `${path} is missing` : `${path} cannot be read (${messageOf(error)})`,
    };
  }
}

/** A problem when `directory` is not a directory, so its files are not listed one by one. */
async function directoryProblem(directory: string): Promise<string | undefined> {
  try {
    return (await stat(directory)).isDirectory() ? undefined : `${directory} is not a directory`;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ENOENT'
      ? `${directory}: no such directory`
      : `${directory} cannot be read (${messageOf(error)})`;
  }
}

/** A JSON file parsed, or a problem naming it. */
async function readJson(path: string): Promise<{ value?: unknown; problem?: string }> {
  const { text, problem } = await readText(path);
  if (text === undefined) return { ...(problem === undefined ? {} : { problem }) };
  try {
    return { value: JSON.parse(text) };
  } catch (error) {
    return {
      problem: `${path} is not valid JSON (${messageOf(error)}); it may be truncated, so it is left out`,
    };
  }
}

/**
 * The records of a JSON Lines file, kept up to its first bad line: a run or replay cut short
 * (a truncated last line) still shows what it holds, and the problem names the file and line.
 */
async function readRecords<T>(
  path: string,
  check: JsonLineCheck,
): Promise<{ records?: T[]; problem?: string }> {
  const { text, problem } = await readText(path);
  if (text === undefined) return { ...(problem === undefined ? {} : { problem }) };
  const { parseJsonLines } = await import('@mbs/logs');
  try {
    return { records: parseJsonLines<T>(text, path, check) };
  } catch (error) {
    const line = isMbsError(error) ? (error.details.line as number | undefined) : undefined;
    if (line === undefined) return { problem: messageOf(error) };
    const lines = text.split('\n');
    const last = lines.findLastIndex((entry) => entry.trim().length > 0) + 1;
    const kept = parseJsonLines<T>(lines.slice(0, line - 1).join('\n'), path, check);
    const where =
      line === last ? 'its last line is cut short or malformed' : `line ${line} is malformed`;
    return {
      records: kept,
      problem: `${messageOf(error).replace(/^\[@mbs\/logs\] /, '')}; ${where}, so only the ${kept.length} record(s) before it are used`,
    };
  }
}

/** `mbs solve --json` output, checked; a problem names the file when it is unusable. */
export async function readSolveInput(path: string): Promise<ReadOutcome<SolveDocument>> {
  const { value, problem } = await readJson(path);
  if (value === undefined) return { problems: problem === undefined ? [] : [problem] };
  const { parseSolveDocument } = await import('@mbs/report');
  try {
    const { document, problems } = parseSolveDocument(value, path);
    return { value: document, problems };
  } catch (error) {
    return { problems: [messageOf(error)] };
  }
}

/** A profile in the MBS JSON format, checked; a problem names the file when it is unusable. */
export async function readProfileInput(path: string): Promise<ReadOutcome<ProfileForReport>> {
  const { value, problem } = await readJson(path);
  if (value === undefined) return { problems: problem === undefined ? [] : [problem] };
  const { parseProfileDocument } = await import('@mbs/report');
  try {
    return { value: parseProfileDocument(value, path), problems: [] };
  } catch (error) {
    return { problems: [messageOf(error)] };
  }
}

/** Padding share by class (as the model pads), over all requests and per buffer. */
async function paddingByClass(
  requests: readonly RequestRecord[],
  configuration: ConfigurationDocument | undefined,
): Promise<MeasuredRecords['paddingByClass']> {
  if (!configuration || requests.length === 0) return undefined;
  const { classPadding } = await import('@mbs/logs');
  const sizes = configuration.classUpperEdges;
  const byBuffer = new Map<number, RequestRecord[]>();
  for (const request of requests) {
    const list = byBuffer.get(request.buffer) ?? [];
    list.push(request);
    byBuffer.set(request.buffer, list);
  }
  const largest = Math.max(...byBuffer.keys());
  try {
    return {
      overall: classPadding(requests, sizes).share,
      buffers: Array.from({ length: largest + 1 }, (_, buffer) => {
        const list = byBuffer.get(buffer);
        return list ? classPadding(list, sizes).share : Number.NaN;
      }),
    };
  } catch {
    // Records of another class scheme than the configuration's: padding by sizes only.
    return undefined;
  }
}

/** The request and batch records of a directory, each file read on its own. */
async function readRecordFiles(
  directory: string,
  configuration: ConfigurationDocument | undefined,
) {
  const { RUN_LOG_FILES, checkBatchRecord, checkRequestRecord } = await import('@mbs/logs');
  const [requests, batches] = await Promise.all([
    readRecords<RequestRecord>(join(directory, RUN_LOG_FILES.requests), checkRequestRecord),
    readRecords<BatchRecord>(join(directory, RUN_LOG_FILES.batches), checkBatchRecord),
  ]);
  const padding = await paddingByClass(requests.records ?? [], configuration);
  return {
    requests: requests.records,
    batches: batches.records,
    problems: [requests.problem, batches.problem].filter((text) => text !== undefined),
    measured: {
      source: directory,
      ...(requests.records ? { requests: requests.records } : {}),
      ...(batches.records ? { batches: batches.records } : {}),
      ...(padding ? { paddingByClass: padding } : {}),
    } satisfies MeasuredRecords,
  };
}

/**
 * The request and batch records of a replay directory (`mbs simulate --records DIR`), with
 * padding by class when the solve's configuration says how classes pad.
 */
export async function readReplayInput(
  directory: string,
  configuration: ConfigurationDocument | undefined,
): Promise<ReadOutcome<MeasuredRecords>> {
  const problem = await directoryProblem(directory);
  if (problem !== undefined) return { problems: [problem] };
  const files = await readRecordFiles(directory, configuration);
  if (!files.requests && !files.batches) return { problems: files.problems };
  return { value: files.measured, problems: files.problems };
}

/** The parts of run.json (`mbs run`) the report reads; any may be missing in a partial run. */
type RunJson = Partial<Pick<RunDocument, 'configuration' | 'pricing' | 'windowSwitches'>> & {
  readonly counts?: Partial<Pick<RunDocument['counts'], 'rejectedByCode' | 'retries'>>;
};

async function readRunJson(path: string): Promise<{ run?: RunJson; problem?: string }> {
  const { value, problem } = await readJson(path);
  if (value === undefined) return { ...(problem === undefined ? {} : { problem }) };
  const object = value as Record<string, unknown>;
  if (typeof value !== 'object' || value === null || object.schema !== 'mbs.run') {
    return { problem: `${path} is not a run document of mbs run (schema is not "mbs.run")` };
  }
  try {
    const configuration =
      object.configuration === undefined
        ? undefined
        : parseConfigurationDocument(object.configuration, `${path} configuration`);
    return { run: { ...(object as RunJson), ...(configuration ? { configuration } : {}) } };
  } catch (error) {
    return { problem: messageOf(error) };
  }
}

/**
 * A run directory (`mbs run --out DIR`, then `mbs logs collect --out DIR`): run.json, the
 * request, batch and invocation records, each read on its own so a missing or truncated file
 * leaves the others usable; with all three logs, the measurements are `summarizeRun`'s (cost from
 * billed durations).
 */
export async function readRunInput(
  directory: string,
  plugins: CliPlugins,
): Promise<ReadOutcome<RunInputs>> {
  const problem = await directoryProblem(directory);
  if (problem !== undefined) return { problems: [problem] };
  const { RUN_LOG_FILES, checkInvocationRecord } = await import('@mbs/logs');
  const [runJson, invocations] = await Promise.all([
    readRunJson(join(directory, 'run.json')),
    readRecords<InvocationRecord>(
      join(directory, RUN_LOG_FILES.invocations),
      checkInvocationRecord,
    ),
  ]);
  // The request and batch records are read as a replay's are, padded by run.json's classes.
  const records = await readRecordFiles(directory, runJson.run?.configuration);
  const problems = [runJson.problem, ...records.problems, invocations.problem]
    .filter((text) => text !== undefined)
    .map((text) =>
      text.endsWith(`${RUN_LOG_FILES.invocations} is missing`)
        ? `${text}: collect the invocation records with mbs logs collect --out ${directory}`
        : text,
    );
  const requests = { records: records.requests };
  const batches = { records: records.batches };
  const run = runJson.run;
  if (!run && !requests.records && !batches.records && !invocations.records) return { problems };
  const configuration = run?.configuration;
  const window = run?.windowSwitches?.[0]?.window ?? 0;
  const prediction = configuration?.windows[window]?.prediction;
  const counts = run?.counts;
  let measurements: RunInputs['measurements'] = {
    ...(counts?.rejectedByCode ? { throttledRequests: counts.rejectedByCode.THROTTLED ?? 0 } : {}),
    ...(counts?.retries === undefined ? {} : { retries: counts.retries }),
  };
  if (requests.records && batches.records && invocations.records) {
    const { summarizeRun } = await import('@mbs/logs');
    try {
      const pricing = await resolvePricing(plugins, undefined, [
        { name: run?.pricing, from: join(directory, 'run.json') },
        { name: configuration?.pricing, from: `${join(directory, 'run.json')} configuration` },
      ]);
      const summary = summarizeRun({
        invocations: invocations.records,
        batches: batches.records,
        requests: requests.records,
        pricing,
      });
      measurements = {
        ...measurements,
        latencySeconds: summary.latencySeconds,
        costPerRequestUsd: summary.cost.perRequestUsd,
        invocationsPerSecond: summary.invocations.perSecond,
        coldStarts: summary.invocations.coldStarts,
        invocationErrors: summary.invocations.errors,
        failedRequests: summary.requests.failed,
        requests: summary.requests.total,
        runSeconds: summary.runSeconds,
        basis: 'billed durations of invocations.jsonl joined with the batch and request records',
      };
    } catch (error) {
      problems.push(
        `${directory}: the logs could not be summarized (${messageOf(error)}); figures come from the records alone`,
      );
    }
  }
  return {
    value: {
      ...records.measured,
      ...(invocations.records ? { invocations: invocations.records } : {}),
      measurements,
      ...(prediction ? { prediction } : {}),
      ...(configuration ? { configuration } : {}),
    },
    problems,
  };
}
