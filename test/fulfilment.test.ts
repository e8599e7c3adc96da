import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, codes, type TestApp } from './helpers/app.js';
import { CatalogFactory, Factory } from './helpers/factories.js';
import {
  AddCartLineDocument,
  CartTestShippingTableDocument,
  CoCheckoutDocument,
  CreateCartDocument,
  FfBulkDocument,
  FfDeliverDocument,
  FfImportDocument,
  FfInvoiceDocument,
  FfOrderByLinkDocument,
  FfOrderDocument,
  FfSearchDocument,
  FfShipDocument,
  FfTrackDocument,
  OhCancelDocument,
  SetBuyerDocument,
  SetShippingAddressDocument,
  type InvoiceOrderInput,
  type PaymentPartInput,
} from './generated/graphql.js';
import { UserRole } from '../src/shared/access/index.js';
import { Seller } from '../src/modules/sellers/sellers.entity.js';
import { accessKeyCheckDigit } from '../src/modules/fulfilment/index.js';
import { Order, OrderStatus } from '../src/modules/orders/orders.entity.js';
import { ORDER_LINKS } from '../src/modules/orders/index.js';

/**
 * Fulfilment through the API (issue 9): invoice, ship, track and deliver by each role of
 * design.md's table, the NF-e key rules, bulk rows and CSV, the buyer following the order by
 * a signed link, order search, and one e-mail per order event.
 */

let t: TestApp;
let f: Factory;
let alfa: Seller;
let beta: Seller;
const tok = {} as Record<
  'owner' | 'admin' | 'support' | 'agent' | 'customer' | 'alfaOwner' | 'alfaService' | 'alfaFinance' | 'alfaCatalog' | 'alfaErp' | 'betaOwner' | 'betaErp',
  string
>;
let agentId = '';

const buyer = { name: 'Maria da Silva', email: 'maria@example.com', document: '529.982.247-25', phone: '(11) 98765-4321' };
const address = { recipient: 'Maria da Silva', street: 'Av. Paulista', number: '1000', complement: null, district: 'Bela Vista', city: 'São Paulo', state: 'SP', postalCode: '01310-100' };
const card: PaymentPartInput = { method: 'CARD', installments: 1, card: { token: 'tok_approve', brand: 'Visa', bin: '411111', last4: '1111' } };

/** Checks a cart of these lines out by card (approved at once); returns its orders' codes in order. */
async function placeOrders(lines: [string, number][], opts: { token?: string; buyerName?: string; postalCode?: string } = {}): Promise<string[]> {
  const cartToken = (await t.request(CreateCartDocument, {}, opts.token)).data!.createCart.token!;
  for (const [sku, quantity] of lines) expect((await t.request(AddCartLineDocument, { cartToken, skuCode: sku, quantity }, opts.token)).data?.addCartLine.userErrors).toEqual([]);
  expect((await t.request(SetBuyerDocument, { cartToken, input: { ...buyer, name: opts.buyerName ?? buyer.name } }, opts.token)).data?.setBuyer.userErrors).toEqual([]);
  expect((await t.request(SetShippingAddressDocument, { cartToken, input: { ...address, postalCode: opts.postalCode ?? address.postalCode } }, opts.token)).data?.setShippingAddress.userErrors).toEqual([]);
  const res = await t.request(CoCheckoutDocument, { input: { cartToken, idempotencyKey: randomUUID(), payment: { parts: [card] } } }, opts.token);
  expect(res.data?.checkout.userErrors).toEqual([]);
  expect(res.data!.checkout.orders!.every((o) => o.status === 'APPROVED')).toBe(true);
  return res.data!.checkout.orders!.map((o) => o.code);
}

/** A valid NF-e access key for `document` (CNPJ, or CPF zero-padded). */
function keyFor(document: string, o: { number?: string; series?: number; issuedAt?: Date; model?: string; uf?: string } = {}): string {
  const at = o.issuedAt ?? new Date();
  const aamm = `${String(at.getUTCFullYear()).slice(2)}${String(at.getUTCMonth() + 1).padStart(2, '0')}`;
  const first = `${o.uf ?? '35'}${aamm}${document.padStart(14, '0')}${o.model ?? '55'}${String(o.series ?? 1).padStart(3, '0')}${(o.number ?? '123').padStart(9, '0')}1${'12345678'}`;
  return first + accessKeyCheckDigit(first);
}

