/** Every size of a trace in one growable typed array: 8 bytes per arrival (80 MB for 10 million). */
export interface SizeSample {
  /** Adds one size. */
  add(size: number): void;
  /** Sizes added so far. */
  readonly count: number;
  /** The sizes in the order added (a view; valid until the next add). */
  values(): Float64Array;
  /** The sizes sorted ascending (a copy the first time; cached until the next add). */
  sorted(): Float64Array;
  /** Sorts the sizes in place, without a copy (the order of adding is lost), and returns them. */
  sortInPlace(): Float64Array;
}

/**
 * A sample holding every size, for exact quantiles. It doubles its buffer as it grows, so peak
 * memory is about 16 bytes per size while growing and 8 bytes per size after.
 *
 * @example
 * ```ts
 * const sample = createSizeSample();
 * sample.add(512);
 * sortedQuantile(sample.sorted(), 0.99); // sortedQuantile of @mbs/core
 * ```
 */
export function createSizeSample(initialCapacity = 1024): SizeSample {
  let buffer = new Float64Array(Math.max(1, initialCapacity));
  let count = 0;
  let sortedCache: Float64Array | undefined;
  return {
    add(size) {
      if (count === buffer.length) {
        const grown = new Float64Array(buffer.length * 2);
        grown.set(buffer);
        buffer = grown;
      }
      buffer[count++] = size;
      sortedCache = undefined;
    },
    get count() {
      return count;
    },
    values() {
      return buffer.subarray(0, count);
    },
    sorted() {
      sortedCache ??= buffer.slice(0, count).sort();
      return sortedCache;
    },
    sortInPlace() {
      const view = buffer.subarray(0, count).sort();
      sortedCache = view;
      return view;
    },
  };
}
