export {
  empiricalQuantile,
  replayBuffer,
  replaySystem,
  sampleArrivalTimes,
  sampleClasses,
  seededUniform,
} from '../reference-replay.js';