async function orderTotal(code: string): Promise<number> {
  return (await f.em().findOneOrFail(Order, { code })).totalCents;
}

async function invoiceInput(code: string, seller: Seller, over: Partial<InvoiceOrderInput> = {}): Promise<InvoiceOrderInput> {
  const number = over.number ?? String(Math.floor(Math.random() * 900_000_000) + 1);
  const issuedAt = over.issuedAt ? new Date(over.issuedAt) : new Date();
  return {
    orderCode: code,
    number,
    series: 1,
    issuedAt: issuedAt.toISOString(),
    amount: await orderTotal(code),
    accessKey: keyFor(seller.document!, { number, series: over.series ?? 1, issuedAt }),
    ...over,
  };
}

async function invoice(code: string, seller: Seller, token: string, issuedAt?: Date) {
  const res = await t.request(FfInvoiceDocument, { input: await invoiceInput(code, seller, issuedAt ? { issuedAt: issuedAt.toISOString() } : {}) }, token);
  expect(res.data?.invoiceOrder.userErrors).toEqual([]);
  return res.data!.invoiceOrder.order!;
}

async function ship(code: string, token: string, trackingCode = `BR${Math.floor(Math.random() * 1e9)}BR`, shippedAt?: Date) {
  const res = await t.request(
    FfShipDocument,
    { input: { orderCode: code, carrier: 'Correios', trackingCode, trackingUrl: 'https://rastreamento.correios.com.br/app/index.php', shippedAt: shippedAt?.toISOString() } },
    token,
  );
  expect(res.data?.shipOrder.userErrors).toEqual([]);
  return res.data!.shipOrder.order!;
}

beforeAll(async () => {
  t = await startTestApp();
  f = new Factory(t);
  const c = new CatalogFactory(f);
  await f.setMarketplace(true);
  const admin = await f.adminSeller();
  alfa = await f.seller({ code: 'ALFA', name: 'Alfa Modas' });
  beta = await f.seller({ code: 'BETA', name: 'Beta Eletrônicos' });
  // Beta has a CNPJ in the alphanumeric format issued since July 2026.
  await f.em().nativeUpdate(Seller, { id: beta.id }, { document: 'Q0SLFMBD7VX439' });
  beta = await f.em().findOneOrFail(Seller, { id: beta.id });
  await f.em().nativeUpdate(Seller, { id: admin.id }, { document: '11222333000181' });
  await c.product(admin, { sellerCode: 'CANECA', name: 'Caneca', skus: [{ code: 'ADM1', price: 9_990, stock: 1_000, weight: 500 }] });
  await c.product(alfa, { sellerCode: 'CAMISA', name: 'Camiseta', skus: [{ code: 'A1', price: 15_990, stock: 1_000, weight: 300 }] });
  await c.product(beta, { sellerCode: 'FONE', name: 'Fone', skus: [{ code: 'B1', price: 29_990, stock: 1_000, weight: 200 }] });
  const agent = await f.operator(UserRole.AGENT);
  agentId = agent.user.id;
  Object.assign(tok, {
    owner: (await f.operator(UserRole.OWNER)).token,
    admin: (await f.operator(UserRole.ADMIN)).token,
    support: (await f.operator(UserRole.SUPPORT)).token,
    agent: agent.token,
    customer: (await f.customer()).token,
    alfaOwner: (await f.user({ seller: alfa, role: UserRole.OWNER })).token,
    alfaService: (await f.user({ seller: alfa, role: UserRole.SERVICE })).token,
    alfaFinance: (await f.user({ seller: alfa, role: UserRole.FINANCE })).token,
    alfaCatalog: (await f.user({ seller: alfa, role: UserRole.CATALOG })).token,
    alfaErp: (await f.integration({ seller: alfa })).token,
    betaOwner: (await f.user({ seller: beta, role: UserRole.OWNER })).token,
    betaErp: (await f.integration({ seller: beta })).token,
  });
  const table = await t.request(
    CartTestShippingTableDocument,
    { input: { name: 'PAC', carrier: 'Correios', method: 'PAC', scheduled: false, rows: [{ postalCodeFrom: '00000000', postalCodeTo: '99999999', weightFromGrams: 0, weightToGrams: 1_000_000, priceCents: 1_990, days: 5 }] } },
    tok.owner,
  );
  expect(table.data?.createShippingTable.userErrors).toEqual([]);
});
afterAll(async () => t?.stop());

