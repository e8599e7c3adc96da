import { createHash, randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, codes, type TestApp } from './helpers/app.js';
import { CatalogFactory, Factory } from './helpers/factories.js';
import { AddCartLineDocument, ApplyVoucherDocument, CartBuyerDocumentDocument, CartDocument, CartPaymentOptionsDocument, CartTestPromotionDocument, CartTestShippingTableDocument, CreateCartDocument, MyCartsDocument, RemoveCartLineDocument, RemoveVoucherDocument, SelectShippingOptionDocument, SetBuyerDocument, SetShippingAddressDocument, UpdateCartLineDocument } from './generated/graphql.js';
import { UserRole } from '../src/shared/access/index.js';
import { KitComponent, Product, ProductStatus, Sku } from '../src/modules/catalog/catalog.entity.js';
import { Cart, CartStatus, loadCartSnapshot } from '../src/modules/carts/index.js';
import { Seller, SellerStatus } from '../src/modules/sellers/sellers.entity.js';
import { allocate } from '../src/shared/money/index.js';

let t: TestApp;
let f: Factory;
let c: CatalogFactory;
let admin: Seller;
let zeta: Seller;
let alfa: Seller;
let tok: { owner: string; agent: string; support: string; customer: string; customerEmail: string; otherCustomer: string; sellerOwner: string };

const buyer = { name: 'Maria da Silva', email: 'Maria@Example.com', document: '529.982.247-25', phone: '(11) 98765-4321' };
const address = { recipient: 'Maria da Silva', street: 'Av. Paulista', number: '1000', complement: 'ap 12', district: 'Bela Vista', city: 'São Paulo', state: 'sp', postalCode: '01310-100' };

async function newCart(token?: string): Promise<string> {
  const res = await t.request(CreateCartDocument, {}, token);
  expect(res.data?.createCart.userErrors).toEqual([]);
  return res.data!.createCart.token!;
}

async function add(cart: string, skuCode: string, quantity = 1, token?: string) {
  const res = await t.request(AddCartLineDocument, { cartToken: cart, skuCode, quantity }, token);
  expect(res.errors).toBeUndefined();
  return res.data!.addCartLine;
}

async function view(cart: string, token?: string) {
  const res = await t.request(CartDocument, { token: cart }, token);
  expect(res.errors).toBeUndefined();
  return res.data!.cart;
}

beforeAll(async () => {
  t = await startTestApp();
  f = new Factory(t);
  c = new CatalogFactory(f);
  await f.setMarketplace(true);
  admin = await f.adminSeller();
  // Created out of code order: groups must still come out admin, ALFA…, ZETA….
  zeta = await f.seller({ code: 'ZETA', name: 'Zeta Eletrônicos' });
  alfa = await f.seller({ code: 'ALFA', name: 'Alfa Modas' });
  const suspended = await f.seller({ code: 'SUSP', name: 'Suspensa', status: SellerStatus.SUSPENDED });
  await c.product(admin, { sellerCode: 'ADM', name: 'Caneca', skus: [{ code: 'ADM1', price: 1000, stock: 10, weight: 500 }] });
  await c.product(zeta, { sellerCode: 'Z', name: 'Fone', skus: [{ code: 'Z1', price: 3000, stock: 5, weight: 1000 }] });
  await c.product(alfa, { sellerCode: 'A', name: 'Camiseta', skus: [{ code: 'A1', price: 2000, stock: 5, weight: 500 }] });
  await c.product(admin, { sellerCode: 'DRAFT', status: ProductStatus.DRAFT, skus: [{ code: 'DRAFT1', price: 500, stock: 5 }] });
  await c.product(suspended, { sellerCode: 'S', skus: [{ code: 'S1', price: 500, stock: 5 }] });
  // A kit of Alfa: its own SKU, components of its own seller.
  const kit = await c.product(alfa, { sellerCode: 'KIT', name: 'Kit verão', skus: [{ code: 'KIT1', price: 3500, stock: 2, weight: 900 }] });
  const em = f.em();
  const a1 = await em.findOneOrFail(Sku, { code: 'ALFA-A1' });
  await em.nativeUpdate(Product, { id: kit.id }, { isKit: true });
  await em.persistAndFlush(em.create(KitComponent, { kit: em.getReference(Product, kit.id), sku: a1, quantity: 2 }));

  const customer = await f.customer();
  tok = {
    owner: (await f.operator(UserRole.OWNER)).token,
    agent: (await f.operator(UserRole.AGENT)).token,
    support: (await f.operator(UserRole.SUPPORT)).token,
    customer: customer.token,
    customerEmail: customer.user.email,
    otherCustomer: (await f.customer()).token,
    sellerOwner: (await f.user({ seller: alfa, role: UserRole.OWNER })).token,
  };
});
afterAll(async () => t?.stop());

