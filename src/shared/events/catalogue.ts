/**
 * The one table of domain event types: what each means, which change feed carries it, whether
 * webhooks may subscribe to it, and the facts its `data` holds. A new event type is one row
 * here plus its `recordEvents` call; the feeds,
 * the webhook subscription check and `webhookEventTypes` all read this table.
 */
export type ChangeFeed = 'ORDERS' | 'CATALOG';

export interface EventTypeInfo {
  /** The aggregate the event is about (`aggregateType` of its rows). */
  aggregate: string;
  /** The change feed that carries it (orderChanges / catalogChanges), or null. */
  feed: ChangeFeed | null;
  /** Webhook subscriptions may ask for it. */
  webhook: boolean;
  /** One sentence for integrators. */
  description: string;
  /** The keys of its `data` (what changed; the client fetches the object for the rest). */
  fields: readonly string[];
}

const ORDER_MOVE = ['from', 'to', 'action', 'reason', 'cartNumber'] as const;
const RETURN_MOVE = ['from', 'to', 'action', 'orderId', 'orderCode'] as const;
const TICKET = ['kind', 'status', 'reason', 'orderCode'] as const;

export const EVENT_CATALOGUE = {
  'order.created': { aggregate: 'order', feed: 'ORDERS', webhook: true, description: 'An order was placed (one per seller of a checked-out cart).', fields: ORDER_MOVE },
  'order.payment_confirmed': { aggregate: 'order', feed: 'ORDERS', webhook: true, description: 'The payment of the order was confirmed; fraud analysis follows.', fields: ORDER_MOVE },
  'order.under_review': { aggregate: 'order', feed: 'ORDERS', webhook: true, description: 'The order waits for a manual fraud review.', fields: ORDER_MOVE },
  'order.approved': { aggregate: 'order', feed: 'ORDERS', webhook: true, description: 'Payment and fraud analysis approved the order: the seller may invoice it.', fields: ORDER_MOVE },
  'order.invoiced': { aggregate: 'order', feed: 'ORDERS', webhook: true, description: 'The seller attached the invoice (NF-e).', fields: ORDER_MOVE },
  'order.shipped': { aggregate: 'order', feed: 'ORDERS', webhook: true, description: 'The order left with the carrier.', fields: ORDER_MOVE },
  'order.delivered': { aggregate: 'order', feed: 'ORDERS', webhook: true, description: 'The buyer received the order.', fields: ORDER_MOVE },
  'order.cancelled': { aggregate: 'order', feed: 'ORDERS', webhook: true, description: 'The order was cancelled; `refunded` is what went back to the buyer, in centavos.', fields: [...ORDER_MOVE, 'refunded'] },
  'order.lines_cancelled': { aggregate: 'order', feed: 'ORDERS', webhook: true, description: 'Some units of the order were cancelled (item unavailable).', fields: [...ORDER_MOVE, 'lines', 'refunded'] },
  'order.edited': { aggregate: 'order', feed: 'ORDERS', webhook: true, description: 'The lines of the order were edited before invoicing.', fields: ORDER_MOVE },
  'return.opened': { aggregate: 'return', feed: 'ORDERS', webhook: true, description: 'The buyer or the store opened a return.', fields: RETURN_MOVE },
  'return.approved': { aggregate: 'return', feed: 'ORDERS', webhook: true, description: 'The seller approved the return.', fields: RETURN_MOVE },
  'return.rejected': { aggregate: 'return', feed: 'ORDERS', webhook: true, description: 'The seller rejected the return.', fields: RETURN_MOVE },
  'return.tracking_updated': { aggregate: 'return', feed: 'ORDERS', webhook: true, description: 'The return parcel has (new) tracking.', fields: RETURN_MOVE },
  'return.received': { aggregate: 'return', feed: 'ORDERS', webhook: true, description: 'The seller received the returned items.', fields: RETURN_MOVE },
  'return.refunded': { aggregate: 'return', feed: 'ORDERS', webhook: true, description: 'The return was refunded to the buyer.', fields: RETURN_MOVE },
  'return.exchanged': { aggregate: 'return', feed: 'ORDERS', webhook: true, description: 'The return was settled by an exchange order.', fields: RETURN_MOVE },
  'product.created': { aggregate: 'product', feed: 'CATALOG', webhook: true, description: 'A product was created.', fields: ['code', 'status'] },
  'product.updated': { aggregate: 'product', feed: 'CATALOG', webhook: true, description: 'Fields of a product changed; `changed` names them.', fields: ['code', 'changed'] },
  'product.approved': { aggregate: 'product', feed: 'CATALOG', webhook: true, description: 'Operator staff approved a product waiting for review: it is published.', fields: ['code', 'from', 'to'] },
  'product.rejected': { aggregate: 'product', feed: 'CATALOG', webhook: true, description: 'Operator staff rejected a product waiting for review: it is back to draft, with the reason.', fields: ['code', 'from', 'to', 'reason'] },
  'sku.created': { aggregate: 'sku', feed: 'CATALOG', webhook: true, description: 'A SKU was created.', fields: ['code', 'productId', 'price', 'stock'] },
  'sku.updated': { aggregate: 'sku', feed: 'CATALOG', webhook: true, description: 'Fields of a SKU other than price and stock changed; `changed` names them.', fields: ['code', 'productId', 'changed'] },
  'sku.price_changed': { aggregate: 'sku', feed: 'CATALOG', webhook: true, description: 'The price of a SKU changed (centavos).', fields: ['code', 'productId', 'before', 'after'] },
  'sku.stock_changed': { aggregate: 'sku', feed: 'CATALOG', webhook: true, description: 'The stock of a SKU changed (a seller edit, an import, a sale, a cancellation or a restock).', fields: ['code', 'productId', 'before', 'after'] },
  'payout.created': { aggregate: 'payout', feed: null, webhook: true, description: "A payout of the seller's available receivables was created.", fields: ['periodEnd', 'amount', 'currency', 'runId'] },
  'payout.carried_forward': { aggregate: 'payout', feed: null, webhook: true, description: 'A payout run found nothing to pay (or a debit): the balance carries forward.', fields: ['periodEnd', 'amount', 'currency', 'runId'] },
  'payout.paid': { aggregate: 'payout', feed: null, webhook: true, description: 'The transfer of a payout was confirmed.', fields: ['amount', 'endToEndId'] },
  'payout.failed': { aggregate: 'payout', feed: null, webhook: true, description: 'The transfer of a payout failed; the amount is available again.', fields: ['amount', 'reason'] },
  'adjustment.created': { aggregate: 'adjustment', feed: null, webhook: true, description: "Operator staff booked a manual adjustment on the seller's balance.", fields: ['amount', 'reason'] },
  'chargeback.received': { aggregate: 'order', feed: null, webhook: true, description: 'A chargeback was received on a payment of the order.', fields: ['chargebackId', 'amount', 'bearer'] },
  'chargeback.reversed': { aggregate: 'order', feed: null, webhook: true, description: 'A chargeback dispute was won: the amount is credited back.', fields: ['chargebackId', 'amount'] },
  'ticket.opened': { aggregate: 'ticket', feed: null, webhook: true, description: 'A customer-service (SAC) or support ticket was opened; the aggregate code is its protocol number.', fields: [...TICKET, 'side'] },
  'ticket.message_added': { aggregate: 'ticket', feed: null, webhook: true, description: 'A message was added to a ticket (`reopened` when it reopened a closed one); fetch the ticket for the text.', fields: [...TICKET, 'side', 'messageId', 'reopened'] },
  'ticket.closed': { aggregate: 'ticket', feed: null, webhook: true, description: 'A ticket was closed.', fields: [...TICKET, 'side'] },
} as const satisfies Record<string, EventTypeInfo>;

export type EventType = keyof typeof EVENT_CATALOGUE;

export const eventTypeInfo = (type: string): EventTypeInfo | undefined => (EVENT_CATALOGUE as Record<string, EventTypeInfo>)[type];

/** The event types a change feed carries. */
export function feedTypes(feed: ChangeFeed): string[] {
  return Object.entries(EVENT_CATALOGUE as Record<string, EventTypeInfo>)
    .filter(([, info]) => info.feed === feed)
    .map(([type]) => type);
}

/** The event types webhooks may subscribe to. */
export function webhookTypes(): string[] {
  return Object.entries(EVENT_CATALOGUE as Record<string, EventTypeInfo>)
    .filter(([, info]) => info.webhook)
    .map(([type]) => type);
}