describe('the transition × role table (design.md)', () => {
  it('invoice, ship, deliver: allowed for the seller OWNER/SERVICE, its integration, operator OWNER/ADMIN', async () => {
    const movers: [string, keyof typeof tok][] = [
      ['seller OWNER', 'alfaOwner'],
      ['seller SERVICE', 'alfaService'],
      ['its integration', 'alfaErp'],
      ['operator OWNER', 'owner'],
      ['operator ADMIN', 'admin'],
    ];
    for (const [who, token] of movers) {
      const [code] = await placeOrders([['ALFA-A1', 1]]);
      expect((await invoice(code!, alfa, tok[token])).status, who).toBe('INVOICED');
      expect((await ship(code!, tok[token])).status, who).toBe('SHIPPED');
      const delivered = await t.request(FfDeliverDocument, { input: { orderCode: code! } }, tok[token]);
      expect(delivered.data?.markDelivered.userErrors, who).toEqual([]);
      expect(delivered.data!.markDelivered.order!.status, who).toBe('DELIVERED');
    }
  });

  it('refused for seller FINANCE/CATALOG users, operator SUPPORT/AGENT, customers and anonymous callers; nothing changes', async () => {
    const [code] = await placeOrders([['ALFA-A1', 1]]);
    const input = await invoiceInput(code!, alfa);
    for (const token of [tok.alfaFinance, tok.alfaCatalog, tok.support, tok.agent, tok.customer]) {
      const res = await t.request(FfInvoiceDocument, { input }, token);
      expect(codes(res)).toEqual(['FORBIDDEN']);
    }
    expect(codes(await t.request(FfInvoiceDocument, { input }))).toEqual(['UNAUTHENTICATED']);
    for (const token of [tok.alfaFinance, tok.support, tok.customer]) {
      expect(codes(await t.request(FfShipDocument, { input: { orderCode: code!, carrier: 'X', trackingCode: 'X1' } }, token))).toEqual(['FORBIDDEN']);
      expect(codes(await t.request(FfDeliverDocument, { input: { orderCode: code! } }, token))).toEqual(['FORBIDDEN']);
    }
    expect((await f.em().findOneOrFail(Order, { code: code! })).status).toBe('APPROVED');
  });

  it('an illegal move is a CONFLICT naming the current status, and changes nothing', async () => {
    const [code] = await placeOrders([['ALFA-A1', 1]]);
    const shipEarly = await t.request(FfShipDocument, { input: { orderCode: code!, carrier: 'Correios', trackingCode: 'BR1BR' } }, tok.alfaOwner);
    expect(shipEarly.data?.shipOrder.userErrors).toEqual([{ code: 'CONFLICT', field: ['input', 'orderCode'], message: `Order ${code} is approved and cannot be shipped.` }]);
    const deliverEarly = await t.request(FfDeliverDocument, { input: { orderCode: code! } }, tok.alfaOwner);
    expect(deliverEarly.data?.markDelivered.userErrors[0]).toMatchObject({ code: 'CONFLICT', message: expect.stringContaining('is approved') });
    await invoice(code!, alfa, tok.alfaOwner);
    const track = await t.request(FfTrackDocument, { input: { orderCode: code!, status: 'IN_TRANSIT', occurredAt: new Date().toISOString() } }, tok.alfaOwner);
    expect(track.data?.addTrackingEvent.userErrors[0]).toMatchObject({ code: 'CONFLICT', message: expect.stringContaining('is invoiced') });
    const order = await t.request(FfOrderDocument, { code: code! }, tok.owner);
    expect(order.data!.order!.status).toBe('INVOICED');
    expect(order.data!.order!.shipment).toBeNull();
    expect(order.data!.order!.history.map((h) => h.action)).toEqual(['PLACE_AUTHORIZED', 'APPROVE', 'INVOICE']);
  });

  it('cancel: the customer until INVOICED; the seller and staff while INVOICED; nobody after SHIPPED (the invoice reads cancelled)', async () => {
    const [own] = await placeOrders([['ALFA-A1', 1]], { token: tok.customer });
    await invoice(own!, alfa, tok.alfaOwner);
    const byCustomer = await t.request(OhCancelDocument, { input: { orderCode: own!, idempotencyKey: randomUUID() } }, tok.customer);
    expect(codes(byCustomer)).toEqual(['FORBIDDEN']);
    expect((await f.em().findOneOrFail(Order, { code: own! })).status).toBe('INVOICED');
    const bySeller = await t.request(OhCancelDocument, { input: { orderCode: own!, idempotencyKey: randomUUID() } }, tok.alfaService);
    expect(bySeller.data?.cancelOrder.userErrors).toEqual([]);
    const cancelled = await t.request(FfOrderDocument, { code: own! }, tok.owner);
    expect(cancelled.data!.order).toMatchObject({ status: 'CANCELLED', invoice: { cancelled: true } });
    expect(cancelled.data!.order!.history.at(-1)).toMatchObject({ from: 'INVOICED', to: 'CANCELLED', action: 'CANCEL', actorKind: 'SELLER' });

    const [shipped] = await placeOrders([['ALFA-A1', 1]]);
    await invoice(shipped!, alfa, tok.alfaOwner);
    await ship(shipped!, tok.alfaOwner);
    const late = await t.request(OhCancelDocument, { input: { orderCode: shipped!, idempotencyKey: randomUUID() } }, tok.owner);
    expect(late.data?.cancelOrder.userErrors[0]).toMatchObject({ code: 'CONFLICT', message: expect.stringContaining('is shipped') });
  });
});