describe('creating carts', () => {
  it('gives an anonymous shopper an opaque token stored only as its hash', async () => {
    const res = await t.request(CreateCartDocument, {});
    const { token, cart } = res.data!.createCart;
    expect(token).toMatch(/^mkc_[A-Za-z0-9_-]{43}$/);
    expect(cart).toMatchObject({ status: 'OPEN', assisted: false });
    const row = await f.em().findOneOrFail(Cart, { id: cart!.id });
    expect(row.tokenHash).toBe(createHash('sha256').update(token!).digest('hex'));
    expect(row.customer).toBeNull();
    const empty = await view(token!);
    expect(empty).toMatchObject({ lines: [], groups: [], readyForCheckout: false, missing: ['BUYER', 'ADDRESS', 'LINES', 'SHIPPING'] });
    expect(empty.totals.total).toEqual({ amount: 0, currency: 'BRL' });
  });

  it("attaches a signed-in customer's cart and lists it in myCarts, for that customer only", async () => {
    const token = await newCart(tok.customer);
    const id = (await view(token, tok.customer)).id;
    // A customer's cart is the customer's: its token alone, anonymous or in another account, reaches nothing.
    expect(codes(await t.request(CartDocument, { token }))).toEqual(['NOT_FOUND']);
    expect(codes(await t.request(CartDocument, { token }, tok.otherCustomer))).toEqual(['NOT_FOUND']);
    const hijack = await t.request(SetShippingAddressDocument, { cartToken: token, input: address }, tok.otherCustomer);
    expect(hijack.data?.setShippingAddress.userErrors.map((e) => e.code)).toEqual(['NOT_FOUND']);
    const mine = await t.request(MyCartsDocument, {}, tok.customer);
    expect(mine.data?.myCarts.edges.map((e) => e.node.id)).toContain(id);
    const other = await t.request(MyCartsDocument, {}, tok.otherCustomer);
    expect(other.data?.myCarts.edges.map((e) => e.node.id)).not.toContain(id);
    expect(codes(await t.request(MyCartsDocument, {}))).toEqual(['UNAUTHENTICATED']);
  });

  it('lets a sales agent build an assisted cart for a customer, with lines of several sellers showing their seller', async () => {
    const res = await t.request(CreateCartDocument, { input: { customerEmail: tok.customerEmail.toUpperCase() } }, tok.agent);
    expect(res.data?.createCart.userErrors).toEqual([]);
    expect(res.data?.createCart.cart?.assisted).toBe(true);
    const token = res.data!.createCart.token!;
    await add(token, 'ZETA-Z1', 1, tok.agent);
    const after = await add(token, 'ADM1', 1, tok.agent);
    expect(after.cart?.lines.map((l) => [l.skuCode, l.seller.name])).toEqual([
      ['ZETA-Z1', 'Zeta Eletrônicos'],
      ['ADM1', admin.name],
    ]);
    const row = await f.em().findOneOrFail(Cart, { id: res.data!.createCart.cart!.id });
    expect(row.customer).not.toBeNull();
    expect(row.createdBy).not.toBeNull();
    // The customer finds it among their carts.
    const mine = await t.request(MyCartsDocument, {}, tok.customer);
    const node = mine.data?.myCarts.edges.find((e) => e.node.id === row.id)?.node;
    expect(node).toMatchObject({ assisted: true, lines: [{ skuCode: 'ZETA-Z1', seller: { name: 'Zeta Eletrônicos' } }, { skuCode: 'ADM1' }] });
  });

  it('names no unknown customer and gives agent powers to nobody else', async () => {
    const unknown = await t.request(CreateCartDocument, { input: { customerEmail: 'nobody@test.example' } }, tok.agent);
    expect(unknown.data?.createCart.userErrors).toEqual([{ code: 'NOT_FOUND', message: expect.any(String), field: ['input', 'customerEmail'] }]);
    // Operator staff are not customers: an assisted cart is only for a customer account.
    const staff = await t.request(CreateCartDocument, { input: { customerEmail: (await f.operator(UserRole.ADMIN)).user.email } }, tok.agent);
    expect(staff.data?.createCart.userErrors[0]?.code).toBe('NOT_FOUND');
    const before = await f.em().count(Cart, {});
    for (const token of [tok.support, tok.customer, undefined]) {
      expect(codes(await t.request(CreateCartDocument, { input: { customerEmail: tok.customerEmail } }, token))).toEqual(['FORBIDDEN']);
    }
    // Seller users have no cart powers at all, with or without a customer.
    expect(codes(await t.request(CreateCartDocument, { input: { customerEmail: tok.customerEmail } }, tok.sellerOwner))).toEqual(['FORBIDDEN']);
    expect(codes(await t.request(CreateCartDocument, {}, tok.sellerOwner))).toEqual(['FORBIDDEN']);
    const cart = await newCart();
    expect(codes(await t.request(AddCartLineDocument, { cartToken: cart, skuCode: 'ADM1', quantity: 1 }, tok.sellerOwner))).toEqual(['FORBIDDEN']);
    expect(codes(await t.request(CartDocument, { token: cart }, tok.sellerOwner))).toEqual(['FORBIDDEN']);
    expect(await f.em().count(Cart, {})).toBe(before + 1);
  });
});

