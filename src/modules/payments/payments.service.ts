import { createHash } from 'node:crypto';
import { LockMode, UniqueConstraintViolationException } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Runtime } from '../../shared/runtime/index.js';
import { findById } from '../../shared/db/ids.js';
import { AppError, ErrorCode, Validation, conflict, notFound } from '../../shared/errors/index.js';
import { money, type InstallmentRule, type Money } from '../../shared/money/index.js';
import { findGiftCardByCode } from './giftcards.service.js';
import { GiftCard, PaymentOperation, PaymentOperationKind, PaymentPartStatus, PaymentTransaction, PaymentTransactionPart, PaymentTransactionStatus } from './payments.entity.js';
import { CARD_BRANDS, CardDataRefusedError, PaymentConfigError, ProviderNetworkError, ProviderRejectedError, ProviderTimeoutError, cardToken, type AuthorizeCardInput, type Buyer, type CardBrand, type CardPaymentProvider, type CardTokenKind, type DeclineReason, type PaymentProviderBase, type ProviderName } from './payments.provider.js';
import { runtimePaymentSettings } from './payments.settings.js';
import { splitPayment, splitRefund, type PaymentPartMethod } from './payments.split.js';
import { paymentProviders } from './payments.config.js';

/**
 * The cart's payment transaction, as the checkout and the order cancellation use it:
 * authorize (network, before the checkout's database transaction) → record (inside it) →
 * capture or release (after it, as fraud decides; later for cancellations and refunds).
 */

export interface CheckoutPaymentPart {
  method: PaymentPartMethod;
  amount: Money;
  installments?: number;
  card?: { token: string; brand: CardBrand; tokenKind?: CardTokenKind; bin?: string; last4?: string; holderName?: string };
  /** VOUCHER parts: the gift card's code. */
  giftCardCode?: string;
  /** PIX parts: which of the store's Pix providers (`pixOffered`); the default one when left out. */
  pixProvider?: string;
}

/** One part after authorizePayment: what the provider gave us, and what recordTransaction stores. */
export interface AuthorizedPart {
  index: number;
  method: PaymentPartMethod;
  amount: Money;
  installments: number;
  /** AUTHORIZED: a card authorization, or a gift card whose balance covers the part (debited by recordTransaction). PENDING: waits for the buyer. */
  status: 'AUTHORIZED' | 'PENDING';
  provider: ProviderName | null;
  providerRef: string | null;
  authorizationCode: string | null;
  card: { brand: CardBrand; bin: string | null; last4: string | null } | null;
  pix: { qrCode: string; qrCodeImageBase64: string | null; ticketUrl: string | null; expiresAt: Date } | null;
  deposit: { reference: string; expiresAt: Date } | null;
  giftCard: { id: string; last4: string } | null;
  /** Input path of this part, for errors found later (a gift card emptied meanwhile). */
  field: string[];
}

export interface PaymentAuthorization {
  outcome: 'AUTHORIZED' | 'PENDING';
  parts: AuthorizedPart[];
  /** When unpaid Pix/deposit parts expire; null when nothing waits for the buyer. */
  expiresAt: Date | null;
}

export type ReleaseAction = 'VOID' | 'REFUND' | 'REDUCE_CAPTURE' | 'GIFT_CARD_CREDIT' | 'CANCEL_CHARGE';
export interface ReleaseResult {
  parts: { index: number; method: PaymentPartMethod; amount: Money; action: ReleaseAction }[];
}

const DECLINE_TEXT: Record<DeclineReason, string> = {
  INSUFFICIENT_FUNDS: 'insufficient funds',
  SUSPECTED_FRAUD: 'refused by the issuer as suspected fraud',
  EXPIRED_CARD: 'the card has expired',
  BLOCKED_CARD: 'the card is blocked',
  INVALID_CARD: 'the card data is not valid',
  INVALID_INSTALLMENTS: 'the issuer does not accept this number of installments',
  ISSUER_UNAVAILABLE: 'the issuer did not answer',
  PROCESSING_ERROR: 'the issuer could not process it',
  DO_NOT_HONOR: 'not authorized by the issuer',
};

