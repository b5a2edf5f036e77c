import { isMbsError, isSquareMatrix } from '@mbs/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseMatrixCsv } from './matrix-csv.js';

describe('parseMatrixCsv', () => {
  it('reads the Twitter MAP layout, with comments, blanks and spaces', () => {
    expect(parseMatrixCsv('-14.625001,0.000000\n0.000000,-35.171226\n', 'd0.csv')).toEqual([
      [-14.625001, 0],
      [0, -35.171226],
    ]);
    expect(parseMatrixCsv('# D1\n\n 1 2 \r\n3,4\n', 'd1.csv')).toEqual([
      [1, 2],
      [3, 4],
    ]);
  });

  it('names file:line of a bad entry and refuses ragged or non-square matrices', () => {
    expect(() => parseMatrixCsv('1,2\n3,x\n', 'm.csv')).toThrow('m.csv:2: matrix entry "x"');
    expect(() => parseMatrixCsv('1,2\n3\n', 'm.csv')).toThrow('m.csv:2: row of 1 entries');
    expect(() => parseMatrixCsv('1,2\n', 'm.csv')).toThrow('m.csv: 1 rows of 2 entries');
    expect(() => parseMatrixCsv('\n# only\n', 'm.csv')).toThrow('m.csv: no matrix rows');
  });

  it('returns a finite square matrix or throws MAP_INVALID on any text', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.oneof(
            fc.string({ maxLength: 20 }),
            fc.array(fc.double(), { maxLength: 3 }).map((row) => row.join(',')),
          ),
          { maxLength: 4 },
        ),
        (lines) => {
          try {
            const matrix = parseMatrixCsv(lines.join('\n'), 'fuzz.csv');
            expect(isSquareMatrix(matrix)).toBe(true);
          } catch (error) {
            expect(isMbsError(error, 'MAP_INVALID')).toBe(true);
          }
        },
      ),
    );
  });
});
