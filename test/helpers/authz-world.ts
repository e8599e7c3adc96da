import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { TestApp } from './app.js';
import { CatalogFactory, Factory, validCnpj } from './factories.js';
import { Shop, daysAgo } from './shop.js';
import { UserRole, type Viewer } from '../../src/shared/access/index.js';
import { hashToken, newToken } from '../../src/shared/crypto/index.js';
import { STORE_TIME_ZONE, dateIn } from '../../src/shared/time/index.js';
import { PasswordResetToken, SignUpRequest, User } from '../../src/modules/auth/auth.entity.js';
import { hashPassword } from '../../src/modules/auth/index.js';
import { BankAccountType, Seller, SellerStatus } from '../../src/modules/sellers/sellers.entity.js';
import { Brand, Category, Color, Size, Tag } from '../../src/modules/catalog/attributes.entity.js';
import { ProductStatus } from '../../src/modules/catalog/catalog.entity.js';
import { Order, OrderAction, OrderStatus, ORDER_LINKS, transitionOrders } from '../../src/modules/orders/index.js';
import { WebhookDelivery, WebhookDeliveryStatus, WebhookSubscription, WebhookSubscriptionStatus } from '../../src/modules/webhooks/index.js';
import { accessKeyCheckDigit } from '../../src/modules/fulfilment/index.js';

/*
 * The store the authorization matrix (test/authorization-matrix.test.ts) asks about: the admin
 * seller and two guest sellers A and B with products, two customers, a user of every role,
 * integrations of every kind, and makers of the objects a cell names — orders in each status,
 * returns in each status, tickets, payouts, chargebacks, subscriptions — built through the API
 * where that is quick and straight in the tables where only the state matters. A cell expected
 * to change something gets a fresh object of its own (`fresh`); cells expected to be refused
 * share one per seller (`shared`), so no cell's change can break another's.
 */

export type SellerKey = 'A' | 'B' | 'ADMIN';

export interface SellerFx {
  seller: Seller;
  id: string;
  /** Concatenation code ('' for the admin seller). */
  concat: string;
  /** A published product with one SKU and plenty of stock. */
  product: { id: string; code: string; sellerCode: string };
  sku: { code: string; raw: string };
  /** A second SKU, for edits that add a line. */
  sku2: { code: string; raw: string };
  /** A R$ 3.500 SKU: a card cart of it goes to fraud REVIEW (HIGH_VALUE). */
  pricey: { code: string; raw: string };
}

export interface Tokens {
  c1: string;
  c2: string;
  op: Record<'OWNER' | 'ADMIN' | 'AGENT' | 'SUPPORT', string>;
  a: Record<'OWNER' | 'FINANCE' | 'CATALOG' | 'SERVICE', string>;
  bOwner: string;
  intAdmin: string;
  intNone: string;
  intA: string;
  intB: string;
}

export interface PlacedOrder {
  id: string;
  code: string;
  cartNumber: string;
  cartToken: string;
}

export const PASSWORD = 'correct horse battery staple';
const buyer = { name: 'Maria da Silva', email: 'maria@example.com', document: '529.982.247-25', phone: '(11) 98765-4321' };
export const address = { recipient: 'Maria da Silva', street: 'Av. Paulista', number: '1000', complement: null, district: 'Bela Vista', city: 'São Paulo', state: 'SP', postalCode: '01310-100' };
export const cardPart = { method: 'CARD', installments: 1, card: { token: 'tok_approve', brand: 'Visa', bin: '411111', last4: '1111' } };

/** A valid NF-e access key for `document` (as test/fulfilment.test.ts builds it). */
export function accessKey(document: string, number: string, issuedAt: Date): string {
  const aamm = `${String(issuedAt.getUTCFullYear()).slice(2)}${String(issuedAt.getUTCMonth() + 1).padStart(2, '0')}`;
  const first = `35${aamm}${document.padStart(14, '0')}55001${number.padStart(9, '0')}1${'12345678'}`;
  return first + accessKeyCheckDigit(first);
}

let seq = 0;
/** A short unique suffix of letters and digits. */
export const uniq = () => `${(seq += 1)}${randomUUID().slice(0, 6)}`.toUpperCase();

