import type { BufferConfiguration } from '@mbs/core';
import { type ClassMix, classMix } from '@mbs/model';

/**
 * A point between classes: all of classes 0..classId-1 and the first `share` of class `classId`
 * lie below it. `{ classId: 3, share: 0 }` is the boundary between classes 2 and 3.
 */
export interface ClassPosition {
  readonly classId: number;
  readonly share: number;
}

/** A contiguous range of classes served by one buffer, between two positions. */
export interface ClassRange {
  readonly from: ClassPosition;
  readonly to: ClassPosition;
  readonly firstClass: number;
  readonly lastClass: number;
  readonly firstClassShare: number;
  readonly lastClassShare: number;
  /** Portion of each class (by id, from firstClass to lastClass) routed to this range. */
  readonly portions: readonly number[];
  /** A stable key for caches. */
  readonly key: string;
}

/**
 * Every position a buffer boundary may take: each class boundary, and inside each class at the
 * allowed split shares. Ascending; the first is 0 and the last is the end of the last class.
 */
export function classPositions(
  classCount: number,
  splitShares: readonly number[],
): ClassPosition[] {
  const inner = [...new Set(splitShares)]
    .filter((share) => share > 0 && share < 1)
    .sort((a, b) => a - b);
  const positions: ClassPosition[] = [];
  for (let classId = 0; classId < classCount; classId++) {
    positions.push({ classId, share: 0 });
    for (const share of inner) positions.push({ classId, share });
  }
  positions.push({ classId: classCount, share: 0 });
  return positions;
}

/** The range between two positions (`from` strictly below `to`). */
export function classRange(from: ClassPosition, to: ClassPosition): ClassRange {
  const firstClass = from.classId;
  const lastClass = to.share > 0 ? to.classId : to.classId - 1;
  const portions: number[] = [];
  for (let classId = firstClass; classId <= lastClass; classId++) {
    const start = classId === from.classId ? from.share : 0;
    const end = classId === to.classId ? to.share : 1;
    portions.push(end - start);
  }
  const firstClassShare = portions[0]!;
  const lastClassShare = portions[portions.length - 1]!;
  return {
    from,
    to,
    firstClass,
    lastClass,
    firstClassShare,
    lastClassShare,
    portions,
    key: `${from.classId}+${from.share}:${to.classId}+${to.share}`,
  };
}

/** The classes a range serves (those with a positive share) as a mix, and its share of requests. */
export function rangeClassMix(
  range: ClassRange,
  classShares: readonly number[],
): { readonly mix: ClassMix; readonly requestShare: number } {
  const classIds: number[] = [];
  const shares: number[] = [];
  let requestShare = 0;
  range.portions.forEach((portion, offset) => {
    const share = portion * classShares[range.firstClass + offset]!;
    if (share > 0) {
      classIds.push(range.firstClass + offset);
      shares.push(share);
      requestShare += share;
    }
  });
  return {
    mix: classMix(
      classIds,
      shares.map((share) => share / requestShare),
    ),
    requestShare,
  };
}

/**
 * A range's identity by content, its classes and the portion of each it takes (to 12 digits),
 * e.g. to key what is computed for the range's own arrival stream.
 */
export function rangeContentKey(range: ClassRange): string {
  const portions = range.portions.map((portion) => Number(portion.toPrecision(12)));
  return `range ${range.firstClass}-${range.lastClass}:${portions.join(',')}`;
}

/** A buffer configuration from a range and its (B, T, M). */
export function bufferFromRange(
  range: ClassRange,
  settings: {
    readonly batchSize: number;
    readonly timeoutSeconds: number;
    readonly memoryMb: number;
  },
): BufferConfiguration {
  return {
    firstClass: range.firstClass,
    lastClass: range.lastClass,
    firstClassShare: range.firstClassShare,
    lastClassShare:
      range.lastClass === range.firstClass ? range.firstClassShare : range.lastClassShare,
    batchSize: settings.batchSize,
    timeoutSeconds: settings.timeoutSeconds,
    memoryMb: settings.memoryMb,
  };
}

/**
 * Every way to cut the positions into at most `maxBuffers` contiguous ranges covering all
 * classes, as lists of position indices (first 0, last positions.length - 1).
 */
export function* partitions(positionCount: number, maxBuffers: number): Generator<number[]> {
  const last = positionCount - 1;
  const cuts: number[] = [0];
  function* extend(start: number, remaining: number): Generator<number[]> {
    if (remaining === 1) {
      yield [...cuts, last];
      return;
    }
    yield [...cuts, last];
    for (let next = start + 1; next < last; next++) {
      cuts.push(next);
      yield* extend(next, remaining - 1);
      cuts.pop();
    }
  }
  yield* extend(0, maxBuffers);
}

/**
 * MBS's equal-load split: `bufferCount` ranges whose loads (request share x representative size)
 * are as equal as whole classes allow, cutting at class boundaries.
 */
export function equalLoadPartition(
  classShares: readonly number[],
  representativeSizes: readonly number[],
  bufferCount: number,
): ClassRange[] {
  const loads = classShares.map((share, classId) => share * (representativeSizes[classId] ?? 1));
  const total = loads.reduce((sum, load) => sum + load, 0);
  const classCount = classShares.length;
  const count = Math.min(bufferCount, classCount);
  const boundaries: number[] = [0];
  let cumulative = 0;
  for (let classId = 0; classId < classCount && boundaries.length < count; classId++) {
    const before = cumulative;
    cumulative += loads[classId]!;
    const target = (total * boundaries.length) / count;
    // Cut after this class when doing so lands closer to the target than cutting before it.
    if (cumulative >= target) {
      const cutAfter =
        Math.abs(cumulative - target) <= Math.abs(before - target) ||
        classId === boundaries[boundaries.length - 1];
      const boundary = cutAfter ? classId + 1 : classId;
      if (boundary > boundaries[boundaries.length - 1]! && boundary < classCount)
        boundaries.push(boundary);
    }
  }
  boundaries.push(classCount);
  const ranges: ClassRange[] = [];
  for (let index = 0; index + 1 < boundaries.length; index++) {
    ranges.push(
      classRange(
        { classId: boundaries[index]!, share: 0 },
        { classId: boundaries[index + 1]!, share: 0 },
      ),
    );
  }
  return ranges;
}
