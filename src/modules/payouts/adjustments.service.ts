import type { EntityManager } from '@mikro-orm/postgresql';
import type { Context } from '../../shared/runtime/index.js';
import { assertMay } from '../../shared/access/index.js';
import { IDEMPOTENCY_KEY_RE, Validation, conflict, notFound } from '../../shared/errors/index.js';
import { findById } from '../../shared/db/ids.js';
import { actorOf, recordEvents } from '../../shared/events/index.js';
import { paginate, type ConnectionArgs } from '../../shared/pagination/index.js';
import { LedgerAccount, LedgerEntryKind, postJournal } from '../finance/index.js';
import { Seller, getSettings } from '../sellers/index.js';
import { PAYOUTS_ACCESS } from './payouts.access.js';
import { Receivable, ReceivableKind, ReceivableStatus, SellerAdjustment } from './receivables.entity.js';
import { sellerOrAll, today } from './scope.js';

export interface AdjustmentInput {
  sellerId: string;
  /** Centavos: positive credits the seller, negative debits it. */
  amount: number;
  reason: string;
  idempotencyKey: string;
}

/**
 * Operator staff credit or debit a seller with a reason the seller sees. One transaction:
 * the adjustment, its receivable (available at once: a credit is paid on the next payout, a
 * debit taken from it) and the ledger ADJUSTMENT entry — Cr SELLER_PAYABLE / Dr
 * COMMISSION_REVENUE for a credit (the operator's cost), the reverse for a debit. The same
 * key returns the same adjustment; with another request it is a CONFLICT.
 */
export async function createAdjustment(ctx: Context, em: EntityManager, input: AdjustmentInput): Promise<SellerAdjustment> {
  assertMay(ctx.viewer, PAYOUTS_ACCESS.adjust);
  const v = new Validation();
  v.check(Number.isSafeInteger(input.amount) && input.amount !== 0, 'The amount is a non-zero number of centavos: positive credits the seller, negative debits it.', ['input', 'amount']);
  const reason = input.reason.trim();
  v.check(reason.length >= 3 && reason.length <= 500 && !reason.includes('\u0000'), 'Give a reason of 3 to 500 characters; the seller sees it.', ['input', 'reason']);
  v.check(IDEMPOTENCY_KEY_RE.test(input.idempotencyKey), 'The idempotency key must be 8 to 200 letters, digits or . _ : -; send a fresh random one for each new request.', ['input', 'idempotencyKey']);
  v.throwIfAny();
  const seller = await findById(em, Seller, input.sellerId);
  if (!seller) throw notFound('No seller has this id.', 'input', 'sellerId');
  const prior = await em.findOne(SellerAdjustment, { idempotencyKey: input.idempotencyKey });
  if (prior) {
    if (prior.seller.id !== seller.id || prior.amountCents !== input.amount || prior.reason !== reason) throw conflict('This idempotency key was already used for another adjustment.', 'input', 'idempotencyKey');
    return prior;
  }
  if (seller.isAdmin) throw conflict('The admin seller is the operator itself; it has no payouts to adjust.', 'input', 'sellerId');
  const settings = await getSettings(em);
  const adjustment = em.create(SellerAdjustment, {
    seller,
    amountCents: input.amount,
    currency: settings.currency,
    reason,
    idempotencyKey: input.idempotencyKey,
    createdById: ctx.viewer.kind === 'OPERATOR' ? ctx.viewer.user.id : null,
  });
  em.persist(adjustment);
  em.persist(em.create(Receivable, { seller, kind: ReceivableKind.ADJUSTMENT, adjustment, status: ReceivableStatus.SCHEDULED, availableOn: today(settings) }));
  await em.flush();
  const credit = input.amount > 0;
  const amount = Math.abs(input.amount);
  await postJournal(em, {
    kind: LedgerEntryKind.ADJUSTMENT,
    reference: `adjustment:${adjustment.id}`,
    memo: `${credit ? 'Credit to' : 'Debit from'} ${seller.name}: ${reason}`,
    currency: settings.currency,
    lines: [
      { account: LedgerAccount.SELLER_PAYABLE, sellerId: seller.id, ...(credit ? { credit: amount } : { debit: amount }) },
      { account: LedgerAccount.COMMISSION_REVENUE, sellerId: seller.id, ...(credit ? { debit: amount } : { credit: amount }) },
    ],
  });
  recordEvents(em, [{ type: 'adjustment.created', aggregate: { type: 'adjustment', id: adjustment.id }, sellerId: seller.id, actor: actorOf(ctx.viewer), data: { amount: input.amount, reason } }]);
  return adjustment;
}

/** A seller's adjustments, oldest first (the seller's own; operator staff any seller's or all). */
export async function listAdjustments(ctx: Context, requested: string | null | undefined, args: ConnectionArgs) {
  const sellerId = await sellerOrAll(ctx, PAYOUTS_ACCESS.readPayouts, requested);
  return paginate(ctx.em, SellerAdjustment, sellerId ? { seller: sellerId } : {}, args, { createdAt: 'asc' });
}
