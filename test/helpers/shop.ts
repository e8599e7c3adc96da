import { randomUUID } from 'node:crypto';
import { expect } from 'vitest';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { TestApp } from './app.js';
import type { Factory } from './factories.js';
import { AddCartLineDocument, ApplyVoucherDocument, CartTestShippingTableDocument, CoCancelOrderDocument, CoCheckoutDocument, CreateCartDocument, SetBuyerDocument, SetShippingAddressDocument, type PaymentPartInput } from '../generated/graphql.js';
import { UserRole, type Viewer } from '../../src/shared/access/index.js';
import { Order, OrderAction, OrderStatus, transitionOrders } from '../../src/modules/orders/index.js';
import { LedgerAccount, LedgerEntryKind, postJournal } from '../../src/modules/finance/index.js';
import { Receivable, settlementRuleOf, syncOrderReceivable } from '../../src/modules/payouts/index.js';
import { MarketplaceSettings } from '../../src/modules/sellers/index.js';
import type { User } from '../../src/modules/auth/auth.entity.js';

/**
 * A small shop for payout tests: checkouts through the API (sandbox card, fraud approves
 * small carts), orders moved along INVOICE → SHIP → DELIVER by the state machine at chosen
 * times, returns and refunds booked in the ledger as the returns work posts them, and a wait
 * for the receivables consumer.
 */
export const FREIGHT = 1_000;
const buyer = { name: 'Maria da Silva', email: 'maria@example.com', document: '529.982.247-25', phone: '(11) 98765-4321' };
const address = { recipient: 'Maria da Silva', street: 'Av. Paulista', number: '1000', complement: null, district: 'Bela Vista', city: 'São Paulo', state: 'SP', postalCode: '01310-100' };
export const card = (token = 'tok_approve'): PaymentPartInput => ({ method: 'CARD', installments: 1, card: { token, brand: 'Visa', bin: '411111', last4: '1111' } });

export interface Placed {
  cartNumber: string;
  orders: { id: string; code: string; sellerId: string; total: number }[];
}

export class Shop {
  private operatorViewer?: Viewer;

  constructor(
    private readonly t: TestApp,
    private readonly f: Factory,
    private readonly operatorToken: string,
    private readonly operatorUser: User,
  ) {}

  async shippingTable(): Promise<void> {
    const res = await this.t.request(
      CartTestShippingTableDocument,
      { input: { name: 'PAC', carrier: 'Correios', method: 'PAC', scheduled: false, rows: [{ postalCodeFrom: '00000000', postalCodeTo: '99999999', weightFromGrams: 0, weightToGrams: 1_000_000, priceCents: FREIGHT, days: 6 }] } },
      this.operatorToken,
    );
    expect(res.data?.createShippingTable.userErrors).toEqual([]);
  }

  /** Checks a cart out with one card; returns its orders (approved when fraud approves). */
  async place(lines: [sku: string, quantity: number][], parts: PaymentPartInput[] = [card()], opts: { voucher?: string } = {}): Promise<Placed> {
    const created = await this.t.request(CreateCartDocument, {});
    const token = created.data!.createCart.token!;
    for (const [sku, quantity] of lines) {
      const res = await this.t.request(AddCartLineDocument, { cartToken: token, skuCode: sku, quantity });
      expect(res.data?.addCartLine.userErrors, sku).toEqual([]);
    }
    expect((await this.t.request(SetBuyerDocument, { cartToken: token, input: buyer })).data?.setBuyer.userErrors).toEqual([]);
    expect((await this.t.request(SetShippingAddressDocument, { cartToken: token, input: address })).data?.setShippingAddress.userErrors).toEqual([]);
    if (opts.voucher) expect((await this.t.request(ApplyVoucherDocument, { cartToken: token, code: opts.voucher })).data?.applyVoucher.userErrors).toEqual([]);
    const res = await this.t.request(CoCheckoutDocument, { input: { cartToken: token, idempotencyKey: randomUUID(), payment: { parts } } });
    expect(res.errors).toBeUndefined();
    expect(res.data!.checkout.userErrors).toEqual([]);
    const c = res.data!.checkout;
    return { cartNumber: c.cartNumber!, orders: c.orders!.map((o) => ({ id: o.id, code: o.code, sellerId: o.seller.id, total: o.total.amount })) };
  }

  async cancel(code: string): Promise<void> {
    const res = await this.t.request(CoCancelOrderDocument, { input: { orderCode: code, idempotencyKey: randomUUID() } }, this.operatorToken);
    expect(res.data?.cancelOrder.userErrors).toEqual([]);
  }

  private viewer(): Viewer {
    this.operatorViewer ??= {
      kind: 'OPERATOR',
      user: { id: this.operatorUser.id, email: this.operatorUser.email, name: this.operatorUser.name },
      role: UserRole.OWNER,
      seller: { id: this.operatorUser.seller!.id, name: 'Admin', status: 'ACTIVE', isAdmin: true },
      sessionId: randomUUID(),
    };
    return this.operatorViewer;
  }

