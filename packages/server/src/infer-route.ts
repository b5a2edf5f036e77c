import { Buffer } from 'node:buffer';
import { isMbsError, LAMBDA_REQUEST_PAYLOAD_LIMIT_BYTES } from '@mbs/core';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import {
  answerOfRejection,
  deadlineExceeded,
  type ErrorAnswer,
  invalidRequest,
  misdirected,
  overloaded,
  payloadTooLarge,
} from './answers.js';
import { inferAnswer } from './infer-answer.js';
import {
  DEADLINE_HEADER,
  INFER_ANSWER_SCHEMA,
  INFER_BODY_SCHEMA,
  type InferBody,
  MAXIMUM_DEADLINE_MS,
  SIZE_HEADER,
} from './infer-schema.js';
import { describeSizeRanges } from './owned-buffers.js';
import type { RefusalReason } from './server-metrics.js';
import type { ServerState, Waiter } from './server-state.js';

/** Sends an answer without a result and counts it. */
export function sendError(
  state: ServerState,
  reply: FastifyReply,
  answer: ErrorAnswer,
  reason?: RefusalReason,
): FastifyReply {
  if (reason !== undefined) state.metrics.refused(reason);
  state.metrics.answered(answer.status);
  if (answer.retryAfter) reply.header('retry-after', String(state.retryAfterSeconds));
  return reply.code(answer.status).send(answer.body);
}

/** The deadline header in milliseconds, undefined when absent; an ErrorAnswer when malformed. */
function deadlineOf(request: FastifyRequest): number | undefined | ErrorAnswer {
  const header = request.headers[DEADLINE_HEADER];
  if (header === undefined) return undefined;
  const milliseconds = Number(header);
  if (typeof header !== 'string' || !(milliseconds > 0 && milliseconds <= MAXIMUM_DEADLINE_MS)) {
    return invalidRequest(
      `header ${DEADLINE_HEADER} is ${JSON.stringify(header)}; give milliseconds from arrival, a number in (0, ${MAXIMUM_DEADLINE_MS}]`,
    );
  }
  return milliseconds;
}

/**
 * The checks made before a request enters a buffer: its size header, its class owned here, and
 * its input within the class's share of Lambda's payload limit. An answer when it fails one.
 */
function admissionProblem(
  state: ServerState,
  request: FastifyRequest,
  body: InferBody,
  classId: number,
): { answer: ErrorAnswer; reason: RefusalReason } | undefined {
  const sizeHeader = request.headers[SIZE_HEADER];
  if (sizeHeader !== undefined && Number(sizeHeader) !== body.size) {
    return {
      answer: invalidRequest(
        `header ${SIZE_HEADER} is ${JSON.stringify(sizeHeader)} but the body's size is ${body.size}; a balancer routes on the header, so they must agree`,
      ),
      reason: 'invalid',
    };
  }
  const { ownership, budgets, document } = state.served;
  if (!ownership.ownsClass[classId]) {
    return {
      answer: misdirected(
        `size ${body.size} is in class ${classId}, which this front end does not serve; it serves sizes in ${describeSizeRanges(ownership.sizeRanges)} (buffers ${ownership.buffers.join(', ')}); route by ${SIZE_HEADER} (GET /v1/routes)`,
        { classId, sizeRanges: ownership.sizeRanges },
      ),
      reason: 'misdirected',
    };
  }
  const { budgetBytes, largestBatchSize } = budgets[classId]!;
  // The body bounds the input's bytes, so most requests need no second serialisation.
  const bodyBytes = Number(request.headers['content-length']);
  if (Number.isFinite(bodyBytes) && bodyBytes <= budgetBytes) return undefined;
  const inputBytes = Buffer.byteLength(JSON.stringify(body.input) ?? 'null');
  if (inputBytes <= budgetBytes) return undefined;
  return {
    answer: payloadTooLarge(
      `the input is ${inputBytes} bytes of JSON; a batch of class ${classId} holds up to ${largestBatchSize} requests (B${document.windows.length > 1 ? ', the largest of its windows' : ''}) and must fit in Lambda's ${LAMBDA_REQUEST_PAYLOAD_LIMIT_BYTES}-byte Invoke payload, so each input of this class may have at most ${budgetBytes} bytes`,
      { classId, inputBytes, budgetBytes, largestBatchSize },
    ),
    reason: 'payload-too-large',
  };
}

