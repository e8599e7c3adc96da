import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OUTBOX_SEAL } from '../src/shared/outbox/seal.js';
import { randomUUID } from 'node:crypto';
import { startTestApp, codes, type TestApp } from './helpers/app.js';
import { CatalogFactory, Factory } from './helpers/factories.js';
import { AddCartLineDocument, ApplyVoucherDocument, CartTestPromotionDocument, CartTestShippingTableDocument, CoCancelOrderDocument, CoCheckoutDocument, CoDecideFraudDocument, CoFraudAnalysisDocument, CoOrderDocument, CoOrderFinanceDocument, CoOrdersDocument, CoOrdersOfCartDocument, CoOrdersOfCartBuyerDocument, CoOrdersOfCartMaskedDocument, PaymentCreateGiftCardDocument, CreateCartDocument, SetBuyerDocument, SetShippingAddressDocument, UpdateMarketplaceSettingsDocument, type PaymentPartInput } from './generated/graphql.js';
import { UserRole } from '../src/shared/access/index.js';
import { Sku } from '../src/modules/catalog/catalog.entity.js';
import { Cart, CartLine } from '../src/modules/carts/carts.entity.js';
import { hashCartToken, loadCartSnapshot } from '../src/modules/carts/index.js';
import { wrap } from '@mikro-orm/core';
import { Order, OrderLine } from '../src/modules/orders/orders.entity.js';
import { LedgerAccount, LedgerEntry, LedgerLine } from '../src/modules/finance/finance.entity.js';
import { PaymentTransaction, ProviderNetworkError, expireUnpaidTransactions, paymentProviders } from '../src/modules/payments/index.js';
import { resumePendingAnalyses } from '../src/modules/checkout/fraud-resume.js';
import { FraudAnalysis } from '../src/modules/fraud/fraud.entity.js';
import { OutboxMessage } from '../src/shared/outbox/outbox.entity.js';
import { startOutboxWorker, type OutboxWorker } from '../src/jobs/outbox-worker.js';
import type { Mail, Mailer } from '../src/shared/outbox/mailer.js';
import type { Seller } from '../src/modules/sellers/sellers.entity.js';
import { allocate } from '../src/shared/money/index.js';

let t: TestApp;
let f: Factory;
let c: CatalogFactory;
let admin: Seller;
let alfa: Seller;
let beta: Seller;
let tok: { owner: string; support: string; agent: string; alfaOwner: string; alfaCatalog: string; betaOwner: string; customer: string; customerEmail: string };

const buyer = { name: 'Maria da Silva', email: 'maria@example.com', document: '529.982.247-25', phone: '(11) 98765-4321' };
const address = { recipient: 'Maria da Silva', street: 'Av. Paulista', number: '1000', complement: null, district: 'Bela Vista', city: 'São Paulo', state: 'SP', postalCode: '01310-100' };
const FREIGHT = 2999;
const card = (token = 'tok_approve', installments = 1): PaymentPartInput => ({ method: 'CARD', installments, card: { token, brand: 'Visa', bin: '411111', last4: '1111' } });
const pix: PaymentPartInput = { method: 'PIX' };

async function cart(lines: [string, number][], opts: { voucher?: string; token?: string; customerEmail?: string } = {}): Promise<string> {
  const created = await t.request(CreateCartDocument, opts.customerEmail ? { input: { customerEmail: opts.customerEmail } } : {}, opts.token);
  expect(created.data?.createCart.userErrors).toEqual([]);
  const token = created.data!.createCart.token!;
  for (const [sku, quantity] of lines) {
    const res = await t.request(AddCartLineDocument, { cartToken: token, skuCode: sku, quantity }, opts.token);
    expect(res.data?.addCartLine.userErrors).toEqual([]);
  }
  expect((await t.request(SetBuyerDocument, { cartToken: token, input: buyer }, opts.token)).data?.setBuyer.userErrors).toEqual([]);
  expect((await t.request(SetShippingAddressDocument, { cartToken: token, input: address }, opts.token)).data?.setShippingAddress.userErrors).toEqual([]);
  if (opts.voucher) expect((await t.request(ApplyVoucherDocument, { cartToken: token, code: opts.voucher }, opts.token)).data?.applyVoucher.userErrors).toEqual([]);
  return token;
}

async function checkout(cartToken: string, parts: PaymentPartInput[], key = randomUUID(), token?: string) {
  const res = await t.request(CoCheckoutDocument, { input: { cartToken, idempotencyKey: key, payment: { parts } } }, token);
  expect(res.errors).toBeUndefined();
  return res.data!.checkout;
}

async function stock(code: string): Promise<number> {
  return (await f.em().findOneOrFail(Sku, { code })).stock;
}

async function ledgerOf(cartNumber: string) {
  const em = f.em();
  const entries = await em.find(LedgerEntry, { cartNumber });
  const lines = await em.find(LedgerLine, { entry: { $in: entries.map((e) => e.id) } });
  const net = (account: LedgerAccount) => lines.filter((l) => l.account === account).reduce((s, l) => s + l.credit - l.debit, 0);
  return { entries, lines, net, debits: lines.reduce((s, l) => s + l.debit, 0), credits: lines.reduce((s, l) => s + l.credit, 0) };
}

