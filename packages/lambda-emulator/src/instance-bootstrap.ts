/**
 * The program an instance runs (in a child process or a worker thread): loads the function's
 * module per the Handler setting, then runs one invocation at a time, forwarding console output.
 * Kept as plain JavaScript source, written to a file at start-up, so it runs the same from
 * sources, tests and the built package without a loader.
 */
export const INSTANCE_BOOTSTRAP_SOURCE = String.raw`
import { existsSync, readFileSync } from 'node:fs';
import { isAbsolute, join, relative } from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { format } from 'node:util';
import { getHeapStatistics } from 'node:v8';
import { isMainThread, parentPort } from 'node:worker_threads';

const inThread = !isMainThread;
const channel = inThread ? parentPort : process;
// A child whose emulator went away exits instead of lingering (a send then has nowhere to go).
function send(message, then) {
  if (inThread) {
    parentPort.postMessage(message);
    then?.();
    return;
  }
  if (!process.connected) process.exit(0);
  process.send(message, undefined, undefined, (error) => (error ? process.exit(0) : then?.()));
}

// Longest log event message CloudWatch Logs stores (256 KB less its 26 bytes of overhead).
const MAXIMUM_MESSAGE_BYTES = 262118;

// The Node.js runtime prints "undefined" as the request id of lines written outside an invocation.
let currentRequestId = 'undefined';
let handlerFunction;
let peakMemoryBytes = 0;
// The invocation running now, if any: { requestId, start }.
let running;

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
function truncated(message) {
  if (message.length * 3 <= MAXIMUM_MESSAGE_BYTES) return message;
  const bytes = Buffer.from(message);
  return bytes.byteLength <= MAXIMUM_MESSAGE_BYTES ? message : bytes.subarray(0, MAXIMUM_MESSAGE_BYTES).toString();
}

for (const [method, level] of Object.entries(levels)) {
  console[method] = (...args) => {
    send({ type: 'log', timestamp: Date.now(), requestId: currentRequestId, level, message: truncated(format(...args)) });
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
  // The handler's module must be inside the function's package (the emulator also refuses such
  // a Handler setting when the function is created).
  const outside = (candidate) => { const path = relative(directory, candidate); return path.startsWith('..') || isAbsolute(path); };
  if (outside(join(directory, modulePath))) {
    return { errorType: 'Runtime.ImportModuleError', errorMessage: "Error: Cannot find module '" + modulePath + "' inside the function's package", trace: [] };
  }
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

// Nanoseconds this thread has spent runnable but waiting for a CPU (Linux schedstat), or
// undefined where the kernel does not say. A Lambda instance has its vCPUs to itself; here
// instances share the host's cores with each other and with other programs, and that wait is the
// host's load, not the handler's work. Only the handler's own thread counts: its JavaScript and
// ONNX Runtime's calls (run on the calling thread) are the invocation's critical path, while the
// runtime's helper threads (GC, compilers) often wait long for a few microseconds of work that
// delays nobody. Work the handler hands to other threads keeps their waits (never under-billed).
function hostWaitNs() {
  try {
    const wait = Number(readFileSync('/proc/thread-self/schedstat', 'utf8').split(' ')[1]);
    return Number.isFinite(wait) ? wait : undefined;
  } catch {
    return undefined;
  }
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
  send({ type: 'invoked', requestId: message.requestId });
  const waitBefore = message.excludeHostWait ? hostWaitNs() : undefined;
  const start = performance.now();
  running = { requestId: message.requestId, start };
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
  if (running?.requestId !== message.requestId) return;
  running = undefined;
  const wallMs = performance.now() - start;
  const waitAfter = waitBefore === undefined ? undefined : hostWaitNs();
  const waitedMs = waitAfter === undefined ? 0 : Math.max(0, waitAfter - waitBefore) / 1e6;
  const handlerMs = Math.max(0, wallMs - waitedMs);
  send({ type: 'result', requestId: message.requestId, handlerMs, maxMemoryBytes: trackMemory(), ...outcome });
}

// As Lambda's Node.js runtime does: an error nobody catches (a timer that throws, a promise
// rejected with no handler, even after the handler returned) is logged, fails the invocation
// running now if any, and ends the runtime (exit status 129 or 128); the next invocation starts
// a new instance.
function fatal(label, error, errorType, exitCode) {
  const described = describeError(error);
  const reported = errorType === undefined ? described : { errorType, errorMessage: described.errorType + ': ' + described.errorMessage, trace: described.trace };
  console.error(label + ' \t' + JSON.stringify({ errorType: reported.errorType, errorMessage: reported.errorMessage, stack: reported.trace }));
  const current = running;
  running = undefined;
  const exit = () => process.exit(exitCode);
  if (current === undefined) return send({ type: 'exiting' }, exit);
  send({ type: 'result', requestId: current.requestId, handlerMs: performance.now() - current.start, maxMemoryBytes: trackMemory(), error: reported }, exit);
}
process.on('uncaughtException', (error) => fatal('Uncaught Exception', error, undefined, 129));
process.on('unhandledRejection', (reason) => fatal('Unhandled Promise Rejection', reason, 'Runtime.UnhandledPromiseRejection', 128));

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