export class World {
  readonly f: Factory;
  readonly c: CatalogFactory;
  sellers!: Record<SellerKey, SellerFx>;
  tok!: Tokens;
  c1!: User;
  c2!: User;
  opOwner!: User;
  private shop!: Shop;
  private memo = new Map<string, Promise<unknown>>();

  constructor(readonly t: TestApp) {
    this.f = new Factory(t);
    this.c = new CatalogFactory(this.f);
  }

  em(): EntityManager {
    return this.f.em();
  }

  /** Runs an operation that must succeed: no errors, no userErrors. */
  async gql<T = Record<string, any>>(query: string, variables: Record<string, unknown> = {}, token?: string): Promise<T> {
    const res = await this.t.raw({ query, variables }, token);
    const data = res.data as Record<string, { userErrors?: unknown[] } | null> | null | undefined;
    const payload = data ? Object.values(data)[0] : null;
    if (res.errors?.length || (payload && Array.isArray(payload.userErrors) && payload.userErrors.length)) {
      throw new Error(`fixture operation failed: ${query.slice(0, 80)} ${JSON.stringify({ variables, errors: res.errors, data })}`);
    }
    return data as T;
  }

  /** One object per key for the whole run. */
  shared<T>(key: string, make: () => Promise<T>): Promise<T> {
    let p = this.memo.get(key) as Promise<T> | undefined;
    if (!p) {
      p = make();
      this.memo.set(key, p);
    }
    return p;
  }

  async build(): Promise<void> {
    const { f, c } = this;
    await f.setMarketplace(true);
    const admin = await f.adminSeller();
    // The admin seller invoices its own orders: its NF-e keys embed its CNPJ.
    await f.em().nativeUpdate(Seller, { id: admin.id }, { document: '11222333000181' });
    const a = await f.seller({ code: `AZ${uniq().slice(0, 4)}`, name: 'Seller A' });
    const b = await f.seller({ code: `BZ${uniq().slice(0, 4)}`, name: 'Seller B' });
    for (const s of [a, b]) await this.bankData(s.id);
    const fx = async (key: SellerKey, seller: Seller): Promise<SellerFx> => {
      const concat = seller.isAdmin ? '' : seller.concatenationCode!;
      const show = (raw: string) => (concat ? `${concat}-${raw}` : raw);
      const raw = `${key === 'ADMIN' ? 'M' : key}Q`;
      const p = await c.product(seller, {
        sellerCode: `${raw}P`,
        skus: [
          { code: `${raw}1`, price: 1_000, stock: 1_000_000, weight: 100 },
          { code: `${raw}2`, price: 900, stock: 1_000_000, weight: 100 },
        ],
      });
      await c.product(seller, { sellerCode: `${raw}X`, skus: [{ code: `${raw}9`, price: 350_000, stock: 1_000_000, weight: 100 }] });
      return {
        seller,
        id: seller.id,
        concat,
        product: { id: p.id, code: p.code, sellerCode: p.sellerCode },
        sku: { code: show(`${raw}1`), raw: `${raw}1` },
        sku2: { code: show(`${raw}2`), raw: `${raw}2` },
        pricey: { code: show(`${raw}9`), raw: `${raw}9` },
      };
    };
    this.sellers = { A: await fx('A', a), B: await fx('B', b), ADMIN: await fx('ADMIN', await f.adminSeller()) };

    const c1 = await f.customer();
    const c2 = await f.customer();
    this.c1 = c1.user;
    this.c2 = c2.user;
    const op = async (role: UserRole) => f.operator(role);
    const owner = await op(UserRole.OWNER);
    this.opOwner = owner.user;
    const aUser = async (role: UserRole) => (await f.user({ seller: a, role })).token;
    this.tok = {
      c1: c1.token,
      c2: c2.token,
      op: { OWNER: owner.token, ADMIN: (await op(UserRole.ADMIN)).token, AGENT: (await op(UserRole.AGENT)).token, SUPPORT: (await op(UserRole.SUPPORT)).token },
      a: { OWNER: await aUser(UserRole.OWNER), FINANCE: await aUser(UserRole.FINANCE), CATALOG: await aUser(UserRole.CATALOG), SERVICE: await aUser(UserRole.SERVICE) },
      bOwner: (await f.user({ seller: b, role: UserRole.OWNER })).token,
      intAdmin: (await f.integration({ seller: await f.adminSeller() })).token,
      intNone: (await f.integration({ seller: null })).token,
      intA: (await f.integration({ seller: a })).token,
      intB: (await f.integration({ seller: b })).token,
    };
    this.shop = new Shop(this.t, f, owner.token, owner.user);
    await this.gql(
      `mutation($input: CreateShippingTableInput!) { createShippingTable(input: $input) { userErrors { code message } } }`,
      { input: { name: 'PAC', carrier: 'Correios', method: 'PAC', scheduled: false, rows: [{ postalCodeFrom: '00000000', postalCodeTo: '99999999', weightFromGrams: 0, weightToGrams: 100_000_000, priceCents: 1_000, days: 6 }] } },
      owner.token,
    );
  }