const TOKEN_KINDS: readonly CardTokenKind[] = ['PAYMENT_TOKEN', 'CARD_TOKEN'];
const DEFAULT_PARTS_FIELD = ['input', 'payment', 'parts'];
export const MAX_IDEMPOTENCY_KEY = 200;

/** Provider keys derived from ours: bounded in length whatever the client sent, distinct per part and purpose. */
export function providerKey(idempotencyKey: string, purpose: string, index: number): string {
  return `${purpose}_${createHash('sha256').update(idempotencyKey).digest('hex').slice(0, 40)}_${index}`;
}

// -------------------------------------------------------------------------------------
// Step 1: authorize (before the checkout's database transaction)

/**
 * Validates the parts (card installments against `installments`, the store's rule that the
 * checkout reads from its settings), checks gift-card balances (read only), authorizes card
 * parts and then creates Pix charges. Cards go first so that a declined card leaves no Pix charge behind;
 * whatever was authorized before a failure is voided before the error is thrown.
 */
export async function authorizePayment(
  runtime: Runtime,
  input: { reference: string; idempotencyKey: string; total: Money; parts: CheckoutPaymentPart[]; buyer: Buyer; field?: string[]; installments?: InstallmentRule },
): Promise<PaymentAuthorization> {
  const base = input.field ?? DEFAULT_PARTS_FIELD;
  if (!input.idempotencyKey || input.idempotencyKey.length > MAX_IDEMPOTENCY_KEY) {
    throw new Error(`authorizePayment needs an idempotency key of 1–${MAX_IDEMPOTENCY_KEY} characters`);
  }
  // The split's problems and the parts' own are reported together, so one round trip shows all of them.
  const v = new Validation();
  let split: ReturnType<typeof splitPayment> = [];
  try {
    split = splitPayment(input.total, input.parts, base, input.installments);
  } catch (err) {
    if (!(err instanceof AppError)) throw err;
    for (const e of err.errors) v.add(e.code, e.message, e.field ?? [...base]);
  }
  v.check(input.total.currency === 'BRL', 'The store takes payments in BRL only.', [...base]);
  const at = (i: number, ...rest: string[]) => [...base, String(i), ...rest];
  input.parts.forEach((part, i) => {
    if (part.method === 'CARD') {
      if (!part.card) {
        v.add(ErrorCode.BAD_USER_INPUT, 'Card parts need the card token from the payment form.', at(i, 'card'));
      } else {
        try {
          cardToken(part.card.token);
        } catch (err) {
          if (!(err instanceof CardDataRefusedError)) throw err;
          v.add(ErrorCode.BAD_USER_INPUT, err.message, at(i, 'card', 'token'));
        }
        v.check(CARD_BRANDS.includes(part.card.brand), `The card brand must be one of ${CARD_BRANDS.join(', ')}.`, at(i, 'card', 'brand'));
        v.check(part.card.tokenKind === undefined || TOKEN_KINDS.includes(part.card.tokenKind), 'Unknown card token kind.', at(i, 'card', 'tokenKind'));
        v.check(part.card.bin === undefined || /^\d{6,8}$/.test(part.card.bin), 'The card BIN is its first 6 to 8 digits.', at(i, 'card', 'bin'));
        v.check(part.card.last4 === undefined || /^\d{4}$/.test(part.card.last4), 'The last four digits of the card, please.', at(i, 'card', 'last4'));
      }
    } else {
      v.check(part.card === undefined, 'Only card parts carry a card.', at(i, 'card'));
    }
    if (part.method === 'PIX') {
      v.check(
        part.pixProvider === undefined || paymentProviders(runtime).pixBy(part.pixProvider) !== undefined,
        `The store takes Pix through ${paymentProviders(runtime).pixOffered.join(' or ')}.`,
        at(i, 'pixProvider'),
      );
    } else {
      v.check(part.pixProvider === undefined, 'Only Pix parts name a Pix provider.', at(i, 'pixProvider'));
    }
    if (part.method === 'VOUCHER') {
      v.check(Boolean(part.giftCardCode?.trim()), 'Enter the gift card code.', at(i, 'giftCardCode'));
    } else {
      v.check(part.giftCardCode === undefined, 'Only gift card parts carry a gift card code.', at(i, 'giftCardCode'));
    }
  });
  v.throwIfAny();

  // Gift cards: read only here; recordTransaction locks and debits them.
  const giftCards = new Map<number, GiftCard>();
  const em = runtime.orm.em.fork();
  for (const [i, part] of input.parts.entries()) {
    if (part.method !== 'VOUCHER') continue;
    const card = await findGiftCardByCode(em, part.giftCardCode!);
    if (!card) v.add(ErrorCode.BAD_USER_INPUT, 'No active gift card has this code.', at(i, 'giftCardCode'));
    else if (card.currency !== part.amount.currency) v.add(ErrorCode.BAD_USER_INPUT, `This gift card holds ${card.currency}.`, at(i, 'giftCardCode'));
    else if (card.balanceCents < part.amount.amount) {
      v.add(ErrorCode.BAD_USER_INPUT, `The gift card ending in ${card.last4} has ${card.balanceCents} centavos left, less than ${part.amount.amount}.`, at(i, 'giftCardCode'));
    } else giftCards.set(i, card);
  }
  v.throwIfAny();

  const settings = runtimePaymentSettings(runtime);
  const now = Date.now();
  const pixExpiresAt = new Date(now + settings.PAYMENT_EXPIRY_MINUTES * 60_000);
  const depositExpiresAt = new Date(now + settings.PAYMENT_DEPOSIT_EXPIRY_MINUTES * 60_000);
  const blank = (i: number): AuthorizedPart => ({
    index: i,
    method: split[i]!.method,
    amount: split[i]!.amount,
    installments: split[i]!.installments,
    status: 'AUTHORIZED',
    provider: null,
    providerRef: null,
    authorizationCode: null,
    card: null,
    pix: null,
    deposit: null,
    giftCard: null,
    field: at(i),
  });
  const parts: AuthorizedPart[] = input.parts.map((_, i) => blank(i));
  const secured: AuthorizedPart[] = [];
  let current = 0;
  /** The card request whose answer we are waiting for: after a time-out its outcome is unknown. */
  let inFlightCard: AuthorizeCardInput | undefined;
  try {
    for (const [i, part] of input.parts.entries()) {
      if (part.method !== 'CARD') continue;
      current = i;
      const card = part.card!;
      const provider = paymentProviders(runtime).card;
      inFlightCard = {
        amount: part.amount,
        installments: split[i]!.installments,
        cardToken: cardToken(card.token),
        tokenKind: card.tokenKind,
        cardBrand: card.brand,
        reference: `${input.reference}-${i + 1}`,
        idempotencyKey: providerKey(input.idempotencyKey, 'auth', i),
        buyer: input.buyer,
      };
      const result = await provider.authorizeCard(inFlightCard);
      inFlightCard = undefined;
      if (result.status === 'DECLINED') {
        const which = input.parts.filter((p) => p.method === 'CARD').length > 1 ? `Card ${i + 1}` : 'The card';
        throw new AppError(ErrorCode.PAYMENT_DECLINED, `${which} was declined: ${DECLINE_TEXT[result.reason]}. Try another card or payment method.`, at(i));
      }
      Object.assign(parts[i]!, {
        provider: provider.name,
        providerRef: result.providerRef,
        authorizationCode: result.authorizationCode ?? null,
        card: { brand: card.brand, bin: card.bin ?? null, last4: card.last4 ?? null },
      });
      secured.push(parts[i]!);
    }
    for (const [i, part] of input.parts.entries()) {
      if (part.method !== 'PIX') continue;
      current = i;
      const provider = part.pixProvider ? paymentProviders(runtime).pixBy(part.pixProvider)! : paymentProviders(runtime).pix;
      const charge = await provider.createPix({
        amount: part.amount,
        reference: `${input.reference}-${i + 1}`,
        idempotencyKey: providerKey(input.idempotencyKey, 'pix', i),
        buyer: input.buyer,
        expiresAt: pixExpiresAt,
      });
      Object.assign(parts[i]!, {
        status: 'PENDING',
        provider: provider.name,
        providerRef: charge.providerRef,
        pix: { qrCode: charge.qrCode, qrCodeImageBase64: charge.qrCodeImageBase64 ?? null, ticketUrl: charge.ticketUrl ?? null, expiresAt: charge.expiresAt },
      });
    }
  } catch (err) {
    await abandonAuthorization(runtime, { outcome: 'AUTHORIZED', parts: secured, expiresAt: null });
    if (err instanceof AppError) throw err;
    if (err instanceof ProviderTimeoutError || err instanceof ProviderNetworkError) {
      runtime.logger.warn({ err, reference: input.reference, part: current }, 'payment provider unavailable at checkout');
      if (inFlightCard) await voidUnknownAuthorization(runtime, inFlightCard);
      throw new AppError(ErrorCode.PAYMENT_UNAVAILABLE, 'The payment provider did not answer in time; nothing was charged. Please try again.', at(current));
    }
    if (err instanceof ProviderRejectedError) {
      // A refusal of the request itself (not a decline) usually means configuration: log it loudly.
      runtime.logger.error({ err, reference: input.reference, part: current }, 'payment provider rejected a checkout request');
      throw new AppError(ErrorCode.PAYMENT_DECLINED, `The payment provider refused this payment: ${err.message}`, at(current));
    }
    throw err;
  }

  for (const [i, part] of input.parts.entries()) {
    if (part.method === 'VOUCHER') {
      const card = giftCards.get(i)!;
      parts[i]!.giftCard = { id: card.id, last4: card.last4 };
    } else if (part.method === 'BANK_DEPOSIT') {
      Object.assign(parts[i]!, { status: 'PENDING', deposit: { reference: depositReference(input.reference, i), expiresAt: depositExpiresAt } });
    }
  }
  const expiries = parts.map((p) => p.pix?.expiresAt ?? p.deposit?.expiresAt).filter((d): d is Date => d !== undefined);
  return {
    outcome: parts.some((p) => p.status === 'PENDING') ? 'PENDING' : 'AUTHORIZED',
    parts,
    expiresAt: expiries.length ? new Date(Math.max(...expiries.map((d) => d.getTime()))) : null,
  };
}

