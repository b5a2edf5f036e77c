export { expectRegistrable } from './assert-registrable.js';
export { exponentialPrediction, testObjective } from './test-objective.js';
export { testPricing } from './test-pricing.js';
export { type ProviderFixture, testProvider } from './test-provider.js';
export { type TraceReaderFixture, testTraceReader } from './test-trace-reader.js';
