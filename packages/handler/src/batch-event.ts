import type { BatchItem } from '@mbs/core';
import { errors } from './errors.js';
import { lambdaError } from './lambda-error.js';

/** A request's input tensor as the event carries it. */
export interface TensorInput {
  /** Dims of this request, without the batch axis (e.g. `[length]`, `[3, 48, width]`). */
  readonly dims: readonly number[];
  /** Values, row-major: numbers, or base64 of the little-endian bytes. */
  readonly data: readonly number[] | string;
  /** Element type; must be the model's when given. */
  readonly dtype?: 'int64' | 'float32';
}

/** The event the handler takes: `@mbs/core`'s BatchEvent whose inputs are tensors. */
export interface TensorBatchEvent {
  readonly batchId?: string;
  readonly requests: readonly { readonly id: string; readonly input: TensorInput }[];
}

const EVENT_KEYS = new Set(['batchId', 'requests']);
const ITEM_KEYS = new Set(['id', 'input']);
const MAX_ID_LENGTH = 256;

function refuse(where: string, problem: string, details: Record<string, unknown> = {}): never {
  throw lambdaError('EVENT_INVALID', errors.prefix(`${where}: ${problem}`), { details });
}

/**
 * Checks what the whole batch depends on (an object with `requests`, 1 to `maxBatchSize` items,
 * each with a unique string `id` and an `input`) and throws `EVENT_INVALID` otherwise. Inputs are
 * checked later, one by one, so one bad input fails only its own request.
 *
 * @example
 * ```ts
 * const { requests } = checkBatchEvent(event, 256);
 * ```
 */
export function checkBatchEvent(
  event: unknown,
  maxBatchSize: number,
): { readonly batchId?: string; readonly requests: readonly BatchItem[] } {
  if (typeof event !== 'object' || event === null || Array.isArray(event)) {
    refuse('event', 'must be an object { batchId?, requests: [{ id, input }] }');
  }
  const record = event as Record<string, unknown>;
  const unknown = Object.keys(record).filter((key) => !EVENT_KEYS.has(key));
  if (unknown.length > 0) {
    refuse('event', `unknown key(s) ${unknown.join(', ')}; accepted: batchId, requests`);
  }
  if (record.batchId !== undefined && typeof record.batchId !== 'string') {
    refuse('event.batchId', 'must be a string when given');
  }
  const requests = record.requests;
  if (!Array.isArray(requests)) refuse('event.requests', 'must be an array of { id, input }');
  if (requests.length === 0) {
    refuse('event.requests', `is empty; send 1 to ${maxBatchSize} requests`);
  }
  if (requests.length > maxBatchSize) {
    refuse(
      'event.requests',
      `holds ${requests.length} requests; at most ${maxBatchSize} are accepted`,
      {
        batchSize: requests.length,
        maxBatchSize,
      },
    );
  }
  const seen = new Set<string>();
  requests.forEach((item: unknown, index) => {
    const where = `event.requests[${index}]`;
    if (typeof item !== 'object' || item === null || Array.isArray(item)) {
      refuse(where, 'must be an object { id, input }');
    }
    const candidate = item as Record<string, unknown>;
    const extra = Object.keys(candidate).filter((key) => !ITEM_KEYS.has(key));
    if (extra.length > 0) refuse(where, `unknown key(s) ${extra.join(', ')}; accepted: id, input`);
    const id = candidate.id;
    if (typeof id !== 'string' || id.length === 0 || id.length > MAX_ID_LENGTH) {
      refuse(`${where}.id`, `must be a string of 1 to ${MAX_ID_LENGTH} characters`);
    }
    if (seen.has(id))
      refuse(`${where}.id`, `${JSON.stringify(id)} appears twice; ids must be unique in a batch`);
    seen.add(id);
    if (!('input' in candidate)) refuse(`${where}.input`, 'is missing');
  });
  const batchId = record.batchId as string | undefined;
  return batchId === undefined
    ? { requests: requests as BatchItem[] }
    : { batchId, requests: requests as BatchItem[] };
}