describe('invoices (NF-e)', () => {
  it('refuses a wrong check digit, another seller\'s CNPJ, letters where digits must be, another model, number or month, and an amount that is not the total', async () => {
    const [code] = await placeOrders([['ALFA-A1', 1]]);
    const good = await invoiceInput(code!, alfa);
    const wrongDigit = good.accessKey.slice(0, 43) + ((Number(good.accessKey[43]) + 1) % 10);
    const others = keyFor(beta.document!, { number: good.number, issuedAt: new Date(good.issuedAt) });
    const letters = `${good.accessKey.slice(0, 30)}ABC${good.accessKey.slice(33)}`;
    const nfce = keyFor(alfa.document!, { number: good.number, model: '65', issuedAt: new Date(good.issuedAt) });
    const otherNumber = keyFor(alfa.document!, { number: '999', issuedAt: new Date(good.issuedAt) });
    const lastYear = keyFor(alfa.document!, { number: good.number, issuedAt: new Date(Date.now() - 400 * 86_400_000) });
    const cases: [string, Partial<InvoiceOrderInput>, string][] = [
      ['wrong check digit', { accessKey: wrongDigit }, 'check digit'],
      ["another seller's CNPJ", { accessKey: others }, "not by the order's seller"],
      ['letters where digits must be', { accessKey: letters }, 'digits everywhere'],
      ['an NFC-e', { accessKey: nfce }, 'model 65'],
      ['another number', { accessKey: otherNumber }, 'NF-e number 999'],
      ['another month', { accessKey: lastYear }, 'not in the month of issuedAt'],
      ['an amount that is not the total', { amount: good.amount + 1 }, 'must be the order total'],
    ];
    for (const [what, over, message] of cases) {
      const res = await t.request(FfInvoiceDocument, { input: { ...good, ...over } }, tok.alfaOwner);
      expect(res.data?.invoiceOrder.userErrors.map((e) => e.message).join(' | '), what).toContain(message);
    }
    // With a reason, the amount may differ (freight invoiced apart, say).
    const reasoned = await t.request(FfInvoiceDocument, { input: { ...good, amount: good.amount - 1_990, amountReason: 'Frete faturado pela transportadora.' } }, tok.alfaOwner);
    expect(reasoned.data?.invoiceOrder.userErrors).toEqual([]);
  });

  it('accepts a key issued by an alphanumeric CNPJ (letters count in the mod-11 digit)', async () => {
    const [code] = await placeOrders([['BETA-B1', 1]]);
    const input = await invoiceInput(code!, beta);
    expect(input.accessKey.slice(6, 20)).toBe('Q0SLFMBD7VX439');
    const res = await t.request(FfInvoiceDocument, { input }, tok.betaErp);
    expect(res.data?.invoiceOrder.userErrors).toEqual([]);
    expect(res.data!.invoiceOrder.order!.invoice).toMatchObject({ accessKey: input.accessKey, cancelled: false, amount: { amount: input.amount } });
  });

  it('the same invoice sent again returns the first; different data for an invoiced order is a CONFLICT', async () => {
    const [code] = await placeOrders([['ALFA-A1', 1]]);
    const input = await invoiceInput(code!, alfa);
    const first = await t.request(FfInvoiceDocument, { input }, tok.alfaErp);
    const again = await t.request(FfInvoiceDocument, { input }, tok.alfaErp);
    expect(again.data?.invoiceOrder.userErrors).toEqual([]);
    expect(again.data!.invoiceOrder.invoice).toEqual(first.data!.invoiceOrder.invoice);
    const other = await t.request(FfInvoiceDocument, { input: await invoiceInput(code!, alfa) }, tok.alfaErp);
    expect(other.data?.invoiceOrder.userErrors[0]).toMatchObject({ code: 'CONFLICT', field: ['input', 'accessKey'] });
    const history = (await t.request(FfOrderDocument, { code: code! }, tok.owner)).data!.order!.history;
    expect(history.filter((h) => h.action === 'INVOICE')).toHaveLength(1);
  });
});

