import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { startTestApp, codes, type TestApp } from './helpers/app.js';
import { CatalogFactory, Factory } from './helpers/factories.js';
import {
  AddCartLineDocument,
  CartTestShippingTableDocument,
  CoCheckoutDocument,
  CoDecideFraudDocument,
  CreateCartDocument,
  OhCancelDocument,
  OhConfirmDepositDocument,
  OhHistoryAuditDocument,
  OhHistoryDocument,
  OhHistoryOfCartAuditDocument,
  OhHistoryOfCartDocument,
  SetBuyerDocument,
  SetShippingAddressDocument,
  type PaymentPartInput,
} from './generated/graphql.js';
import { UserRole } from '../src/shared/access/index.js';
import { Sku } from '../src/modules/catalog/catalog.entity.js';
import { Order, OrderStatus } from '../src/modules/orders/orders.entity.js';
import { OrderStatusChange } from '../src/modules/orders/index.js';
import { PaymentTransaction, expireUnpaidTransactions, paymentProviders } from '../src/modules/payments/index.js';
import { Seller, SellerStatus } from '../src/modules/sellers/sellers.entity.js';

/**
 * The order state machine through the API: every status change is in the order's history with
 * its actor, illegal moves are refused with nothing changed, and who reads what of the history.
 */

let t: TestApp;
let f: Factory;
let alfa: Seller;
let tok: { owner: string; support: string; alfaOwner: string; alfaService: string; alfaFinance: string; alfaCatalog: string; alfaErp: string; customer: string; customerId: string; operatorId: string; supportId: string; alfaServiceId: string; alfaErpId: string };

const buyer = { name: 'Maria da Silva', email: 'maria@example.com', document: '529.982.247-25', phone: '(11) 98765-4321' };
const address = { recipient: 'Maria da Silva', street: 'Av. Paulista', number: '1000', complement: null, district: 'Bela Vista', city: 'São Paulo', state: 'SP', postalCode: '01310-100' };
const card = (token = 'tok_approve', installments = 1): PaymentPartInput => ({ method: 'CARD', installments, card: { token, brand: 'Visa', bin: '411111', last4: '1111' } });
const pix: PaymentPartInput = { method: 'PIX' };

async function cart(lines: [string, number][], token?: string): Promise<string> {
  const created = await t.request(CreateCartDocument, {}, token);
  const cartToken = created.data!.createCart.token!;
  for (const [sku, quantity] of lines) expect((await t.request(AddCartLineDocument, { cartToken, skuCode: sku, quantity }, token)).data?.addCartLine.userErrors).toEqual([]);
  expect((await t.request(SetBuyerDocument, { cartToken, input: buyer }, token)).data?.setBuyer.userErrors).toEqual([]);
  expect((await t.request(SetShippingAddressDocument, { cartToken, input: address }, token)).data?.setShippingAddress.userErrors).toEqual([]);
  return cartToken;
}

async function checkout(cartToken: string, parts: PaymentPartInput[], token?: string) {
  const res = await t.request(CoCheckoutDocument, { input: { cartToken, idempotencyKey: randomUUID(), payment: { parts } } }, token);
  expect(res.errors).toBeUndefined();
  expect(res.data!.checkout.userErrors).toEqual([]);
  return res.data!.checkout;
}

/** An order's history as operator staff read it, each change reduced to what the tests compare. */
async function history(code: string) {
  const res = await t.request(OhHistoryAuditDocument, { code }, tok.owner);
  expect(res.errors).toBeUndefined();
  return res.data!.order!.history.map((c) => ({ from: c.from, to: c.to, action: c.action, actorKind: c.actorKind, actorLabel: c.actorLabel, actorRole: c.actorRole, actorUserId: c.actorUserId, actorIntegrationId: c.actorIntegrationId, reason: c.reason, note: c.note }));
}

const stock = async (code: string) => (await f.em().findOneOrFail(Sku, { code })).stock;