beforeAll(async () => {
  t = await startTestApp();
  f = new Factory(t);
  c = new CatalogFactory(f);
  await f.setMarketplace(true);
  admin = await f.adminSeller();
  beta = await f.seller({ code: 'BETA', name: 'Beta Eletrônicos' });
  alfa = await f.seller({ code: 'ALFA', name: 'Alfa Modas' });
  await c.product(admin, { sellerCode: 'CANECA', name: 'Caneca', skus: [{ code: 'ADM1', price: 9_990, stock: 100, weight: 500 }] });
  await c.product(alfa, { sellerCode: 'CAMISA', name: 'Camiseta', skus: [{ code: 'A1', price: 15_990, stock: 100, weight: 3_000 }] });
  await c.product(beta, { sellerCode: 'FONE', name: 'Fone', skus: [{ code: 'B1', price: 25_000, stock: 100, weight: 250 }] });
  await c.product(beta, { sellerCode: 'PHONE', name: 'Celular topo de linha', skus: [{ code: 'B2', price: 600_000, stock: 10, weight: 400 }] });
  await c.product(alfa, { sellerCode: 'CASACO', name: 'Casaco', skus: [{ code: 'A2', price: 350_000, stock: 10, weight: 1_000 }] });
  await c.product(alfa, { sellerCode: 'RARO', name: 'Peça rara', skus: [{ code: 'A3', price: 1_000, stock: 3, weight: 100 }] });

  const customer = await f.customer();
  tok = {
    owner: (await f.operator(UserRole.OWNER)).token,
    support: (await f.operator(UserRole.SUPPORT)).token,
    agent: (await f.operator(UserRole.AGENT)).token,
    alfaOwner: (await f.user({ seller: alfa, role: UserRole.OWNER })).token,
    alfaCatalog: (await f.user({ seller: alfa, role: UserRole.CATALOG })).token,
    betaOwner: (await f.user({ seller: beta, role: UserRole.OWNER })).token,
    customer: customer.token,
    customerEmail: customer.user.email,
  };
  const table = await t.request(
    CartTestShippingTableDocument,
    { input: { name: 'PAC', carrier: 'Correios', method: 'PAC', scheduled: false, rows: [{ postalCodeFrom: '00000000', postalCodeTo: '99999999', weightFromGrams: 0, weightToGrams: 1_000_000, priceCents: FREIGHT, days: 6 }] } },
    tok.owner,
  );
  expect(table.data?.createShippingTable.userErrors).toEqual([]);
  const voucher = await t.request(CartTestPromotionDocument, { input: { name: 'Cinquenta reais', kind: 'FIXED', value: 5_000, code: 'SEED50' } }, tok.owner);
  expect(voucher.data?.createPromotion.userErrors).toEqual([]);
  const sellerFunded = await t.request(CartTestPromotionDocument, { input: { name: 'Vendedor paga', kind: 'FIXED', value: 1_000, code: 'SELLER10', fundedBy: 'SELLER' } }, tok.owner);
  expect(sellerFunded.data?.createPromotion.userErrors).toEqual([]);
});
afterAll(async () => t?.stop());

describe('the seed example: two sellers, a R$ 50,00 voucher, one card, one verdict', () => {
  let result: Awaited<ReturnType<typeof checkout>>;
  let cartToken: string;
  const before: Record<string, number> = {};

  beforeAll(async () => {
    before.ADM1 = await stock('ADM1');
    before.A1 = await stock('ALFA-A1');
    cartToken = await cart([['ALFA-A1', 1], ['ADM1', 2]], { voucher: 'SEED50' });
    result = await checkout(cartToken, [card()]);
  });

  it('splits the cart into one order per seller coded around one cart number', () => {
    expect(result.userErrors).toEqual([]);
    const n = result.cartNumber!;
    expect(n).toMatch(/^\d{6,}$/);
    expect(result.orders!.map((o) => [o.code, o.position, o.seller.concatenationCode])).toEqual([
      [`${n}-1`, 1, null],
      [`ALFA-${n}-2`, 2, 'ALFA'],
    ]);
  });

  it('prorates the voucher by order value and the freight by weight, exactly to the cent', () => {
    const [a, b] = result.orders!;
    expect([a!.merchandise.amount, b!.merchandise.amount]).toEqual([19_980, 15_990]);
    expect([a!.discountShare.amount, b!.discountShare.amount]).toEqual(allocate(5_000, [19_980, 15_990]));
    expect([a!.discountShare.amount, b!.discountShare.amount]).toEqual([2_777, 2_223]);
    expect([a!.freightShare.amount, b!.freightShare.amount]).toEqual(allocate(FREIGHT, [1_000, 3_000]));
    for (const o of result.orders!) expect(o.total.amount).toBe(o.merchandise.amount - o.discountShare.amount + o.freightShare.amount);
    expect(result.payment!.amount.amount).toBe(result.orders!.reduce((s, o) => s + o.total.amount, 0));
    expect(result.payment!.amount.amount).toBe(35_970 - 5_000 + FREIGHT);
    // Lines carry their frozen shares too, summing to their order's.
    for (const o of result.orders!) {
      expect(o.lines.reduce((s, l) => s + l.discountShare.amount, 0)).toBe(o.discountShare.amount);
      expect(o.lines.reduce((s, l) => s + l.freightShare.amount, 0)).toBe(o.freightShare.amount);
    }
  });

  it('one fraud verdict approves both orders and the card is captured once', () => {
    expect(result.fraudStatus).toBe('APPROVED');
    expect(result.orders!.map((o) => o.status)).toEqual(['APPROVED', 'APPROVED']);
    expect(result.payment).toMatchObject({ status: 'PAID', captured: { amount: result.payment!.amount.amount } });
  });

  it('sends every item with its seller and the marketplace flag to the analyzer', async () => {
    const res = await t.request(CoFraudAnalysisDocument, { cartNumber: result.cartNumber! }, tok.owner);
    expect(res.data?.fraudAnalysis).toMatchObject({ status: 'APPROVED', analyzerOutcome: 'APPROVED', distinctSellers: 2 });
    expect(res.data!.fraudAnalysis!.items).toEqual([
      { skuCode: 'ADM1', sellerName: admin.name, sellerConcatenationCode: null, marketplace: false, quantity: 2, unitPrice: 9_990 },
      { skuCode: 'ALFA-A1', sellerName: 'Alfa Modas', sellerConcatenationCode: 'ALFA', marketplace: true, quantity: 1, unitPrice: 15_990 },
    ]);
    // Scores are operator business.
    expect(codes(await t.request(CoFraudAnalysisDocument, { cartNumber: result.cartNumber! }, tok.alfaOwner))).toEqual(['FORBIDDEN']);
  });

  it('finds the cart\'s orders by their shared middle code, each seller only its own', async () => {
    const all = await t.request(CoOrdersDocument, { cartNumber: result.cartNumber! }, tok.owner);
    expect(all.data?.orders.totalCount).toBe(2);
    // A cart's orders list in code order.
    expect(all.data?.orders.edges.map((e) => e.node.code)).toEqual(result.orders!.map((o) => o.code));
    const mine = await t.request(CoOrdersDocument, { cartNumber: result.cartNumber! }, tok.alfaOwner);
    expect(mine.data?.orders.edges.map((e) => e.node.code)).toEqual([`ALFA-${result.cartNumber}-2`]);
    const betas = await t.request(CoOrdersDocument, { cartNumber: result.cartNumber! }, tok.betaOwner);
    expect(betas.data?.orders.totalCount).toBe(0);
    // A catalog user reads no order, and no list either: its count and cursors would tell about orders.
    const catalog = await t.request(CoOrdersDocument, { cartNumber: result.cartNumber! }, tok.alfaCatalog);
    expect(codes(catalog)).toEqual(['FORBIDDEN']);
    expect(catalog.data?.orders ?? null).toBeNull();
    expect(codes(await t.request(CoOrdersDocument, { cartNumber: result.cartNumber!, sellerId: alfa.id }, tok.betaOwner))).toEqual(['FORBIDDEN']);
    // Beta cannot read Alfa's order by code either.
    expect((await t.request(CoOrderDocument, { code: `ALFA-${result.cartNumber}-2` }, tok.betaOwner)).data?.order).toBeNull();
    // The anonymous shopper reaches its orders only through the cart token.
    expect((await t.request(CoOrderDocument, { code: `${result.cartNumber}-1` })).data?.order).toBeNull();
    const own = await t.request(CoOrdersOfCartDocument, { cartToken });
    expect(own.data?.ordersOfCart.map((o) => o.code)).toEqual(result.orders!.map((o) => o.code));
  });

  it('freezes commission per line; finance figures only for staff and the order\'s seller finance roles', async () => {
    const code = `ALFA-${result.cartNumber}-2`;
    const fin = await t.request(CoOrderFinanceDocument, { code }, tok.alfaOwner);
    expect(fin.errors).toBeUndefined();
    const order = fin.data!.order!;
    const line = order.lines[0]!;
    expect(line.commissionBps).toBe(1500);
    expect(line.commissionBase.amount).toBe(15_990); // the voucher is operator-funded
    expect(line.commission.amount).toBe(2_399); // 15990 × 15% = 2398.5 → half up
    expect(order.sellerReceivable.amount).toBe(15_990 - 2_399);
    expect(order.buyer.document).toBe('52998224725');
    // Catalog users look after products, not orders.
    const catalogUser = await t.request(CoOrderFinanceDocument, { code }, tok.alfaCatalog);
    expect(catalogUser.data?.order).toBeNull();
  });

  it('decrements stock and writes a balanced ledger whose seller, commission and freight credits equal the capture', async () => {
    expect(await stock('ADM1')).toBe(before.ADM1! - 2);
    expect(await stock('ALFA-A1')).toBe(before.A1! - 1);
    const l = await ledgerOf(result.cartNumber!);
    for (const entry of l.entries) {
      const mine = l.lines.filter((x) => x.entry.id === entry.id);
      expect(mine.reduce((s, x) => s + x.debit - x.credit, 0)).toBe(0);
    }
    expect(l.debits).toBe(l.credits);
    const captured = result.payment!.captured.amount;
    const credits = l.net(LedgerAccount.SELLER_PAYABLE) + l.net(LedgerAccount.COMMISSION_REVENUE) + l.net(LedgerAccount.FREIGHT_REVENUE);
    expect(credits).toBe(captured);
    // The operator-funded voucher is the operator's cost, netted against its commission.
    const commission = 2_997 + 2_399; // 15% of 19,980 and of 15,990 (2,398.5, half up)
    expect(l.net(LedgerAccount.COMMISSION_REVENUE)).toBe(commission - 5_000);
    expect(l.net(LedgerAccount.FREIGHT_REVENUE)).toBe(FREIGHT);
    // What the shopper owed is settled by the capture.
    expect(l.net(LedgerAccount.CUSTOMER)).toBe(0);
    expect(-l.net(LedgerAccount.PAYMENT_PROVIDER)).toBe(captured);
  });

  it('queues one e-mail per order to the buyer', async () => {
    const mails = await f.em().find(OutboxMessage, { topic: 'order.placed' });
    const seal = t.app.runtime.services.get(OUTBOX_SEAL);
    const subjects = mails.map((m) => seal.open<{ subject: string }>(m.payload).subject);
    for (const o of result.orders!) expect(subjects.filter((s) => s.includes(o.code))).toHaveLength(1);
  });
});

