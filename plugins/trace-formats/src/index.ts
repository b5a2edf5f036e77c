export {
  CSV_TRACE_READER_NAME,
  type CsvTraceReadOptions,
  createCsvTraceReader,
} from './csv-trace-reader.js';
export {
  DEFAULT_SYNTHETIC_WORKLOAD,
  DEFAULT_SYNTHETIC_WORKLOAD_STATISTICS,
  type SyntheticArrivals,
  type SyntheticWorkload,
} from './default-synthetic-workload.js';
export {
  DEFAULT_SYNTHETIC_DURATION_SECONDS,
  generateSyntheticTrace,
  type SyntheticTraceOptions,
  syntheticArrivalMap,
} from './generate-synthetic-trace.js';
export {
  createInterArrivalTraceReader,
  INTER_ARRIVAL_TRACE_READER_NAME,
  type InterArrivalTraceReadOptions,
} from './inter-arrival-trace-reader.js';
export {
  parseMapJson,
  printedRounding,
  readMapFiles,
  readMapJson,
  writeMapJson,
} from './map-files.js';
export {
  createMapTraceReader,
  MAP_TRACE_READER_NAME,
  type MapTraceReadOptions,
  readMapSource,
  splitMapPair,
} from './map-trace-reader.js';
export { parseMatrixCsv } from './matrix-csv.js';
export type { SampleExtentOptions } from './sample-extent.js';
export {
  type ConstantSizeDistribution,
  createSizeSampler,
  type LognormalParetoSizeDistribution,
  type SizeDistribution,
  type UniformRandom,
  validateSizeDistribution,
} from './size-distribution.js';
export {
  createSyntheticTraceReader,
  parseSyntheticSource,
  SYNTHETIC_TRACE_READER_NAME,
  type SyntheticTraceReadOptions,
} from './synthetic-trace-reader.js';
export { AUTO_MILLISECONDS_THRESHOLD, type TimeUnit } from './timestamps.js';
export {
  type WriteTraceCsvOptions,
  type WriteTraceCsvResult,
  writeTraceCsv,
} from './write-trace-csv.js';