beforeAll(async () => {
  t = await startTestApp();
  f = new Factory(t);
  const c = new CatalogFactory(f);
  await f.setMarketplace(true);
  const admin = await f.adminSeller();
  alfa = await f.seller({ code: 'ALFA', name: 'Alfa Modas' });
  await c.product(admin, { sellerCode: 'CANECA', name: 'Caneca', skus: [{ code: 'ADM1', price: 9_990, stock: 100, weight: 500 }] });
  await c.product(alfa, { sellerCode: 'CAMISA', name: 'Camiseta', skus: [{ code: 'A1', price: 15_990, stock: 100, weight: 3_000 }] });
  await c.product(alfa, { sellerCode: 'CASACO', name: 'Casaco', skus: [{ code: 'A2', price: 350_000, stock: 10, weight: 1_000 }] });
  await c.product(alfa, { sellerCode: 'PHONE', name: 'Celular', skus: [{ code: 'A3', price: 600_000, stock: 10, weight: 400 }] });
  const owner = await f.operator(UserRole.OWNER);
  const support = await f.operator(UserRole.SUPPORT);
  const customer = await f.customer();
  const alfaService = await f.user({ seller: alfa, role: UserRole.SERVICE });
  const erp = await f.integration({ seller: alfa });
  tok = {
    owner: owner.token,
    support: support.token,
    alfaOwner: (await f.user({ seller: alfa, role: UserRole.OWNER })).token,
    alfaService: alfaService.token,
    alfaFinance: (await f.user({ seller: alfa, role: UserRole.FINANCE })).token,
    alfaCatalog: (await f.user({ seller: alfa, role: UserRole.CATALOG })).token,
    alfaErp: erp.token,
    customer: customer.token,
    customerId: customer.user.id,
    operatorId: owner.user.id,
    supportId: support.user.id,
    alfaServiceId: alfaService.user.id,
    alfaErpId: erp.integration.id,
  };
  const table = await t.request(
    CartTestShippingTableDocument,
    { input: { name: 'PAC', carrier: 'Correios', method: 'PAC', scheduled: false, rows: [{ postalCodeFrom: '00000000', postalCodeTo: '99999999', weightFromGrams: 0, weightToGrams: 1_000_000, priceCents: 2_999, days: 6 }] } },
    tok.owner,
  );
  expect(table.data?.createShippingTable.userErrors).toEqual([]);
});
afterAll(async () => t?.stop());

const anyone = { actorRole: null, actorUserId: null, actorIntegrationId: null, note: null };