describe('lines', () => {
  it('groups lines by seller, admin first then by concatenation code, with the totals', async () => {
    const cart = await newCart();
    await add(cart, 'ZETA-Z1', 1);
    await add(cart, 'ADM1', 2);
    const { cart: v, userErrors } = await add(cart, 'ALFA-A1', 1);
    expect(userErrors).toEqual([]);
    expect(v!.lines.map((l) => l.skuCode)).toEqual(['ZETA-Z1', 'ADM1', 'ALFA-A1']);
    expect(v!.groups.map((g) => [g.position, g.seller.concatenationCode, g.lines.map((l) => l.skuCode)])).toEqual([
      [1, admin.concatenationCode ?? null, ['ADM1']],
      [2, 'ALFA', ['ALFA-A1']],
      [3, 'ZETA', ['ZETA-Z1']],
    ]);
    expect(v!.groups.map((g) => [g.merchandiseTotal.amount, g.weight])).toEqual([
      [2000, 1000],
      [2000, 500],
      [3000, 1000],
    ]);
    expect(v!.totals).toEqual({
      merchandise: { amount: 7000, currency: 'BRL' },
      discount: { amount: 0, currency: 'BRL' },
      freight: { amount: 0, currency: 'BRL' },
      total: { amount: 7000, currency: 'BRL' },
    });
    const adm = v!.lines[1]!;
    expect(adm).toMatchObject({ productName: 'Caneca', quantity: 2, unitPrice: { amount: 1000 }, merchandiseTotal: { amount: 2000 }, weight: 1000, problem: null, confirmedUnitPrice: null });
  });

  it('merges a SKU added twice, refuses more than the stock naming the SKU, updates and removes', async () => {
    const cart = await newCart();
    await add(cart, 'ALFA-A1', 2);
    const merged = await add(cart, 'ALFA-A1', 1);
    expect(merged.cart!.lines.map((l) => [l.skuCode, l.quantity])).toEqual([['ALFA-A1', 3]]);

    const over = await add(cart, 'ALFA-A1', 3);
    expect(over.cart).toBeNull();
    expect(over.userErrors).toEqual([{ code: 'OUT_OF_STOCK', message: expect.stringContaining('ALFA-A1'), field: ['skuCode'] }]);
    expect((await view(cart)).lines[0]!.quantity).toBe(3);

    const lineId = merged.cart!.lines[0]!.id;
    const tooMany = await t.request(UpdateCartLineDocument, { cartToken: cart, lineId, quantity: 6 });
    expect(tooMany.data?.updateCartLine.userErrors[0]).toMatchObject({ code: 'OUT_OF_STOCK', field: ['quantity'] });
    const zero = await t.request(UpdateCartLineDocument, { cartToken: cart, lineId, quantity: 0 });
    expect(zero.data?.updateCartLine.userErrors).toEqual([{ code: 'BAD_USER_INPUT', message: expect.any(String), field: ['quantity'] }]);
    const updated = await t.request(UpdateCartLineDocument, { cartToken: cart, lineId, quantity: 1 });
    expect(updated.data?.updateCartLine.cart?.lines[0]?.quantity).toBe(1);
    expect(updated.data?.updateCartLine.cart?.totals.merchandise.amount).toBe(2000);

    const foreign = await t.request(UpdateCartLineDocument, { cartToken: await newCart(), lineId, quantity: 1 });
    expect(foreign.data?.updateCartLine.userErrors).toEqual([{ code: 'NOT_FOUND', message: expect.any(String), field: ['lineId'] }]);

    const removed = await t.request(RemoveCartLineDocument, { cartToken: cart, lineId });
    expect(removed.data?.removeCartLine.cart?.lines).toEqual([]);
    const unknownSku = await add(cart, 'NOPE-1', 1);
    expect(unknownSku.userErrors).toEqual([{ code: 'NOT_FOUND', message: expect.any(String), field: ['skuCode'] }]);
  });

  it("refuses unpublished products and a suspended seller's, as if they did not exist", async () => {
    const cart = await newCart();
    for (const sku of ['DRAFT1', 'SUSP-S1']) {
      const res = await add(cart, sku, 1);
      expect(res.userErrors).toEqual([{ code: 'NOT_FOUND', message: expect.stringContaining(sku), field: ['skuCode'] }]);
    }
    expect((await view(cart)).lines).toEqual([]);
  });

  it("refuses guest sellers' products while the marketplace switch is off, and flags those already in a cart", async () => {
    const cart = await newCart();
    await add(cart, 'ZETA-Z1', 1);
    await f.setMarketplace(false);
    try {
      const refused = await add(cart, 'ALFA-A1', 1);
      expect(refused.userErrors).toEqual([{ code: 'MARKETPLACE_DISABLED', message: expect.any(String), field: ['skuCode'] }]);
      const ok = await add(cart, 'ADM1', 1);
      expect(ok.userErrors).toEqual([]);
      const zetaLine = ok.cart!.lines.find((l) => l.skuCode === 'ZETA-Z1')!;
      expect(zetaLine.problem?.code).toBe('MARKETPLACE_DISABLED');
      expect(ok.cart!.missing).toContain('LINES');
    } finally {
      await f.setMarketplace(true);
    }
  });

  it('takes a kit SKU with its single seller', async () => {
    const cart = await newCart();
    const res = await add(cart, 'ALFA-KIT1', 1);
    expect(res.userErrors).toEqual([]);
    expect(res.cart!.groups).toHaveLength(1);
    expect(res.cart!.groups[0]!.seller.concatenationCode).toBe('ALFA');
    expect(res.cart!.lines[0]).toMatchObject({ skuCode: 'ALFA-KIT1', productName: 'Kit verão', weight: 900 });
  });

  it('shows a changed price, and the line takes it when updated', async () => {
    const cart = await newCart();
    const { cart: v } = await add(cart, 'ADM1', 1);
    await f.em().nativeUpdate(Sku, { code: 'ADM1' }, { priceCents: 1200 });
    try {
      const changed = (await view(cart)).lines[0]!;
      expect(changed).toMatchObject({ unitPrice: { amount: 1200 }, confirmedUnitPrice: { amount: 1000 } });
      const updated = await t.request(UpdateCartLineDocument, { cartToken: cart, lineId: v!.lines[0]!.id, quantity: 1 });
      expect(updated.data?.updateCartLine.cart?.lines[0]).toMatchObject({ unitPrice: { amount: 1200 }, confirmedUnitPrice: null });
    } finally {
      await f.em().nativeUpdate(Sku, { code: 'ADM1' }, { priceCents: 1000 });
    }
  });
});

