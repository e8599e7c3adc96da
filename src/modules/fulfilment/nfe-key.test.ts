import { getNfeKeyInfo, isValidNfeKey } from '@brazilian-utils/brazilian-utils';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { accessKeyCheckDigit, documentInKey, parseAccessKey } from './nfe-key.js';

const build = (parts: { uf?: string; aamm?: string; doc: string; model?: string; series?: string; number?: string; tpEmis?: string; code?: string }) => {
  const first = `${parts.uf ?? '35'}${parts.aamm ?? '2612'}${parts.doc}${parts.model ?? '55'}${parts.series ?? '001'}${parts.number ?? '000000123'}${parts.tpEmis ?? '1'}${parts.code ?? '12345678'}`;
  return first + accessKeyCheckDigit(first);
};

describe('NF-e access key', () => {
  it('reads the MOC example key', () => {
    const r = parseAccessKey('35170458716523000119550010000000121000123458');
    expect(r).toEqual({
      value: '35170458716523000119550010000000121000123458',
      key: { stateCode: '35', year: 2017, month: 4, issuerDocument: '58716523000119', model: '55', series: 1, number: 12, emissionType: 1, code: '00012345', checkDigit: 8 },
    });
  });

  it('accepts a key whose issuer has an alphanumeric CNPJ (letters count by code − 48)', () => {
    const key = build({ doc: 'Q0SLFMBD7VX439' });
    const r = parseAccessKey(key);
    expect('key' in r && r.key.issuerDocument).toBe('Q0SLFMBD7VX439');
  });

  it('refuses a wrong check digit, letters where digits must be, a bad state or month, a wrong length', () => {
    const good = build({ doc: '11222333000181' });
    const wrongDv = good.slice(0, 43) + ((Number(good[43]) + 1) % 10);
    expect(parseAccessKey(wrongDv)).toEqual({ problem: expect.stringContaining('check digit') });
    const letterInNumber = build({ doc: '11222333000181', number: '00000012A' });
    expect(parseAccessKey(letterInNumber)).toEqual({ problem: expect.stringContaining('digits everywhere') });
    const letterInCnpjDv = build({ doc: 'Q0SLFMBD7VX43A' });
    expect(parseAccessKey(letterInCnpjDv)).toEqual({ problem: expect.stringContaining('digits everywhere') });
    expect(parseAccessKey(build({ uf: '99', doc: '11222333000181' }))).toEqual({ problem: expect.stringContaining('state code') });
    expect(parseAccessKey(build({ aamm: '2613', doc: '11222333000181' }))).toEqual({ problem: expect.stringContaining('month') });
    expect(parseAccessKey(good.slice(1))).toEqual({ problem: expect.stringContaining('44 characters') });
  });

  it('writes a CPF zero-padded to 14', () => {
    expect(documentInKey('52998224725')).toBe('00052998224725');
    expect(documentInKey('Q0SLFMBD7VX439')).toBe('Q0SLFMBD7VX439');
  });

  it('agrees with @brazilian-utils on numeric keys (check digit and fields)', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('11', '35', '41', '53'),
        fc.integer({ min: 1, max: 12 }),
        fc.stringMatching(/^\d{14}$/),
        fc.integer({ min: 1, max: 999_999_999 }),
        fc.stringMatching(/^\d{8}$/),
        (uf, month, doc, number, code) => {
          const key = build({ uf, aamm: `26${String(month).padStart(2, '0')}`, doc, number: String(number).padStart(9, '0'), code });
          const ours = parseAccessKey(key);
          const theirs = getNfeKeyInfo(key);
          // The library also applies MOC rule B03-10 to cNF (no repeated/sequential codes); ours
          // leaves that to the tax authority that authorised the note.
          if (theirs) expect('key' in ours && ours.key.checkDigit).toBe(theirs.checkDigit);
          expect('key' in ours).toBe(true);
          if (isValidNfeKey(key)) expect('key' in ours).toBe(true);
        },
      ),
      { numRuns: 300 },
    );
  });
});
