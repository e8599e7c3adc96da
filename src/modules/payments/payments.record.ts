// Step 2 of the payment transaction (payments.service.ts has step 3): record, inside the
// checkout's database transaction.
import { LockMode } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { ErrorCode, Validation, conflict } from '../../shared/errors/index.js';
import type { Money } from '../../shared/money/index.js';
import { GiftCard, PaymentPartStatus, PaymentTransaction, PaymentTransactionPart, PaymentTransactionStatus } from './payments.entity.js';
import type { PaymentAuthorization } from './payments.authorize.js';
import { settle } from './payments.service.js';

/**
 * Writes the transaction and its parts and debits gift cards under a row lock, so two carts
 * spending one card cannot both succeed. Must run inside the checkout's transaction: the
 * debit and the orders commit or roll back together. The rows join the caller's unit of work
 * (the checkout flushes everything at once). One cart has one transaction: a second is a
 * CONFLICT — looked up unless the caller holds the cart's row lock and saw it still open
 * (`openCartLocked`), since only that cart's checkout creates its transaction; the unique
 * index on the cart id stands behind both.
 */
export async function recordTransaction(
  em: EntityManager,
  input: { cartId: string; cartNumber: string; auth: PaymentAuthorization; total: Money },
  opts: { openCartLocked?: boolean } = {},
): Promise<PaymentTransaction> {
  if (!em.isInTransaction()) throw new Error('recordTransaction writes in the checkout transaction; call it inside em.transactional');
  const { auth, total } = input;
  const sum = auth.parts.reduce((acc, p) => acc + p.amount.amount, 0);
  if (sum !== total.amount || auth.parts.some((p) => p.amount.currency !== total.currency)) {
    throw new Error(`the authorized parts (${sum}) do not pay the total (${total.amount} ${total.currency})`);
  }
  if (!opts.openCartLocked && (await em.count(PaymentTransaction, { cartId: input.cartId }))) throw conflict('This cart already has a payment transaction.');

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
  return transaction;
}
