import { testTraceReader } from '@mbs/test-utils';
import { createCsvTraceReader } from './csv-trace-reader.js';
import { createInterArrivalTraceReader } from './inter-arrival-trace-reader.js';
import { createMapTraceReader } from './map-trace-reader.js';
import { createSyntheticTraceReader } from './synthetic-trace-reader.js';
import { writeTemporaryFile } from './testing/trace-files.js';

const azure = writeTemporaryFile(
  'contract-azure.csv',
  'TIMESTAMP,ContextTokens,GeneratedTokens\n2023-11-16 18:15:46.6805900,374,44\n2023-11-16 18:15:50.9951690,396,109\n2023-11-16 18:15:51.2224670,879,55\n',
);
const named = writeTemporaryFile(
  'contract-named.csv',
  'id,time,bytes\na,1700000000.5,10\nb,1700000001,20\n',
);
const unsorted = writeTemporaryFile('contract-unsorted.csv', 'time,size\n3,1\n1,2\n2,3\n');
const replay = writeTemporaryFile('contract-replay.txt', '# replay\n0.5 1\n0.25 0\n1 3\n0.1\n');
const foreign = writeTemporaryFile('contract-foreign.bin', '\u0000\u0001binary');

testTraceReader('csv', createCsvTraceReader, {
  fixtures: [
    { source: azure, arrivals: 3 },
    { source: named, arrivals: 2, options: { timeColumn: 'time', sizeColumn: 'bytes' } },
    { source: unsorted, arrivals: 3, options: { sort: true } },
  ],
  foreignSource: replay,
});

testTraceReader('inter-arrivals', createInterArrivalTraceReader, {
  fixtures: [{ source: replay, arrivals: 4 }],
  foreignSource: foreign,
});

const d0 = writeTemporaryFile('contract_D0.csv', '-14.625001,0.000000\n0.000000,-35.171226\n');
const d1 = writeTemporaryFile('contract_D1.csv', '0.051020,14.573981\n0.063796,35.107429\n');
const mapJson = writeTemporaryFile(
  'contract-map.json',
  JSON.stringify({
    d0: [
      [-3, 1],
      [2, -4],
    ],
    d1: [
      [2, 0],
      [1, 1],
    ],
  }),
);

testTraceReader('map', createMapTraceReader, {
  fixtures: [
    { source: `${d0},${d1}`, arrivals: 500, options: { seed: 1, count: 500 } },
    { source: mapJson, arrivals: 40, options: { count: 40 } },
  ],
  foreignSource: azure,
});

testTraceReader('synthetic', createSyntheticTraceReader, {
  fixtures: [
    { source: 'synthetic:seed=3,count=300', arrivals: 300 },
    { source: 'synthetic', arrivals: 50, options: { count: 50, rateRequestsPerSecond: 5 } },
  ],
  foreignSource: azure,
});