/** What the buyer writes on the deposit: the cart's reference, so the operator finds the cart. */
function depositReference(reference: string, index: number): string {
  return `${reference}-${index + 1}`.slice(0, 60);
}

/**
 * Compensation when the checkout fails after authorizePayment: voids card authorizations.
 * Pix charges cannot be cancelled through the provider interface; the buyer never saw their
 * QR codes (the checkout failed) and they lapse at their expiry. Never throws.
 */
/**
 * A card authorization that timed out may still have happened at the provider, holding the
 * buyer's limit for days while the shopper retries (under a new provider key). Asking again
 * with the SAME idempotency key is safe — providers answer a repeated key with the first
 * outcome (Cielo recovers it by MerchantOrderId) — and tells us what to void. When the
 * provider still cannot answer, the key is logged for reconciliation in its back office.
 */
async function voidUnknownAuthorization(runtime: Runtime, request: AuthorizeCardInput): Promise<void> {
  const provider = paymentProviders(runtime).card;
  try {
    const outcome = await provider.authorizeCard(request);
    if (outcome.status === 'AUTHORIZED') await voidAuthorization(provider, outcome.providerRef, outcome.amount);
  } catch (err) {
    runtime.logger.error(
      { err, provider: provider.name, idempotencyKey: request.idempotencyKey, reference: request.reference },
      'a timed-out card authorization could not be checked; look it up in the provider back office and void it if it exists',
    );
  }
}

