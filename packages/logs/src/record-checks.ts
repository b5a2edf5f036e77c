import type { JsonLineCheck } from './json-lines.js';

type FieldType = 'string' | 'number' | 'boolean';

function checkFields(
  label: string,
  required: Readonly<Record<string, FieldType>>,
  optional: Readonly<Record<string, FieldType>> = {},
  nonNegative: readonly string[] = [],
): JsonLineCheck {
  return (value) => {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      return `a ${label} must be a JSON object`;
    }
    const object = value as Record<string, unknown>;
    for (const [key, type] of Object.entries(required)) {
      if (typeof object[key] !== type) {
        return `a ${label} needs "${key}" as a ${type}; got ${JSON.stringify(object[key])}`;
      }
    }
    for (const [key, type] of Object.entries(optional)) {
      if (object[key] !== undefined && typeof object[key] !== type) {
        return `a ${label}'s "${key}" must be a ${type} when present; got ${JSON.stringify(object[key])}`;
      }
    }
    // Durations, sizes and costs below 0 would subtract from the summarised cost.
    for (const key of nonNegative) {
      const field = object[key];
      if (typeof field === 'number' && !(Number.isFinite(field) && field >= 0)) {
        return `a ${label}'s "${key}" must be a finite number >= 0; got ${JSON.stringify(field)}`;
      }
    }
    return undefined;
  };
}

/** Checks one line of invocations.jsonl against InvocationRecord. */
export const checkInvocationRecord: JsonLineCheck = checkFields(
  'invocation record',
  {
    requestId: 'string',
    functionName: 'string',
    durationMs: 'number',
    billedDurationMs: 'number',
    memorySizeMb: 'number',
    maxMemoryUsedMb: 'number',
  },
  { initDurationMs: 'number' },
  ['durationMs', 'billedDurationMs', 'memorySizeMb', 'maxMemoryUsedMb', 'initDurationMs'],
);

/** Checks one line of batches.jsonl against BatchRecord. */
export const checkBatchRecord: JsonLineCheck = checkFields(
  'batch record',
  {
    batchId: 'string',
    buffer: 'number',
    openedSeconds: 'number',
    dispatchedSeconds: 'number',
    endedSeconds: 'number',
    size: 'number',
    largestClass: 'number',
    paddingShare: 'number',
    durationMs: 'number',
    memoryMb: 'number',
    cold: 'boolean',
    costUsd: 'number',
    reason: 'string',
  },
  // An in-process function (createFunctionProvider of @mbs/batcher) reports no billed duration.
  { invocationId: 'string', billedDurationMs: 'number' },
  ['size', 'durationMs', 'billedDurationMs', 'memoryMb', 'costUsd', 'paddingShare'],
);

/** Checks one line of requests.jsonl against RequestRecord. */
export const checkRequestRecord: JsonLineCheck = checkFields(
  'request record',
  {
    requestId: 'string',
    buffer: 'number',
    classId: 'number',
    size: 'number',
    arrivalSeconds: 'number',
    dispatchSeconds: 'number',
    completionSeconds: 'number',
    waitSeconds: 'number',
    latencySeconds: 'number',
    batchId: 'string',
    batchSize: 'number',
  },
  {},
  ['size', 'waitSeconds', 'latencySeconds', 'batchSize'],
);
