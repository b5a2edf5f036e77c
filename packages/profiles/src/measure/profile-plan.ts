import { errors } from '../errors.js';
import { LAMBDA_MB_PER_VCPU, LAMBDA_MEMORY_RANGE_MB } from '../lambda-cpu.js';

/** What a profile run covers: memories, the batch sizes measured, and one size per class. */
export interface ProfileGrid {
  /** Memory sizes in MB, whole numbers within Lambda's 128..10,240. */
  readonly memoriesMb: readonly number[];
  /** Batch sizes that may be measured; the written table covers 1..the largest. */
  readonly batchSizes: readonly number[];
  /** The size sent for each class (its representative size, as the model accepts it), ascending. */
  readonly classSizes: readonly number[];
}

/**
 * The default memories and batch sizes of a profile run: Lambda's whole memory range, denser
 * below one vCPU (where time scales with memory), and batch sizes in powers of two to 32.
 */
export const DEFAULT_PROFILE_GRID = {
  memoriesMb: [128, 256, 512, 1024, 1769, 3008, 5308, 10_240],
  batchSizes: [1, 2, 4, 8, 16, 32],
} as const;

/** One point of the surface: a batch of `batchSize` requests of class `classIndex` at `memoryMb`. */
export interface PlannedPoint {
  readonly memoryMb: number;
  readonly classIndex: number;
  readonly batchSize: number;
}

/** The points a profile run measures. */
export interface ProfilePlan {
  /** The grid, checked, memories and batch sizes ascending and distinct. */
  readonly grid: ProfileGrid;
  /** Points to measure, by memory, then batch size, then class. */
  readonly points: readonly PlannedPoint[];
  /**
   * Memories measured along every batch size and every class (the cross of three: see
   * {@link planProfile}); the law's shape comes from them.
   */
  readonly referenceMemoriesMb: readonly number[];
  /** Whether every point of the grid is measured. */
  readonly full: boolean;
}

/** Options of {@link planProfile}. */
export interface PlanOptions {
  /** Measure every (memory, class, batch size) of the grid. Default false: the designed subset. */
  readonly full?: boolean;
  /**
   * Memories measured along every batch size and class in the designed subset (a cross of three,
   * see {@link planProfile}). Default: the grid memory nearest one full vCPU (1,769 MB) and the
   * largest.
   */
  readonly referenceMemoriesMb?: readonly number[];
}

/** A stable key of a point, for resuming and joining. */
export function pointKey(point: PlannedPoint): string {
  return `${point.memoryMb}/${point.classIndex}/${point.batchSize}`;
}

function sortedDistinct(values: readonly number[]): number[] {
  return [...new Set(values)].sort((a, b) => a - b);
}

/**
 * Checks a grid: OPTION_INVALID names the field, the bad value and what is accepted (memories
 * whole MB within 128..10,240; batch sizes whole numbers >= 1; class sizes finite, > 0, ascending).
 */
export function checkProfileGrid(grid: ProfileGrid): ProfileGrid {
  const { min, max } = LAMBDA_MEMORY_RANGE_MB;
  if (!Array.isArray(grid.memoriesMb) || grid.memoriesMb.length === 0) {
    throw errors.option('memoriesMb', `is empty; give memory sizes in MB within ${min}..${max}`);
  }
  for (const memoryMb of grid.memoriesMb) {
    if (!Number.isInteger(memoryMb) || memoryMb < min || memoryMb > max) {
      throw errors.option(
        'memoriesMb',
        `holds ${memoryMb}; Lambda memory is a whole number of MB within ${min}..${max}`,
        memoryMb,
      );
    }
  }
  if (!Array.isArray(grid.batchSizes) || grid.batchSizes.length === 0) {
    throw errors.option('batchSizes', 'is empty; give batch sizes >= 1');
  }
  for (const batchSize of grid.batchSizes) {
    if (!Number.isSafeInteger(batchSize) || batchSize < 1 || batchSize > 10_000) {
      throw errors.option(
        'batchSizes',
        `holds ${batchSize}; give whole numbers from 1 to 10000`,
        batchSize,
      );
    }
  }
  if (!Array.isArray(grid.classSizes) || grid.classSizes.length === 0) {
    throw errors.option('classSizes', 'is empty; give one size per class');
  }
  grid.classSizes.forEach((size, index) => {
    if (!(Number.isFinite(size) && size > 0) || (index > 0 && size < grid.classSizes[index - 1]!)) {
      throw errors.option(
        'classSizes',
        `holds ${size} at class ${index}; give finite sizes > 0, ascending (one per class)`,
        size,
      );
    }
  });
  return {
    memoriesMb: sortedDistinct(grid.memoriesMb),
    batchSizes: sortedDistinct(grid.batchSizes),
    classSizes: [...grid.classSizes],
  };
}