describe('a seller-funded voucher', () => {
  it('lowers the commission base and the seller credits + commission + freight equal the capture', async () => {
    const token = await cart([['ALFA-A1', 1]], { voucher: 'SELLER10' });
    const res = await checkout(token, [card()]);
    expect(res.userErrors).toEqual([]);
    const code = res.orders![0]!.code;
    const fin = (await t.request(CoOrderFinanceDocument, { code }, tok.owner)).data!.order!;
    expect(fin.sellerFundedDiscount.amount).toBe(1_000);
    expect(fin.lines[0]!.commissionBase.amount).toBe(14_990);
    const l = await ledgerOf(res.cartNumber!);
    expect(l.net(LedgerAccount.SELLER_PAYABLE) + l.net(LedgerAccount.COMMISSION_REVENUE) + l.net(LedgerAccount.FREIGHT_REVENUE)).toBe(res.payment!.captured.amount);
  });
});

describe('refusals create nothing', () => {
  it('a declined card creates no order and keeps stock; the key may be retried', async () => {
    const token = await cart([['ADM1', 1], ['BETA-B1', 1]]);
    const before = [await stock('ADM1'), await stock('BETA-B1')];
    const ordersBefore = await f.em().count(Order, {});
    const key = randomUUID();
    const declined = await checkout(token, [card('tok_decline_insufficient_funds')], key);
    expect(declined.userErrors).toEqual([{ code: 'PAYMENT_DECLINED', message: expect.any(String), field: ['input', 'payment', 'parts', '0'] }]);
    expect(declined.orders).toBeNull();
    expect(await f.em().count(Order, {})).toBe(ordersBefore);
    expect([await stock('ADM1'), await stock('BETA-B1')]).toEqual(before);
    expect((await f.em().findOneOrFail(Cart, await cartIdOf(token))).status).toBe('OPEN');
    const retried = await checkout(token, [card()], key);
    expect(retried.userErrors).toEqual([]);
    expect(retried.orders).toHaveLength(2);
  });

  it('names the SKU that is short of stock and sells nothing of the cart', async () => {
    const token = await cart([['ADM1', 1], ['ALFA-A3', 2]]);
    const em = f.em();
    await em.nativeUpdate(Sku, { code: 'ALFA-A3' }, { stock: 1 });
    const adm = await stock('ADM1');
    const res = await checkout(token, [card()]);
    expect(res.userErrors).toEqual([{ code: 'OUT_OF_STOCK', message: expect.stringContaining('ALFA-A3'), field: expect.any(Array) }]);
    expect(await stock('ADM1')).toBe(adm);
    expect(await stock('ALFA-A3')).toBe(1);
    await em.nativeUpdate(Sku, { code: 'ALFA-A3' }, { stock: 3 });
  });

  it('refuses a changed price with the new figures, then checks out at the new price', async () => {
    const token = await cart([['BETA-B1', 1]]);
    await f.em().nativeUpdate(Sku, { code: 'BETA-B1' }, { priceCents: 26_000 });
    try {
      const res = await checkout(token, [card()]);
      expect(res.userErrors).toHaveLength(1);
      expect(res.userErrors[0]!.code).toBe('PRICE_CHANGED');
      expect(res.userErrors[0]!.message).toContain('R$ 250,00');
      expect(res.userErrors[0]!.message).toContain('R$ 260,00');
      expect(res.orders).toBeNull();
      const again = await checkout(token, [card()]);
      expect(again.userErrors).toEqual([]);
      expect(again.orders![0]!.merchandise.amount).toBe(26_000);
    } finally {
      await f.em().nativeUpdate(Sku, { code: 'BETA-B1' }, { priceCents: 25_000 });
    }
  });

  it('applies the store\'s installment rule before asking the provider', async () => {
    const set = await t.request(UpdateMarketplaceSettingsDocument, { input: { maxInstallments: 6, minInstallmentCents: 5_000 } }, tok.owner);
    expect(set.data?.updateMarketplaceSettings.userErrors).toEqual([]);
    try {
      const token = await cart([['ADM1', 2]]); // R$ 199,80 + freight
      const tooMany = await checkout(token, [card('tok_approve', 7)]);
      expect(tooMany.userErrors).toEqual([{ code: 'BAD_USER_INPUT', message: 'The store takes cards in up to 6 installments.', field: ['input', 'payment', 'parts', '0', 'installments'] }]);
      const tooSmall = await checkout(token, [card('tok_approve', 5)]);
      expect(tooSmall.userErrors).toEqual([{ code: 'BAD_USER_INPUT', message: expect.stringContaining('at most 4'), field: ['input', 'payment', 'parts', '0', 'installments'] }]);
      const ok = await checkout(token, [card('tok_approve', 4)]);
      expect(ok.userErrors).toEqual([]);
    } finally {
      await t.request(UpdateMarketplaceSettingsDocument, { input: { maxInstallments: 12, minInstallmentCents: 500 } }, tok.owner);
    }
  });

  it('refuses a card number where a token belongs', async () => {
    const token = await cart([['ADM1', 1]]);
    const res = await checkout(token, [{ method: 'CARD', card: { token: '4111 1111 1111 1111', brand: 'Visa' } }]);
    expect(res.userErrors.map((e) => e.code)).toEqual(['BAD_USER_INPUT']);
    expect(res.userErrors[0]!.message).not.toContain('4111');
  });

  it('refuses a cart that lacks the buyer or the address', async () => {
    const created = await t.request(CreateCartDocument, {});
    const token = created.data!.createCart.token!;
    await t.request(AddCartLineDocument, { cartToken: token, skuCode: 'ADM1', quantity: 1 });
    const res = await checkout(token, [card()]);
    expect(res.userErrors).toEqual([{ code: 'BAD_USER_INPUT', message: expect.stringContaining('BUYER'), field: ['input', 'cartToken'] }]);
  });
});

