/**
 * The program an instance runs (in a child process or a worker thread): loads the function's
 * module per the Handler setting, then runs one invocation at a time, forwarding console output.
 * Kept as plain JavaScript source, written to a file at start-up, so it runs the same from
 * sources, tests and the built package without a loader.
 */
export const INSTANCE_BOOTSTRAP_SOURCE = String.raw`
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { format } from 'node:util';
import { getHeapStatistics } from 'node:v8';
import { isMainThread, parentPort } from 'node:worker_threads';

const inThread = !isMainThread;
const send = inThread ? (message) => parentPort.postMessage(message) : (message) => process.send(message);
const channel = inThread ? parentPort : process;

// The Node.js runtime prints "undefined" as the request id of lines written outside an invocation.
let currentRequestId = 'undefined';
let handlerFunction;
let peakMemoryBytes = 0;

function memoryBytes() {
  if (!inThread) return process.resourceUsage().maxRSS * 1024;
  const heap = getHeapStatistics();
  return heap.used_heap_size + heap.external_memory;
}

function trackMemory() {
  peakMemoryBytes = Math.max(peakMemoryBytes, memoryBytes());
  return peakMemoryBytes;
}

const levels = { log: 'INFO', info: 'INFO', warn: 'WARN', error: 'ERROR', debug: 'DEBUG', trace: 'TRACE' };
for (const [method, level] of Object.entries(levels)) {
  console[method] = (...args) => {
    send({ type: 'log', timestamp: Date.now(), requestId: currentRequestId, level, message: format(...args) });
  };
}

function describeError(error) {
  if (error instanceof Error || (typeof error === 'object' && error !== null && 'message' in error)) {
    const stack = typeof error.stack === 'string' ? error.stack.split('\n') : [];
    return { errorType: String(error.name ?? 'Error'), errorMessage: String(error.message), trace: stack };
  }
  return { errorType: typeof error, errorMessage: String(error), trace: [] };
}

function initErrorType(error) {
  if (error instanceof SyntaxError) return 'Runtime.UserCodeSyntaxError';
  if (error && (error.code === 'ERR_MODULE_NOT_FOUND' || error.code === 'MODULE_NOT_FOUND')) return 'Runtime.ImportModuleError';
  return undefined;
}

async function initialize({ directory, handler }) {
  const lastSlash = handler.lastIndexOf('/');
  const dot = handler.indexOf('.', lastSlash + 1);
  if (dot < 0) {
    return { errorType: 'Runtime.MalformedHandlerName', errorMessage: "Bad handler " + handler + ": expected <module>.<function>", trace: [] };
  }
  const modulePath = handler.slice(0, dot);
  const propertyPath = handler.slice(dot + 1).split('.');
  const file = ['.js', '.mjs', '.cjs'].map((extension) => join(directory, modulePath + extension)).find((candidate) => existsSync(candidate));
  if (file === undefined) {
    return { errorType: 'Runtime.ImportModuleError', errorMessage: "Error: Cannot find module '" + modulePath + "'", trace: [] };
  }
  let loaded;
  try {
    loaded = await import(pathToFileURL(file).href);
  } catch (error) {
    const described = describeError(error);
    const errorType = initErrorType(error);
    return errorType === undefined ? described : { ...described, errorType, errorMessage: described.errorType + ': ' + described.errorMessage };
  }
  const resolve = (root) => propertyPath.reduce((value, key) => (value === undefined || value === null ? undefined : value[key]), root);
  const candidate = resolve(loaded) ?? resolve(loaded.default);
  if (typeof candidate !== 'function') {
    return { errorType: 'Runtime.HandlerNotFound', errorMessage: handler + ' is undefined or not exported', trace: [] };
  }
  handlerFunction = candidate;
  return undefined;
}

function callHandler(event, context) {
  if (handlerFunction.length >= 3) {
    return new Promise((resolve, reject) => {
      const returned = handlerFunction(event, context, (error, value) => (error ? reject(error) : resolve(value)));
      if (returned && typeof returned.then === 'function') returned.then(resolve, reject);
    });
  }
  return Promise.resolve().then(() => handlerFunction(event, context));
}

async function invoke(message) {
  currentRequestId = message.requestId;
  const start = performance.now();
  const context = {
    ...message.context,
    awsRequestId: message.requestId,
    callbackWaitsForEmptyEventLoop: true,
    getRemainingTimeInMillis: () => Math.max(0, Math.round(message.timeoutMs - (performance.now() - start) * message.scale)),
  };
  let outcome;
  try {
    const result = await callHandler(JSON.parse(message.payload), context);
    const payload = JSON.stringify(result);
    outcome = { payload: payload === undefined ? 'null' : payload };
  } catch (error) {
    const described = describeError(error);
    console.error('Invoke Error \t' + JSON.stringify({ errorType: described.errorType, errorMessage: described.errorMessage, stack: described.trace }));
    outcome = { error: described };
  }
  const handlerMs = performance.now() - start;
  send({ type: 'result', requestId: message.requestId, handlerMs, maxMemoryBytes: trackMemory(), ...outcome });
}

channel.on('message', (message) => {
  if (message.type === 'init') {
    initialize(message).then(
      (error) => send(error === undefined ? { type: 'ready', maxMemoryBytes: trackMemory() } : { type: 'init-error', error }),
      (error) => send({ type: 'init-error', error: describeError(error) }),
    );
  } else if (message.type === 'invoke') {
    invoke(message);
  }
});
// A child whose emulator went away exits instead of lingering.
if (!inThread) process.on('disconnect', () => process.exit(0));
send({ type: 'started' });
`;