function nearest(values: readonly number[], target: number, logScale: boolean): number {
  const distance = (value: number) =>
    logScale ? Math.abs(Math.log(value / target)) : Math.abs(value - target);
  // Ties (4 and 8 around √32) go to the smaller value, whatever the rounding.
  return values.reduce((best, value) => (distance(value) < distance(best) - 1e-9 ? value : best));
}

/**
 * The default reference memories of a grid: the one nearest a full vCPU (1,769 MB, where Lambda
 * time is CPU time) and the largest.
 */
export function defaultReferenceMemories(memoriesMb: readonly number[]): number[] {
  return sortedDistinct([nearest(memoriesMb, LAMBDA_MB_PER_VCPU, true), memoriesMb.at(-1)!]);
}

/**
 * The points to measure. The designed subset (default) is what the service-time law needs:
 * - at each reference memory, a cross of three: every class at the smallest, the middle and the
 *   largest batch size, and every batch size at the smallest, the middle and the largest class.
 *   The classes' work w_c and the shared work response f come from these points, so they must
 *   reach every region the table is read in: the smallest batch of every class (small work,
 *   where the invocation's fixed cost and the runtime's start-up dominate and f bends most) and
 *   a middle class along B (the response between the corners, from a class other than the two
 *   that set the ends). With every class at two batch sizes only, one class's own cost at small
 *   batches (the smallest class's) set f there for all, and the smallest batches of the other
 *   classes were over-predicted by 10 to 20 % on the emulator;
 * - at every other memory, the four corners (smallest and largest batch size x smallest and
 *   largest class) and the centre (middle batch size, middle class), which fix that memory's
 *   per-invocation and per-work times with residual degrees of freedom to check the fit.
 * With `full`, every point of the grid.
 *
 * @example
 * ```ts
 * const plan = planProfile({ memoriesMb: [512, 1769, 3008], batchSizes: [1, 4, 16], classSizes: [128, 512, 2048] });
 * plan.points.length; // 23 of 27: all 9 at 1769 and 3008 (the cross of a 3 x 3 grid is all of it), 5 at 512
 * ```
 */
export function planProfile(grid: ProfileGrid, options: PlanOptions = {}): ProfilePlan {
  const checked = checkProfileGrid(grid);
  const { memoriesMb, batchSizes, classSizes } = checked;
  const references = sortedDistinct(
    options.referenceMemoriesMb ?? defaultReferenceMemories(memoriesMb),
  );
  for (const memoryMb of references) {
    if (!memoriesMb.includes(memoryMb)) {
      throw errors.option(
        'referenceMemoriesMb',
        `holds ${memoryMb} MB, which is not in the grid (${memoriesMb.join(', ')})`,
        memoryMb,
      );
    }
  }
  const lastClass = classSizes.length - 1;
  const smallestBatch = batchSizes[0]!;
  const largestBatch = batchSizes.at(-1)!;
  const middleBatch = nearest(batchSizes, Math.sqrt(smallestBatch * largestBatch), true);
  const middleClass = Math.floor(lastClass / 2);
  const points: PlannedPoint[] = [];
  for (const memoryMb of memoriesMb) {
    const reference = references.includes(memoryMb);
    for (const batchSize of batchSizes) {
      for (let classIndex = 0; classIndex <= lastClass; classIndex++) {
        const corner = classIndex === 0 || classIndex === lastClass;
        const crossBatch =
          batchSize === smallestBatch || batchSize === middleBatch || batchSize === largestBatch;
        const inDesign = reference
          ? crossBatch || corner || classIndex === middleClass
          : ((batchSize === smallestBatch || batchSize === largestBatch) && corner) ||
            (batchSize === middleBatch && classIndex === middleClass);
        if (options.full === true || inDesign) points.push({ memoryMb, classIndex, batchSize });
      }
    }
  }
  return { grid: checked, points, referenceMemoriesMb: references, full: options.full === true };
}
