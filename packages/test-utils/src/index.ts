export { expectRegistrable } from './assert-registrable.js';
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
export { createSyntheticProfile, type SyntheticProfileOptions } from './synthetic-profile.js';
export { testPricing } from './test-pricing.js';
export { type ProviderFixture, testProvider } from './test-provider.js';
export { type TraceReaderFixture, testTraceReader } from './test-trace-reader.js';