describe('buyer, address and access', () => {
  it('refuses a CPF with wrong check digits with its field path and changes nothing', async () => {
    const cart = await newCart();
    const bad = await t.request(SetBuyerDocument, { cartToken: cart, input: { ...buyer, document: '529.982.247-24', phone: '1234' } });
    expect(bad.data?.setBuyer.cart).toBeNull();
    expect(bad.data?.setBuyer.userErrors.map((e) => [e.code, e.field])).toEqual([
      ['BAD_USER_INPUT', ['input', 'document']],
      ['BAD_USER_INPUT', ['input', 'phone']],
    ]);
    expect((await view(cart)).buyer).toBeNull();

    const ok = await t.request(SetBuyerDocument, { cartToken: cart, input: buyer });
    expect(ok.data?.setBuyer.userErrors).toEqual([]);
    expect(ok.data?.setBuyer.cart?.buyer).toEqual({ name: 'Maria da Silva', email: 'maria@example.com', documentType: 'CPF', maskedDocument: '***.***.*47-25', phone: '11987654321' });
    expect(ok.data?.setBuyer.cart?.missing).not.toContain('BUYER');
    // The full document: operator staff only.
    expect(codes(await t.request(CartBuyerDocumentDocument, { token: cart }))).toEqual(['UNAUTHENTICATED']);
    expect(codes(await t.request(CartBuyerDocumentDocument, { token: cart }, tok.customer))).toEqual(['FORBIDDEN']);
    expect((await t.request(CartBuyerDocumentDocument, { token: cart }, tok.owner)).data?.cart.buyer?.document).toBe('52998224725');
    // A CNPJ works too.
    const company = await t.request(SetBuyerDocument, { cartToken: cart, input: { ...buyer, document: '11.222.333/0001-81', phone: '1133334444' } });
    expect(company.data?.setBuyer.cart?.buyer).toMatchObject({ documentType: 'CNPJ', maskedDocument: '**.***.***/0001-81', phone: '1133334444' });
  });

  it('validates the delivery address (UF, CEP) before saving it', async () => {
    const cart = await newCart();
    const bad = await t.request(SetShippingAddressDocument, { cartToken: cart, input: { ...address, state: 'XX', postalCode: '1310-100', street: ' ' } });
    expect(bad.data?.setShippingAddress.userErrors.map((e) => e.field)).toEqual([['input', 'street'], ['input', 'state'], ['input', 'postalCode']]);
    expect((await view(cart)).shippingAddress).toBeNull();
    const ok = await t.request(SetShippingAddressDocument, { cartToken: cart, input: address });
    expect(ok.data?.setShippingAddress.cart?.shippingAddress).toEqual({ ...address, state: 'SP', postalCode: '01310100' });
    expect(ok.data?.setShippingAddress.cart?.missing).not.toContain('ADDRESS');
  });

  it('never reveals a cart to another token', async () => {
    const cart = await newCart();
    await add(cart, 'ADM1', 1);
    const guess = `mkc_${randomBytes(32).toString('base64url')}`;
    for (const token of [guess, 'mkc_short', cart.slice(0, -1)]) {
      expect(codes(await t.request(CartDocument, { token }))).toEqual(['NOT_FOUND']);
      const res = await t.request(AddCartLineDocument, { cartToken: token, skuCode: 'ADM1', quantity: 1 });
      expect(res.data?.addCartLine.userErrors).toEqual([{ code: 'NOT_FOUND', message: 'No cart has this token.', field: ['cartToken'] }]);
    }
  });

  it('refuses any change to a checked-out cart', async () => {
    const cart = await newCart();
    const { cart: v } = await add(cart, 'ADM1', 1);
    await f.em().nativeUpdate(Cart, { id: v!.id }, { status: CartStatus.CHECKED_OUT });
    const res = await add(cart, 'ADM1', 1);
    expect(res.userErrors).toEqual([{ code: 'CONFLICT', message: expect.any(String), field: ['cartToken'] }]);
    const buyerRes = await t.request(SetBuyerDocument, { cartToken: cart, input: buyer });
    expect(buyerRes.data?.setBuyer.userErrors[0]?.code).toBe('CONFLICT');
    expect(await view(cart)).toMatchObject({ status: 'CHECKED_OUT', readyForCheckout: false });
  });
});

