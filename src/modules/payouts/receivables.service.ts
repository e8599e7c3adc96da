import { LockMode } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { randomUUID } from 'node:crypto';
import { centsFromDb } from '../../shared/money/index.js';
import type { EventConsumer } from '../../shared/events/index.js';
import { getSettings } from '../sellers/index.js';
import { Order, OrderStatus } from '../orders/index.js';
import { LedgerAccount } from '../finance/index.js';
import { Receivable, ReceivableKind, ReceivableStatus } from './receivables.entity.js';
import { availableOnFor, settlementRuleOf, type SettlementRule } from './settlement.js';

/**
 * Receivables follow their orders. The one function that turns an order's facts (status,
 * shipping and delivery dates) into its receivable's state is syncOrderReceivable; the event
 * consumer below calls it as orders move, and a payout run calls it again for the seller's
 * open receivables first, so a lagging consumer can delay a receivable but never pay a wrong one.
 */

const PENDING_ORDER = new Set<OrderStatus>([OrderStatus.PENDING_PAYMENT, OrderStatus.PENDING_FRAUD_REVIEW]);

/** The state an order gives its receivable (PAID and money already settled stay as they are). */
function nextState(order: Order, current: Receivable, rule: SettlementRule): { status: ReceivableStatus; availableOn: string | null } {
  if (current.status === ReceivableStatus.PAID) return { status: ReceivableStatus.PAID, availableOn: current.availableOn ?? null };
  if (order.status === OrderStatus.CANCELLED) {
    // A debit already taken from a payout (a chargeback before the cancellation) keeps it open.
    return current.settledCents === 0 ? { status: ReceivableStatus.CANCELLED, availableOn: null } : { status: current.status, availableOn: current.availableOn ?? null };
  }
  if (PENDING_ORDER.has(order.status)) return { status: ReceivableStatus.PENDING, availableOn: null };
  const computed = availableOnFor(order, rule);
  const kept = current.availableOn ?? null;
  // A date once set never moves later (a settings change or a late delivery cannot take money back from "available").
  const availableOn = kept && computed ? (kept < computed ? kept : computed) : (computed ?? kept);
  return { status: ReceivableStatus.SCHEDULED, availableOn };
}

/**
 * The transaction-scoped lock every change to a seller's receivables and settled amounts takes
 * first (payout runs, failed transfers, the consumer): one lock order — the seller, then its
 * receivable rows — so none of them deadlocks another.
 */
export async function lockSellerPayouts(em: EntityManager, sellerId: string): Promise<void> {
  await em.execute('select pg_advisory_xact_lock(hashtext(?))', [`payouts:seller:${sellerId}`]);
}

/** Creates the order's receivable if missing and brings it in line with the order; returns it locked. */
export async function syncOrderReceivable(em: EntityManager, order: Order, rule: SettlementRule): Promise<Receivable> {
  await lockSellerPayouts(em, order.seller.id);
  // Concurrent creators (the consumer, a payout run) meet on the unique order_id.
  // It dates from its order, so receivables list in the order their orders were placed.
  await em.execute(
    `insert into receivable (id, created_at, updated_at, seller_id, kind, order_id, status, settled_cents)
     values (?, ?, now(), ?, ?, ?, ?, 0) on conflict (order_id) do nothing`,
    [randomUUID(), order.createdAt, order.seller.id, ReceivableKind.ORDER, order.id, ReceivableStatus.PENDING],
  );
  const receivable = await em.findOneOrFail(Receivable, { order: order.id }, { lockMode: LockMode.PESSIMISTIC_WRITE, refresh: true });
  const next = nextState(order, receivable, rule);
  if (next.status !== receivable.status) receivable.status = next.status;
  if (next.availableOn !== (receivable.availableOn ?? null)) receivable.availableOn = next.availableOn;
  // Marks it in step with the order as of now (syncSellerReceivables skips it until the order changes).
  receivable.updatedAt = new Date();
  return receivable;
}

/**
 * Whether an order has a receivable of its own. An exchange's replacement order (design.md)
 * moves no money and creates no receivable: the original order's receivable already pays the
 * seller for those goods, and the replacement's frozen seller share is 0.
 */
export const earnsReceivable = (order: Pick<Order, 'replacesOrderId'>) => !order.replacesOrderId;

/**
 * Brings a seller's receivables up to date with their orders, in the caller's transaction:
 * orders without one, and open ones whose order changed since the receivable was last synced
 * (replacement orders of exchanges have none).
 */
export async function syncSellerReceivables(em: EntityManager, sellerId: string, rule: SettlementRule): Promise<void> {
  const rows = await em.execute<{ id: string }[]>(
    `select o.id from "order" o left join receivable r on r.order_id = o.id
      where o.seller_id = ? and o.replaces_order_id is null and (r.id is null or (r.status in (?, ?) and o.updated_at >= r.updated_at)) order by o.id`,
    [sellerId, ReceivableStatus.PENDING, ReceivableStatus.SCHEDULED],
  );
  if (!rows.length) return;
  const orders = await em.find(Order, { id: { $in: rows.map((r) => r.id) } }, { orderBy: { id: 'asc' } });
  for (const order of orders) await syncOrderReceivable(em, order, rule);
  await em.flush();
}

