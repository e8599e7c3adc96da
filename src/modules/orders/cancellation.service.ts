import { LockMode } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Runtime } from '../../app/context.js';
import { conflict } from '../../shared/errors/index.js';
import { money } from '../../shared/money/index.js';
import { enqueueEmail } from '../../shared/outbox/outbox.js';
import { Sku } from '../catalog/catalog.entity.js';
import { LedgerAccount, LedgerEntryKind, postJournal } from '../finance/index.js';
import { PaymentTransaction, releasePayment } from '../payments/index.js';
import { formatBRL } from '../fraud/fraud.analyzer.js';
import { CancellationReason, Order, OrderLine, OrderStatus } from './orders.entity.js';

/** Statuses from which an order can still be cancelled: nothing has left the warehouse. */
const CANCELLABLE: ReadonlySet<OrderStatus> = new Set([OrderStatus.PENDING_PAYMENT, OrderStatus.PENDING_FRAUD_REVIEW, OrderStatus.APPROVED]);

export interface CancelOptions {
  reason: CancellationReason;
  note?: string | null;
  /** Refunds and voids happen once per key (the payment layer stores it). */
  idempotencyKey: string;
  /**
   * False when there is no money to give back: an unpaid transaction that expired (its
   * provider charge is cancelled by the expiry itself).
   */
  releaseMoney?: boolean;
}

/**
 * THE cancellation path: shopper, seller, operator, fraud rejection and payment expiry all
 * come here, so stock, money and the ledger are handled the same way every time.
 * Runs in the caller's transaction. Cancelling a cancelled order returns it unchanged.
 *
 * Order of work: lock the order; give the money back (this order's frozen total, split over
 * the payment parts by the payment layer); then lock the SKUs in primary-key order — the
 * same order checkout uses, so the two can never deadlock — and return the stock; reverse
 * the order's checkout journal; notify the buyer.
 */
export async function cancelOrder(runtime: Runtime, em: EntityManager, orderId: string, opts: CancelOptions): Promise<Order> {
  const order = await em.findOneOrFail(Order, orderId, { lockMode: LockMode.PESSIMISTIC_WRITE, refresh: true });
  if (order.status === OrderStatus.CANCELLED) return order;
  if (!CANCELLABLE.has(order.status)) {
    throw conflict(`Order ${order.code} is ${order.status.toLowerCase().replace(/_/g, ' ')} and can no longer be cancelled.`, 'input', 'orderCode');
  }

  const transaction = await em.findOne(PaymentTransaction, { cartId: order.cartId });
  let refunded = 0;
  if (opts.releaseMoney !== false && transaction && order.totalCents > 0) {
    const released = await releasePayment(runtime, em, transaction.id, money(order.totalCents, order.currency), opts.idempotencyKey);
    // Only money that had actually been taken is a refund in the books; voiding an
    // authorization or reducing a future capture moves nothing.
    refunded = released.parts.filter((p) => p.action === 'REFUND' || p.action === 'GIFT_CARD_CREDIT').reduce((s, p) => s + p.amount.amount, 0);
  }

  const lines = await em.find(OrderLine, { order: order.id }, { orderBy: { position: 'asc' } });
  const quantities = new Map<string, number>();
  for (const line of lines) quantities.set(line.sku.id, (quantities.get(line.sku.id) ?? 0) + line.quantity);
  const skuIds = [...quantities.keys()].sort();
  if (skuIds.length) {
    await em.find(Sku, { id: { $in: skuIds } }, { lockMode: LockMode.PESSIMISTIC_WRITE, orderBy: { id: 'asc' }, fields: ['id'] });
    for (const id of skuIds) {
      await em.getConnection().execute('update "sku" set "stock" = "stock" + ? where "id" = ?', [quantities.get(id)!, id], 'run', em.getTransactionContext());
    }
  }

  const operatorFunded = order.discountCents - order.sellerFundedDiscountCents;
  await postJournal(em, {
    kind: LedgerEntryKind.CANCELLATION,
    reference: `cancel:${order.id}`,
    cartId: order.cartId,
    cartNumber: order.cartNumber,
    orderId: order.id,
    memo: `Order ${order.code} cancelled (${opts.reason}).`,
    lines: [
      { account: LedgerAccount.SELLER_PAYABLE, sellerId: order.seller.id, debit: order.sellerReceivableCents },
      { account: LedgerAccount.COMMISSION_REVENUE, debit: order.commissionCents },
      { account: LedgerAccount.FREIGHT_REVENUE, debit: order.freightCents },
      { account: LedgerAccount.CUSTOMER, credit: order.totalCents },
      { account: LedgerAccount.PROMOTION_EXPENSE, credit: operatorFunded },
    ],
  });
  if (refunded > 0) {
    await postJournal(em, {
      kind: LedgerEntryKind.REFUND,
      reference: `refund:${order.id}:${opts.idempotencyKey}`,
      cartId: order.cartId,
      cartNumber: order.cartNumber,
      orderId: order.id,
      memo: `Refund of order ${order.code}.`,
      lines: [
        { account: LedgerAccount.CUSTOMER, debit: refunded },
        { account: LedgerAccount.PAYMENT_PROVIDER, credit: refunded },
      ],
    });
  }

  order.status = OrderStatus.CANCELLED;
  order.cancelledAt = new Date();
  order.cancellationReason = opts.reason;
  order.cancellationNote = opts.note ?? null;
  enqueueEmail(em, 'order.cancelled', {
    to: order.buyerEmail,
    subject: `Pedido ${order.code} cancelado`,
    text: [
      `Olá, ${order.buyerName}.`,
      '',
      `O pedido ${order.code} foi cancelado (${REASON_TEXT[opts.reason]}).`,
      refunded > 0 ? `Estornamos ${formatBRL(refunded)} pela mesma forma de pagamento.` : 'Nenhum valor foi cobrado por este pedido.',
      '',
      `Itens: ${lines.map((l) => `${l.quantity} × ${l.productName}`).join('; ')}`,
    ].join('\n'),
  });
  await em.flush();
  runtime.logger.info({ order: order.code, reason: opts.reason, refunded }, 'order cancelled');
  return order;
}

const REASON_TEXT: Record<CancellationReason, string> = {
  [CancellationReason.SHOPPER_REQUEST]: 'a seu pedido',
  [CancellationReason.SELLER_REQUEST]: 'pelo vendedor',
  [CancellationReason.OPERATOR_REQUEST]: 'pela loja',
  [CancellationReason.FRAUD_REJECTED]: 'a análise de segurança do pagamento não o aprovou',
  [CancellationReason.PAYMENT_EXPIRED]: 'o pagamento não foi confirmado no prazo',
};