describe('shipping, tracking and delivery', () => {
  it('tracking events are kept once each; a DELIVERED event delivers the order at its time', async () => {
    const [code] = await placeOrders([['ALFA-A1', 1]]);
    await invoice(code!, alfa, tok.alfaErp, new Date(Date.now() - 3 * 3600_000));
    await ship(code!, tok.alfaErp, undefined, new Date(Date.now() - 2 * 3600_000));
    const at = (minutesAgo: number) => new Date(Date.now() - minutesAgo * 60_000).toISOString();
    const transit = { orderCode: code!, status: 'IN_TRANSIT' as const, description: 'Objeto em trânsito', location: 'Cajamar - SP', occurredAt: at(30) };
    expect((await t.request(FfTrackDocument, { input: transit }, tok.alfaErp)).data?.addTrackingEvent.userErrors).toEqual([]);
    expect((await t.request(FfTrackDocument, { input: transit }, tok.alfaErp)).data?.addTrackingEvent.userErrors).toEqual([]);
    const withId = { orderCode: code!, status: 'OUT_FOR_DELIVERY' as const, occurredAt: at(20), eventId: 'evt-77' };
    await t.request(FfTrackDocument, { input: withId }, tok.alfaErp);
    await t.request(FfTrackDocument, { input: { ...withId, occurredAt: at(19) } }, tok.alfaErp);
    const deliveredAt = at(10);
    const delivered = await t.request(FfTrackDocument, { input: { orderCode: code!, status: 'DELIVERED', occurredAt: deliveredAt } }, tok.alfaErp);
    expect(delivered.data?.addTrackingEvent.order).toMatchObject({ status: 'DELIVERED', shipment: { deliveredAt } });
    const order = (await t.request(FfOrderDocument, { code: code! }, tok.owner)).data!.order!;
    expect(order.shipment!.events.map((e) => e.status)).toEqual(['IN_TRANSIT', 'OUT_FOR_DELIVERY', 'DELIVERED']);
    expect(order.history.at(-1)).toMatchObject({ from: 'SHIPPED', to: 'DELIVERED', action: 'DELIVER', actorKind: 'INTEGRATION' });
    // The same DELIVERED event again is one event, and the order stays delivered.
    expect((await t.request(FfTrackDocument, { input: { orderCode: code!, status: 'DELIVERED', occurredAt: deliveredAt } }, tok.alfaErp)).data?.addTrackingEvent.userErrors).toEqual([]);
  });

  it('an order shipped without a shipment row (older data) still takes tracking events, bounded by its own shipping instant', async () => {
    const [code] = await placeOrders([['ALFA-A1', 1]]);
    const shippedAt = new Date(Date.now() - 3600_000);
    await f.em().nativeUpdate(Order, { code: code! }, { status: OrderStatus.SHIPPED, shippedAt });
    const before = await t.request(FfTrackDocument, { input: { orderCode: code!, status: 'IN_TRANSIT', occurredAt: new Date(shippedAt.getTime() - 3600_000).toISOString() } }, tok.alfaErp);
    expect(before.errors).toBeUndefined();
    expect(before.data?.addTrackingEvent.userErrors).toMatchObject([{ code: 'CONFLICT', field: ['input', 'occurredAt'] }]);
    const after = await t.request(FfTrackDocument, { input: { orderCode: code!, status: 'IN_TRANSIT', occurredAt: new Date().toISOString() } }, tok.alfaErp);
    expect(after.errors).toBeUndefined();
    expect(after.data?.addTrackingEvent.userErrors).toEqual([]);
  });

  it('shipping the same shipment again returns the first; another tracking code is a CONFLICT', async () => {
    const [code] = await placeOrders([['ALFA-A1', 1]]);
    await invoice(code!, alfa, tok.alfaOwner);
    await ship(code!, tok.alfaOwner, 'QB123BR');
    const again = await t.request(FfShipDocument, { input: { orderCode: code!, carrier: 'Correios', trackingCode: 'QB123BR' } }, tok.alfaOwner);
    expect(again.data?.shipOrder.userErrors).toEqual([]);
    const other = await t.request(FfShipDocument, { input: { orderCode: code!, carrier: 'Correios', trackingCode: 'QB999BR' } }, tok.alfaOwner);
    expect(other.data?.shipOrder.userErrors[0]).toMatchObject({ code: 'CONFLICT' });
  });
});

