import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { centsToDecimalString, decimalToCents } from './decimal.js';

describe('centavos ↔ decimal reais', () => {
  it('round-trips every amount from 0 to 10^10 centavos, as text and through a JSON number', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10_000_000_000 }), (cents) => {
        const text = centsToDecimalString(cents);
        expect(text).toMatch(/^\d+\.\d{2}$/);
        expect(decimalToCents(text)).toBe(cents);
        // What a provider's JSON number becomes after JSON.parse on our side.
        expect(decimalToCents(JSON.parse(text) as number)).toBe(cents);
      }),
      { numRuns: 2000 },
    );
  });

  it('writes the exact decimal, never a float artefact', () => {
    expect(centsToDecimalString(1999)).toBe('19.99');
    expect(centsToDecimalString(5)).toBe('0.05');
    expect(centsToDecimalString(0)).toBe('0.00');
    expect(centsToDecimalString(100)).toBe('1.00');
    expect(centsToDecimalString(10_000_000_000)).toBe('100000000.00');
    expect(centsToDecimalString(-1999)).toBe('-19.99');
    // 19.99 * 100 is 1998.9999999999998 in floating point; the parser never multiplies decimals.
    expect(decimalToCents(19.99)).toBe(1999);
    expect(decimalToCents('19.9')).toBe(1990);
    expect(decimalToCents(20)).toBe(2000);
  });

  it('refuses fractions of a centavo and anything that is not an amount', () => {
    expect(() => decimalToCents('1.999')).toThrow();
    expect(() => decimalToCents(0.001)).toThrow();
    // Float arithmetic done by someone upstream (0.30000000000000004) is refused, not rounded.
    expect(() => decimalToCents(0.1 + 0.2)).toThrow();
    expect(() => decimalToCents('abc')).toThrow();
    expect(() => decimalToCents(Number.NaN)).toThrow();
    expect(() => decimalToCents(1e21)).toThrow();
    expect(() => centsToDecimalString(1.5)).toThrow();
  });
});