describe('checkout and approval are recorded', () => {
  it('a card cart: created waiting for the verdict by the shopper, approved by the fraud analyzer', async () => {
    const token = await cart([['ADM1', 1], ['ALFA-A1', 1]]);
    const res = await checkout(token, [card()]);
    expect(res.orders!.map((o) => o.status)).toEqual(['APPROVED', 'APPROVED']);
    for (const o of res.orders!) {
      expect(await history(o.code)).toEqual([
        { ...anyone, from: null, to: 'PENDING_FRAUD_REVIEW', action: 'PLACE_AUTHORIZED', actorKind: 'ANONYMOUS', actorLabel: 'shopper', reason: 'PAYMENT_AUTHORIZED' },
        { ...anyone, from: 'PENDING_FRAUD_REVIEW', to: 'APPROVED', action: 'APPROVE', actorKind: 'SYSTEM', actorLabel: 'fraud analyzer', reason: 'FRAUD_APPROVED' },
      ]);
    }
    // The shopper who holds the cart token reads the same history, oldest first, with the times of the changes.
    const own = await t.request(OhHistoryOfCartDocument, { cartToken: token });
    expect(own.errors).toBeUndefined();
    const changes = own.data!.ordersOfCart[0]!.history;
    expect(changes.map((c) => c.action)).toEqual(['PLACE_AUTHORIZED', 'APPROVE']);
    expect(Date.parse(changes[0]!.at)).toBeLessThanOrEqual(Date.parse(changes[1]!.at));
  });

  it('a customer\'s Pix cart: created waiting for payment, approved by the provider\'s webhook', async () => {
    const token = await cart([['ADM1', 1]], tok.customer);
    const res = await checkout(token, [pix], tok.customer);
    expect(res.orders![0]!.status).toBe('PENDING_PAYMENT');
    const tx = await f.em().findOneOrFail(PaymentTransaction, { cartNumber: res.cartNumber! }, { populate: ['parts'] });
    const hook = await paymentProviders(t.app.runtime).sandbox!.confirm(tx.parts[0]!.providerRef!);
    expect((await fetch(t.url.replace('/graphql', '/webhooks/payments/sandbox'), { method: 'POST', headers: hook.headers, body: hook.rawBody })).status).toBe(200);
    expect(await history(res.orders![0]!.code)).toEqual([
      { ...anyone, from: null, to: 'PENDING_PAYMENT', action: 'PLACE', actorKind: 'CUSTOMER', actorLabel: 'customer', actorUserId: tok.customerId, reason: 'PAYMENT_PENDING' },
      { ...anyone, from: 'PENDING_PAYMENT', to: 'APPROVED', action: 'APPROVE', actorKind: 'SYSTEM', actorLabel: 'payment provider (sandbox)', reason: 'PAYMENT_CONFIRMED' },
    ]);
  });

  it('a bank deposit confirmed by operator staff approves with that staff member as the actor', async () => {
    const res = await checkout(await cart([['ADM1', 1]]), [{ method: 'BANK_DEPOSIT' }]);
    const confirmed = await t.request(OhConfirmDepositDocument, { input: { cartNumber: res.cartNumber!, idempotencyKey: randomUUID() } }, tok.owner);
    expect(confirmed.data?.confirmBankDeposit.userErrors).toEqual([]);
    expect((await history(res.orders![0]!.code)).at(-1)).toEqual({
      from: 'PENDING_PAYMENT',
      to: 'APPROVED',
      action: 'APPROVE',
      actorKind: 'OPERATOR',
      actorLabel: 'store staff',
      actorRole: 'OWNER',
      actorUserId: tok.operatorId,
      actorIntegrationId: null,
      reason: 'PAYMENT_CONFIRMED',
      note: null,
    });
  });

  it('a review settled by operator staff records the reviewer', async () => {
    const res = await checkout(await cart([['ALFA-A2', 1]]), [card('tok_approve', 3)]); // R$ 3.500,00: review
    expect(res.fraudStatus).toBe('REVIEW');
    const decided = await t.request(CoDecideFraudDocument, { input: { cartNumber: res.cartNumber!, outcome: 'APPROVED' } }, tok.support);
    expect(decided.data?.decideFraudAnalysis.userErrors).toEqual([]);
    expect((await history(res.orders![0]!.code)).map((c) => [c.action, c.to, c.actorKind, c.actorRole, c.actorUserId, c.reason])).toEqual([
      ['PLACE_AUTHORIZED', 'PENDING_FRAUD_REVIEW', 'ANONYMOUS', null, null, 'PAYMENT_AUTHORIZED'],
      ['APPROVE', 'APPROVED', 'OPERATOR', 'SUPPORT', tok.supportId, 'FRAUD_APPROVED'],
    ]);
  });
});