  /** Invoices and ships the order at `shippedAt`; delivers it at `deliveredAt` when given. */
  async fulfil(orderId: string, shippedAt: Date, deliveredAt?: Date): Promise<void> {
    await this.f.em().transactional(async (em) => {
      const order = await em.findOneOrFail(Order, { id: orderId });
      const actor = { viewer: this.viewer() };
      if (order.status === OrderStatus.APPROVED) await transitionOrders(em as EntityManager, [order], OrderAction.INVOICE, actor, { at: shippedAt });
      if (order.status === OrderStatus.INVOICED) await transitionOrders(em as EntityManager, [order], OrderAction.SHIP, actor, { at: shippedAt });
      if (deliveredAt && order.status === OrderStatus.SHIPPED) await transitionOrders(em as EntityManager, [order], OrderAction.DELIVER, actor, { at: deliveredAt });
      await em.flush();
    });
  }

  /**
   * A return of part of a delivered order, booked as the returns work books it: the seller's
   * share and the commission reversed (RETURN, naming the order), then the refund to the buyer.
   */
  async bookReturn(orderId: string, sellerShare: number, commission = 0): Promise<void> {
    const order = await this.f.em().findOneOrFail(Order, { id: orderId });
    const ref = randomUUID();
    await this.f.em().transactional(async (em) => {
      await postJournal(em as EntityManager, {
        kind: LedgerEntryKind.RETURN,
        reference: `test-return:${ref}`,
        cartId: order.cartId,
        cartNumber: order.cartNumber,
        orderId: order.id,
        lines: [
          { account: LedgerAccount.SELLER_PAYABLE, sellerId: order.seller.id, debit: sellerShare },
          { account: LedgerAccount.COMMISSION_REVENUE, sellerId: order.seller.id, debit: commission },
          { account: LedgerAccount.CUSTOMER, credit: sellerShare + commission },
        ],
      });
      await postJournal(em as EntityManager, {
        kind: LedgerEntryKind.REFUND,
        reference: `test-return-refund:${ref}`,
        cartId: order.cartId,
        cartNumber: order.cartNumber,
        orderId: order.id,
        lines: [
          { account: LedgerAccount.CUSTOMER, debit: sellerShare + commission },
          { account: LedgerAccount.PAYMENT_PROVIDER, credit: sellerShare + commission },
        ],
      });
    });
  }

  /** A refund of part of an order booked after its payout (e.g. a goodwill refund of the seller's share). */
  async bookRefund(orderId: string, sellerShare: number): Promise<void> {
    const order = await this.f.em().findOneOrFail(Order, { id: orderId });
    await this.f.em().transactional((em) =>
      postJournal(em as EntityManager, {
        kind: LedgerEntryKind.REFUND,
        reference: `test-refund:${randomUUID()}`,
        cartId: order.cartId,
        cartNumber: order.cartNumber,
        orderId: order.id,
        lines: [
          { account: LedgerAccount.SELLER_PAYABLE, sellerId: order.seller.id, debit: sellerShare },
          { account: LedgerAccount.PAYMENT_PROVIDER, credit: sellerShare },
        ],
      }),
    );
  }

  /**
   * Runs the receivables consumer until the receivables of these orders exist in the wanted
   * states. The consumer only reads events below the oldest transaction still open on the
   * whole PostgreSQL server, so on a server shared with other test runs it can be held back:
   * after `patienceMs` the orders are synced by the function the consumer itself calls.
   */
  async receivables(orderIds: string[], states?: string[], patienceMs = 5_000): Promise<Receivable[]> {
    const started = Date.now();
    for (;;) {
      await this.t.app.events!.runOnce();
      const rows = await this.f.em().find(Receivable, { order: { $in: orderIds } });
      const ok = rows.length === orderIds.length && (!states || orderIds.every((id, i) => rows.find((r) => r.order?.id === id)?.status === states[i]));
      if (ok) return orderIds.map((id) => rows.find((r) => r.order?.id === id)!);
      if (Date.now() - started > patienceMs) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    await this.f.em().transactional(async (em) => {
      const rule = settlementRuleOf(await em.findOneOrFail(MarketplaceSettings, { id: 1 }));
      for (const order of await em.find(Order, { id: { $in: orderIds } })) await syncOrderReceivable(em as EntityManager, order, rule);
    });
    const rows = await this.f.em().find(Receivable, { order: { $in: orderIds } });
    if (states) expect(orderIds.map((id) => rows.find((r) => r.order?.id === id)?.status)).toEqual(states);
    return orderIds.map((id) => rows.find((r) => r.order?.id === id)!);
  }
}

/** Days before now, at noon UTC (the middle of the São Paulo day). */
export function daysAgo(n: number): Date {
  const d = new Date(Date.now() - n * 86_400_000);
  d.setUTCHours(15, 0, 0, 0);
  return d;
}
