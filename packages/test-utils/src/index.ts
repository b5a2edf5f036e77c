// The contract suites live in the published kit for plugin authors; re-exported for our tests.
export {
  expectRegistrable,
  exponentialPrediction,
  type ProviderFixture,
  type TraceReaderFixture,
  testObjective,
  testPricing,
  testProvider,
  testTraceReader,
} from '@mbs/testing';
export { type BenchResult, type MeasureOptions, measure, printBenchTable } from './bench.js';
export { type CapturedIo, captureIo } from './capture-io.js';
export {
  ERLANG2_RENEWAL,
  EXAMPLE_MMPP2,
  NEGATIVELY_CORRELATED_MAP3,
  POSITIVELY_CORRELATED_MAP2,
} from './example-maps.js';
export {
  createLambdaLikePricing,
  type LambdaLikePricingOptions,
} from './lambda-like-pricing.js';
export {
  type BufferSample,
  replayBuffer,
  replaySystem,
  replaySystemOnArrivals,
  type SystemSample,
  sampleArrivalTimes,
  sampleClasses,
} from './reference-replay.js';
export {
  type SleepingHandlerLaw,
  sleepingHandlerMs,
  sleepingTokenHandlerZip,
} from './sleeping-token-handler.js';
export { storedZip } from './stored-zip.js';
export { createSyntheticProfile, type SyntheticProfileOptions } from './synthetic-profile.js';