  async bankData(sellerId: string): Promise<void> {
    const em = this.em();
    const row = await em.findOneOrFail(Seller, { id: sellerId });
    row.bankData = { bankCode: '341', branch: '0001', account: '12345-6', accountType: BankAccountType.CHECKING, holderName: row.name, holderDocument: row.document!, pixKey: null };
    await em.flush();
  }

  /** A guest seller of its own (for approving, suspending, paying out). */
  async throwawaySeller(status = SellerStatus.ACTIVE): Promise<Seller> {
    return this.f.seller({ code: `T${uniq().slice(0, 6)}`, status });
  }

  // ------------------------------------------------------------------ carts and orders

  /** A cart (the customer's when `token` is a customer's), with lines, buyer and address when asked. */
  async cart(opts: { token?: string; sku?: string; quantity?: number; ready?: boolean } = {}): Promise<{ token: string; lineId?: string }> {
    const created = await this.gql<{ createCart: { token: string } }>('mutation { createCart { token userErrors { code } } }', {}, opts.token);
    const token = created.createCart.token;
    let lineId: string | undefined;
    if (opts.sku) {
      const added = await this.gql<{ addCartLine: { cart: { lines: { id: string }[] } } }>(
        'mutation($t: String!, $s: String!, $q: Int!) { addCartLine(cartToken: $t, skuCode: $s, quantity: $q) { cart { lines { id } } userErrors { code message } } }',
        { t: token, s: opts.sku, q: opts.quantity ?? 1 },
        opts.token,
      );
      lineId = added.addCartLine.cart.lines[0]!.id;
    }
    if (opts.ready) {
      await this.gql('mutation($t: String!, $i: CartBuyerInput!) { setBuyer(cartToken: $t, input: $i) { userErrors { code message } } }', { t: token, i: buyer }, opts.token);
      await this.gql('mutation($t: String!, $i: CartAddressInput!) { setShippingAddress(cartToken: $t, input: $i) { userErrors { code message } } }', { t: token, i: address }, opts.token);
    }
    return { token, lineId };
  }

  /**
   * An order of one seller's SKU checked out through the API by customer C1 (or anonymously),
   * paid by card (approved at once unless the cart is pricey: REVIEW), then moved to `status`.
   */
  async order(key: SellerKey, opts: { status?: 'APPROVED' | 'INVOICED' | 'SHIPPED' | 'DELIVERED'; quantity?: number; anonymous?: boolean; pricey?: boolean; parts?: unknown[] } = {}): Promise<PlacedOrder> {
    const s = this.sellers[key];
    const token = opts.anonymous ? undefined : this.tok.c1;
    const cart = await this.cart({ token, sku: opts.pricey ? s.pricey.code : s.sku.code, quantity: opts.quantity ?? 1, ready: true });
    const res = await this.gql<{ checkout: { cartNumber: string; orders: { id: string; code: string }[] } }>(
      'mutation($input: CheckoutInput!) { checkout(input: $input) { cartNumber orders { id code } userErrors { code message } } }',
      { input: { cartToken: cart.token, idempotencyKey: randomUUID(), payment: { parts: opts.parts ?? [cardPart] } } },
      token,
    );
    const o = res.checkout.orders[0]!;
    if (opts.status && opts.status !== 'APPROVED') await this.fulfil(key, o.code, opts.status);
    return { id: o.id, code: o.code, cartNumber: res.checkout.cartNumber, cartToken: cart.token };
  }

