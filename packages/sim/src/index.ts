export { createClassSampler } from './class-sampler.js';
export { InstancePool } from './instance-pool.js';
export { createReplayEngine, type ReplayEngine } from './replay-engine.js';
export { replayArrivals, replayTrace } from './replay-trace.js';
export type {
  ColdStartOptions,
  ReplayOptions,
  ReplayStatistics,
  ReplaySummary,
} from './replay-types.js';
export {
  type MapWorkload,
  type SampleMapOptions,
  sampleMapArrivals,
  simulateMap,
} from './simulate-map.js';