/** The cart row id of a token, through the API's own hashing. */
async function cartIdOf(token: string): Promise<string> {
  const { hashCartToken } = await import('../src/modules/carts/index.js');
  return (await f.em().findOneOrFail(Cart, { tokenHash: hashCartToken(token) })).id;
}

describe("the checkout's cart read", () => {
  it('maps the cart, its lines and their SKU, product, category and seller as the populated find does', async () => {
    const token = await cart([['ADM1', 1], ['ALFA-A2', 2], ['BETA-B2', 1]]);
    const snapshot = await loadCartSnapshot(t.app.runtime, f.em(), token);
    const found = await f.em().find(CartLine, { cart: { tokenHash: hashCartToken(token) } }, { populate: ['cart', 'sku', 'sku.product', 'sku.product.category', 'sku.seller'], orderBy: { position: 'asc', id: 'asc' } });
    // What each entity was loaded with: the data its later flushes compare against.
    // (A joined find leaves its aliases of a missing relation, `c4__id`…, in that data: not columns.)
    const loaded = (e: object) => Object.fromEntries(Object.entries(wrap(e, true).__originalEntityData ?? {}).filter(([k]) => !/^[a-z]\d+__/.test(k)));
    expect(loaded(snapshot.cart)).toEqual(loaded(found[0]!.cart.getEntity()));
    expect(snapshot.lines.map((l) => [l.line, l.sku, l.product, l.product.category?.getEntity(), l.seller].map((e) => e && loaded(e)))).toEqual(
      found.map((line) => {
        const sku = line.sku.getEntity();
        const product = sku.product.getEntity();
        return [line, sku, product, product.category?.getEntity(), sku.seller.getEntity()].map((e) => e && loaded(e));
      }),
    );
    expect(snapshot.lines.every((l) => l.line.sku.getEntity() === l.sku && l.sku.product.getEntity() === l.product && l.product.seller.getEntity() === l.seller && l.line.cart.getEntity() === snapshot.cart)).toBe(true);
  });
});

describe('idempotency', () => {
  it('the same key returns the same result and creates nothing; with another cart it is a CONFLICT', async () => {
    const token = await cart([['ADM1', 1]]);
    const key = randomUUID();
    const first = await checkout(token, [card()], key);
    expect(first.userErrors).toEqual([]);
    const count = await f.em().count(Order, {});
    const again = await checkout(token, [card()], key);
    expect(again.userErrors).toEqual([]);
    expect(again.cartNumber).toBe(first.cartNumber);
    expect(again.orders!.map((o) => o.code)).toEqual(first.orders!.map((o) => o.code));
    // The first answer is built from what its verdict's transaction wrote, a repeat's is read
    // back from the database: the same answer, field for field.
    expect(again).toEqual(first);
    expect(await f.em().count(Order, {})).toBe(count);
    const other = await cart([['ADM1', 1]]);
    const conflict = await checkout(other, [card()], key);
    expect(conflict.userErrors.map((e) => e.code)).toEqual(['CONFLICT']);
    // A second checkout of a checked-out cart under a new key is refused too.
    const twice = await checkout(token, [card()]);
    expect(twice.userErrors.map((e) => e.code)).toEqual(['CONFLICT']);
  });
});

