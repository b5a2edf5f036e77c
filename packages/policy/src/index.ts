export {
  type BufferPolicy,
  type BufferPolicySettings,
  createBufferPolicy,
  type Decision,
  type Dispatch,
  type DispatchReason,
} from './buffer-policy.js';
export { type ClassRouter, createClassRouter } from './class-router.js';