  /** Invoices, ships and delivers an APPROVED order through the API, as operator staff, up to `to`. */
  async fulfil(key: SellerKey, code: string, to: 'INVOICED' | 'SHIPPED' | 'DELIVERED'): Promise<void> {
    const owner = this.tok.op.OWNER;
    const order = await this.em().findOneOrFail(Order, { code });
    const number = String(Math.floor(Math.random() * 900_000_000) + 1);
    const issuedAt = new Date();
    await this.gql(
      'mutation($input: InvoiceOrderInput!) { invoiceOrder(input: $input) { userErrors { code message } } }',
      { input: { orderCode: code, number, series: 1, issuedAt: issuedAt.toISOString(), amount: order.totalCents, accessKey: accessKey(this.sellers[key].seller.document!.padStart(14, '0'), number, issuedAt) } },
      owner,
    );
    if (to === 'INVOICED') return;
    await this.gql('mutation($input: ShipOrderInput!) { shipOrder(input: $input) { userErrors { code message } } }', { input: { orderCode: code, carrier: 'Correios', trackingCode: `QS${uniq()}BR` } }, owner);
    if (to === 'SHIPPED') return;
    await this.gql('mutation($input: MarkDeliveredInput!) { markDelivered(input: $input) { userErrors { code message } } }', { input: { orderCode: code } }, owner);
  }

  private staffViewer(): Viewer {
    const u = this.opOwner;
    return { kind: 'OPERATOR', user: { id: u.id, email: u.email, name: u.name }, role: UserRole.OWNER, seller: { id: this.sellers.ADMIN.id, name: 'Admin', status: 'ACTIVE', isAdmin: true }, sessionId: randomUUID() };
  }

  /** Moves an APPROVED order along the main path through the state machine at chosen dates (payouts need past ones; no NF-e or shipment is kept). */
  async move(orderId: string, to: 'INVOICED' | 'SHIPPED' | 'DELIVERED', at: { shippedAt?: Date; deliveredAt?: Date } = {}): Promise<void> {
    await this.em().transactional(async (em) => {
      const order = await em.findOneOrFail(Order, { id: orderId });
      const actor = { viewer: this.staffViewer() };
      const steps: [OrderStatus, OrderAction, Date][] = [
        [OrderStatus.APPROVED, OrderAction.INVOICE, at.shippedAt ?? new Date()],
        [OrderStatus.INVOICED, OrderAction.SHIP, at.shippedAt ?? new Date()],
        [OrderStatus.SHIPPED, OrderAction.DELIVER, at.deliveredAt ?? new Date()],
      ];
      for (const [from, action, when] of steps) {
        if (order.status === to) break;
        if (order.status === from) await transitionOrders(em as EntityManager, [order], action, actor, { at: when });
      }
      await em.flush();
    });
  }

  /** The signed link token of an order, as its e-mails carry it. */
  linkToken(orderId: string): string {
    return this.t.app.runtime.services.get(ORDER_LINKS).sign(orderId, new Date(Date.now() + 3600_000));
  }

  /** A delivered order of C1 with many units, for returns of one unit each. */
  deliveredForReturns(key: SellerKey): Promise<PlacedOrder> {
    return this.shared(`delivered:${key}`, () => this.order(key, { status: 'DELIVERED', quantity: 200 }));
  }