describe('fraud verdicts apply to every order of the cart', () => {
  it('REJECTED cancels every order through the cancellation service, returns stock and voids the card', async () => {
    const token = await cart([['ADM1', 1], ['BETA-B2', 2]]); // R$ 12.000+ on a card: hard reject
    const before = [await stock('ADM1'), await stock('BETA-B2')];
    const res = await checkout(token, [card('tok_approve', 10)]);
    expect(res.userErrors).toEqual([]);
    expect(res.fraudStatus).toBe('REJECTED');
    expect(res.orders!.map((o) => [o.status, o.cancellationReason])).toEqual([
      ['CANCELLED', 'FRAUD_REJECTED'],
      ['CANCELLED', 'FRAUD_REJECTED'],
    ]);
    expect([await stock('ADM1'), await stock('BETA-B2')]).toEqual(before);
    expect(res.payment).toMatchObject({ status: 'VOIDED', captured: { amount: 0 } });
    const l = await ledgerOf(res.cartNumber!);
    expect(l.debits).toBe(l.credits);
    for (const account of Object.values(LedgerAccount)) expect(l.net(account)).toBe(0);
  });

  it('REVIEW waits for staff; approving captures the card and approves every order', async () => {
    const token = await cart([['ALFA-A2', 1]]); // R$ 3.500,00: high value → review
    const res = await checkout(token, [card('tok_approve', 3)]);
    expect(res.fraudStatus).toBe('REVIEW');
    expect(res.orders!.map((o) => o.status)).toEqual(['PENDING_FRAUD_REVIEW']);
    expect(res.payment).toMatchObject({ status: 'AUTHORIZED', captured: { amount: 0 } });

    expect(codes(await t.request(CoDecideFraudDocument, { input: { cartNumber: res.cartNumber!, outcome: 'APPROVED' } }, tok.alfaOwner))).toEqual(['FORBIDDEN']);
    const bad = await t.request(CoDecideFraudDocument, { input: { cartNumber: res.cartNumber!, outcome: 'REVIEW' } }, tok.support);
    expect(bad.data?.decideFraudAnalysis.userErrors.map((e) => e.code)).toEqual(['BAD_USER_INPUT']);
    const decided = await t.request(CoDecideFraudDocument, { input: { cartNumber: res.cartNumber!, outcome: 'APPROVED', note: 'Cliente confirmou por telefone.' } }, tok.support);
    expect(decided.data?.decideFraudAnalysis).toMatchObject({ userErrors: [], fraudAnalysis: { status: 'APPROVED', analyzerOutcome: 'REVIEW' } });
    const after = await t.request(CoOrdersDocument, { cartNumber: res.cartNumber! }, tok.owner);
    expect(after.data?.orders.edges.map((e) => e.node.status)).toEqual(['APPROVED']);
    const tx = await f.em().findOneOrFail(PaymentTransaction, { cartNumber: res.cartNumber! });
    expect(tx.capturedCents).toBe(res.payment!.amount.amount);
    const again = await t.request(CoDecideFraudDocument, { input: { cartNumber: res.cartNumber!, outcome: 'REJECTED' } }, tok.support);
    expect(again.data?.decideFraudAnalysis.userErrors.map((e) => e.code)).toEqual(['CONFLICT']);
  });
});

describe('Pix', () => {
  it('stays pending until the signed provider webhook confirms it, then approves the orders', async () => {
    const token = await cart([['ADM1', 1], ['ALFA-A1', 1]]);
    const res = await checkout(token, [pix]);
    expect(res.userErrors).toEqual([]);
    expect(res.orders!.map((o) => o.status)).toEqual(['PENDING_PAYMENT', 'PENDING_PAYMENT']);
    expect(res.payment!.status).toBe('PENDING');
    expect(res.payment!.parts[0]!.pixQrCode).toBeTruthy();
    const part = await f.em().findOneOrFail(PaymentTransaction, { cartNumber: res.cartNumber! }, { populate: ['parts'] });
    const hook = await paymentProviders(t.app.runtime).sandbox!.confirm(part.parts[0]!.providerRef!);
    const posted = await fetch(t.url.replace('/graphql', '/webhooks/payments/sandbox'), { method: 'POST', headers: hook.headers, body: hook.rawBody });
    expect(posted.status).toBe(200);
    const after = await t.request(CoOrdersDocument, { cartNumber: res.cartNumber! }, tok.owner);
    expect(after.data?.orders.edges.map((e) => e.node.status)).toEqual(['APPROVED', 'APPROVED']);
    const l = await ledgerOf(res.cartNumber!);
    expect(l.net(LedgerAccount.CUSTOMER)).toBe(0);
  });

  it('an expired unpaid Pix cart cancels its orders and returns stock', async () => {
    const token = await cart([['ADM1', 2], ['BETA-B1', 1]]);
    const before = [await stock('ADM1'), await stock('BETA-B1')];
    const res = await checkout(token, [pix]);
    expect(res.userErrors).toEqual([]);
    expect([await stock('ADM1'), await stock('BETA-B1')]).toEqual([before[0]! - 2, before[1]! - 1]);
    await f.em().nativeUpdate(PaymentTransaction, { cartNumber: res.cartNumber! }, { expiresAt: new Date(Date.now() - 60_000) });
    expect(await expireUnpaidTransactions(t.app.runtime)).toBeGreaterThanOrEqual(1);
    const after = await t.request(CoOrdersDocument, { cartNumber: res.cartNumber! }, tok.owner);
    expect(after.data?.orders.edges.map((e) => [e.node.status, e.node.cancellationReason])).toEqual([
      ['CANCELLED', 'PAYMENT_EXPIRED'],
      ['CANCELLED', 'PAYMENT_EXPIRED'],
    ]);
    expect([await stock('ADM1'), await stock('BETA-B1')]).toEqual(before);
    const l = await ledgerOf(res.cartNumber!);
    for (const account of Object.values(LedgerAccount)) expect(l.net(account)).toBe(0);
  });
});

