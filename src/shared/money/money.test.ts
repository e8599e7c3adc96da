import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { allocate } from './money.js';
import { centsFromDb } from './cents.js';

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

describe('centsFromDb (64-bit sums and columns read exactly)', () => {
  it('reads what PostgreSQL returns for bigint columns and numeric sums, exactly', () => {
    expect(centsFromDb('0')).toBe(0);
    expect(centsFromDb('-1990')).toBe(-1990);
    expect(centsFromDb('3148148122')).toBe(3_148_148_122);
    expect(centsFromDb(String(Number.MAX_SAFE_INTEGER))).toBe(Number.MAX_SAFE_INTEGER);
    expect(centsFromDb(`-${Number.MAX_SAFE_INTEGER}`)).toBe(-Number.MAX_SAFE_INTEGER);
    expect(centsFromDb(12n)).toBe(12);
    expect(centsFromDb(42)).toBe(42);
  });

  it('throws rather than round beyond 2^53 − 1 or for anything but whole centavos', () => {
    for (const bad of ['9007199254740992', '-9007199254740992', '99999999999999999999', '12.5', '', 'abc', '1e3']) {
      expect(() => centsFromDb(bad), bad).toThrow(RangeError);
    }
    expect(() => centsFromDb(2 ** 53)).toThrow(RangeError);
    expect(() => centsFromDb(0.5)).toThrow(RangeError);
    expect(() => centsFromDb(2n ** 53n)).toThrow(RangeError);
  });
});
