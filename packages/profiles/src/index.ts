export {
  cpuSpeedup,
  LAMBDA_MAX_VCPU,
  LAMBDA_MB_PER_VCPU,
  LAMBDA_MEMORY_RANGE_MB,
  lambdaVcpu,
} from './lambda-cpu.js';
export { type MbsProfileOptions, parseMbsProfile, readMbsProfile } from './mbs-profile.js';
export { inverseMemoryNeighbours } from './memory-interpolation.js';
export {
  createParametricProfile,
  DEFAULT_PARAMETRIC_PROFILE,
  type ParametricProfileParameters,
} from './parametric-profile.js';
