import { randomUUID } from 'node:crypto';
import { expect } from 'vitest';
import type { TestApp } from './app.js';
import { CatalogFactory, Factory } from './factories.js';
import {
  AddCartLineDocument,
  ApplyVoucherDocument,
  CartTestPromotionDocument,
  CartTestShippingTableDocument,
  CoCheckoutDocument,
  CreateCartDocument,
  RtMarkDeliveredDocument,
  SetBuyerDocument,
  SetShippingAddressDocument,
  type PaymentPartInput,
} from '../generated/graphql.js';
import { UserRole } from '../../src/shared/access/index.js';
import { allocate } from '../../src/shared/money/index.js';
import { Order } from '../../src/modules/orders/orders.entity.js';
import { LedgerAccount, LedgerEntry, LedgerLine } from '../../src/modules/finance/finance.entity.js';
import { PaymentTransaction } from '../../src/modules/payments/index.js';
import type { Seller } from '../../src/modules/sellers/sellers.entity.js';

/**
 * A small marketplace for the money-after-the-order tests: the admin seller and two guest
 * sellers with a few SKUs each, one freight table, an operator-funded and a seller-funded
 * coupon; carts checked out through the API, orders delivered through markDelivered, and the
 * ledger identities of design.md ("Finance") checked against the payment transaction.
 */
export interface Shop {
  f: Factory;
  admin: Seller;
  alfa: Seller;
  beta: Seller;
  tok: { owner: string; support: string; alfaOwner: string; alfaService: string; alfaFinance: string; alfaCatalog: string; alfaErp: string; betaOwner: string; betaService: string; customer: string; customerEmail: string; otherCustomer: string };
}

export const FREIGHT = 2_999;
export const buyer = { name: 'Maria da Silva', email: 'maria@example.com', document: '529.982.247-25', phone: '(11) 98765-4321' };
const address = { recipient: 'Maria da Silva', street: 'Av. Paulista', number: '1000', complement: null, district: 'Bela Vista', city: 'São Paulo', state: 'SP', postalCode: '01310-100' };
export const card = (token = 'tok_approve'): PaymentPartInput => ({ method: 'CARD', installments: 1, card: { token, brand: 'Visa', bin: '411111', last4: '1111' } });

/** SKUs by displayed code: price, stock, weight. */
export const SKUS = {
  ADM1: { seller: 'admin', price: 9_990, weight: 500 },
  ADM2: { seller: 'admin', price: 3_333, weight: 200 },
  'ALFA-A1': { seller: 'alfa', price: 15_990, weight: 3_000 },
  'ALFA-A2': { seller: 'alfa', price: 4_990, weight: 400 },
  'ALFA-A3': { seller: 'alfa', price: 1_999, weight: 100 },
  'BETA-B1': { seller: 'beta', price: 25_000, weight: 250 },
  'BETA-B2': { seller: 'beta', price: 777, weight: 50 },
} as const;
export type SkuCode = keyof typeof SKUS;

export async function openShop(t: TestApp): Promise<Shop> {
  const f = new Factory(t);
  const c = new CatalogFactory(f);
  await f.setMarketplace(true);
  const admin = await f.adminSeller();
  const alfa = await f.seller({ code: 'ALFA', name: 'Alfa Modas' });
  const beta = await f.seller({ code: 'BETA', name: 'Beta Eletrônicos' });
  const sellers = { admin, alfa, beta };
  for (const [code, s] of Object.entries(SKUS)) {
    const raw = code.includes('-') ? code.split('-')[1]! : code;
    await c.product(sellers[s.seller], { sellerCode: `P${raw}`, name: `Produto ${raw}`, skus: [{ code: raw, price: s.price, stock: 10_000, weight: s.weight }] });
  }
  const customer = await f.customer();
  const tok = {
    owner: (await f.operator(UserRole.OWNER)).token,
    support: (await f.operator(UserRole.SUPPORT)).token,
    alfaOwner: (await f.user({ seller: alfa, role: UserRole.OWNER })).token,
    alfaService: (await f.user({ seller: alfa, role: UserRole.SERVICE })).token,
    alfaFinance: (await f.user({ seller: alfa, role: UserRole.FINANCE })).token,
    alfaCatalog: (await f.user({ seller: alfa, role: UserRole.CATALOG })).token,
    alfaErp: (await f.integration({ seller: alfa })).token,
    betaOwner: (await f.user({ seller: beta, role: UserRole.OWNER })).token,
    betaService: (await f.user({ seller: beta, role: UserRole.SERVICE })).token,
    customer: customer.token,
    customerEmail: customer.user.email,
    otherCustomer: (await f.customer()).token,
  };
  const table = await t.request(
    CartTestShippingTableDocument,
    { input: { name: 'PAC', carrier: 'Correios', method: 'PAC', scheduled: false, rows: [{ postalCodeFrom: '00000000', postalCodeTo: '99999999', weightFromGrams: 0, weightToGrams: 10_000_000, priceCents: FREIGHT, days: 6 }] } },
    tok.owner,
  );
  expect(table.data?.createShippingTable.userErrors).toEqual([]);
  for (const input of [
    { name: 'Cinquenta reais', kind: 'FIXED' as const, value: 5_000, code: 'SEED50' },
    { name: 'Vendedor paga', kind: 'FIXED' as const, value: 1_000, code: 'SELLER10', fundedBy: 'SELLER' as const },
  ]) {
    expect((await t.request(CartTestPromotionDocument, { input }, tok.owner)).data?.createPromotion.userErrors).toEqual([]);
  }
  return { f, admin, alfa, beta, tok };
}