  /** A return of one unit of `key`'s delivered order, moved to `status` by operator staff. */
  async returnIn(key: SellerKey, status: 'REQUESTED' | 'APPROVED' | 'RECEIVED'): Promise<string> {
    const order = await this.deliveredForReturns(key);
    const opened = await this.gql<{ openReturn: { return: { code: string } } }>(
      'mutation($input: OpenReturnInput!) { openReturn(input: $input) { return { code } userErrors { code message } } }',
      { input: { orderCode: order.code, lines: [{ position: 1, quantity: 1 }], reason: 'REGRET' } },
      this.tok.c1,
    );
    const code = opened.openReturn.return.code;
    if (status !== 'REQUESTED') await this.gql('mutation($input: ApproveReturnInput!) { approveReturn(input: $input) { userErrors { code message } } }', { input: { returnCode: code } }, this.tok.op.OWNER);
    if (status === 'RECEIVED') {
      await this.gql('mutation($input: ReceiveReturnInput!) { receiveReturn(input: $input) { userErrors { code message } } }', { input: { returnCode: code, lines: [{ position: 1, resellableQuantity: 1 }] } }, this.tok.op.OWNER);
    }
    return code;
  }

  /** A customer ticket of C1 about an order of `key`. */
  async ticket(key: SellerKey): Promise<string> {
    const order = await this.shared(`ticket-order:${key}`, () => this.order(key));
    const res = await this.gql<{ openTicket: { ticket: { id: string } } }>(
      'mutation($input: OpenTicketInput!) { openTicket(input: $input) { ticket { id } userErrors { code message } } }',
      { input: { kind: 'CUSTOMER', reason: 'DELIVERY', subject: 'Where is it?', message: 'It has not arrived.', orderCode: order.code } },
      this.tok.c1,
    );
    return res.openTicket.ticket.id;
  }

  // ------------------------------------------------------------------ payouts

  /**
   * PROCESSING payouts (manual provider): each seller in `sellerIds` gets one available order
   * (delivered 40 days ago), then one run pays them all.
   */
  async processingPayouts(sellerIds: string[]): Promise<Map<string, string>> {
    const codes = new Map<string, string>();
    for (const id of sellerIds) {
      const seller = await this.em().findOneOrFail(Seller, { id });
      const raw = `PY${uniq().slice(0, 6)}`;
      await this.c.product(seller, { sellerCode: `${raw}P`, skus: [{ code: raw, price: 10_000, stock: 10, weight: 100 }] });
      codes.set(id, seller.isAdmin ? raw : `${seller.concatenationCode}-${raw}`);
    }
    const orderIds: string[] = [];
    for (const code of codes.values()) {
      const cart = await this.cart({ sku: code, ready: true });
      const res = await this.gql<{ checkout: { orders: { id: string }[] } }>(
        'mutation($input: CheckoutInput!) { checkout(input: $input) { orders { id } userErrors { code message } } }',
        { input: { cartToken: cart.token, idempotencyKey: randomUUID(), payment: { parts: [cardPart] } } },
      );
      const id = res.checkout.orders[0]!.id;
      await this.move(id, 'DELIVERED', { shippedAt: daysAgo(45), deliveredAt: daysAgo(40) });
      orderIds.push(id);
    }
    await this.shop.receivables(orderIds, orderIds.map(() => 'SCHEDULED'));
    const run = await this.gql<{ runPayouts: { run: { payouts: { edges: { node: { id: string; sellerId: string; status: string } }[] } } } }>(
      'mutation($input: RunPayoutsInput!) { runPayouts(input: $input) { run { payouts(first: 100) { edges { node { id sellerId status } } } } userErrors { code message } } }',
      // Today in the store's time zone: between 00:00 and 03:00 UTC the UTC date is already tomorrow there.
      { input: { periodEnd: dateIn(new Date(), STORE_TIME_ZONE), idempotencyKey: randomUUID() } },
      this.tok.op.OWNER,
    );
    const out = new Map<string, string>();
    for (const { node } of run.runPayouts.run.payouts.edges) if (sellerIds.includes(node.sellerId) && node.status === 'PROCESSING') out.set(node.sellerId, node.id);
    if (out.size !== sellerIds.length) throw new Error(`expected a PROCESSING payout per seller, got ${JSON.stringify(run)}`);
    return out;
  }

  // ------------------------------------------------------------------ attributes, accounts, webhooks