describe('cancelling one order of a cart', () => {
  it('refunds exactly that order\'s total, returns its stock and leaves the other order alone', async () => {
    const token = await cart([['ADM1', 1], ['ALFA-A1', 1]], { voucher: 'SEED50', token: tok.customer });
    const res = await checkout(token, [card()], randomUUID(), tok.customer);
    expect(res.userErrors).toEqual([]);
    const [mine, theirs] = res.orders!;
    const a1 = await stock('ALFA-A1');
    const key = randomUUID();
    const cancelled = await t.request(CoCancelOrderDocument, { input: { orderCode: theirs!.code, idempotencyKey: key, note: 'Desisti' } }, tok.customer);
    expect(cancelled.data?.cancelOrder.userErrors).toEqual([]);
    expect(cancelled.data?.cancelOrder.order).toMatchObject({ status: 'CANCELLED', cancellationReason: 'SHOPPER_REQUEST' });
    // Repeating the request refunds nothing twice.
    await t.request(CoCancelOrderDocument, { input: { orderCode: theirs!.code, idempotencyKey: key } }, tok.customer);
    const tx = await f.em().findOneOrFail(PaymentTransaction, { cartNumber: res.cartNumber! });
    expect(tx.refundedCents).toBe(theirs!.total.amount);
    expect(await stock('ALFA-A1')).toBe(a1 + 1);
    expect((await t.request(CoOrderDocument, { code: mine!.code }, tok.customer)).data?.order?.status).toBe('APPROVED');
    const l = await ledgerOf(res.cartNumber!);
    expect(l.debits).toBe(l.credits);
    // What is left in the books is exactly the surviving order.
    expect(l.net(LedgerAccount.FREIGHT_REVENUE)).toBe(mine!.freightShare.amount);
    expect(-l.net(LedgerAccount.PAYMENT_PROVIDER)).toBe(mine!.total.amount);
    // Another customer cannot cancel it.
    const stranger = await f.customer();
    const denied = await t.request(CoCancelOrderDocument, { input: { orderCode: mine!.code, idempotencyKey: randomUUID() } }, stranger.token);
    expect(denied.data?.cancelOrder.userErrors.map((e) => e.code)).toEqual(['NOT_FOUND']);
  });

  it('answers a malformed idempotency key or note as userErrors, like checkout, and changes nothing', async () => {
    const token = await cart([['ADM1', 1]]);
    const res = await checkout(token, [card()]);
    const code = res.orders![0]!.code;
    const badKey = await t.request(CoCancelOrderDocument, { input: { orderCode: code, idempotencyKey: 'short' } }, tok.owner);
    expect(badKey.errors).toBeUndefined();
    expect(badKey.data?.cancelOrder).toEqual({ order: null, userErrors: [{ code: 'BAD_USER_INPUT', message: expect.stringContaining('idempotency key'), field: ['input', 'idempotencyKey'] }] });
    const longNote = await t.request(CoCancelOrderDocument, { input: { orderCode: code, idempotencyKey: randomUUID(), note: 'x'.repeat(2001) } }, tok.owner);
    expect(longNote.data?.cancelOrder.userErrors).toEqual([{ code: 'BAD_USER_INPUT', message: expect.any(String), field: ['input', 'note'] }]);
    const badCheckoutKey = await t.request(CoCheckoutDocument, { input: { cartToken: await cart([['ADM1', 1]]), idempotencyKey: 'short', payment: { parts: [card()] } } });
    expect(badCheckoutKey.errors).toBeUndefined();
    expect(badCheckoutKey.data?.checkout.userErrors).toEqual([{ code: 'BAD_USER_INPUT', message: expect.stringContaining('idempotency key'), field: ['input', 'idempotencyKey'] }]);
    expect((await t.request(CoOrderDocument, { code }, tok.owner)).data?.order?.status).toBe('APPROVED');
  });
});

describe('concurrency', () => {
  it('many checkouts at once on a SKU with little stock sell exactly the stock, never more', async () => {
    await f.em().nativeUpdate(Sku, { code: 'ALFA-A3' }, { stock: 3 });
    const carts = await Promise.all(Array.from({ length: 10 }, () => cart([['ALFA-A3', 1]])));
    const results = await Promise.all(carts.map((token) => checkout(token, [card()])));
    const sold = results.filter((r) => r.userErrors.length === 0);
    const failed = results.filter((r) => r.userErrors.length > 0);
    expect(sold).toHaveLength(3);
    expect(failed).toHaveLength(7);
    for (const r of failed) expect(r.userErrors.map((e) => e.code)).toEqual(['OUT_OF_STOCK']);
    expect(await stock('ALFA-A3')).toBe(0);
    const lines = await f.em().find(OrderLine, { skuCode: 'ALFA-A3', order: { status: { $ne: 'CANCELLED' } } } as never);
    expect(lines.reduce((s, l) => s + l.quantity, 0)).toBe(3);
  });
});

describe('assisted sale', () => {
  it('an agent builds a cart for a customer across sellers; each line shows its seller; checkout works the same', async () => {
    const token = await cart([['ADM1', 1], ['BETA-B1', 1], ['ALFA-A1', 1]], { token: tok.agent, customerEmail: tok.customerEmail });
    const res = await checkout(token, [pix], randomUUID(), tok.agent);
    expect(res.userErrors).toEqual([]);
    expect(res.orders!.map((o) => o.seller.concatenationCode)).toEqual([null, 'ALFA', 'BETA']);
    const customerView = await t.request(CoOrdersDocument, { cartNumber: res.cartNumber! }, tok.customer);
    expect(customerView.data?.orders.totalCount).toBe(3);
    const rows = await f.em().find(Order, { cartNumber: res.cartNumber! });
    for (const o of rows) expect(o.agent).not.toBeNull();
  });
});

describe('order notifications', () => {
  const workers: OutboxWorker[] = [];
  afterAll(async () => {
    await Promise.all(workers.map((w) => w.stop()));
  });

  it('a delivery killed after sending and before marking is retried with the same Message-ID', async () => {
    await f.em().nativeDelete(OutboxMessage, {});
    const token = await cart([['ADM1', 1], ['ALFA-A1', 1]]);
    const res = await checkout(token, [card()]);
    const queued = await f.em().find(OutboxMessage, { topic: 'order.placed' });
    expect(queued).toHaveLength(2);

    const hung: Mail[] = [];
    const dying: Mailer = { send: (mail) => (hung.push(mail), new Promise<void>(() => undefined)) };
    const first = startOutboxWorker(t.app.runtime.orm, dying, { pollMs: 3_600_000, stopTimeoutMs: 200, lockMs: 300, batchSize: 1, seal: t.app.runtime.services.get(OUTBOX_SEAL) });
    workers.push(first);
    void first.runOnce();
    for (let i = 0; i < 500 && hung.length === 0; i++) await new Promise((r) => setTimeout(r, 10));
    expect(hung).toHaveLength(1);
    await new Promise((r) => setTimeout(r, 400)); // the dead worker's claim expires

    const sent: Mail[] = [];
    const healthy = startOutboxWorker(t.app.runtime.orm, { send: async (mail) => void sent.push(mail) }, { pollMs: 3_600_000, seal: t.app.runtime.services.get(OUTBOX_SEAL) });
    workers.push(healthy);
    await healthy.runOnce();
    expect(sent.map((m) => m.subject).sort()).toEqual(res.orders!.map((o) => `Pedido ${o.code} recebido`).sort());
    const retried = sent.find((m) => m.subject === hung[0]!.subject)!;
    expect(retried.messageId).toBe(hung[0]!.messageId);
    expect(new Set(sent.map((m) => m.messageId)).size).toBe(2);
  });
});

