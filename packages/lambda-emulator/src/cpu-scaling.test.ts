import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cpuScale, vcpuForMemory } from './cpu-scaling.js';

describe('vcpuForMemory', () => {
  it('gives 1 vCPU at 1,769 MB, grows linearly and caps at 6 vCPU', () => {
    expect(vcpuForMemory(1769)).toBe(1);
    // The linear rule gives 5.79 vCPU at the 10,240 MB maximum (Lambda quotes "up to 6").
    expect(vcpuForMemory(10_240)).toBeCloseTo(10_240 / 1769, 12);
    expect(vcpuForMemory(6 * 1769 + 1)).toBe(6);
    expect(vcpuForMemory(128)).toBeCloseTo(128 / 1769, 12);
  });
});

describe('cpuScale', () => {
  it('stretches time below the reference and shrinks it above, down to the floor', () => {
    expect(cpuScale(1769, {})).toBe(1);
    expect(cpuScale(884.5, {})).toBeCloseTo(2, 12);
    expect(cpuScale(3538, {})).toBeCloseTo(0.5, 12);
    expect(cpuScale(10_240, {})).toBeCloseTo(1769 / 10_240, 12);
    expect(cpuScale(10_240, { minimumScale: 0.5 })).toBe(0.5);
    expect(cpuScale(10_240, { referenceVcpu: 0.5 })).toBe(1 / 6);
    expect(cpuScale(128, false)).toBe(1);
  });

  it('makes a 2-vCPU reference machine count double', () => {
    expect(cpuScale(1769, { referenceVcpu: 2 })).toBe(2);
  });

  it('never increases with memory and equals reference / vcpu above the floor', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 128, max: 10_240 }),
        fc.integer({ min: 128, max: 10_240 }),
        (a, b) => {
          const [low, high] = a <= b ? [a, b] : [b, a];
          expect(cpuScale(low, {})).toBeGreaterThanOrEqual(cpuScale(high, {}));
          expect(cpuScale(low, {}) * vcpuForMemory(low)).toBeCloseTo(1, 9);
        },
      ),
    );
  });
});