describe('bulk fulfilment', () => {
  it('a CSV with good and bad rows applies the good ones and reports the bad by line', async () => {
    const [a1] = await placeOrders([['ALFA-A1', 1]]);
    const [a2] = await placeOrders([['ALFA-A1', 2]]);
    const [b1] = await placeOrders([['BETA-B1', 1]]);
    const inv = await invoiceInput(a1!, alfa);
    const bad = await invoiceInput(a2!, alfa);
    const csv = [
      'order_code;action;nfe_number;nfe_series;nfe_issued_at;nfe_amount;nfe_access_key;carrier;tracking_code',
      `${a1};INVOICE;${inv.number};1;${inv.issuedAt};${inv.amount};${inv.accessKey};;`,
      `${a2};INVOICE;${bad.number};1;${bad.issuedAt};${bad.amount};${bad.accessKey.slice(0, 43)}${(Number(bad.accessKey[43]) + 1) % 10};;`,
      `${a1};SHIP;;;;;;Correios;QB555BR`,
      '',
      `${b1};INVOICE;1;1;${inv.issuedAt};100;${inv.accessKey};;`,
      `${a2};PACK;;;;;;;`,
      `${a2};SHIP;;;;;;Correios;`,
    ].join('\n');
    const res = await t.request(FfImportDocument, { input: { csv } }, tok.alfaOwner);
    expect(res.data?.importFulfilment.userErrors).toEqual([]);
    const results = res.data!.importFulfilment.results!;
    expect(results.map((r) => [r.line, r.ok, r.status])).toEqual([
      [2, true, 'INVOICED'],
      [3, false, null],
      [4, true, 'SHIPPED'],
      [6, false, null],
      [7, false, null],
      [8, false, null],
    ]);
    expect(results[1]!.errors[0]!.message).toContain('check digit');
    // Another seller's order is not found for Alfa: its code cannot be probed through a file.
    expect(results[3]!.errors[0]).toMatchObject({ code: 'NOT_FOUND' });
    expect(results[4]!.errors[0]!.message).toContain('Line 7: action is INVOICE, SHIP or DELIVER');
    expect(results[5]!.errors[0]!.message).toContain('trackingCode is required');
    expect(res.data!.importFulfilment).toMatchObject({ appliedCount: 2, failedCount: 4 });
    expect((await f.em().findOneOrFail(Order, { code: a2! })).status).toBe('APPROVED');
    expect((await f.em().findOneOrFail(Order, { code: b1! })).status).toBe('APPROVED');
  });

  it('rows in a list are reported by position; an unreadable file is refused whole', async () => {
    const [a1] = await placeOrders([['ALFA-A1', 1]]);
    const res = await t.request(FfBulkDocument, { input: { rows: [{ orderCode: a1!, action: 'DELIVER' }, { orderCode: 'NOPE-1-1', action: 'SHIP', carrier: 'X', trackingCode: 'X1' }] } }, tok.owner);
    expect(res.data!.fulfilOrders.results!.map((r) => [r.line, r.ok, r.errors[0]?.code])).toEqual([
      [1, false, 'CONFLICT'],
      [2, false, 'NOT_FOUND'],
    ]);
    const unreadable = await t.request(FfImportDocument, { input: { csv: 'order_code,weight\nX,1' } }, tok.owner);
    expect(unreadable.data?.importFulfilment.userErrors[0]).toMatchObject({ code: 'BAD_USER_INPUT', field: ['input', 'csv'] });
  });
});

