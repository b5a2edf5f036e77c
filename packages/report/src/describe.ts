import { type BufferConfiguration, formatSeconds } from '@mbs/core';

/** A buffer's classes, with the shares of split boundary classes: `0-3`, `4(50%)-7`. */
export function classRangeText(buffer: BufferConfiguration): string {
  const share = (value: number) => (value < 1 ? `(${Math.round(value * 100)}%)` : '');
  return buffer.firstClass === buffer.lastClass
    ? `${buffer.firstClass}${share(buffer.firstClassShare)}`
    : `${buffer.firstClass}${share(buffer.firstClassShare)}-${buffer.lastClass}${share(buffer.lastClassShare)}`;
}

/** `classes 0-3: B=8, T=120 ms, M=2048 MB`. */
export function bufferText(buffer: BufferConfiguration): string {
  return `classes ${classRangeText(buffer)}: B=${buffer.batchSize}, T=${formatSeconds(buffer.timeoutSeconds)}, M=${buffer.memoryMb} MB`;
}
