import type { BatchEvent, ItemResult } from '@mbs/core';

/** The handler's answer mapped to the batch, or why it does not fit the handler contract. */
export type BatchResponseMapping =
  | { readonly results: readonly ItemResult[] }
  | { readonly invalid: string };

function checkItem(item: unknown, index: number): ItemResult | string {
  if (typeof item !== 'object' || item === null) return `results[${index}] is not an object`;
  const candidate = item as Record<string, unknown>;
  if (typeof candidate.id !== 'string') return `results[${index}].id is not a string`;
  if (candidate.ok === true)
    return { id: candidate.id, ok: true, output: candidate.output ?? null };
  if (candidate.ok !== false) return `results[${index}].ok is not a boolean`;
  const error = candidate.error as Record<string, unknown> | null | undefined;
  if (typeof error?.code !== 'string' || typeof error.message !== 'string') {
    return `results[${index}].error needs a string code and message`;
  }
  return { id: candidate.id, ok: false, error: { code: error.code, message: error.message } };
}

/**
 * Maps the handler's response `{ results: [{ id, ok, output | error }], timings }` onto the
 * batch: one result per request, in the batch's order. Anything else (missing or extra ids,
 * duplicates, another shape) is reported as invalid.
 *
 * @example
 * ```ts
 * mapBatchResponse({ requests: [{ id: 'a', input: 1 }] }, { results: [{ id: 'a', ok: true, output: 2 }] });
 * ```
 */
export function mapBatchResponse(event: BatchEvent, response: unknown): BatchResponseMapping {
  const results = (response as { results?: unknown } | null)?.results;
  if (typeof response !== 'object' || response === null || !Array.isArray(results)) {
    return { invalid: 'the function did not return an object with a results array' };
  }
  const byId = new Map<string, ItemResult>();
  for (const [index, item] of results.entries()) {
    const checked = checkItem(item, index);
    if (typeof checked === 'string') return { invalid: checked };
    if (byId.has(checked.id))
      return { invalid: `results hold id ${JSON.stringify(checked.id)} twice` };
    byId.set(checked.id, checked);
  }
  const ordered: ItemResult[] = [];
  for (const request of event.requests) {
    const result = byId.get(request.id);
    if (!result) return { invalid: `results lack request id ${JSON.stringify(request.id)}` };
    ordered.push(result);
  }
  if (ordered.length !== byId.size) {
    return {
      invalid: `results hold ${byId.size - ordered.length} id(s) that are not in the batch`,
    };
  }
  return { results: ordered };
}