const ORDER_EVENTS = ['order.created', 'order.payment_confirmed', 'order.under_review', 'order.approved', 'order.invoiced', 'order.shipped', 'order.delivered', 'order.cancelled'] as const;

/**
 * Reads the orders' domain events (after they commit, in commit order) and keeps their
 * receivables in step: created PENDING, SCHEDULED on approval, dated at shipping and
 * delivery, CANCELLED with the order. Each event re-reads the order, so the order of events
 * and a replay do not matter.
 */
export const receivablesConsumer: EventConsumer = {
  name: 'payouts.receivables',
  types: ORDER_EVENTS,
  async handle(em, event) {
    const order = await em.findOne(Order, { id: event.aggregateId });
    if (!order || !earnsReceivable(order)) return;
    await syncOrderReceivable(em, order, settlementRuleOf(await getSettings(em)));
  },
};

export interface ReceivableFigures {
  id: string;
  sellerId: string;
  kind: ReceivableKind;
  status: ReceivableStatus;
  availableOn: string | null;
  orderId: string | null;
  orderCode: string | null;
  cartNumber: string | null;
  adjustmentId: string | null;
  /** Net amount owed for it, from the ledger (orders) or the adjustment. */
  net: number;
  settled: number;
  createdAt: Date;
}

interface FigureRow {
  id: string;
  seller_id: string;
  kind: ReceivableKind;
  status: ReceivableStatus;
  available_on: string | null;
  order_id: string | null;
  order_code: string | null;
  cart_number: string | null;
  adjustment_id: string | null;
  net: string;
  settled: string;
  created_at: Date;
}

/**
 * The figures of receivables, selected by `where` (SQL over `r`, the receivable): the net
 * amount is summed from the ledger's SELLER_PAYABLE lines of the entries naming the order,
 * so it is whatever checkout, cancellations, returns and chargebacks have posted.
 */
export async function receivableFigures(em: EntityManager, where: string, params: unknown[], opts: { forUpdate?: boolean } = {}): Promise<ReceivableFigures[]> {
  const rows = await em.execute<FigureRow[]>(
    `select r.id, r.seller_id, r.kind, r.status, r.available_on::text as available_on, r.order_id, o.code as order_code, o.cart_number,
            r.adjustment_id, r.settled_cents::text as settled, r.created_at,
            (case when r.kind = '${ReceivableKind.ADJUSTMENT}' then a.amount_cents
                  else coalesce((select sum(l.credit - l.debit) from ledger_entry e join ledger_line l on l.entry_id = e.id
                                  where e.order_id = r.order_id and l.account = '${LedgerAccount.SELLER_PAYABLE}' and l.seller_id = r.seller_id), 0) end)::text as net
       from receivable r
       left join "order" o on o.id = r.order_id
       left join seller_adjustment a on a.id = r.adjustment_id
      where ${where}
      order by r.created_at, r.id${opts.forUpdate ? ' for update of r' : ''}`,
    params,
  );
  return rows.map((r) => ({
    id: r.id,
    sellerId: r.seller_id,
    kind: r.kind,
    status: r.status,
    availableOn: r.available_on,
    orderId: r.order_id,
    orderCode: r.order_code,
    cartNumber: r.cart_number,
    adjustmentId: r.adjustment_id,
    net: centsFromDb(r.net),
    settled: centsFromDb(r.settled),
    createdAt: new Date(r.created_at),
  }));
}

/** What is still owed on a receivable: positive, a credit to pay; negative, a debit to take. */
export const outstanding = (r: Pick<ReceivableFigures, 'net' | 'settled'>) => r.net - r.settled;

/** The state shown to people: SCHEDULED from its available date on reads AVAILABLE. */
export type ReceivableState = 'PENDING' | 'SCHEDULED' | 'AVAILABLE' | 'PAID' | 'CANCELLED';

export function stateOf(r: Pick<ReceivableFigures, 'status' | 'availableOn'>, today: string): ReceivableState {
  if (r.status === ReceivableStatus.SCHEDULED && r.availableOn && r.availableOn <= today) return 'AVAILABLE';
  return r.status;
}

/** Whether a receivable's outstanding amount is due in a payout for `periodEnd`. */
export function dueBy(r: ReceivableFigures, periodEnd: string): boolean {
  const out = outstanding(r);
  if (out < 0) return true;
  if (out === 0) return false;
  if (r.status === ReceivableStatus.PAID || r.status === ReceivableStatus.CANCELLED) return true;
  return r.status === ReceivableStatus.SCHEDULED && !!r.availableOn && r.availableOn <= periodEnd;
}