export async function abandonAuthorization(runtime: Runtime, auth: PaymentAuthorization): Promise<void> {
  for (const part of auth.parts) {
    if (part.method !== 'CARD' || !part.providerRef || !part.provider) continue;
    try {
      await voidAuthorization(cardProviderFor(runtime, part.provider), part.providerRef, part.amount);
    } catch (err) {
      runtime.logger.error({ err, providerRef: part.providerRef }, 'could not void a card authorization of an abandoned checkout; void it in the provider back office');
    }
  }
}

// -------------------------------------------------------------------------------------
// Step 2: record (inside the checkout's database transaction)

/**
 * Writes the transaction and its parts and debits gift cards under a row lock, so two carts
 * spending one card cannot both succeed. Must run inside the checkout's transaction: the
 * debit and the orders commit or roll back together.
 */
export async function recordTransaction(
  em: EntityManager,
  input: { cartId: string; cartNumber: string; auth: PaymentAuthorization; total: Money },
): Promise<PaymentTransaction> {
  if (!em.isInTransaction()) throw new Error('recordTransaction writes in the checkout transaction; call it inside em.transactional');
  const { auth, total } = input;
  const sum = auth.parts.reduce((acc, p) => acc + p.amount.amount, 0);
  if (sum !== total.amount || auth.parts.some((p) => p.amount.currency !== total.currency)) {
    throw new Error(`the authorized parts (${sum}) do not pay the total (${total.amount} ${total.currency})`);
  }
  if (await em.count(PaymentTransaction, { cartId: input.cartId })) throw conflict('This cart already has a payment transaction.');

  const giftIds = [...new Set(auth.parts.flatMap((p) => (p.giftCard ? [p.giftCard.id] : [])))].sort();
  const cards = giftIds.length
    ? await em.find(GiftCard, { id: { $in: giftIds } }, { lockMode: LockMode.PESSIMISTIC_WRITE, refresh: true, orderBy: { id: 'asc' } })
    : [];
  const v = new Validation();
  for (const part of auth.parts) {
    if (!part.giftCard) continue;
    const card = cards.find((c) => c.id === part.giftCard!.id);
    if (!card || !card.active) {
      v.add(ErrorCode.BAD_USER_INPUT, 'This gift card is no longer active.', [...part.field, 'giftCardCode']);
    } else if (card.balanceCents < part.amount.amount) {
      v.add(ErrorCode.BAD_USER_INPUT, `The gift card ending in ${card.last4} has ${card.balanceCents} centavos left, less than ${part.amount.amount}.`, [
        ...part.field,
        'giftCardCode',
      ]);
    } else {
      card.balanceCents -= part.amount.amount;
    }
  }
  v.throwIfAny();

  const now = new Date();
  const transaction = em.create(PaymentTransaction, {
    cartId: input.cartId,
    cartNumber: input.cartNumber,
    status: PaymentTransactionStatus.PENDING,
    currency: total.currency,
    amountCents: total.amount,
    authorizedCents: auth.parts.filter((p) => p.method === 'CARD').reduce((acc, p) => acc + p.amount.amount, 0),
    expiresAt: auth.expiresAt,
  });
  for (const part of auth.parts) {
    const giftCard = part.giftCard !== null;
    em.create(PaymentTransactionPart, {
      transaction,
      index: part.index,
      method: part.method,
      provider: part.provider,
      providerRef: part.providerRef,
      authorizationCode: part.authorizationCode,
      status: giftCard ? PaymentPartStatus.PAID : part.status === 'PENDING' ? PaymentPartStatus.PENDING : PaymentPartStatus.AUTHORIZED,
      amountCents: part.amount.amount,
      installments: part.installments,
      capturedCents: giftCard ? part.amount.amount : 0,
      cardBrand: part.card?.brand ?? null,
      cardBin: part.card?.bin ?? null,
      cardLast4: part.card?.last4 ?? null,
      pixQrCode: part.pix?.qrCode ?? null,
      pixExpiresAt: part.pix?.expiresAt ?? null,
      depositReference: part.deposit?.reference ?? null,
      giftCard: giftCard ? em.getReference(GiftCard, part.giftCard!.id) : null,
      paidAt: giftCard ? now : null,
    });
  }
  settle(transaction, now);
  await em.flush();
  return transaction;
}