/**
 * Serves one inference request: admission checks, the in-flight bound, the batcher (with a
 * withdrawal when the client disconnects or the deadline passes before the batch is sent) and
 * exactly one answer. Callbacks rather than an async handler: no promise, AbortController or
 * race per request beyond the batcher's own promise (see `npm run bench:breakdown`).
 */
function serveInference(state: ServerState, request: FastifyRequest, reply: FastifyReply): void {
  const receivedSeconds = state.now();
  const body = request.body as InferBody;
  const deadlineMs = deadlineOf(request);
  if (typeof deadlineMs === 'object') {
    sendError(state, reply, deadlineMs, 'invalid');
    return;
  }
  const classId = state.served.scheme.classOf(body.size);
  const problem = admissionProblem(state, request, body, classId);
  if (problem !== undefined) {
    sendError(state, reply, problem.answer, problem.reason);
    return;
  }
  if (state.inFlightRequests >= state.limits.maxInFlightRequests) {
    sendError(
      state,
      reply,
      overloaded(
        `${state.inFlightRequests} requests are in flight, at limits.maxInFlightRequests = ${state.limits.maxInFlightRequests}; retry later`,
        { limit: 'maxInFlightRequests' },
      ),
      'in-flight-limit',
    );
    return;
  }
  state.inFlightRequests++;
  const id = `q${++state.requestSequence}`;
  const waiter: Waiter = { record: undefined };
  state.waiters.set(id, waiter);
  const batcher = state.batcher;
  const raw = reply.raw;
  let disconnected = false;
  let answered = false;
  let deadlineTimer: NodeJS.Timeout | undefined;
  const onClose = () => {
    if (raw.writableFinished) return;
    disconnected = true;
    batcher.withdraw(id);
  };
  raw.on('close', onClose);
  /** Ends the request's time in flight; false when it was already answered (its deadline). */
  const settle = (): boolean => {
    if (answered) return false;
    answered = true;
    state.inFlightRequests--;
    if (deadlineTimer !== undefined) clearTimeout(deadlineTimer);
    raw.off('close', onClose);
    return true;
  };
  if (deadlineMs !== undefined) {
    deadlineTimer = setTimeout(() => {
      deadlineTimer = undefined;
      // Withdrawn from its buffer: the rejection that follows answers 504. Else its batch runs.
      if (batcher.withdraw(id) || !settle()) return;
      sendError(
        state,
        reply,
        deadlineExceeded(passedMessage(deadlineMs, 'while its batch ran')),
        'deadline',
      );
    }, deadlineMs);
  }
  batcher.submit({ id, size: body.size, input: body.input }).then(
    (output) => {
      // The record stays until the batcher settles the request, even when the answer left earlier.
      state.waiters.delete(id);
      if (!settle()) return;
      if (disconnected) state.metrics.disconnected(false);
      const record = waiter.record;
      if (record === undefined) {
        sendError(state, reply, answerOfRejection(new Error(`request ${id} has no record`)));
        return;
      }
      state.metrics.answered(200);
      reply.send(inferAnswer(output, record, state.now() - receivedSeconds));
    },
    (error: unknown) => {
      state.waiters.delete(id);
      if (!settle()) return;
      if (isMbsError(error, 'CANCELLED') && !disconnected) {
        sendError(
          state,
          reply,
          deadlineExceeded(passedMessage(deadlineMs, 'in its buffer')),
          'deadline',
        );
        return;
      }
      if (disconnected) state.metrics.disconnected(isMbsError(error, 'CANCELLED'));
      const answer = answerOfRejection(error);
      sendError(
        state,
        reply,
        answer,
        answer.status === 429
          ? 'queue-full'
          : answer.body.error.code === 'CLOSED'
            ? 'closed'
            : undefined,
      );
    },
  );
}

const passedMessage = (deadlineMs: number | undefined, where: string) =>
  `the request's deadline (${DEADLINE_HEADER}: ${deadlineMs}) passed ${where}${where === 'in its buffer' ? '; it was withdrawn before its batch was sent' : ''}`;

/** Registers `POST /v1/infer`. */
export function registerInferRoute(app: FastifyInstance, state: ServerState): void {
  app.post(
    '/v1/infer',
    { schema: { body: INFER_BODY_SCHEMA, response: { 200: INFER_ANSWER_SCHEMA } } },
    (request, reply) => {
      serveInference(state, request, reply);
    },
  );
}
