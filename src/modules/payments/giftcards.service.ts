import { createHash, randomInt } from 'node:crypto';
import { UniqueConstraintViolationException } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { Validation, conflict } from '../../shared/errors/index.js';
import { GiftCard } from './payments.entity.js';

/**
 * Gift cards (payment method "voucher"): stored value spent as tender. A code is a bearer
 * secret, so it is stored only as a hash and shown once, when the card is created.
 */

/** No 0/O, 1/I/L: codes are read aloud and typed from paper. */
const ALPHABET = '23456789ABCDEFGHJKMNPQRSTUVWXYZ';
const GENERATED_LENGTH = 16;
/** Chosen codes must still resist guessing: at least 12 characters (≈ 60 bits from this alphabet). */
const MIN_CODE_LENGTH = 12;
const MAX_CODE_LENGTH = 32;
/** R$ 100.000,00: a typo guard, not a business limit. */
export const MAX_GIFT_CARD_CENTS = 10_000_000;

/** Spaces and dashes are presentation; letters are case-insensitive. */
export function normalizeGiftCardCode(code: string): string {
  return code.replace(/[\s-]/g, '').toUpperCase();
}

export function hashGiftCardCode(code: string): string {
  return createHash('sha256').update(normalizeGiftCardCode(code)).digest('hex');
}

function generateCode(): string {
  const chars = Array.from({ length: GENERATED_LENGTH }, () => ALPHABET[randomInt(ALPHABET.length)]).join('');
  return chars.match(/.{4}/g)!.join('-');
}

/** An active gift card by its code, or null. */
export async function findGiftCardByCode(em: EntityManager, code: string): Promise<GiftCard | null> {
  return em.findOne(GiftCard, { codeHash: hashGiftCardCode(code), active: true });
}

export async function createGiftCard(
  em: EntityManager,
  input: { code?: string | null; amount: number },
): Promise<{ giftCard: GiftCard; code: string }> {
  const v = new Validation();
  const chosen = input.code === undefined || input.code === null ? null : normalizeGiftCardCode(input.code);
  if (chosen !== null) {
    v.check(
      new RegExp(`^[A-Z0-9]{${MIN_CODE_LENGTH},${MAX_CODE_LENGTH}}$`).test(chosen),
      `A gift card code has ${MIN_CODE_LENGTH} to ${MAX_CODE_LENGTH} letters or digits (spaces and dashes are ignored); leave it empty to generate one.`,
      ['input', 'code'],
    );
  }
  v.check(
    Number.isSafeInteger(input.amount) && input.amount > 0 && input.amount <= MAX_GIFT_CARD_CENTS,
    `The amount is a positive number of centavos up to ${MAX_GIFT_CARD_CENTS}.`,
    ['input', 'amount'],
  );
  v.throwIfAny();
  const code = chosen === null ? generateCode() : input.code!.trim();
  const normalized = normalizeGiftCardCode(code);
  if (await em.count(GiftCard, { codeHash: hashGiftCardCode(code) })) throw conflict('A gift card with this code already exists.', 'input', 'code');
  const giftCard = em.create(GiftCard, {
    codeHash: hashGiftCardCode(code),
    last4: normalized.slice(-4),
    initialCents: input.amount,
    balanceCents: input.amount,
    currency: 'BRL',
  });
  try {
    await em.persistAndFlush(giftCard);
  } catch (err) {
    if (err instanceof UniqueConstraintViolationException) throw conflict('A gift card with this code already exists.', 'input', 'code');
    throw err;
  }
  return { giftCard, code };
}