// -------------------------------------------------------------------------------------
// Step 3: capture or release

/**
 * Captures every authorized card part for what is still claimed on it (authorized − released).
 * Idempotent: captured parts are skipped, and a capture the provider already made (a retry
 * after a lost answer) is read back from the provider instead of being refused.
 */
export async function captureTransaction(runtime: Runtime, em: EntityManager, transactionId: string): Promise<PaymentTransaction> {
  return em.transactional(async (tx) => {
    const transaction = await lockTransaction(tx, transactionId);
    if (transaction.status === PaymentTransactionStatus.VOIDED || transaction.status === PaymentTransactionStatus.EXPIRED) {
      throw conflict(`Nothing can be captured: the payment is ${transaction.status.toLowerCase()}.`);
    }
    const now = new Date();
    for (const part of transaction.parts) {
      if (part.method !== 'CARD' || part.status !== PaymentPartStatus.AUTHORIZED) continue;
      const due = part.amountCents - part.releasedCents;
      if (due <= 0) continue;
      part.capturedCents = await captureCard(runtime, part, money(due, transaction.currency));
      part.status = PaymentPartStatus.PAID;
      part.paidAt = now;
    }
    settle(transaction, now);
    return transaction;
  });
}

/**
 * Gives `amount` back from the transaction: split over the parts by what each has left
 * (largest remainder), each part the way its state allows — an uncaptured authorization is
 * reduced (voided when nothing is left), a captured one refunded through its provider, an
 * unpaid charge cancelled, a gift card re-credited. Refuses to release more than is left.
 * The same idempotency key returns the first result and moves nothing again.
 */
