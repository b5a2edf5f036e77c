/**
 * Whether a JSON value is a non-empty square matrix of finite numbers (rows of equal length, as
 * many rows as columns): the shape of a MAP's `d0` and `d1` in every document MBS reads.
 *
 * @example
 * ```ts
 * isSquareMatrix([[-2, 1], [0, -3]]); // true
 * isSquareMatrix([[1, 2]]); // false: one row of two
 * ```
 */
export function isSquareMatrix(value: unknown): value is number[][] {
  return (
    Array.isArray(value) &&
    value.length > 0 &&
    value.every(
      (row) =>
        Array.isArray(row) &&
        row.length === value.length &&
        row.every((entry) => typeof entry === 'number' && Number.isFinite(entry)),
    )
  );
}