/** Builds a cart (lines by displayed SKU code), pays it by card, and returns the checkout's answer. */
export async function buy(t: TestApp, lines: [SkuCode, number][], opts: { voucher?: string; token?: string } = {}) {
  const created = await t.request(CreateCartDocument, {}, opts.token);
  const cartToken = created.data!.createCart.token!;
  for (const [skuCode, quantity] of lines) expect((await t.request(AddCartLineDocument, { cartToken, skuCode, quantity }, opts.token)).data?.addCartLine.userErrors).toEqual([]);
  expect((await t.request(SetBuyerDocument, { cartToken, input: buyer }, opts.token)).data?.setBuyer.userErrors).toEqual([]);
  expect((await t.request(SetShippingAddressDocument, { cartToken, input: address }, opts.token)).data?.setShippingAddress.userErrors).toEqual([]);
  if (opts.voucher) expect((await t.request(ApplyVoucherDocument, { cartToken, code: opts.voucher }, opts.token)).data?.applyVoucher.userErrors).toEqual([]);
  const idempotencyKey = randomUUID();
  const res = await t.request(CoCheckoutDocument, { input: { cartToken, idempotencyKey, payment: { parts: [card()] } } }, opts.token);
  expect(res.errors).toBeUndefined();
  expect(res.data!.checkout.userErrors).toEqual([]);
  expect(res.data!.checkout.orders!.every((o) => o.status === 'APPROVED')).toBe(true);
  return { ...res.data!.checkout, cartToken, idempotencyKey };
}

/**
 * Puts an order in the buyer's hands: shipped (set directly: invoicing needs an NF-e, which the
 * fulfilment tests cover) then delivered through markDelivered, as the carrier's seller does.
 */
export async function deliver(t: TestApp, shop: Shop, code: string, deliveredAt?: Date): Promise<void> {
  const at = deliveredAt ?? new Date();
  await shop.f.em().nativeUpdate(Order, { code }, { status: 'SHIPPED' as never, shippedAt: new Date(at.getTime() - 3 * 24 * 3600_000) });
  const res = await t.request(RtMarkDeliveredDocument, { input: { orderCode: code, deliveredAt: at.toISOString() } }, shop.tok.owner);
  expect(res.data?.markDelivered.userErrors).toEqual([]);
}

/** The ledger of a cart (and of orders placed apart from it that name its orders, none here). */
export async function ledgerOf(shop: Shop, cartNumber: string) {
  const em = shop.f.em();
  const entries = await em.find(LedgerEntry, { cartNumber });
  const lines = await em.find(LedgerLine, { entry: { $in: entries.map((e) => e.id) } }, { populate: ['entry'] });
  const net = (account: LedgerAccount, where: (l: LedgerLine) => boolean = () => true) => lines.filter((l) => l.account === account && where(l)).reduce((s, l) => s + l.credit - l.debit, 0);
  return { entries, lines, net };
}

/**
 * design.md's identities for one cart: every journal entry nets to zero; the shopper's account
 * is settled; the credits to sellers, commission and freight equal captured − refunded, which is
 * what the provider (and gift cards) still hold.
 */
export async function assertCartBooks(shop: Shop, cartNumber: string): Promise<{ captured: number; refunded: number }> {
  const l = await ledgerOf(shop, cartNumber);
  for (const e of l.entries) {
    const own = l.lines.filter((x) => x.entry.id === e.id);
    expect(own.reduce((s, x) => s + x.debit, 0), `${e.kind} ${e.reference}`).toBe(own.reduce((s, x) => s + x.credit, 0));
  }
  const tx = await shop.f.em().findOneOrFail(PaymentTransaction, { cartNumber });
  const held = tx.capturedCents - tx.refundedCents;
  expect(l.net(LedgerAccount.SELLER_PAYABLE) + l.net(LedgerAccount.COMMISSION_REVENUE) + l.net(LedgerAccount.FREIGHT_REVENUE)).toBe(held);
  expect(l.net(LedgerAccount.CUSTOMER)).toBe(0);
  expect(0 - (l.net(LedgerAccount.PAYMENT_PROVIDER) + l.net(LedgerAccount.GIFT_CARD))).toBe(held);
  return { captured: tx.capturedCents, refunded: tx.refundedCents };
}

/** An order's receivable as the ledger says (SELLER_PAYABLE credits − debits with its id and seller): the payouts' contract. */
export async function receivableInLedger(shop: Shop, orderId: string, sellerId: string): Promise<number> {
  const em = shop.f.em();
  const entries = await em.find(LedgerEntry, { orderId });
  const lines = await em.find(LedgerLine, { entry: { $in: entries.map((e) => e.id) }, account: LedgerAccount.SELLER_PAYABLE, seller: sellerId });
  return lines.reduce((s, l) => s + l.credit - l.debit, 0);
}

/**
 * The test's own reading of design.md's "freeze, never re-prorate" for part of a line: its
 * figures for the first q units, each split inside the one above it by the largest remainder.
 * Written here again (not imported) so the service is checked against the rule, not itself.
 */
export function prefix(line: { quantity: number; merchandise: number; discount: number; sellerFundedDiscount: number; commissionBase: number; commission: number }, q: number) {
  const part = (total: number, have: number, of: number) => allocate(total, [have, of - have])[0]!;
  const merchandise = part(line.merchandise, q, line.quantity);
  const discount = part(line.discount, merchandise, line.merchandise);
  const sfd = part(line.sellerFundedDiscount, discount, line.discount);
  const commission = part(line.commission, merchandise - sfd, line.commissionBase);
  return { merchandise, discount, refund: merchandise - discount, receivable: merchandise - sfd - commission, commission };
}