export async function releasePayment(runtime: Runtime, em: EntityManager, transactionId: string, amount: Money, idempotencyKey: string): Promise<ReleaseResult> {
  if (!idempotencyKey || idempotencyKey.length > MAX_IDEMPOTENCY_KEY) {
    throw new AppError(ErrorCode.BAD_USER_INPUT, `The idempotency key must have 1 to ${MAX_IDEMPOTENCY_KEY} characters.`, ['input', 'idempotencyKey']);
  }
  if (!Number.isSafeInteger(amount.amount) || amount.amount <= 0) throw new AppError(ErrorCode.BAD_USER_INPUT, 'The amount to give back must be a positive number of centavos.');
  try {
    return await em.transactional(async (tx) => {
      const transaction = await lockTransaction(tx, transactionId);
      const request = `${transaction.id}:${amount.amount}:${amount.currency}`;
      const prior = await tx.findOne(PaymentOperation, { idempotencyKey });
      if (prior) {
        if (prior.kind !== PaymentOperationKind.RELEASE || prior.request !== request) {
          throw conflict('This idempotency key was already used for another request.', 'input', 'idempotencyKey');
        }
        return prior.result as ReleaseResult;
      }
      if (amount.currency !== transaction.currency) throw new AppError(ErrorCode.BAD_USER_INPUT, `The payment is in ${transaction.currency}.`);
      const result = await releaseParts(runtime, tx, transaction, amount, idempotencyKey, { expiring: false });
      tx.persist(tx.create(PaymentOperation, { idempotencyKey, kind: PaymentOperationKind.RELEASE, transaction, request, result }));
      return result;
    });
  } catch (err) {
    // The same key sent twice at once: one wins, the other sees the key taken.
    if (err instanceof UniqueConstraintViolationException) throw conflict('This idempotency key is being used by another request; retry it.', 'input', 'idempotencyKey');
    throw err;
  }
}

/** Left to give back on a part: neither released before capture nor refunded after it. */
export const leftOf = (p: PaymentTransactionPart) => p.amountCents - p.releasedCents - p.refundedCents;

/**
 * The release itself, on a locked transaction. `expiring` releases pending charges as
 * EXPIRED rather than VOIDED. Provider calls use keys derived from `key` and the part, so
 * a retry after a failure half-way repeats nothing the provider already did.
 */
