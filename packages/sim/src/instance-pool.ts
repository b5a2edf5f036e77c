/**
 * The instances of one function, for cold starts: an instance serves one batch at a time, stays
 * warm for `keepWarmSeconds` after its last batch, and a batch that finds no warm idle instance
 * starts a new one (cold). Dispatch times must not go backwards.
 *
 * A warm batch takes the most recently freed instance, so the pool stays as small as the load
 * allows, as Lambda's does.
 */
export class InstancePool {
  // Min-heap of the times busy instances become free.
  private readonly busy: number[] = [];
  // Free times of idle instances, ascending (from `idleHead` on).
  private idle: number[] = [];
  private idleHead = 0;

  constructor(private readonly keepWarmSeconds: number) {}

  /**
   * Takes an instance for a batch dispatched at `nowSeconds` that holds it `busySeconds`
   * (init included when cold, which the caller adds); returns whether the start was cold.
   */
  acquire(nowSeconds: number, serviceSeconds: number, initSeconds: number): boolean {
    const busy = this.busy;
    // Free times leave the heap in ascending order, since every new one lies after `nowSeconds`.
    while (busy.length > 0 && busy[0]! <= nowSeconds) this.idle.push(this.popBusy());
    const expiry = nowSeconds - this.keepWarmSeconds;
    while (this.idleHead < this.idle.length && this.idle[this.idleHead]! < expiry) this.idleHead++;
    if (this.idleHead > 1024 && this.idleHead * 2 > this.idle.length) {
      this.idle = this.idle.slice(this.idleHead);
      this.idleHead = 0;
    }
    const cold = this.idleHead === this.idle.length;
    if (!cold) this.idle.pop();
    this.pushBusy(nowSeconds + serviceSeconds + (cold ? initSeconds : 0));
    return cold;
  }

  /** Instances alive (busy or warm) just after the last acquire. */
  size(): number {
    return this.busy.length + this.idle.length - this.idleHead;
  }

  private pushBusy(value: number): void {
    const heap = this.busy;
    let index = heap.length;
    heap.push(value);
    while (index > 0) {
      const parent = (index - 1) >> 1;
      if (heap[parent]! <= value) break;
      heap[index] = heap[parent]!;
      index = parent;
    }
    heap[index] = value;
  }

  private popBusy(): number {
    const heap = this.busy;
    const top = heap[0]!;
    const last = heap.pop()!;
    if (heap.length > 0) {
      let index = 0;
      for (;;) {
        const left = 2 * index + 1;
        if (left >= heap.length) break;
        const right = left + 1;
        const child = right < heap.length && heap[right]! < heap[left]! ? right : left;
        if (heap[child]! >= last) break;
        heap[index] = heap[child]!;
        index = child;
      }
      heap[index] = last;
    }
    return top;
  }
}
