import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CardDataRefusedError, cardToken, looksLikeCardNumber } from './payments.provider.js';

/** Appends the Luhn check digit to `body`, giving a well-formed card number. */
function withCheckDigit(body: string): string {
  let sum = 0;
  for (let i = 0; i < body.length; i++) {
    let d = Number(body[body.length - 1 - i]);
    if (i % 2 === 0) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return body + String((10 - (sum % 10)) % 10);
}

describe('card tokens never carry a card number', () => {
  it('refuses card numbers in any usual spelling, with or without a valid check digit', () => {
    for (const pan of ['4111111111111111', '4111 1111 1111 1111', '4111-1111-1111-1111', '4111.1111.1111.1112', '5555555555554444', '3782822463100050000', '4222222222222'])
      expect(() => cardToken(pan)).toThrow(CardDataRefusedError);
  });

  it('refuses a token that wraps a card number', () => {
    expect(() => cardToken('tok_4111111111111111')).toThrow(CardDataRefusedError);
    expect(() => cardToken('card:5555555555554444:x')).toThrow(CardDataRefusedError);
  });

  it('refuses every well-formed 13–19 digit card number (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 12, max: 18 }).chain((len) => fc.stringMatching(new RegExp(`^[1-9]\\d{${len - 1}}$`))), (body) => {
        const pan = withCheckDigit(body);
        expect(looksLikeCardNumber(pan)).toBe(true);
        expect(looksLikeCardNumber(`tok_${pan}`)).toBe(true);
      }),
    );
  });

  it('accepts provider tokens: GUIDs (Cielo), tok_… (sandbox), hex', () => {
    fc.assert(
      fc.property(fc.uuid(), (guid) => {
        expect(cardToken(guid)).toBe(guid);
      }),
    );
    expect(cardToken('tok_approve')).toBe('tok_approve');
    expect(cardToken('ff0a4b9c3e1d2f7a8b6c5d4e3f2a1b0c')).toBe('ff0a4b9c3e1d2f7a8b6c5d4e3f2a1b0c');
  });

  it('refuses empty and odd-looking values without echoing them', () => {
    expect(() => cardToken('')).toThrow(CardDataRefusedError);
    expect(() => cardToken('tok with spaces')).toThrow(CardDataRefusedError);
    try {
      cardToken('4111111111111111');
    } catch (error) {
      expect(String(error)).not.toContain('4111');
    }
  });
});
