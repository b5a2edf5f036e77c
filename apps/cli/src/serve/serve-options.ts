import { readFile } from 'node:fs/promises';
import type { ServerLimits } from '@mbs/server';
import { errors } from '../errors.js';
import { checkCountOption, optionError } from '../options/option-error.js';

/** The limit options of `mbs serve`, as parsed. */
export interface ServeLimitOptions {
  readonly 'max-queued-per-buffer'?: number;
  readonly 'max-in-flight-requests'?: number;
  readonly 'max-in-flight-invocations'?: number;
  readonly 'max-in-flight-per-buffer'?: number;
}

/** The server limits the options ask for; each checked as a count. */
export function serveLimits(options: ServeLimitOptions): ServerLimits {
  const pairs = [
    ['max-queued-per-buffer', 'maxQueuedPerBuffer'],
    ['max-in-flight-requests', 'maxInFlightRequests'],
    ['max-in-flight-invocations', 'maxInFlightInvocations'],
    ['max-in-flight-per-buffer', 'maxInFlightInvocationsPerBuffer'],
  ] as const;
  const limits: Record<string, number> = {};
  for (const [option, key] of pairs) {
    const value = options[option];
    checkCountOption(value, `--${option}`);
    if (value !== undefined) limits[key] = value;
  }
  return limits;
}

/** `--buffers 0,2`: the buffers a front end owns, or undefined for all. */
export function ownedBuffersOption(value: string | undefined): number[] | undefined {
  if (value === undefined) return undefined;
  const buffers = value.split(',').map((part) => Number(part.trim()));
  if (
    buffers.length === 0 ||
    buffers.some((buffer) => !(Number.isInteger(buffer) && buffer >= 0))
  ) {
    throw optionError(
      '--buffers',
      `is ${JSON.stringify(value)}; give buffer indices, e.g. 0,1`,
      value,
    );
  }
  return buffers;
}

/** The admin token from `--admin-token-file` (first line), never from the command line. */
export async function readAdminToken(path: string | undefined): Promise<string | undefined> {
  if (path === undefined) return undefined;
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw errors.error(
      'IO',
      `--admin-token-file ${path}: cannot be read (${(error as Error).message})`,
      { cause: error, details: { option: '--admin-token-file' } },
    );
  }
  return text.split('\n')[0]!.trim();
}

/** `--port`: 0 (a free port) to 65535. */
export function checkPortOption(port: number): void {
  if (!(Number.isInteger(port) && port >= 0 && port <= 65_535)) {
    throw optionError(
      '--port',
      `is ${port}; give an integer in 0..65535 (0 picks a free port)`,
      port,
    );
  }
}