describe('freight and vouchers', () => {
  let cart: string;

  beforeAll(async () => {
    cart = await newCart();
    await add(cart, 'ZETA-Z1', 1); // 1000 g
    await add(cart, 'ADM1', 1); // 500 g
    await add(cart, 'ALFA-A1', 2); // 1000 g
    await t.request(SetBuyerDocument, { cartToken: cart, input: buyer });
  });

  it('shows NO_FREIGHT_AVAILABLE as data while nothing ships to the address', async () => {
    const res = await t.request(SetShippingAddressDocument, { cartToken: cart, input: address });
    const v = res.data!.setShippingAddress.cart!;
    expect(v.shippingQuote).toBeNull();
    expect(v.shippingProblem?.code).toBe('NO_FREIGHT_AVAILABLE');
    expect(v.missing).toEqual(['SHIPPING']);
  });

  it('quotes the whole cart, splits the freight over the groups by weight, and hides scheduled methods from a marketplace cart', async () => {
    const row = (priceCents: number, days: number) => ({ postalCodeFrom: '00000000', postalCodeTo: '99999999', weightFromGrams: 0, weightToGrams: 100_000, priceCents, days });
    for (const [method, price, days, scheduled] of [['PAC', 2501, 6, false], ['SEDEX', 4003, 2, false], ['Agendada', 900, 3, true]] as const) {
      const res = await t.request(CartTestShippingTableDocument, { input: { name: method, carrier: 'Correios', method, scheduled, rows: [row(price, days)] } }, tok.owner);
      expect(res.data?.createShippingTable.userErrors).toEqual([]);
    }
    const v = await view(cart);
    expect(v.shippingProblem).toBeNull();
    expect(v.shippingQuote?.options.map((o) => o.method)).toEqual(['PAC', 'SEDEX']);
    expect(v.shippingQuote?.excluded).toEqual([{ carrier: 'Correios', method: 'Agendada', reason: 'SCHEDULED_DELIVERY_NOT_FOR_MARKETPLACE' }]);
    expect(v.selectedShipping).toMatchObject({ method: 'PAC', price: { amount: 2501 } });
    expect(v.readyForCheckout).toBe(true);
    expect(v.totals.freight.amount).toBe(2501);
    // Groups admin (500 g), ALFA (1000 g), ZETA (1000 g).
    expect(v.groups.map((g) => g.freightShare.amount)).toEqual(allocate(2501, [500, 1000, 1000]));
    expect(v.totals.total.amount).toBe(1000 + 4000 + 3000 + 2501);

    const chosen = await t.request(SelectShippingOptionDocument, { cartToken: cart, carrier: 'Correios', method: 'SEDEX' });
    expect(chosen.data?.selectShippingOption.cart?.selectedShipping).toMatchObject({ method: 'SEDEX', price: { amount: 4003 } });
    expect(chosen.data?.selectShippingOption.cart?.totals.freight.amount).toBe(4003);
    const refused = await t.request(SelectShippingOptionDocument, { cartToken: cart, carrier: 'Correios', method: 'Agendada' });
    expect(refused.data?.selectShippingOption.userErrors).toEqual([{ code: 'BAD_USER_INPUT', message: expect.stringContaining('PAC'), field: ['method'] }]);

    // A cart of the admin seller alone may use scheduled delivery, the cheapest here.
    const own = await newCart();
    await add(own, 'ADM1', 1);
    const ownView = (await t.request(SetShippingAddressDocument, { cartToken: own, input: address })).data!.setShippingAddress.cart!;
    expect(ownView.shippingQuote?.excluded).toEqual([]);
    expect(ownView.selectedShipping).toMatchObject({ method: 'Agendada', price: { amount: 900 } });
  });

  it('applies a coupon split over the groups by merchandise value, and removes it', async () => {
    const promo = await t.request(CartTestPromotionDocument, { input: { name: 'Dez por cento', kind: 'PERCENTAGE', value: 1000, code: 'CART10' } }, tok.owner);
    expect(promo.data?.createPromotion.userErrors).toEqual([]);

    const unknown = await t.request(ApplyVoucherDocument, { cartToken: cart, code: 'NOPE99' });
    expect(unknown.data?.applyVoucher.userErrors).toEqual([{ code: 'VOUCHER_INVALID', message: expect.any(String), field: ['code'] }]);

    const res = await t.request(ApplyVoucherDocument, { cartToken: cart, code: ' cart10 ' });
    expect(res.data?.applyVoucher.userErrors).toEqual([]);
    const v = res.data!.applyVoucher.cart!;
    expect(v.voucher).toEqual({ code: 'CART10', applied: true, problem: null });
    expect(v.discounts).toEqual([{ name: 'Dez por cento', code: 'CART10', amount: { amount: 800, currency: 'BRL' } }]);
    expect(v.totals.discount.amount).toBe(800);
    expect(v.groups.map((g) => g.discountShare.amount)).toEqual(allocate(800, [1000, 4000, 3000]));
    for (const g of v.groups) expect(g.total.amount).toBe(g.merchandiseTotal.amount - g.discountShare.amount + g.freightShare.amount);
    expect(v.totals.total.amount).toBe(8000 - 800 + 4003);

    // The checkout's snapshot is the same evaluation.
    const snapshot = await loadCartSnapshot(t.app.runtime, f.em(), cart);
    expect(snapshot.pricing.totalCents).toBe(v.totals.total.amount);
    expect(snapshot.pricing.groups.map((g) => g.discountCents)).toEqual(v.groups.map((g) => g.discountShare.amount));
    expect(snapshot.shipping).toMatchObject({ carrier: 'Correios', method: 'SEDEX' });
    expect(snapshot.missing).toEqual([]);
    expect(snapshot.lines.map((l) => l.seller.concatenationCode ?? null)).toEqual(['ZETA', admin.concatenationCode ?? null, 'ALFA']);

    const removed = await t.request(RemoveVoucherDocument, { cartToken: cart });
    expect(removed.data?.removeVoucher.cart).toMatchObject({ voucher: null, discounts: [], totals: { discount: { amount: 0 } } });
  });

  it('lists the total for a payment method with a store-wide discount (Pix à vista)', async () => {
    const before = (await t.request(CartPaymentOptionsDocument, { token: cart })).data!.cart;
    expect(before.paymentOptions).toEqual([]);
    const promo = await t.request(CartTestPromotionDocument, { input: { name: 'Pix à vista', kind: 'PAYMENT_METHOD', value: 500, paymentMethod: 'PIX' } }, tok.owner);
    expect(promo.data?.createPromotion.userErrors).toEqual([]);
    const after = (await t.request(CartPaymentOptionsDocument, { token: cart })).data!.cart;
    // Shown without the method, figures stay the same; 5% of 8000 off when paid by Pix.
    expect(after.totals.total.amount).toBe(8000 + 4003);
    expect(after.paymentOptions).toEqual([{ method: 'PIX', installments: 1, discount: { amount: 400, currency: 'BRL' }, total: { amount: 8000 - 400 + 4003, currency: 'BRL' } }]);
  });
});
