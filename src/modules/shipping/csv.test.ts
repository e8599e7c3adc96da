import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseShippingTableCsv } from './csv.js';
import { parseDecimalToCents } from './parse.js';

describe('parseShippingTableCsv', () => {
  it('reads a table, normalising CEPs and converting reais exactly', () => {
    const csv = [
      'cep_from,cep_to,weight_from_g,weight_to_g,price,days',
      '01000-000,05999-999,0,1000,"12,90",3',
      '01000000,05999999,1001,5000,12.90,4',
      '20000-000,28999-999,0,5000,7,6',
      '29000-000,29999-999,0,5000,0.29,6',
    ].join('\n');
    const { rows, errors } = parseShippingTableCsv(csv);
    expect(errors).toEqual([]);
    expect(rows).toEqual([
      { line: 2, postalCodeFrom: '01000000', postalCodeTo: '05999999', weightFromGrams: 0, weightToGrams: 1000, priceCents: 1290, days: 3 },
      { line: 3, postalCodeFrom: '01000000', postalCodeTo: '05999999', weightFromGrams: 1001, weightToGrams: 5000, priceCents: 1290, days: 4 },
      { line: 4, postalCodeFrom: '20000000', postalCodeTo: '28999999', weightFromGrams: 0, weightToGrams: 5000, priceCents: 700, days: 6 },
      // 0.29 * 100 is 28.999999999999996 in floating point; the digits give 29.
      { line: 5, postalCodeFrom: '29000000', postalCodeTo: '29999999', weightFromGrams: 0, weightToGrams: 5000, priceCents: 29, days: 6 },
    ]);
  });

  it('reads a ";" file as a Brazilian spreadsheet writes it, with CRLF, a BOM and columns in another order', () => {
    const csv = '\uFEFFprice;days;cep_from;cep_to;weight_from_g;weight_to_g\r\n12,90;3;01000-000;05999-999;0;1000\r\n;;;;;\r\n';
    expect(parseShippingTableCsv(csv)).toEqual({
      rows: [{ line: 2, postalCodeFrom: '01000000', postalCodeTo: '05999999', weightFromGrams: 0, weightToGrams: 1000, priceCents: 1290, days: 3 }],
      errors: [],
    });
  });

  it('reads whole centavos from a price_cents column', () => {
    const { rows, errors } = parseShippingTableCsv('cep_from,cep_to,weight_from_g,weight_to_g,price_cents,days\n01000000,01999999,0,1000,1290,2');
    expect(errors).toEqual([]);
    expect(rows[0]?.priceCents).toBe(1290);
    expect(parseShippingTableCsv('cep_from,cep_to,weight_from_g,weight_to_g,price_cents,days\n01000000,01999999,0,1000,12.90,2').errors).toEqual([
      { line: 2, column: 'price_cents', message: 'price_cents "12.90" is not a whole number of centavos.' },
    ]);
  });

  it('reports every bad line with its exact line number and keeps the good ones', () => {
    const csv = [
      'cep_from,cep_to,weight_from_g,weight_to_g,price,days', // 1
      '01000-000,01999-999,0,1000,"12,90",3', // 2 ok
      '', // 3 blank, skipped but counted
      '0200-000,02999-999,0,1000,10.00,3', // 4 short CEP
      '03000-000,03999-999,0,1000,12,90,3', // 5 unquoted decimal comma → 7 fields
      '04000-000,04999-999,0,1000,12.345,3', // 6 three decimals
      '05000-000,05999-999,2000,1000,1.234,x', // 7 band upside down is not reached: price and days are bad
      '06999-999,06000-000,0,1000,9,2', // 8 range upside down
      '07000-000,07999-999,0,1000,"9,90,2', // 9 unclosed quote
      '08000-000,08999-999,0,1000,-5,2', // 10 negative price
      '09000-000,09999-999,0,1000,9', // 11 a field missing
      '09000-000,09999-999,0,1000,"R$ 9",2', // 12 currency sign
      '09000-000,09999-999,0,1000.5,9,2', // 13 fractional grams
    ].join('\n');
    const { rows, errors } = parseShippingTableCsv(csv);
    expect(rows.map((r) => r.line)).toEqual([2]);
    expect(errors.map((e) => [e.line, e.column])).toEqual([
      [4, 'cep_from'],
      [5, undefined],
      [6, 'price'],
      [7, 'price'],
      [7, 'days'],
      [8, undefined],
      [9, undefined],
      [10, 'price'],
      [11, undefined],
      [12, 'price'],
      [13, 'weight_to_g'],
    ]);
    expect(errors.find((e) => e.line === 5)?.message).toBe(
      'Expected 6 fields, found 7. A price with a decimal comma must be quoted ("12,90"), or the file separated by ";".',
    );
    expect(errors.find((e) => e.line === 8)?.message).toBe('cep_from 06999-999 is after cep_to 06000-000.');
  });

  it('reports overlapping rows on the later line, naming the earlier one', () => {
    const csv = [
      'cep_from;cep_to;weight_from_g;weight_to_g;price;days',
      '01000-000;01999-999;0;1000;10;3', // 2
      '02000-000;02999-999;0;1000;10;3', // 3
      '01000-000;01999-999;1000;2000;15;3', // 4: shares 1000 g with line 2
      '01500-000;02500-000;1500;1800;15;3', // 5: inside line 4's range and band
    ].join('\n');
    expect(parseShippingTableCsv(csv).errors).toEqual([
      { line: 4, message: 'Overlaps line 2: both price the same CEPs and weights.' },
      { line: 5, message: 'Overlaps line 4: both price the same CEPs and weights.' },
    ]);
  });

  it('refuses a bad header on its line', () => {
    expect(parseShippingTableCsv('\n\ncep_from,cep_to,weight_from,weight_to_g,price,days\n').errors).toEqual([
      { line: 3, message: 'Unknown column "weight_from".' },
      { line: 3, column: 'weight_from_g', message: 'Missing column "weight_from_g".' },
    ]);
    expect(parseShippingTableCsv('cep_from,cep_to,weight_from_g,weight_to_g,price,price_cents,days').errors).toEqual([
      { line: 1, message: 'Give either "price" (reais) or "price_cents", not both.' },
    ]);
    expect(parseShippingTableCsv('').errors).toEqual([{ line: 1, message: 'The file is empty; expected a header line.' }]);
  });
});

describe('parseDecimalToCents', () => {
  it('converts every amount with two decimals exactly, with a comma or a point', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 9_999_999_999_999 }), fc.constantFrom(',', '.'), (cents, sep) => {
        const text = `${Math.floor(cents / 100)}${sep}${String(cents % 100).padStart(2, '0')}`;
        expect(parseDecimalToCents(text)).toBe(cents);
      }),
    );
  });

  it('reads one decimal and none as tenths and whole reais', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 99_999_999_999 }), fc.integer({ min: 0, max: 9 }), (reais, tenth) => {
        expect(parseDecimalToCents(`${reais},${tenth}`)).toBe(reais * 100 + tenth * 10);
        expect(parseDecimalToCents(`${reais}`)).toBe(reais * 100);
      }),
    );
  });

  it('refuses what it would have to guess', () => {
    for (const text of ['12,345', '1.234,56', '1,234.56', '-1', '', ',90', '12.', 'R$ 12', '1e3', '12 90']) expect(parseDecimalToCents(text)).toBeUndefined();
  });
});
