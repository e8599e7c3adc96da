import type { EntityManager } from '@mikro-orm/postgresql';
import type { Runtime } from '../../shared/runtime/index.js';
import { allocate, centsFromDb } from '../../shared/money/index.js';
import { recordEvents, actorOf, systemActor } from '../../shared/events/index.js';
import { LedgerAccount, LedgerEntryKind, postJournal, type JournalLine } from '../finance/index.js';
import { ChargebackBearer, getSettings } from '../sellers/index.js';
import { Order, OrderStatus } from '../orders/index.js';
import type { ChargebackNotice, PaymentChargebacks } from '../payments/index.js';
import { Chargeback, ChargebackShare, ChargebackSource, ChargebackStatus } from './chargebacks.entity.js';

/**
 * What a chargeback does to the books (wired into payments as PAYMENT_CHARGEBACKS). The
 * amount the issuer took from a payment part is split over the cart's orders by the largest
 * remainder of their unrefunded totals (orders in their cart position: admin seller first,
 * then guest sellers by code), and each share is a CHARGEBACK ledger entry naming its order:
 * Cr PAYMENT_PROVIDER, Dr the bearer — the order's seller's SELLER_PAYABLE by default (its
 * receivable drops; after a payout that is a debit on the next one), or COMMISSION_REVENUE
 * when the store rule says the operator bears it. A won dispute posts the mirror entries.
 */

/**
 * An order's unrefunded total: the total frozen at checkout (its CHECKOUT entry's CUSTOMER
 * debit) less the money given back for it — the PAYMENT_PROVIDER and GIFT_CARD credits of the
 * entries naming it (refunds of cancelled lines, edits and returns, earlier chargebacks); a
 * cancelled order has none left. Not the order's current total: item-unavailable and edits
 * already lower that, and their refunds would then count twice.
 */
async function unrefundedTotals(em: EntityManager, orders: Order[]): Promise<number[]> {
  if (!orders.length) return [];
  const rows = await em.execute<{ order_id: string; frozen: string; back: string }[]>(
    `select e.order_id,
            coalesce(sum(l.debit) filter (where e.kind = ? and l.account = ?), 0)::text as frozen,
            coalesce(sum(l.credit - l.debit) filter (where l.account in (?, ?)), 0)::text as back
       from ledger_entry e join ledger_line l on l.entry_id = e.id
      where e.order_id in (${orders.map(() => '?').join(', ')}) group by e.order_id`,
    [LedgerEntryKind.CHECKOUT, LedgerAccount.CUSTOMER, LedgerAccount.PAYMENT_PROVIDER, LedgerAccount.GIFT_CARD, ...orders.map((o) => o.id)],
  );
  const byOrder = new Map(rows.map((r) => [r.order_id, { frozen: centsFromDb(r.frozen), back: centsFromDb(r.back) }]));
  return orders.map((o) => {
    const f = byOrder.get(o.id);
    return o.status === OrderStatus.CANCELLED || !f ? 0 : Math.max(0, f.frozen - f.back);
  });
}

function bearerLines(bearer: ChargebackBearer, sellerId: string, amount: number, reversal: boolean): JournalLine[] {
  const side = (debit: boolean) => (debit ? { debit: amount } : { credit: amount });
  const borne: JournalLine =
    bearer === ChargebackBearer.SELLER
      ? { account: LedgerAccount.SELLER_PAYABLE, sellerId, ...side(!reversal) }
      : { account: LedgerAccount.COMMISSION_REVENUE, sellerId, ...side(!reversal) };
  return [borne, { account: LedgerAccount.PAYMENT_PROVIDER, ...side(reversal) }];
}

