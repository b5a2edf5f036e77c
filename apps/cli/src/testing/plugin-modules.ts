// Plugin modules as a user writes them, as JavaScript source text for tests to write into a
// temporary directory (as mbs.config.mjs or a --plugin file). They import nothing but Node, so
// they load from any directory, with no node_modules beside them.

/**
 * A JSON-lines trace reader `jsonl`: one `{"t": seconds, "size": n}` per line, blank lines
 * skipped and counted.
 */
export const JSON_LINES_READER_SOURCE = `
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';

export const jsonLinesReader = {
  specificationVersion: 'v1',
  name: 'jsonl',
  description: 'JSON lines: {"t": seconds, "size": n} per line',
  formats: ['jsonl'],
  async canRead(source) {
    return source.endsWith('.jsonl');
  },
  read(source, options = {}) {
    for (const key of Object.keys(options)) {
      if (key !== 'sort') throw new Error('jsonl: unknown option ' + key);
    }
    let report = { linesRead: 0, arrivals: 0, skipped: {} };
    return {
      metadata: { source, format: 'jsonl', sizeUnit: 'tokens' },
      report: () => report,
      async *[Symbol.asyncIterator]() {
        let linesRead = 0;
        let blank = 0;
        let arrivals = 0;
        for await (const line of createInterface({ input: createReadStream(source) })) {
          linesRead++;
          if (line.trim() === '') {
            blank++;
            continue;
          }
          const { t, size } = JSON.parse(line);
          arrivals++;
          yield { timeSeconds: t, size };
        }
        report = { linesRead, arrivals, skipped: blank > 0 ? { blank } : {} };
      },
    };
  },
};
`;

/** A config file registering the JSON-lines reader. */
export const JSON_LINES_CONFIG_SOURCE = `${JSON_LINES_READER_SOURCE}
export default { plugins: { 'trace-reader': [jsonLinesReader] } };
`;

/** The same config in TypeScript, with type annotations Node 20 cannot strip by itself. */
export const JSON_LINES_CONFIG_TS_SOURCE = `${JSON_LINES_READER_SOURCE.replace(
  'async canRead(source) {',
  'async canRead(source: string): Promise<boolean> {',
)}
interface Config { plugins: Record<string, unknown[]> }
const config: Config = { plugins: { 'trace-reader': [jsonLinesReader] } };
export default config;
`;

/**
 * A module with a pricing plugin `double-x86` (AWS x86 Lambda fields at twice the GB-second
 * price) and a provider `echo` that answers every request in process after `20 + n` ms of
 * reported duration (no waiting), so `mbs run` needs no emulator.
 */
export const PRICING_AND_PROVIDER_SOURCE = `
const GB_SECOND_USD = 2 * 0.0000166667;
const REQUEST_FEE_USD = 0.0000002;
const doublePricing = {
  specificationVersion: 'v1',
  name: 'double-x86',
  description: 'Lambda x86 at twice the GB-second price',
  architecture: 'x86_64',
  requestFeeUsd: REQUEST_FEE_USD,
  priceUsdPerGbSecond: GB_SECOND_USD,
  billingGranularityMs: 1,
  billsInitPhase: true,
  billedDurationMs: (usage) => Math.ceil(usage.durationMs + (usage.initDurationMs ?? 0)),
  invocationCostUsd(usage) {
    return (doublePricing.billedDurationMs(usage) / 1000) * (usage.memoryMb / 1024) * GB_SECOND_USD + REQUEST_FEE_USD;
  },
};
let invocations = 0;
const echoProvider = {
  specificationVersion: 'v1',
  name: 'echo',
  description: 'Answers in process: echoes each request',
  async invoke(functionName, event) {
    const durationMs = 20 + event.requests.length;
    invocations++;
    return {
      results: event.requests.map((request) => ({ id: request.id, ok: true, output: null })),
      record: {
        requestId: 'echo-' + invocations,
        functionName,
        durationMs,
        billedDurationMs: durationMs,
        memorySizeMb: 1024,
        maxMemoryUsedMb: 64,
      },
    };
  },
};
export default { plugins: { pricing: [doublePricing], provider: [echoProvider] } };
`;
