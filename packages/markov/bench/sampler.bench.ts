// Throughput of createMapSampler (goal: >= 5 million inter-arrivals per second for a MAP(2)),
// against a baseline measured in the same run: drawing the same number of plain exponentials
// with Math.random and Math.log, the least work any exact sampler must do.

import { createRandom } from '@mbs/core';
import { measure, POSITIVELY_CORRELATED_MAP2, printBenchTable } from '@mbs/test-utils';
import { createMapSampler } from '../src/index.js';

const draws = 1_000_000;
const map2 = POSITIVELY_CORRELATED_MAP2;
const map4 = {
  d0: [
    [-6, 1, 0, 0],
    [0, -3, 0.5, 0],
    [0, 0, -2, 1],
    [0.2, 0, 0, -1],
  ],
  d1: [
    [2, 1, 1, 1],
    [0, 1.5, 0, 1],
    [0, 0.5, 0, 0.5],
    [0.3, 0, 0.5, 0],
  ],
};

let sink = 0;
const results = [
  await measure(
    'Math.log(Math.random()) baseline',
    () => {
      for (let index = 0; index < draws; index++) sink -= Math.log(1 - Math.random());
    },
    { unitsPerRun: draws },
  ),
  await measure(
    'xoshiro128** createRandom.next',
    () => {
      const random = createRandom(1);
      for (let index = 0; index < draws; index++) sink += random.next();
    },
    { unitsPerRun: draws },
  ),
  await measure(
    'MAP(2) nextInterArrival',
    () => {
      const sampler = createMapSampler(map2, 1);
      for (let index = 0; index < draws; index++) sink += sampler.nextInterArrival();
    },
    { unitsPerRun: draws },
  ),
  await measure(
    'MAP(4) nextInterArrival',
    () => {
      const sampler = createMapSampler(map4, 1);
      for (let index = 0; index < draws; index++) sink += sampler.nextInterArrival();
    },
    { unitsPerRun: draws },
  ),
];
printBenchTable(
  `MAP sampling, ${draws} draws per run`,
  results,
  'Math.log(Math.random()) baseline',
);
if (!Number.isFinite(sink)) console.log(sink);
