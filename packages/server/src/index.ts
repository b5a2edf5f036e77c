export type { ErrorBody } from './answers.js';
export {
  createMbsServer,
  type MbsServer,
  type RoutesAnswer,
  type ServerCounts,
} from './create-server.js';
export type { InferAnswer } from './infer-answer.js';
export {
  DEADLINE_HEADER,
  INFER_BODY_SCHEMA,
  type InferBody,
  MAXIMUM_DEADLINE_MS,
  SIZE_HEADER,
} from './infer-schema.js';
export {
  describeSizeRanges,
  type OwnedSizeRange,
  type Ownership,
  resolveOwnership,
} from './owned-buffers.js';
export { type ClassPayloadBudget, classPayloadBudgets } from './payload-budget.js';
export {
  DEFAULT_SERVER_LIMITS,
  type MbsServerOptions,
  MINIMUM_ADMIN_TOKEN_LENGTH,
  type ServerLimits,
} from './server-options.js';
