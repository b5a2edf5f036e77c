import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { isMbsError, MbsError, type WorkloadDocument } from '@mbs/core';
import { errors } from '../errors.js';
import { optionError } from '../options/option-error.js';
import type { LoadCliPluginsOptions } from '../plugin-loading/cli-plugins.js';
import type { ObjectiveOptions } from '../resolvers/objective.js';
import type { PricingOption } from '../resolvers/pricing.js';
import type { ProfileOption } from '../resolvers/profile.js';
import type { SolveSearchOptions } from './solve-options.js';
import { type PlainWindowResult, revivedWindowResult } from './solve-thread-results.js';
import {
  readsTraceArrivals,
  solveWindowsInOrder,
  type WindowResult,
  type WindowSolveInputs,
  type WindowSolveOptions,
  windowProblem,
} from './solve-windows.js';

/** The options a worker resolves the run from, as the command did: how windows are solved, the grid, the profile, the prices and the objective. */
export type ThreadSolveOptions = WindowSolveOptions &
  SolveSearchOptions &
  ObjectiveOptions &
  ProfileOption &
  PricingOption;

/** What a worker thread is started with: where the plugins came from, the options, the workload. */
export interface WindowWorkerData {
  readonly plugins: LoadCliPluginsOptions;
  /** `mbs solve`'s options as parsed (plain data), with the objective's percentile. */
  readonly options: ThreadSolveOptions;
  readonly workload: WorkloadDocument;
}

/** Messages of a window worker: progress, one window's result, or an error. */
export type WindowWorkerMessage =
  | { readonly type: 'progress'; readonly message: string }
  | {
      readonly type: 'result';
      readonly index: number;
      readonly result: PlainWindowResult;
    }
  | {
      readonly type: 'error';
      readonly error: { code?: string; message: string; details?: Record<string, unknown> };
    };

/** The worker entry beside the built CLI (dist/solve-window-worker.js); absent when run from source. */
const WORKER_URL = new URL('./solve-window-worker.js', import.meta.url);

/**
 * Threads `mbs solve` uses for `windows` windows: `--threads` when given (an integer >= 1), else
 * one per core up to one per window.
 */
export function solveThreads(threads: number | undefined, windows: number): number {
  if (threads === undefined) return Math.max(1, Math.min(availableParallelism(), windows));
  if (!Number.isSafeInteger(threads) || threads < 1) {
    throw optionError('--threads', `is ${threads}; give an integer >= 1`, threads);
  }
  return Math.min(threads, Math.max(1, windows));
}

/** Everything of the options a worker can be sent: plain data (yargs adds nothing else). */
function plainOptions(options: ThreadSolveOptions): ThreadSolveOptions {
  return JSON.parse(JSON.stringify(options)) as ThreadSolveOptions;
}

/**
 * Solves every window of the workload, on `threads` worker threads when there are several windows
 * and none needs the trace's arrivals again (`--verify`, `--range-fits` and classes that depend on
 * the arrivals read the trace in order, so they solve in order on this thread). Each window is
 * solved exactly as alone (its own model caches), so the results do not depend on the threads.
 * Progress names the window and counts the windows done.
 */
export async function solveWindows(
  options: ThreadSolveOptions,
  inputs: WindowSolveInputs & {
    readonly plugins?: LoadCliPluginsOptions;
    /** Told once when the windows go to worker threads (a line for stderr). */
    readonly onThreads?: (line: string) => void;
  },
  threads = 1,
): Promise<WindowResult[]> {
  const windows = inputs.workload.windows.length;
  const onThreads =
    threads > 1 &&
    windows > 1 &&
    inputs.plugins !== undefined &&
    !readsTraceArrivals(options, inputs) &&
    existsSync(fileURLToPath(WORKER_URL));
  if (!onThreads) return solveWindowsInOrder(options, inputs);
  inputs.onThreads?.(`solving ${windows} windows on ${Math.min(threads, windows)} worker threads`);
  const data: WindowWorkerData = {
    plugins: inputs.plugins!,
    options: plainOptions(options),
    workload: inputs.workload,
  };
  const results = new Array<WindowResult | undefined>(windows);
  let next = 0;
  let done = 0;
  const workers: Worker[] = [];
  // At the first failure no window is handed out any more and every thread is stopped, so the
  // command ends with the error instead of solving the remaining windows first.
  let failed = false;
  const runWorker = () =>
    new Promise<void>((resolve, reject) => {
      const worker = new Worker(WORKER_URL, { workerData: data });
      workers.push(worker);
      // Settled: resolved once no window is left, or rejected at the first failure.
      let settled = false;
      const fail = (error: Error) => {
        if (settled) return;
        settled = true;
        failed = true;
        for (const each of workers) void each.terminate();
        reject(error);
      };
      const ask = () => {
        if (failed) return;
        if (next >= windows) {
          settled = true;
          void worker.terminate().then(() => resolve());
          return;
        }
        worker.postMessage({ index: next++ });
      };
      worker.on('message', (message: WindowWorkerMessage) => {
        if (message.type === 'progress') {
          inputs.progress.update(
            `${message.message} (${done} of ${windows} windows done, ${threads} threads)`,
          );
        } else if (message.type === 'result') {
          const window = inputs.workload.windows[message.index]!;
          // The problem holds the profile and prices (functions), so it is rebuilt here.
          results[message.index] = revivedWindowResult(
            message.result,
            windowProblem(window, message.index, options, inputs),
          );
          done++;
          ask();
        } else {
          const { code, message: text, details } = message.error;
          fail(
            code === undefined
              ? errors.error('INTERNAL', `a window's solve thread failed: ${text}`)
              : new MbsError(code as MbsError['code'], text, details ? { details } : {}),
          );
        }
      });
      worker.on('error', (error) =>
        fail(
          isMbsError(error)
            ? error
            : errors.error('INTERNAL', `a window's solve thread failed: ${error.message}`, {
                cause: error,
              }),
        ),
      );
      worker.on('exit', (code) => {
        fail(
          errors.error(
            'INTERNAL',
            `a window's solve thread exited (code ${code}) before its windows were solved`,
          ),
        );
      });
      worker.once('online', ask);
    });
  await Promise.all(Array.from({ length: Math.min(threads, windows) }, runWorker));
  return results as WindowResult[];
}
