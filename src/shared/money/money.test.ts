import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { allocate } from './money.js';

describe('allocate (largest remainder)', () => {
  it('always sums to the whole and keeps each part within one unit of its exact share', () => {
    fc.assert(
      fc.property(fc.integer({ min: -10_000_000, max: 10_000_000 }), fc.array(fc.nat({ max: 1_000_000 }), { minLength: 1, maxLength: 12 }), (total, weights) => {
        const parts = allocate(total, weights);
        expect(parts.reduce((a, b) => a + b, 0)).toBe(total);
        const eff = weights.every((w) => w === 0) ? weights.map(() => 1) : weights;
        const sum = eff.reduce((a, b) => a + b, 0);
        parts.forEach((p, i) => expect(Math.abs(p - (total * eff[i]!) / sum)).toBeLessThan(1));
      }),
    );
  });

  it('breaks ties by larger weight, then by earlier part', () => {
    expect(allocate(1, [1, 1, 1])).toEqual([1, 0, 0]);
    expect(allocate(1, [1, 2, 1])).toEqual([0, 1, 0]);
    expect(allocate(5000, [6000, 4000])).toEqual([3000, 2000]);
    expect(allocate(100, [1, 1, 1])).toEqual([34, 33, 33]);
    expect(allocate(0, [0, 0])).toEqual([0, 0]);
    expect(allocate(10, [0, 0])).toEqual([5, 5]);
  });
});