export async function releaseParts(
  runtime: Runtime,
  em: EntityManager,
  transaction: PaymentTransaction,
  amount: Money,
  key: string,
  opts: { expiring: boolean },
): Promise<ReleaseResult> {
  const parts = transaction.parts.getItems();
  const left = parts.reduce((acc, p) => acc + leftOf(p), 0);
  if (amount.amount > left) {
    throw conflict(`Only ${left} centavos of this payment are left to give back; ${amount.amount} were asked.`);
  }
  const shares = splitRefund(amount, parts.map((p) => money(leftOf(p), transaction.currency)));
  const now = new Date();
  const result: ReleaseResult = { parts: [] };
  for (const [i, part] of parts.entries()) {
    const share = shares[i]!.amount;
    if (share === 0) continue;
    const action = await releasePart(runtime, em, part, share, transaction.currency, key, opts);
    result.parts.push({ index: part.index, method: part.method, amount: money(share, transaction.currency), action });
  }
  settle(transaction, now);
  return result;
}

async function releasePart(
  runtime: Runtime,
  em: EntityManager,
  part: PaymentTransactionPart,
  share: number,
  currency: string,
  key: string,
  opts: { expiring: boolean },
): Promise<ReleaseAction> {
  const captured = part.capturedCents > 0;
  if (part.method === 'VOUCHER') {
    const card = await em.findOneOrFail(GiftCard, { id: part.giftCard!.id }, { lockMode: LockMode.PESSIMISTIC_WRITE, refresh: true });
    card.balanceCents += share;
    addRefund(part, share);
    return 'GIFT_CARD_CREDIT';
  }
  if (captured) {
    if (part.method !== 'BANK_DEPOSIT') {
      await refundThroughProvider(runtime, part, money(share, currency), providerKey(key, 'refund', part.index));
    } else {
      // Deposits have no provider: the operator returns the money by bank transfer; the record says what is owed.
      runtime.logger.info({ partId: part.id, amount: share }, 'bank deposit refund recorded; the operator returns it by transfer');
    }
    addRefund(part, share);
    return 'REFUND';
  }
  // Nothing captured yet: give up the claim instead of moving money.
  part.releasedCents += share;
  const whole = part.releasedCents === part.amountCents;
  if (part.method === 'CARD') {
    if (!whole) return 'REDUCE_CAPTURE';
    await voidOrFail(runtime, part, currency);
    part.status = PaymentPartStatus.VOIDED;
    return 'VOID';
  }
  // Pix and deposits waiting for the buyer. A Pix QR code cannot change its amount: if it is
  // paid anyway, the released part is refunded when the payment arrives (see applyPaymentEvent).
  if (!whole) return 'REDUCE_CAPTURE';
  part.status = opts.expiring ? PaymentPartStatus.EXPIRED : PaymentPartStatus.VOIDED;
  return 'CANCEL_CHARGE';
}

function addRefund(part: PaymentTransactionPart, amount: number): void {
  part.refundedCents += amount;
  part.status = part.refundedCents >= part.capturedCents ? PaymentPartStatus.REFUNDED : PaymentPartStatus.PARTIALLY_REFUNDED;
}

// -------------------------------------------------------------------------------------
// Shared by the webhook, deposit confirmation and expiry paths

/** The transaction row locked FOR UPDATE, re-read, with its parts; NOT_FOUND for an unknown or malformed id. */
export async function lockTransaction(em: EntityManager, id: string): Promise<PaymentTransaction> {
  const transaction = await findById(em, PaymentTransaction, id, { options: { lockMode: LockMode.PESSIMISTIC_WRITE, refresh: true } });
  if (!transaction) throw notFound('No payment transaction has this id.');
  await transaction.parts.init({ refresh: true, orderBy: { index: 'asc' } });
  return transaction;
}

/** Recomputes the transaction's totals from its parts and its status from theirs (EXPIRED stays EXPIRED). */
export function settle(transaction: PaymentTransaction, now: Date): void {
  const parts = transaction.parts.getItems();
  const total = (f: (p: PaymentTransactionPart) => number) => parts.reduce((acc, p) => acc + f(p), 0);
  transaction.capturedCents = total((p) => p.capturedCents);
  transaction.releasedCents = total((p) => p.releasedCents);
  transaction.refundedCents = total((p) => p.refundedCents);
  transaction.chargedBackCents = total((p) => p.chargedBackCents);
  if (transaction.status === PaymentTransactionStatus.EXPIRED) return;
  const S = PaymentTransactionStatus;
  let status: PaymentTransactionStatus;
  if (parts.some((p) => p.status === PaymentPartStatus.PENDING)) status = S.PENDING;
  else if (parts.some((p) => p.status === PaymentPartStatus.AUTHORIZED)) status = S.AUTHORIZED;
  else if (transaction.capturedCents === 0) status = S.VOIDED;
  else if (transaction.refundedCents === 0) status = S.PAID;
  else if (transaction.refundedCents >= transaction.capturedCents) status = S.REFUNDED;
  else status = S.PARTIALLY_REFUNDED;
  transaction.status = status;
  if (status !== S.PENDING) transaction.expiresAt = null;
  if (status === S.PAID && !transaction.paidAt) transaction.paidAt = now;
}

