/**
 * Local cubic (4-point Lagrange) interpolation of a tabulated CDF on [0, T), clamped between the
 * two neighbouring grid values: the true CDF is monotone, so the clamp costs no accuracy and
 * keeps the interpolant monotone.
 */
export function interpolateWaitCdf(
  table: Float64Array,
  row: number,
  gridIntervals: number,
  stepSeconds: number,
  timeoutSeconds: number,
  waitSeconds: number,
): number {
  if (waitSeconds < 0) return 0;
  if (waitSeconds >= timeoutSeconds) return 1;
  const position = waitSeconds / stepSeconds;
  let cell = Math.floor(position);
  if (cell >= gridIntervals) cell = gridIntervals - 1;
  const left = table[row + cell]!;
  const right = table[row + cell + 1]!;
  if (left === right) return left;
  const first = Math.min(Math.max(cell - 1, 0), gridIntervals - 3);
  const u = position - first;
  const f0 = table[row + first]!;
  const f1 = table[row + first + 1]!;
  const f2 = table[row + first + 2]!;
  const f3 = table[row + first + 3]!;
  const value =
    (-f0 * (u - 1) * (u - 2) * (u - 3)) / 6 +
    (f1 * u * (u - 2) * (u - 3)) / 2 -
    (f2 * u * (u - 1) * (u - 3)) / 2 +
    (f3 * u * (u - 1) * (u - 2)) / 6;
  return Math.min(Math.max(value, left), right);
}