  async attribute(kind: 'Brand' | 'Category' | 'Color' | 'Size' | 'Tag'): Promise<string> {
    const name = `Attr ${uniq()}`;
    if (kind === 'Category') return (await this.c.category(name)).id;
    const em = this.em();
    const row =
      kind === 'Brand' ? em.create(Brand, { name }) : kind === 'Color' ? em.create(Color, { name }) : kind === 'Size' ? em.create(Size, { name }) : em.create(Tag, { name });
    await em.persistAndFlush(row);
    return row.id;
  }

  /** A user of the kind a cell's caller is, with a session of its own (for logout). */
  async sessionLike(kind: 'customer' | 'operator' | 'seller', role?: UserRole, seller?: Seller): Promise<string> {
    if (kind === 'customer') return (await this.f.customer()).token;
    if (kind === 'operator') return (await this.f.operator(role)).token;
    return (await this.f.user({ seller, role })).token;
  }

  /** A customer with a password, for login. */
  passwordUser(): Promise<string> {
    return this.shared('password-user', async () => {
      const { user } = await this.f.customer();
      await this.em().nativeUpdate(User, { id: user.id }, { passwordHash: await hashPassword(PASSWORD) });
      return user.email;
    });
  }

  /** A valid, unused password reset token of a throwaway customer. */
  async resetToken(): Promise<string> {
    const { user } = await this.f.customer();
    const token = newToken('mkr');
    const em = this.em();
    em.persist(em.create(PasswordResetToken, { user: em.getReference(User, user.id), tokenHash: hashToken(token), expiresAt: new Date(Date.now() + 3600_000) }));
    await em.flush();
    return token;
  }

  /** A valid, unused sign-up verification token for a new address. */
  async verifyToken(): Promise<string> {
    const token = newToken('mkv');
    const hash = await this.shared('verify-hash', () => hashPassword(PASSWORD));
    const em = this.em();
    em.persist(em.create(SignUpRequest, { email: `v${uniq().toLowerCase()}@test.example`, name: 'New Customer', passwordHash: hash, tokenHash: hashToken(token), expiresAt: new Date(Date.now() + 3600_000) }));
    await em.flush();
    return token;
  }

  /** A webhook subscription created through the API by `token` (its seller's, or the admin seller's for an unlinked integration). */
  async subscription(token: string, opts: { sellerId?: string; paused?: boolean } = {}): Promise<string> {
    const res = await this.gql<{ createWebhookSubscription: { subscription: { id: string } } }>(
      'mutation($input: CreateWebhookSubscriptionInput!) { createWebhookSubscription(input: $input) { subscription { id } userErrors { code message } } }',
      { input: { url: 'https://93.184.215.14/hook', eventTypes: ['order.created'], contactEmail: 'ops@test.example', ...(opts.sellerId ? { sellerId: opts.sellerId } : {}) } },
      token,
    );
    const id = res.createWebhookSubscription.subscription.id;
    if (opts.paused) await this.em().nativeUpdate(WebhookSubscription, { id }, { status: WebhookSubscriptionStatus.PAUSED, pausedAt: new Date() });
    return id;
  }

  /** A failed delivery of a subscription (redeliverable). */
  async failedDelivery(subscriptionId: string): Promise<string> {
    const em = this.em();
    const d = em.create(WebhookDelivery, {
      subscription: em.getReference(WebhookSubscription, subscriptionId),
      eventId: randomUUID(),
      eventType: 'order.created',
      body: '{}',
      status: WebhookDeliveryStatus.FAILED,
      attempts: 1,
      nextAttemptAt: new Date(),
    });
    await em.persistAndFlush(d);
    return d.id;
  }

  /** A product waiting for review, of seller `key`. */
  async pendingProduct(key: SellerKey): Promise<string> {
    return (await this.c.product(this.sellers[key].seller, { sellerCode: `R${uniq()}`, status: ProductStatus.PENDING_REVIEW })).id;
  }

  async product(key: SellerKey): Promise<{ id: string; code: string }> {
    const p = await this.c.product(this.sellers[key].seller, { sellerCode: `N${uniq()}` });
    return { id: p.id, code: p.code };
  }

  newCnpj(): string {
    return validCnpj();
  }
}