describe('cancellations are recorded with their actor', () => {
  it('the customer cancels with a note: everyone who sees the order reads who, operator staff also the note and the user', async () => {
    const token = await cart([['ADM1', 1], ['ALFA-A1', 1]], tok.customer);
    const res = await checkout(token, [card()], tok.customer);
    const theirs = res.orders!.find((o) => o.seller.concatenationCode === 'ALFA')!;
    const cancelled = await t.request(OhCancelDocument, { input: { orderCode: theirs.code, idempotencyKey: randomUUID(), note: 'Comprei em outra loja' } }, tok.customer);
    expect(cancelled.data?.cancelOrder.userErrors).toEqual([]);
    // The payload carries the history too, with the change just made last.
    expect(cancelled.data!.cancelOrder.order!.history.map((c) => c.action)).toEqual(['PLACE_AUTHORIZED', 'APPROVE', 'CANCEL']);
    expect((await history(theirs.code)).at(-1)).toEqual({
      from: 'APPROVED',
      to: 'CANCELLED',
      action: 'CANCEL',
      actorKind: 'CUSTOMER',
      actorLabel: 'customer',
      actorRole: null,
      actorUserId: tok.customerId,
      actorIntegrationId: null,
      reason: 'SHOPPER_REQUEST',
      note: 'Comprei em outra loja',
    });
    // The order's seller reads the history but not who exactly, nor the customer's note.
    const seller = await t.request(OhHistoryDocument, { code: theirs.code }, tok.alfaOwner);
    expect(seller.data?.order?.history.at(-1)).toMatchObject({ action: 'CANCEL', actorKind: 'CUSTOMER', actorLabel: 'customer', reason: 'SHOPPER_REQUEST' });
    expect(codes(await t.request(OhHistoryAuditDocument, { code: theirs.code }, tok.alfaOwner))).toContain('FORBIDDEN');
    expect(codes(await t.request(OhHistoryOfCartAuditDocument, { cartToken: token }, tok.customer))).toContain('FORBIDDEN');
  });

  it('the seller\'s service user and its integration cancel in their own name', async () => {
    const res = await checkout(await cart([['ALFA-A1', 1]]), [card()]);
    const byService = await t.request(OhCancelDocument, { input: { orderCode: res.orders![0]!.code, idempotencyKey: randomUUID() } }, tok.alfaService);
    expect(byService.data?.cancelOrder.userErrors).toEqual([]);
    expect((await history(res.orders![0]!.code)).at(-1)).toMatchObject({ actorKind: 'SELLER', actorLabel: 'seller Alfa Modas', actorRole: 'SERVICE', actorUserId: tok.alfaServiceId, reason: 'SELLER_REQUEST' });

    const other = await checkout(await cart([['ALFA-A1', 1]]), [card()]);
    const byErp = await t.request(OhCancelDocument, { input: { orderCode: other.orders![0]!.code, idempotencyKey: randomUUID() } }, tok.alfaErp);
    expect(byErp.data?.cancelOrder.userErrors).toEqual([]);
    expect((await history(other.orders![0]!.code)).at(-1)).toMatchObject({ actorKind: 'INTEGRATION', actorLabel: 'Alfa Modas integration', actorUserId: null, actorIntegrationId: tok.alfaErpId });
  });

  it('a fraud rejection is the analyzer\'s (SYSTEM) cancellation', async () => {
    const res = await checkout(await cart([['ALFA-A3', 2]]), [card('tok_approve', 10)]); // R$ 12.000 on a card: hard reject
    expect(res.fraudStatus).toBe('REJECTED');
    expect(await history(res.orders![0]!.code)).toEqual([
      { ...anyone, from: null, to: 'PENDING_FRAUD_REVIEW', action: 'PLACE_AUTHORIZED', actorKind: 'ANONYMOUS', actorLabel: 'shopper', reason: 'PAYMENT_AUTHORIZED' },
      { ...anyone, from: 'PENDING_FRAUD_REVIEW', to: 'CANCELLED', action: 'CANCEL', actorKind: 'SYSTEM', actorLabel: 'fraud analyzer', reason: 'FRAUD_REJECTED' },
    ]);
  });

  it('an unpaid Pix cart expires: the payment expiry job cancels', async () => {
    const res = await checkout(await cart([['ADM1', 1]]), [pix]);
    await f.em().nativeUpdate(PaymentTransaction, { cartNumber: res.cartNumber! }, { expiresAt: new Date(Date.now() - 60_000) });
    expect(await expireUnpaidTransactions(t.app.runtime)).toBeGreaterThanOrEqual(1);
    expect((await history(res.orders![0]!.code)).at(-1)).toEqual({
      ...anyone,
      from: 'PENDING_PAYMENT',
      to: 'CANCELLED',
      action: 'CANCEL',
      actorKind: 'SYSTEM',
      actorLabel: 'payment expiry',
      reason: 'PAYMENT_EXPIRED',
    });
  });
});

