import { testObjective } from '@mbs/testing';
import { createCostBudgetObjective, createLatencySloObjective } from './builtin-objectives.js';

testObjective('latency-slo', () => createLatencySloObjective(), {
  percentile: 0.95,
  sloSeconds: 1,
});
testObjective('cost-budget', () => createCostBudgetObjective(), {
  percentile: 0.95,
  budgetUsdPerRequest: 8e-6,
});