export function providerFor(runtime: Runtime, name: string): PaymentProviderBase {
  const provider = paymentProviders(runtime).forWebhook(name);
  if (!provider) throw new PaymentConfigError(`payment provider "${name}" holds a payment but is not configured in this process`);
  return provider;
}

function cardProviderFor(runtime: Runtime, name: string): CardPaymentProvider {
  const provider = providerFor(runtime, name);
  if (!('captureCard' in provider && 'voidCard' in provider)) throw new PaymentConfigError(`payment provider "${name}" does not take cards`);
  return provider as CardPaymentProvider;
}

/** Provider trouble while moving money after checkout: retrying with the same key is safe. */
function unavailable(runtime: Runtime, err: unknown, what: string): never {
  if (err instanceof AppError) throw err;
  if (err instanceof ProviderTimeoutError || err instanceof ProviderNetworkError) {
    runtime.logger.warn({ err }, `payment provider unavailable: ${what}`);
    throw new AppError(ErrorCode.PAYMENT_UNAVAILABLE, `The payment provider did not answer (${what}); nothing was recorded. Try again with the same idempotency key.`);
  }
  if (err instanceof ProviderRejectedError) {
    runtime.logger.error({ err }, `payment provider refused: ${what}`);
    throw conflict(`The payment provider refused to ${what}: ${err.message}`);
  }
  throw err;
}

async function captureCard(runtime: Runtime, part: PaymentTransactionPart, amount: Money): Promise<number> {
  const provider = cardProviderFor(runtime, part.provider!);
  try {
    return (await provider.captureCard({ providerRef: part.providerRef!, amount })).amount.amount;
  } catch (err) {
    if (err instanceof ProviderRejectedError && err.code === 'ALREADY_CAPTURED') {
      // A previous attempt captured and its answer was lost (or its transaction rolled back).
      return (await provider.getPayment(part.providerRef!)).captured.amount;
    }
    return unavailable(runtime, err, `capture card part ${part.index + 1}`);
  }
}

async function voidAuthorization(provider: CardPaymentProvider, providerRef: string, amount: Money): Promise<void> {
  try {
    await provider.voidCard({ providerRef, amount });
  } catch (err) {
    // Voided by an earlier attempt whose answer was lost: the provider's state says so.
    if (err instanceof ProviderRejectedError && err.code === 'NOT_VOIDABLE') {
      const snapshot = await provider.getPayment(providerRef);
      if (snapshot.state === 'CANCELLED') return;
    }
    throw err;
  }
}

export async function refundThroughProvider(runtime: Runtime, part: PaymentTransactionPart, amount: Money, key: string): Promise<void> {
  const provider = providerFor(runtime, part.provider!);
  try {
    await provider.refund({ providerRef: part.providerRef!, method: part.method === 'CARD' ? 'CARD' : 'PIX', amount, idempotencyKey: key });
  } catch (err) {
    unavailable(runtime, err, `refund part ${part.index + 1}`);
  }
}

/** Void errors surface like the others once reconciliation could not explain them. */
export async function voidOrFail(runtime: Runtime, part: PaymentTransactionPart, currency: string): Promise<void> {
  try {
    await voidAuthorization(cardProviderFor(runtime, part.provider!), part.providerRef!, money(part.amountCents, currency));
  } catch (err) {
    unavailable(runtime, err, `void card part ${part.index + 1}`);
  }
}
