import { describe, expect, it } from 'vitest';
import { batchSizeGrid, timeoutGrid } from './grids.js';

describe('search grids', () => {
  it('takes every small batch size, then steps of about 25 %, and always the largest', () => {
    expect(batchSizeGrid(1, 25)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 10, 13, 17, 22, 25]);
    expect(batchSizeGrid(3, 3)).toEqual([3]);
  });

  it('spaces timeouts geometrically on the resolution', () => {
    const grid = timeoutGrid(0.005, 1, 12, 0.001);
    expect(grid[0]).toBe(0.005);
    expect(grid[grid.length - 1]).toBe(1);
    for (const value of grid)
      expect(Math.abs(value * 1000 - Math.round(value * 1000))).toBeLessThan(1e-9);
    expect(timeoutGrid(0.1, 0.1, 1, 0.001)).toEqual([0.1]);
  });
});