describe('seller isolation', () => {
  it('seller B cannot see, invoice, ship or track seller A\'s order — by code, bulk row or search', async () => {
    const [code] = await placeOrders([['ALFA-A1', 1]]);
    const input = await invoiceInput(code!, alfa);
    for (const token of [tok.betaOwner, tok.betaErp]) {
      expect((await t.request(FfOrderDocument, { code: code! }, token)).data?.order).toBeNull();
      expect((await t.request(FfInvoiceDocument, { input }, token)).data?.invoiceOrder.userErrors[0]).toMatchObject({ code: 'NOT_FOUND' });
      expect((await t.request(FfShipDocument, { input: { orderCode: code!, carrier: 'X', trackingCode: 'X1' } }, token)).data?.shipOrder.userErrors[0]).toMatchObject({ code: 'NOT_FOUND' });
      expect((await t.request(FfTrackDocument, { input: { orderCode: code!, status: 'IN_TRANSIT', occurredAt: new Date().toISOString() } }, token)).data?.addTrackingEvent.userErrors[0]).toMatchObject({ code: 'NOT_FOUND' });
      const bulk = await t.request(FfBulkDocument, { input: { rows: [{ orderCode: code!, action: 'DELIVER' }] } }, token);
      expect(bulk.data!.fulfilOrders.results![0]!.errors[0]).toMatchObject({ code: 'NOT_FOUND' });
      const search = await t.request(FfSearchDocument, { filter: { code: code! } }, token);
      expect(search.data!.orders.edges).toEqual([]);
      expect(codes(await t.request(FfSearchDocument, { sellerId: alfa.id }, token))).toEqual(['FORBIDDEN']);
    }
    expect((await f.em().findOneOrFail(Order, { code: code! })).status).toBe('APPROVED');
  });
});

