import { strToU8, zipSync } from 'fflate';

/**
 * Source of a deployment package with one handler per test scenario (pick it with the Handler
 * setting, e.g. `index.echo`). CommonJS, as a plain `index.js` in a Lambda zip is.
 */
export const TEST_FUNCTIONS_SOURCE = `
const { performance } = require('node:perf_hooks');
console.log('module loaded');
exports.echo = async (event) => {
  console.log('batch of', event.requests.length);
  return { results: event.requests.map((request) => ({ id: request.id, ok: true, output: request.input })), timings: {} };
};
exports.noop = async () => null;
exports.batch = async (event) => ({
  results: event.requests.map((request) => ({ id: request.id, ok: true, output: null })),
});
exports.fail = async () => {
  throw new TypeError('boom');
};
exports.sleep = async (event) => {
  await new Promise((resolve) => setTimeout(resolve, event.sleepMs));
  return { slept: event.sleepMs };
};
exports.spin = async (event) => {
  const start = performance.now();
  while (performance.now() - start < event.spinMs) {}
  return { spun: event.spinMs };
};
// A fixed amount of CPU work (not of time): how long it takes depends on the CPU it gets.
exports.work = async (event) => {
  let x = 1;
  for (let i = 0; i < event.iterations; i++) x = (x * 48271) % 2147483647;
  return { x };
};
exports.big = async (event) => 'x'.repeat(event.bytes);
exports.size = async (event) => ({ length: JSON.stringify(event).length });
exports.exit = async () => {
  process.exit(3);
};
exports.context = async (event, context) => ({
  remainingMs: context.getRemainingTimeInMillis(),
  functionName: context.functionName,
  memoryLimitInMB: context.memoryLimitInMB,
  memoryVariable: process.env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE,
  emulatorCores: process.env.MBS_EMULATOR_CORES,
  custom: process.env.CUSTOM,
  clientContext: context.clientContext,
});
exports.callback = (event, context, callback) => {
  callback(null, { via: 'callback' });
};
exports.throwLater = async (event) => {
  if (!event.sleepMs) {
    setTimeout(() => {
      throw new Error('thrown from a timer after the handler returned');
    }, event.afterMs ?? 5);
  }
  await new Promise((resolve) => setTimeout(resolve, event.sleepMs ?? 0));
  return 'returned';
};
exports.rejectLater = async () => {
  setTimeout(() => Promise.reject(new Error('rejected after the handler returned')), 5);
  return 'returned';
};
exports.sleepPid = async (event) => {
  await new Promise((resolve) => setTimeout(resolve, event.sleepMs));
  return { pid: process.pid, slept: event.sleepMs };
};
exports.loop = async () => {
  for (;;) {}
};
exports.logBytes = async (event) => {
  console.log('x'.repeat(event.bytes));
  return event.bytes;
};
exports.sandbox = async () => {
  const { writeFileSync } = require('node:fs');
  const { join } = require('node:path');
  const { tmpdir, homedir } = require('node:os');
  writeFileSync(join(tmpdir(), 'written-by-the-function'), 'x');
  return { home: homedir(), tmp: tmpdir(), pid: process.pid };
};
`;

/** A zip holding {@link TEST_FUNCTIONS_SOURCE} as `index.js`. */
export function testFunctionsZip(): Uint8Array {
  return zipSync({ 'index.js': strToU8(TEST_FUNCTIONS_SOURCE) });
}

/** A zip whose `index.js` takes `importMs` to load (a measurable init) and exports `handler`. */
export function slowImportZip(importMs: number): Uint8Array {
  return zipSync({
    'index.js': strToU8(`
const start = Date.now();
while (Date.now() - start < ${importMs}) {}
exports.handler = async () => ({ results: [] });
`),
  });
}

/** A zip whose module throws while it loads. */
export function brokenImportZip(): Uint8Array {
  return zipSync({ 'index.js': strToU8(`throw new Error('init boom');\n`) });
}