describe('property: random carts through the real checkout', () => {
  it('order totals sum to the transaction amount and every share is within a cent of its exact proportion', async () => {
    const fc = (await import('fast-check')).default;
    let run = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.record({ price: fc.integer({ min: 1, max: 90_000 }), weight: fc.integer({ min: 0, max: 5_000 }), quantity: fc.integer({ min: 1, max: 3 }) }),
          { minLength: 1, maxLength: 8 },
        ),
        fc.integer({ min: 1, max: 20_000 }),
        fc.boolean(),
        async (sellers, voucher, withAdmin) => {
          run += 1;
          const lines: [string, number][] = [];
          for (const [i, s] of sellers.entries()) {
            const owner = i === 0 && withAdmin ? admin : await f.seller();
            const raw = `PROP${run}_${i}`;
            await c.product(owner, { sellerCode: raw, skus: [{ code: `${raw}_1`, price: s.price, stock: 10, weight: s.weight }] });
            lines.push([owner.concatenationCode ? `${owner.concatenationCode}-${raw}_1` : `${raw}_1`, s.quantity]);
          }
          const code = `PROP${run}V${voucher}`;
          const promo = await t.request(CartTestPromotionDocument, { input: { name: code, kind: 'FIXED', value: voucher, code } }, tok.owner);
          expect(promo.data?.createPromotion.userErrors).toEqual([]);
          const token = await cart(lines, { voucher: code });
          const res = await checkout(token, [pix]);
          expect(res.userErrors).toEqual([]);
          const orders = res.orders!;
          const amount = res.payment!.amount.amount;
          expect(orders.reduce((s, o) => s + o.total.amount, 0)).toBe(amount);
          const merchandise = orders.reduce((s, o) => s + o.merchandise.amount, 0);
          const discount = orders.reduce((s, o) => s + o.discountShare.amount, 0);
          const freight = orders.reduce((s, o) => s + o.freightShare.amount, 0);
          expect(discount).toBe(Math.min(voucher, merchandise));
          expect(freight).toBe(FREIGHT);
          expect(merchandise - discount + freight).toBe(amount);
          const weight = orders.reduce((s, o) => s + o.weightGrams, 0);
          for (const o of orders) {
            expect(o.total.amount).toBe(o.merchandise.amount - o.discountShare.amount + o.freightShare.amount);
            expect(Math.abs(o.discountShare.amount - (discount * o.merchandise.amount) / merchandise)).toBeLessThan(1);
            const [part, whole] = weight > 0 ? [o.weightGrams, weight] : [o.merchandise.amount, merchandise];
            expect(Math.abs(o.freightShare.amount - (FREIGHT * part) / whole)).toBeLessThan(1);
          }
        },
      ),
      { numRuns: 8 },
    );
  }, 120_000);
});

describe('who reaches a cart\'s orders', () => {
  it('seller users and integrations cannot check out or read orders by cart token; a replayed key answers only the cart\'s owner', async () => {
    const token = await cart([['ALFA-A1', 1]]);
    expect(codes(await t.request(CoCheckoutDocument, { input: { cartToken: token, idempotencyKey: randomUUID(), payment: { parts: [pix] } } }, tok.betaOwner))).toEqual(['FORBIDDEN']);
    await checkout(token, [pix]);
    expect(codes(await t.request(CoOrdersOfCartDocument, { cartToken: token }, tok.betaOwner))).toEqual(['FORBIDDEN']);

    const customerCart = await cart([['ADM1', 1]], { token: tok.customer });
    const key = randomUUID();
    const placed = await checkout(customerCart, [pix], key, tok.customer);
    expect(placed.userErrors).toEqual([]);
    const replayed = await checkout(customerCart, [pix], key); // anonymous, with the leaked token and key
    expect(replayed.userErrors.map((e) => e.code)).toEqual(['NOT_FOUND']);
    expect(replayed.orders).toBeNull();
  });

  it('shoppers see the buyer document masked; the order\'s seller sees it whole', async () => {
    const token = await cart([['ALFA-A1', 1]]);
    const res = await checkout(token, [pix]);
    const masked = await t.request(CoOrdersOfCartMaskedDocument, { cartToken: token });
    expect(masked.data?.ordersOfCart[0]!.buyer.maskedDocument).toBe('***.***.*47-25');
    const whole = await t.request(CoOrdersOfCartBuyerDocument, { cartToken: token });
    expect(codes(whole)).toEqual(['UNAUTHENTICATED']);
    const seller = await t.request(CoOrderFinanceDocument, { code: res.orders![0]!.code }, tok.alfaOwner);
    expect(seller.data?.order?.buyer.document).toBe('52998224725');
  });
});