describe('the buyer follows the order', () => {
  it('a signed link shows its order only; forged, stretched or another order\'s token shows nothing', async () => {
    const [first, second] = await placeOrders([['ADM1', 1], ['ALFA-A1', 1]]);
    const links = t.app.runtime.services.get(ORDER_LINKS);
    const firstId = (await f.em().findOneOrFail(Order, { code: first! })).id;
    const token = links.sign(firstId, new Date(Date.now() + 60_000));
    const seen = await t.request(FfOrderByLinkDocument, { token });
    expect(seen.data?.orderByLink).toMatchObject({ code: first, status: 'APPROVED' });
    const [id, exp, sig] = token.split('.');
    const secondId = (await f.em().findOneOrFail(Order, { code: second! })).id;
    const otherId = links.sign(secondId, new Date(Date.now() + 60_000)).split('.')[0];
    for (const bad of [`${otherId}.${exp}.${sig}`, `${id}.${(parseInt(exp!, 36) + 9999).toString(36)}.${sig}`, 'nope', links.sign(firstId, new Date(Date.now() - 1_000))]) {
      expect((await t.request(FfOrderByLinkDocument, { token: bad })).data?.orderByLink).toBeNull();
    }
    // The link opens that order and nothing else in the same request: the sibling stays closed.
    expect((await t.request(FfOrderDocument, { code: second! })).data?.order).toBeNull();
  });

  it('a signed-in customer sees its own orders with status, history and tracking', async () => {
    const [code] = await placeOrders([['ALFA-A1', 1]], { token: tok.customer });
    await invoice(code!, alfa, tok.alfaOwner);
    await ship(code!, tok.alfaOwner, 'QC777BR');
    const mine = await t.request(FfOrderDocument, { code: code! }, tok.customer);
    expect(mine.data!.order).toMatchObject({ status: 'SHIPPED', shipment: { carrier: 'Correios', trackingCode: 'QC777BR' } });
    expect(mine.data!.order!.history.map((h) => h.to)).toEqual(['PENDING_FRAUD_REVIEW', 'APPROVED', 'INVOICED', 'SHIPPED']);
  });

  it('one e-mail per order event, in Portuguese with the code and a signed link, each sent once', async () => {
    const [code] = await placeOrders([['ALFA-A1', 1]]);
    await invoice(code!, alfa, tok.alfaOwner);
    await ship(code!, tok.alfaOwner, 'QD1BR');
    await t.request(FfDeliverDocument, { input: { orderCode: code! } }, tok.alfaOwner);
    const all = await t.deliverMail();
    const subject = (m: string) => /^Subject: (.*)$/m.exec(m)?.[1];
    const mails = all.filter((m) => subject(m)?.includes(code!));
    const bySubject = new Map(mails.map((m) => [subject(m), m]));
    expect(mails.map(subject).sort()).toEqual([`Pedido ${code} aprovado`, `Pedido ${code} entregue`, `Pedido ${code} enviado`, `Pedido ${code} faturado`, `Pedido ${code} recebido`]);
    expect(bySubject.get(`Pedido ${code} enviado`)).toContain('QD1BR');
    // The body is quoted-printable: undo the soft line breaks and =XX escapes before reading the link.
    const body = bySubject.get(`Pedido ${code} entregue`)!.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
    const token = /token=([A-Za-z0-9_.%-]+)/.exec(body)?.[1];
    expect((await t.request(FfOrderByLinkDocument, { token: decodeURIComponent(token!) })).data?.orderByLink?.code).toBe(code);
    // Nothing more on the next pass: each event was turned into mail once.
    expect((await t.deliverMail()).length).toBe(all.length);
  });
});

describe('order search', () => {
  it('finds by buyer document, e-mail, name prefix, postal code, status, code, dates and agent, sorted, within the caller\'s scope', async () => {
    const stamp = new Date();
    const [a] = await placeOrders([['ALFA-A1', 1]], { buyerName: 'Zuleica Prado', postalCode: '04538-133' });
    const [b] = await placeOrders([['ALFA-A1', 3]], { buyerName: 'Zuleide Souza', postalCode: '04538-133' });
    const search = async (filter: object, token = tok.owner, orderBy?: object) => {
      const res = await t.request(FfSearchDocument, { filter, orderBy: orderBy as never, first: 50 }, token);
      expect(res.errors).toBeUndefined();
      return res.data!.orders.edges.map((e) => e.node.code);
    };
    expect(await search({ buyerName: 'zule', createdFrom: stamp.toISOString() })).toEqual([b, a]);
    expect(await search({ buyerName: 'Zuleic' })).toEqual([a]);
    expect(await search({ buyerName: '%_' })).toEqual([]);
    expect(await search({ postalCode: '04538133', createdFrom: stamp.toISOString() }, tok.owner, { field: 'TOTAL', direction: 'ASC' })).toEqual([a, b]);
    expect(await search({ buyerDocument: '52998224725', code: a })).toEqual([a]);
    expect(await search({ buyerEmail: 'MARIA@example.com', code: b })).toEqual([b]);
    expect(await search({ statuses: ['SHIPPED'], code: a })).toEqual([]);
    expect(await search({ createdTo: stamp.toISOString(), code: a })).toEqual([]);
    // Alfa's owner sees its own; Beta's owner finds nothing of Alfa's by the same filter.
    expect(await search({ buyerName: 'zule', createdFrom: stamp.toISOString() }, tok.alfaOwner)).toEqual([b, a]);
    expect(await search({ buyerName: 'zule', createdFrom: stamp.toISOString() }, tok.betaOwner)).toEqual([]);
    // Only staff search by sales agent.
    expect(codes(await t.request(FfSearchDocument, { filter: { agentId } }, tok.alfaOwner))).toEqual(['FORBIDDEN']);
    expect(await search({ agentId, code: a })).toEqual([]);
    const bad = await t.request(FfSearchDocument, { filter: { buyerDocument: '123' } }, tok.owner);
    expect(codes(bad)).toEqual(['BAD_USER_INPUT']);
  });
});