describe('the machine refuses moves the table does not hold, and changes nothing', () => {
  it('cancelling a shipped order is a CONFLICT naming its status: no refund, no stock, no history', async () => {
    const res = await checkout(await cart([['ADM1', 2]]), [card()]);
    const code = res.orders![0]!.code;
    // Nothing ships an order yet (the fulfilment issue adds it); the row is put there directly.
    await f.em().nativeUpdate(Order, { code }, { status: OrderStatus.SHIPPED });
    const before = { stock: await stock('ADM1'), changes: await f.em().count(OrderStatusChange, { order: { code } }) };
    const refused = await t.request(OhCancelDocument, { input: { orderCode: code, idempotencyKey: randomUUID() } }, tok.owner);
    expect(refused.errors).toBeUndefined();
    expect(refused.data?.cancelOrder).toEqual({ order: null, userErrors: [{ code: 'CONFLICT', field: ['input', 'orderCode'], message: `Order ${code} is shipped and cannot be cancelled.` }] });
    const order = await f.em().findOneOrFail(Order, { code });
    expect([order.status, order.cancelledAt ?? null, order.cancellationReason ?? null]).toEqual(['SHIPPED', null, null]);
    expect(await stock('ADM1')).toBe(before.stock);
    expect(await f.em().count(OrderStatusChange, { order: { code } })).toBe(before.changes);
    const tx = await f.em().findOneOrFail(PaymentTransaction, { cartNumber: res.cartNumber! });
    expect([tx.refundedCents, tx.releasedCents]).toEqual([0, 0]);
  });

  it('cancelling a cancelled order stays a quiet repeat: same answer, no second history row', async () => {
    const res = await checkout(await cart([['ADM1', 1]]), [card()]);
    const code = res.orders![0]!.code;
    const key = randomUUID();
    expect((await t.request(OhCancelDocument, { input: { orderCode: code, idempotencyKey: key } }, tok.owner)).data?.cancelOrder.userErrors).toEqual([]);
    const again = await t.request(OhCancelDocument, { input: { orderCode: code, idempotencyKey: randomUUID() } }, tok.owner);
    expect(again.data?.cancelOrder).toMatchObject({ userErrors: [], order: { status: 'CANCELLED' } });
    expect((await history(code)).map((c) => c.action)).toEqual(['PLACE_AUTHORIZED', 'APPROVE', 'CANCEL']);
  });

  it('roles the table does not name are FORBIDDEN, and so is a suspended seller; nothing changes', async () => {
    const res = await checkout(await cart([['ALFA-A1', 1]]), [card()]);
    const code = res.orders![0]!.code;
    const cancel = (token: string) => t.request(OhCancelDocument, { input: { orderCode: code, idempotencyKey: randomUUID() } }, token);
    const finance = await cancel(tok.alfaFinance);
    expect(codes(finance)).toEqual(['FORBIDDEN']);
    expect(finance.data).toBeNull();
    expect(codes(await cancel(tok.alfaCatalog))).toEqual(['FORBIDDEN']);
    await f.em().nativeUpdate(Seller, { id: alfa.id }, { status: SellerStatus.SUSPENDED });
    try {
      const suspended = await cancel(tok.alfaOwner);
      expect(codes(suspended)).toEqual(['FORBIDDEN']);
      expect(suspended.errors![0]!.message).toBe('Seller Alfa Modas is suspended: ask the store to cancel the order.');
      expect(codes(await cancel(tok.alfaErp))).toEqual(['FORBIDDEN']);
    } finally {
      await f.em().nativeUpdate(Seller, { id: alfa.id }, { status: SellerStatus.ACTIVE });
    }
    expect((await history(code)).map((c) => c.action)).toEqual(['PLACE_AUTHORIZED', 'APPROVE']);
    expect((await f.em().findOneOrFail(Order, { code })).status).toBe('APPROVED');
  });
});
