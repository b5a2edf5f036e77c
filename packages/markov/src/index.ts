export { balanceMapDiagonal } from './balance-map-diagonal.js';
export {
  type DenseMatrixInput,
  type LuFactorization,
  luFactorize,
  luSolve,
  luSolveMatrix,
  luSolveRow,
  matrixInverse,
  multiplyMatrices,
  solveLinearSystem,
  stationaryRowVector,
} from './dense-matrix.js';
export {
  branchStructures,
  type ErlangBranchMap,
  erlangBranchMapToMap,
} from './erlang-branch-map.js';
export { expm } from './expm.js';
export { type ExpmActionOptions, expmAction } from './expm-action.js';
export {
  fitMapEm,
  type MapEmFit,
  type MapEmFitReport,
  minimumEmSamples,
} from './fit-map-em.js';
export { type EmProgress, type FitMapEmOptions, MAX_EM_PHASES } from './fit-map-em-options.js';
export { fitMap2 } from './fit-map2.js';
export {
  type FitMarkedMapEmOptions,
  fitMarkedMapEm,
  type MarkedMapEmFit,
  type MarkedMapEmReport,
} from './fit-marked-map-em.js';
export { fitPoisson, type MapFit } from './fit-poisson.js';
export { type FitTargets, fitTargetsFromStatistics } from './fit-targets.js';
export {
  createInterArrivalStatistics,
  type InterArrivalStatistics,
  type InterArrivalStatisticsResult,
} from './inter-arrival-statistics.js';
export {
  type CountDistribution,
  type CountDistributionOptions,
  type CountWindowStart,
  mapCountDistributions,
  mapIndexOfDispersion,
} from './map-counts.js';
export {
  arrivalRate,
  arrivalStationaryDistribution,
  type DescribeMapOptions,
  describeMap,
  interArrivalMoment,
  interArrivalScv,
  lagAutocorrelation,
  type MapDescriptors,
  phaseStationaryDistribution,
} from './map-descriptors.js';
export { mapLogLikelihood } from './map-log-likelihood.js';
export { scaleMapRate, superposeMaps, thinMap } from './map-operations.js';
export { createMapSampler, type MapSampler } from './map-sampler.js';
export {
  createMarkedMapSampler,
  type MarkedMapSampler,
  markedMapClassShares,
  markedMapFromShares,
  restrictMarkedMap,
  type ValidateMarkedMapOptions,
  validateMarkedMap,
} from './marked-map.js';
export {
  MAX_UNIFORMIZATION_MEAN,
  type PoissonWeights,
  poissonWeights,
} from './poisson-weights.js';
export { roundRobinMap, roundRobinMarkedMap } from './round-robin.js';
export {
  type MapViolation,
  mapOrder,
  poissonMap,
  type ValidateMapOptions,
  validateMap,
} from './validate-map.js';
