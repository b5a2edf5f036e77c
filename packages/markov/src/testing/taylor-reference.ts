import { identityMatrix, multiplyMatrices, oneNorm } from '../dense-matrix.js';

/**
 * An independent reference for exp(A): scale A so ‖A/2^s‖₁ <= 1/2, sum 30 Taylor terms (the
 * remainder is below 0.5^31 / 31! ≈ 1e-43 relative), then square s times.
 */
export function taylorExponential(values: Float64Array, order: number): Float64Array {
  const norm = oneNorm(values, order);
  const squarings = norm > 0.5 ? Math.ceil(Math.log2(norm / 0.5)) : 0;
  const scaled = values.map((value) => value / 2 ** squarings);
  let result = identityMatrix(order);
  let term = identityMatrix(order);
  for (let k = 1; k <= 30; k++) {
    term = multiplyMatrices(term, scaled, order).map((value) => value / k);
    result = result.map((value, index) => value + term[index]!);
  }
  for (let step = 0; step < squarings; step++) result = multiplyMatrices(result, result, order);
  return result;
}
