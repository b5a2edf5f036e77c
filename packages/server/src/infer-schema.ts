/** What `POST /v1/infer` takes: one request, its size and its input in the handler's format. */
export interface InferBody {
  /** Request size in the configuration's size unit (tokens, bytes...); picks the class. */
  readonly size: number;
  /** The function's input for this request, as its handler reads it (any JSON). */
  readonly input: unknown;
}

/** JSON schema of {@link InferBody}: unknown keys and wrong types are refused with 400. */
export const INFER_BODY_SCHEMA = {
  type: 'object',
  required: ['size', 'input'],
  additionalProperties: false,
  properties: {
    size: { type: 'number', minimum: 0 },
    input: {},
  },
} as const;

/** Header of a per-request deadline: milliseconds from arrival, after which the answer is 504. */
export const DEADLINE_HEADER = 'x-mbs-deadline-ms';
/** Header an L7 balancer routes on: the request's size, equal to the body's `size` when sent. */
export const SIZE_HEADER = 'x-mbs-size';
/** The longest deadline accepted: Lambda's 15-minute timeout. */
export const MAXIMUM_DEADLINE_MS = 900_000;

/**
 * JSON schema of a 200 answer (`InferAnswer`), so fastify serialises it with a compiled
 * serialiser; `output` is whatever the function returned.
 */
export const INFER_ANSWER_SCHEMA = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    output: {},
    classId: { type: 'integer' },
    buffer: { type: 'integer' },
    batchId: { type: 'string' },
    batchSize: { type: 'integer' },
    timings: {
      type: 'object',
      properties: {
        arrivalSeconds: { type: 'number' },
        waitSeconds: { type: 'number' },
        latencySeconds: { type: 'number' },
        serverSeconds: { type: 'number' },
      },
    },
  },
} as const;
