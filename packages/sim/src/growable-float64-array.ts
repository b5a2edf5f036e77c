/** A Float64Array that grows by doubling, for millions of samples without boxing. */
export class GrowableFloat64Array {
  private values: Float64Array;
  private count = 0;

  constructor(initialCapacity = 1024) {
    this.values = new Float64Array(Math.max(16, initialCapacity));
  }

  get length(): number {
    return this.count;
  }

  push(value: number): void {
    if (this.count === this.values.length) {
      const grown = new Float64Array(this.values.length * 2);
      grown.set(this.values);
      this.values = grown;
    }
    this.values[this.count++] = value;
  }

  /** The values pushed so far, as a view (no copy); later pushes may detach it. */
  view(): Float64Array {
    return this.values.subarray(0, this.count);
  }
}
