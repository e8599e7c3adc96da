import 'reflect-metadata';
import { describe, expect, it } from 'vitest';
import { AppError, ErrorCode } from '../../shared/errors/index.js';
import type { ShippingTableRow } from './shipping.types.js';
import { findOverlaps, matchRow, quoteFromTable } from './table-quote.js';

const row = (postalCodeFrom: string, postalCodeTo: string, weightFromGrams: number, weightToGrams: number, priceCents: number, days = 3): ShippingTableRow => ({
  postalCodeFrom,
  postalCodeTo,
  weightFromGrams,
  weightToGrams,
  priceCents,
  days,
});

// Greater São Paulo in two weight bands, Rio in one.
const rows = [row('01000000', '09999999', 0, 1000, 1290), row('01000000', '09999999', 1001, 5000, 1890), row('20000000', '28999999', 0, 5000, 2490, 5)];

describe('quoteFromTable', () => {
  it('includes both ends of the CEP range', () => {
    expect(quoteFromTable(rows, { destinationPostalCode: '01000000', weightGrams: 500 })?.priceCents).toBe(1290);
    expect(quoteFromTable(rows, { destinationPostalCode: '09999999', weightGrams: 500 })?.priceCents).toBe(1290);
    expect(quoteFromTable(rows, { destinationPostalCode: '00999999', weightGrams: 500 })).toBeUndefined();
    expect(quoteFromTable(rows, { destinationPostalCode: '10000000', weightGrams: 500 })).toBeUndefined();
  });

  it('includes both ends of the weight band, so 1000 g pays the "up to 1 kg" price', () => {
    expect(quoteFromTable(rows, { destinationPostalCode: '05000000', weightGrams: 0 })?.priceCents).toBe(1290);
    expect(quoteFromTable(rows, { destinationPostalCode: '05000000', weightGrams: 1000 })?.priceCents).toBe(1290);
    expect(quoteFromTable(rows, { destinationPostalCode: '05000000', weightGrams: 1001 })?.priceCents).toBe(1890);
    expect(quoteFromTable(rows, { destinationPostalCode: '05000000', weightGrams: 5000 })?.priceCents).toBe(1890);
    expect(quoteFromTable(rows, { destinationPostalCode: '05000000', weightGrams: 5001 })).toBeUndefined();
  });

  it('accepts the CEP with a dash and surrounding blanks', () => {
    expect(quoteFromTable(rows, { destinationPostalCode: ' 20040-020 ', weightGrams: 300 })).toMatchObject({ priceCents: 2490, days: 5 });
    expect(quoteFromTable(rows, { destinationPostalCode: '01310-100', weightGrams: 300 })?.priceCents).toBe(1290);
  });

  it('refuses a malformed CEP or weight as bad input instead of reporting "no row"', () => {
    for (const cep of ['1310100', '01310-1000', '01.310-100', 'abcde-fgh', '']) {
      const err = catchError(() => quoteFromTable(rows, { destinationPostalCode: cep, weightGrams: 300 }));
      expect(err).toBeInstanceOf(AppError);
      expect(err).toMatchObject({ code: ErrorCode.BAD_USER_INPUT, errors: [{ field: ['destinationPostalCode'] }] });
    }
    expect(catchError(() => quoteFromTable(rows, { destinationPostalCode: '01310100', weightGrams: 1.5 }))).toMatchObject({ code: ErrorCode.BAD_USER_INPUT });
    expect(catchError(() => quoteFromTable(rows, { destinationPostalCode: '01310100', weightGrams: -1 }))).toMatchObject({ code: ErrorCode.BAD_USER_INPUT });
  });
});

describe('matchRow with overlapping rows', () => {
  it('takes the cheapest, then the fastest, then the earliest row', () => {
    const overlapping = [row('01000000', '01999999', 0, 2000, 1500, 4), row('01300000', '01399999', 0, 1000, 1200, 6), row('01000000', '09999999', 0, 5000, 1200, 2)];
    expect(matchRow(overlapping, '01310100', 500)).toBe(overlapping[2]);
    expect(matchRow(overlapping, '01500000', 500)).toBe(overlapping[2]);
    const tie = [row('01000000', '01999999', 0, 1000, 900, 3), row('01000000', '01999999', 0, 1000, 900, 3)];
    expect(matchRow(tie, '01310100', 500)).toBe(tie[0]);
  });
});

describe('findOverlaps', () => {
  it('finds rows that share CEPs and weights, including a shared edge', () => {
    const table = [
      row('01000000', '01999999', 0, 1000, 1000), // 0
      row('01000000', '01999999', 1000, 2000, 1000), // 1: shares 1000 g with 0
      row('02000000', '02999999', 0, 1000, 1000), // 2: next CEP range, no overlap
      row('01999999', '02000000', 1500, 3000, 1000), // 3: touches 1 (01999999, 1500–2000 g)
    ];
    expect(findOverlaps(table)).toEqual([
      { first: 0, second: 1 },
      { first: 1, second: 3 },
    ]);
  });

  it('finds nothing in a contiguous table written with inclusive ends', () => {
    const table = [row('01000000', '01999999', 0, 1000, 1), row('01000000', '01999999', 1001, 2000, 2), row('02000000', '02999999', 0, 2000, 3)];
    expect(findOverlaps(table)).toEqual([]);
  });
});

function catchError(fn: () => unknown): unknown {
  try {
    fn();
  } catch (err) {
    return err;
  }
  throw new Error('expected an error');
}