async function chargedBack(_runtime: Runtime, em: EntityManager, n: ChargebackNotice): Promise<void> {
  const settings = await getSettings(em);
  const orders = await em.find(Order, { cartId: n.transaction.cartId }, { orderBy: { position: 'asc' } });
  const weights = await unrefundedTotals(em, orders);
  // Nothing left unrefunded on any order: the money should not have been there; the operator bears it.
  const nothingLeft = weights.every((w) => w === 0);
  const bearer = nothingLeft ? ChargebackBearer.OPERATOR : settings.chargebackBearer;
  const shares = allocate(n.amount, nothingLeft ? orders.map((o) => o.totalCents) : weights);
  const chargeback = em.create(Chargeback, {
    transactionId: n.transaction.id,
    cartId: n.transaction.cartId,
    cartNumber: n.transaction.cartNumber,
    partIndex: n.part.index,
    method: n.part.method,
    provider: n.part.provider ?? null,
    amountCents: n.amount,
    currency: n.transaction.currency,
    bearer,
    status: ChargebackStatus.OPEN,
    source: n.source === 'OPERATOR' ? ChargebackSource.OPERATOR : ChargebackSource.PROVIDER,
    reference: n.reference.slice(0, 250),
    reason: n.reason,
  });
  em.persist(chargeback);
  const actor = n.viewer ? actorOf(n.viewer) : systemActor(`payment provider (${n.part.provider ?? 'unknown'})`);
  for (const [i, order] of orders.entries()) {
    const amount = shares[i]!;
    if (amount === 0) continue;
    em.persist(em.create(ChargebackShare, { chargeback, order, seller: order.seller, amountCents: amount }));
    await postJournal(em, {
      kind: LedgerEntryKind.CHARGEBACK,
      reference: `chargeback:${chargeback.id}:${order.id}`,
      cartId: order.cartId,
      cartNumber: order.cartNumber,
      orderId: order.id,
      currency: n.transaction.currency,
      memo: `Chargeback of cart ${order.cartNumber}, part ${n.part.index + 1} (${n.part.method}): order ${order.code}'s share, borne by the ${bearer.toLowerCase()}.`,
      lines: bearerLines(bearer, order.seller.id, amount, false),
    });
    recordEvents(em, [{ type: 'chargeback.received', aggregate: { type: 'order', id: order.id, code: order.code }, sellerId: order.seller.id, actor, data: { chargebackId: chargeback.id, amount, bearer } }]);
  }
}

async function reversed(runtime: Runtime, em: EntityManager, n: ChargebackNotice): Promise<void> {
  // Only the part's open chargeback: earlier ones of the part were reversed already.
  const chargeback = await em.findOne(Chargeback, { transactionId: n.transaction.id, partIndex: n.part.index, status: ChargebackStatus.OPEN });
  if (!chargeback) {
    runtime.logger.warn({ cartNumber: n.transaction.cartNumber, partIndex: n.part.index }, 'chargeback reversal with no open chargeback recorded; nothing to credit back');
    return;
  }
  chargeback.status = ChargebackStatus.REVERSED;
  chargeback.reversedAt = new Date();
  const shares = await em.find(ChargebackShare, { chargeback: chargeback.id }, { populate: ['order'], orderBy: { order: { position: 'asc' } } });
  const actor = n.viewer ? actorOf(n.viewer) : systemActor(`payment provider (${n.part.provider ?? 'unknown'})`);
  for (const share of shares) {
    const order = share.order.getEntity();
    await postJournal(em, {
      kind: LedgerEntryKind.CHARGEBACK,
      reference: `chargeback-reversal:${chargeback.id}:${order.id}`,
      cartId: order.cartId,
      cartNumber: order.cartNumber,
      orderId: order.id,
      currency: chargeback.currency,
      memo: `Chargeback of cart ${order.cartNumber} reversed (dispute won): order ${order.code}'s share credited back.`,
      lines: bearerLines(chargeback.bearer, share.seller.id, share.amountCents, true),
    });
    recordEvents(em, [{ type: 'chargeback.reversed', aggregate: { type: 'order', id: order.id, code: order.code }, sellerId: share.seller.id, actor, data: { chargebackId: chargeback.id, amount: share.amountCents } }]);
  }
}

/** The reaction src/app wires into payments (PAYMENT_CHARGEBACKS). */
export const payoutChargebacks: PaymentChargebacks = { chargedBack, reversed };