describe('the books follow every way money moves', () => {
  it('cancels with the longest idempotency key a client may send', async () => {
    const token = await cart([['ADM1', 1]]);
    const res = await checkout(token, [card()]);
    const cancelled = await t.request(CoCancelOrderDocument, { input: { orderCode: res.orders![0]!.code, idempotencyKey: 'k'.repeat(200) } }, tok.owner);
    expect(cancelled.data?.cancelOrder.userErrors).toEqual([]);
    expect(cancelled.data?.cancelOrder.order?.status).toBe('CANCELLED');
  });

  it('one cancellation key reused for two orders refunds each once, for real', async () => {
    const token = await cart([['ADM1', 1], ['ALFA-A1', 1]]);
    const res = await checkout(token, [card()]);
    const key = randomUUID();
    for (const o of res.orders!) {
      const r = await t.request(CoCancelOrderDocument, { input: { orderCode: o.code, idempotencyKey: key } }, tok.owner);
      expect(r.data?.cancelOrder.userErrors).toEqual([]);
    }
    const tx = await f.em().findOneOrFail(PaymentTransaction, { cartNumber: res.cartNumber! });
    expect(tx.refundedCents).toBe(tx.capturedCents);
    const l = await ledgerOf(res.cartNumber!);
    for (const account of Object.values(LedgerAccount)) expect(l.net(account)).toBe(0);
  });

  it('Pix + card: the card is captured when the Pix arrives, and both reach the ledger', async () => {
    const token = await cart([['ADM1', 1], ['ALFA-A1', 1]]);
    const total = 9_990 + 15_990 + FREIGHT;
    const res = await checkout(token, [{ method: 'PIX', amount: 6_000 }, { ...card(), amount: total - 6_000 }]);
    expect(res.userErrors).toEqual([]);
    expect(res.orders!.map((o) => o.status)).toEqual(['PENDING_PAYMENT', 'PENDING_PAYMENT']);
    const tx = await f.em().findOneOrFail(PaymentTransaction, { cartNumber: res.cartNumber! }, { populate: ['parts'] });
    const pixPart = tx.parts.getItems().find((p) => p.method === 'PIX')!;
    const hook = await paymentProviders(t.app.runtime).sandbox!.confirm(pixPart.providerRef!);
    expect((await fetch(t.url.replace('/graphql', '/webhooks/payments/sandbox'), { method: 'POST', headers: hook.headers, body: hook.rawBody })).status).toBe(200);
    const after = await f.em().findOneOrFail(PaymentTransaction, { cartNumber: res.cartNumber! });
    expect(after.capturedCents).toBe(total);
    const l = await ledgerOf(res.cartNumber!);
    expect(l.net(LedgerAccount.CUSTOMER)).toBe(0);
    expect(-l.net(LedgerAccount.PAYMENT_PROVIDER)).toBe(total);
    expect((await t.request(CoOrdersDocument, { cartNumber: res.cartNumber! }, tok.owner)).data?.orders.edges.map((e) => e.node.status)).toEqual(['APPROVED', 'APPROVED']);
  });

  it('a gift card pays, is booked as stored value used, and is re-credited on cancellation', async () => {
    const issued = await t.request(PaymentCreateGiftCardDocument, { input: { amount: 100_000 } }, tok.owner);
    const code = issued.data!.createGiftCard.issued!.code;
    const token = await cart([['ALFA-A1', 1]]);
    const res = await checkout(token, [{ method: 'VOUCHER', giftCardCode: code }]);
    expect(res.userErrors).toEqual([]);
    expect(res.payment).toMatchObject({ status: 'PAID' });
    expect(res.orders!.map((o) => o.status)).toEqual(['APPROVED']);
    let l = await ledgerOf(res.cartNumber!);
    expect(l.net(LedgerAccount.CUSTOMER)).toBe(0);
    expect(-l.net(LedgerAccount.GIFT_CARD)).toBe(15_990 + FREIGHT);
    const cancelled = await t.request(CoCancelOrderDocument, { input: { orderCode: res.orders![0]!.code, idempotencyKey: randomUUID() } }, tok.owner);
    expect(cancelled.data?.cancelOrder.userErrors).toEqual([]);
    l = await ledgerOf(res.cartNumber!);
    for (const account of Object.values(LedgerAccount)) expect(l.net(account)).toBe(0);
  });

  it('a Pix paid after its cart expired is captured and refunded in the books', async () => {
    const token = await cart([['ADM1', 1]]);
    const res = await checkout(token, [pix]);
    const tx = await f.em().findOneOrFail(PaymentTransaction, { cartNumber: res.cartNumber! }, { populate: ['parts'] });
    await f.em().nativeUpdate(PaymentTransaction, { id: tx.id }, { expiresAt: new Date(Date.now() - 60_000) });
    await expireUnpaidTransactions(t.app.runtime);
    const hook = await paymentProviders(t.app.runtime).sandbox!.confirm(tx.parts.getItems()[0]!.providerRef!);
    expect((await fetch(t.url.replace('/graphql', '/webhooks/payments/sandbox'), { method: 'POST', headers: hook.headers, body: hook.rawBody })).status).toBe(200);
    const after = await f.em().findOneOrFail(PaymentTransaction, { id: tx.id });
    const l = await ledgerOf(res.cartNumber!);
    expect(l.debits).toBe(l.credits);
    expect(after.capturedCents).toBe(res.payment!.amount.amount);
    expect(after.refundedCents).toBe(after.capturedCents);
    for (const account of Object.values(LedgerAccount)) expect(l.net(account)).toBe(0);
  });
});

describe('a verdict that cannot be applied', () => {
  it('stays PENDING with its orders untouched when the capture fails, and the resume pass settles it later', async () => {
    const token = await cart([['ADM1', 1], ['ALFA-A1', 1]]);
    const provider = paymentProviders(t.app.runtime).card;
    const capture = provider.captureCard.bind(provider);
    provider.captureCard = async () => {
      throw new ProviderNetworkError('sandbox', 'connection reset while capturing');
    };
    let res: Awaited<ReturnType<typeof checkout>>;
    try {
      res = await checkout(token, [card()]);
    } finally {
      provider.captureCard = capture;
    }
    // The orders exist (the checkout committed); the verdict was rolled back with its capture.
    expect(res.userErrors).toEqual([]);
    expect(res.fraudStatus).toBe('PENDING');
    expect(res.orders!.map((o) => o.status)).toEqual(['PENDING_FRAUD_REVIEW', 'PENDING_FRAUD_REVIEW']);
    expect(res.payment).toMatchObject({ status: 'AUTHORIZED', captured: { amount: 0 } });

    // Too young: a checkout may still be answering it.
    expect(await resumePendingAnalyses(t.app.runtime, { olderThanMs: 60_000 })).toBe(0);
    expect(await resumePendingAnalyses(t.app.runtime, { olderThanMs: 0 })).toBeGreaterThanOrEqual(1);
    const analysis = await f.em().findOneOrFail(FraudAnalysis, { cartNumber: res.cartNumber! });
    expect(analysis.status).toBe('APPROVED');
    const after = await t.request(CoOrdersDocument, { cartNumber: res.cartNumber! }, tok.owner);
    expect(after.data?.orders.edges.map((e) => e.node.status)).toEqual(['APPROVED', 'APPROVED']);
    const tx = await f.em().findOneOrFail(PaymentTransaction, { cartNumber: res.cartNumber! });
    expect(tx.capturedCents).toBe(res.payment!.amount.amount);
    const l = await ledgerOf(res.cartNumber!);
    expect(l.net(LedgerAccount.CUSTOMER)).toBe(0);
  });
});
