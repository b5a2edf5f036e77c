/**
 * The worker thread of `mbs solve --threads`: built as its own entry (dist/solve-window-worker.js)
 * so the CLI can start it from the package. It loads the plugins from where the CLI loaded them,
 * resolves the profile, prices and objective as the CLI did, then solves the windows it is sent,
 * one at a time, each exactly as it would be solved alone.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { isMbsError } from '@mbs/core';
import { searchBounds } from './commands/solve-options.js';
import { plainWindowResult } from './commands/solve-thread-results.js';
import type { WindowWorkerData, WindowWorkerMessage } from './commands/solve-threads.js';
import { solveWindow, type WindowSolveInputs } from './commands/solve-windows.js';
import { loadCliPlugins } from './plugin-loading/cli-plugins.js';
import { resolveObjective } from './resolvers/objective.js';
import { resolvePricing } from './resolvers/pricing.js';
import { resolveProfile } from './resolvers/profile.js';

const port = parentPort!;
const post = (message: WindowWorkerMessage) => port.postMessage(message);

async function setUp(): Promise<Omit<WindowSolveInputs, 'openTrace'>> {
  const { plugins: sources, options, workload } = workerData as WindowWorkerData;
  const plugins = await loadCliPlugins(sources);
  const objective = await resolveObjective(plugins, options);
  // The main thread has warned about the profile already.
  const profileChoice = await resolveProfile(plugins, options.profile);
  const profile = await profileChoice.forClasses(workload.classRepresentativeSizes);
  const pricing = await resolvePricing(plugins, options.pricing);
  return {
    workload,
    profile,
    pricing,
    objective,
    bounds: searchBounds(options, profile, workload.classUpperEdges.length),
    progress: { update: (message) => post({ type: 'progress', message }), done: () => {} },
  };
}

const ready = setUp();
// A failed set-up is answered per window below (with its code); not an unhandled rejection that
// would end the thread with a bare message before the first window is asked for.
ready.catch(() => {});
port.on('message', async ({ index }: { index: number }) => {
  try {
    const inputs = await ready;
    const { options, workload } = workerData as WindowWorkerData;
    const result = await solveWindow(workload.windows[index]!, index, options, inputs);
    post({ type: 'result', index, result: plainWindowResult(result) });
  } catch (error) {
    post({
      type: 'error',
      error: isMbsError(error)
        ? { code: error.code, message: error.message, details: { ...error.details } }
        : { message: String((error as Error)?.message ?? error) },
    });
  }
});
