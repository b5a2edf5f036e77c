export { expectRegistrable } from './assert-registrable.js';
export { type BenchResult, type MeasureOptions, measure, printBenchTable } from './bench.js';
export { type CapturedIo, captureIo } from './capture-io.js';
export {
  createLambdaLikePricing,
  type LambdaLikePricingOptions,
} from './lambda-like-pricing.js';
export {
  type SleepingHandlerLaw,
  sleepingHandlerMs,
  sleepingTokenHandlerZip,
} from './sleeping-token-handler.js';
export { storedZip } from './stored-zip.js';
export { testPricing } from './test-pricing.js';
export { type ProviderFixture, testProvider } from './test-provider.js';
export { type TraceReaderFixture, testTraceReader } from './test-trace-reader.js';
