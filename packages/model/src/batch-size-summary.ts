/** E[N] and the share of requests in batches of each size, n P(N = n) / E[N], from P(N = n). */
export function summariseBatchSizes(probabilities: readonly number[]): {
  readonly mean: number;
  readonly requestShares: number[];
} {
  let mean = 0;
  probabilities.forEach((probability, index) => {
    mean += (index + 1) * probability;
  });
  return { mean, requestShares: probabilities.map((p, index) => ((index + 1) * p) / mean) };
}
