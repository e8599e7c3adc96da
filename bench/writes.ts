import { performance } from 'node:perf_hooks';
import { createOrderLinks } from '../src/modules/orders/index.js';
import { OutboxSeal, isSealed } from '../src/shared/outbox/seal.js';
import { BENCH_LINKS, benchAppSecret, gql, intFromEnv, percentile, post, firstDifference, printTable } from './harness.js';
import type { Endpoints, Scenario } from './measure.js';
import { addLineBody, addLineSku, PREFILLED_LINES, checkoutBody } from './rotation.js';
import { cloneCarts, prepareAddLineCarts, sha256, type Sql, type Viewers } from './seed.js';

/**
 * The write scenarios (a cart line added, a 3-seller checkout) and the oversell run. Carts are
 * prepared before anything is timed — through the storefront mutations once, then cloned with
 * SQL into as many identical carts as a run needs — and every timed request uses its own.
 *
 *   BENCH_ADDLINE_CARTS       carts per target for the add-line scenario (default 20000)
 *   BENCH_CHECKOUT_CARTS      ready 3-seller carts per target (default API 600, floor 4 × that)
 *   BENCH_OVERSELL_CHECKOUTS  checkouts fired at once on the scarce SKU (default 500)
 *   BENCH_OVERSELL_STOCK      units of the scarce SKU (default 10)
 */

export const WRITES = {
  addLineCarts: intFromEnv('BENCH_ADDLINE_CARTS', 20_000),
  checkoutCarts: intFromEnv('BENCH_CHECKOUT_CARTS', 600),
  oversellCheckouts: intFromEnv('BENCH_OVERSELL_CHECKOUTS', 500),
  oversellStock: intFromEnv('BENCH_OVERSELL_STOCK', 10),
};

interface Ctx {
  db: Sql;
  viewers: Viewers;
  apiUrl: string;
}

// --- add a cart line ---------------------------------------------------------------------

export async function addLineScenario(ctx: Ctx): Promise<Scenario> {
  // SKUs a shopper can add: on sale, in stock (the storefront rule), in a fixed order.
  const { rows } = await ctx.db.query<{ code: string }>(`
    select k.code from sku k join product p on p.id = k.product_id join seller s on s.id = k.seller_id
    where k.active and k.stock > 0 and p.status = 'PUBLISHED' and s.status = 'ACTIVE' order by md5(k.code)`);
  const skus = rows.map((r) => r.code);
  let tag = 0;
  return {
    key: 'add-line',
    name: 'cart add-line',
    floor: 'add-line',
    write: {
      mustContain: '"userErrors":[]}',
      pool: async (target) => ({ kind: 'addLine', carts: await prepareAddLineCarts(ctx.db, WRITES.addLineCarts, skus, `${target}-${tag++}`), skus, start: 0 }),
      verify: (urls) => verifyAddLine(ctx, urls, skus),
    },
  };
}

/**
 * The same write on the same cart, once through each target: the API's answer is recorded,
 * the cart put back as it was, then the floor's answer must be the same bytes (same cart id,
 * lines, prices). Covers a new line, a second unit of an existing line, and refusals (an
 * unknown token, an unknown SKU, a SKU not on sale, a SKU out of stock).
 */
async function verifyAddLine(ctx: Ctx, urls: Endpoints, skus: string[]): Promise<void> {
  const [token] = await prepareAddLineCarts(ctx.db, 1, skus, 'verify');
  const cartId = (await ctx.db.query<{ id: string }>(`select id from cart where token_hash = $1`, [sha256(token!)])).rows[0]!.id;
  const { rows: hidden } = await ctx.db.query<{ inactive: string; out: string }>(`
    select (select k.code from sku k where not k.active limit 1) as inactive,
           (select k.code from sku k join product p on p.id = k.product_id join seller s on s.id = k.seller_id
             where k.active and k.stock = 0 and p.status = 'PUBLISHED' and s.status = 'ACTIVE' limit 1) as out`);
  const snapshot = async () => (await ctx.db.query(`select sku_id, quantity, unit_price_cents, position from cart_line where cart_id = $1 order by position`, [cartId])).rows;
  const restore = async (lines: unknown[]) => {
    await ctx.db.query(`delete from cart_line where cart_id = $1`, [cartId]);
    await ctx.db.query(
      `insert into cart_line (id, cart_id, sku_id, quantity, unit_price_cents, position)
       select gen_random_uuid(), $1, x.sku_id, x.quantity, x.unit_price_cents, x.position from json_to_recordset($2::json) as x(sku_id uuid, quantity int, unit_price_cents int, position int)`,
      [cartId, JSON.stringify(lines)],
    );
  };
  const cases: [string, string][] = [
    ['a new line', skus[addLineSku(0, PREFILLED_LINES, skus.length)]!],
    ['a second unit of a line', skus[addLineSku(0, 0, skus.length)]!],
    ['another new line', skus[addLineSku(0, PREFILLED_LINES + 1, skus.length)]!],
    ['an unknown SKU', 'NO-SUCH-SKU'],
    ['an inactive SKU', hidden[0]!.inactive],
    ['a SKU out of stock', hidden[0]!.out],
  ];
  for (const [what, sku] of cases) {
    const before = await snapshot();
    const a = await post(urls.api, addLineBody(token!, sku));
    // Line ids are new on each write; they are not in the payload, so the rows are put back as they were.
    await restore(before);
    const f = await post(urls.floor, addLineBody(token!, sku));
    await restore(before);
    if (a.status !== f.status || a.text !== f.text) throw new Error(`cart add-line (${what}): the floor does not answer the API's bytes\n${firstDifference(a.text, f.text)}`);
  }
  const unknown = addLineBody('mkc_' + 'x'.repeat(43), skus[0]!);
  const [a, f] = await Promise.all([post(urls.api, unknown), post(urls.floor, unknown)]);
  if (a.text !== f.text) throw new Error(`cart add-line (an unknown cart): the floor does not answer the API's bytes\n${firstDifference(a.text, f.text)}`);
}

// --- checkout ----------------------------------------------------------------------------

// Plenty for every timed checkout, so stock never runs out mid-run.
const PLENTY = 10_000_000;
// Prices keep the 3-seller cart under R$ 1.500,00 (the many-sellers fraud rule) and far under
// the high-value ones, so every checkout is APPROVED and no verdict moves stock back.
const PRODUCTS = {
  admin: { raw: 'CKOUT_MUG', name: 'Caneca de cerâmica', price: 9_990, weight: 500 },
  alfa: { raw: 'CKOUT_TEE', name: 'Camiseta básica', price: 15_990, weight: 300 },
  beta: { raw: 'CKOUT_EAR', name: 'Fone de ouvido', price: 25_000, weight: 250 },
  scarce: { raw: 'CKOUT_RARE', name: 'Edição limitada', price: 4_990, weight: 200 },
};
const FREIGHT = 2_999;

// The e-mail shares a word with the name, the CPF is valid and the card is billed where it is
// delivered: no fraud rule fires.
const BUYER = { name: 'Maria da Silva', email: 'maria.silva@bench.example', document: '529.982.247-25', phone: '(11) 98765-4321' };
const ADDRESS = { recipient: 'Maria da Silva', street: 'Av. Paulista', number: '1000', complement: null, district: 'Bela Vista', city: 'São Paulo', state: 'SP', postalCode: '01310-100' };

const CREATE_CART = `mutation BenchCreateCart { createCart { token userErrors { code field message } } }`;
const ADD_LINE = `mutation BenchAdd($cartToken: String!, $skuCode: String!) { addCartLine(cartToken: $cartToken, skuCode: $skuCode, quantity: 1) { cart { id } userErrors { code field message } } }`;
const SET_BUYER = `mutation BenchSetBuyer($cartToken: String!, $input: CartBuyerInput!) { setBuyer(cartToken: $cartToken, input: $input) { cart { id } userErrors { code field message } } }`;
const SET_ADDRESS = `mutation BenchSetAddress($cartToken: String!, $input: CartAddressInput!) { setShippingAddress(cartToken: $cartToken, input: $input) { cart { id } userErrors { code field message } } }`;
const CREATE_SHIPPING_TABLE = `mutation BenchShippingTable($input: CreateShippingTableInput!) { createShippingTable(input: $input) { shippingTable { id } userErrors { code field message } } }`;

type Payload = { userErrors: unknown[] };
async function mutate<T extends Record<string, Payload>>(url: string, query: string, variables: Record<string, unknown>, token?: string): Promise<T> {
  const out = await gql<T>(url, query, variables, token);
  for (const [name, payload] of Object.entries(out)) if (payload.userErrors.length) throw new Error(`${name} refused: ${JSON.stringify(payload.userErrors)}`);
  return out;
}

export interface CheckoutSeed {
  /** Displayed SKU codes of the 3-seller cart's lines. */
  cartSkus: string[];
  scarceSku: string;
  /** A ready 3-seller cart made through the storefront mutations, the template of every timed one. */
  templateCartId: string;
}

/**
 * Two guest sellers (CKALFA, CKBETA) and a product each, one of the admin seller's and a
 * scarce one, the marketplace on, and the one shipping table created through the API by
 * operator staff (so it is validated like a real one). Then one ready 3-seller cart built
 * through the storefront mutations: lines, buyer, address.
 */
export async function seedCheckout(ctx: Ctx): Promise<CheckoutSeed> {
  await ctx.db.query(`update marketplace_settings set uses_marketplace = true where id = 1`);
  await ctx.db.query(`
    insert into seller (id, name, concatenation_code, status, approved_at, shipping_policy, return_policy)
    values (gen_random_uuid(), 'Checkout Alfa Modas', 'CKALFA', 'ACTIVE', now(), 'Envio em 2 dias.', '7 dias.'),
           (gen_random_uuid(), 'Checkout Beta Eletrônicos', 'CKBETA', 'ACTIVE', now(), 'Envio em 1 dia.', '7 dias.')`);
  const items = [
    ['admin', null, PRODUCTS.admin, PLENTY],
    ['alfa', 'CKALFA', PRODUCTS.alfa, PLENTY],
    ['beta', 'CKBETA', PRODUCTS.beta, PLENTY],
    ['scarce', 'CKALFA', PRODUCTS.scarce, WRITES.oversellStock],
  ] as const;
  const codes: Record<string, string> = {};
  for (const [key, concat, p, stock] of items) {
    const { rows } = await ctx.db.query<{ code: string }>(
      `with s as (select id, concatenation_code from seller where ${concat ? 'concatenation_code = $6' : 'is_admin'}),
            p as (insert into product (id, seller_id, seller_code, code, name, status, images, published_at, min_price_cents)
                  select gen_random_uuid(), s.id, $1::text, coalesce(s.concatenation_code || '-', '') || $1::text, $2, 'PUBLISHED', '[]', now(), $3 from s
                  returning id, seller_id)
       insert into sku (id, product_id, seller_id, seller_code, code, price_cents, weight_grams, stock, images, position)
       select gen_random_uuid(), p.id, p.seller_id, $1::text || '_1', coalesce(s.concatenation_code || '-', '') || $1::text || '_1', $3, $4, $5, '[]', 0
       from p join s on s.id = p.seller_id
       returning code`,
      [p.raw, p.name, p.price, p.weight, stock, ...(concat ? [concat] : [])],
    );
    codes[key] = rows[0]!.code;
  }
  await mutate(ctx.apiUrl, CREATE_SHIPPING_TABLE, {
    input: {
      name: 'PAC',
      carrier: 'Correios',
      method: 'PAC',
      rows: [{ postalCodeFrom: '00000000', postalCodeTo: '99999999', weightFromGrams: 0, weightToGrams: 1_000_000, priceCents: FREIGHT, days: 6 }],
    },
  }, ctx.viewers.operator);
  const cartSkus = [codes.admin!, codes.alfa!, codes.beta!];
  const template = await prepareCartThroughApi(ctx.apiUrl, cartSkus);
  const templateCartId = (await ctx.db.query<{ id: string }>(`select id from cart where token_hash = $1`, [sha256(template)])).rows[0]!.id;
  return { cartSkus, scarceSku: codes.scarce!, templateCartId };
}

/** One ready cart through the storefront mutations; returns its token. */
export async function prepareCartThroughApi(url: string, skuCodes: string[]): Promise<string> {
  const created = await mutate<{ createCart: Payload & { token: string } }>(url, CREATE_CART, {});
  const cartToken = created.createCart.token;
  for (const skuCode of skuCodes) await mutate(url, ADD_LINE, { cartToken, skuCode });
  await mutate(url, SET_BUYER, { cartToken, input: BUYER });
  await mutate(url, SET_ADDRESS, { cartToken, input: ADDRESS });
  return cartToken;
}

/** What a checkout left in the database for a cart, without ids, instants and its cart number. */
async function checkoutFootprint(db: Sql, cartId: string): Promise<string> {
  const { rows } = await db.query<{ f: unknown; cart_number: string }>(
    `select (select cart_number from "order" where cart_id = $1 limit 1) as cart_number, json_build_object(
       'cart', (select json_build_object('status', status, 'checkedOut', checked_out_at is not null) from cart where id = $1),
       'attempts', (select json_agg(json_build_array(status, result->>'cartNumber')) from idempotency_claim where scope = 'checkout' and result->>'cartId' = $1::text),
       'orders', (select json_agg(json_build_array(o.code, o.position, o.seller_id, o.customer_id, o.agent_id, o.status, o.buyer_name, o.buyer_email,
                    o.buyer_document, o.buyer_phone, o.shipping_address, o.shipping_carrier, o.shipping_method, o.shipping_days, o.shipping_source,
                    o.currency, o.merchandise_cents, o.discount_cents, o.seller_funded_discount_cents, o.freight_cents, o.total_cents,
                    o.weight_grams, o.commission_cents, o.seller_receivable_cents, o.approved_at is not null, o.cancelled_at, o.cancellation_reason,
                    (select json_agg(json_build_array(l.position, l.sku_id, l.sku_code, l.sku_seller_code, l.product_name, l.category_id, l.quantity,
                       l.unit_price_cents, l.weight_grams, l.merchandise_cents, l.discount_cents, l.seller_funded_discount_cents, l.freight_cents,
                       l.total_cents, l.commission_bps, l.commission_base_cents, l.commission_cents, l.seller_receivable_cents) order by l.position)
                       from order_line l where l.order_id = o.id)) order by o.position) from "order" o where o.cart_id = $1),
       'payment', (select json_agg(json_build_array(t.status, t.currency, t.amount_cents, t.authorized_cents, t.captured_cents, t.released_cents,
                    t.refunded_cents, t.charged_back_cents, t.expires_at, t.paid_at is not null, t.expired_at,
                    (select json_agg(json_build_array(p.index, p.method, p.provider, p.status, p.amount_cents, p.installments, p.captured_cents,
                       p.released_cents, p.refunded_cents, p.card_brand, p.card_bin, p.card_last4, p.pix_qr_code, p.deposit_reference,
                       p.gift_card_id, p.paid_at is not null, p.provider_ref is not null, p.authorization_code is not null) order by p.index)
                       from payment_part p where p.transaction_id = t.id))) from payment_transaction t where t.cart_id = $1),
       'fraud', (select json_agg(json_build_array(a.status, a.analyzer_outcome, a.score, a.reasons, a.provider, a.provider_ref,
                    a.request - 'placedAt', a.analyzed_at is not null, a.decided_by_id)) from fraud_analysis a where a.cart_id = $1),
       'ledger', (select json_agg(json_build_array(e.kind, e.memo, o.position, e.cart_number is not null,
                    (select json_agg(json_build_array(l.position, l.account, l.seller_id, l.debit, l.credit, l.currency) order by l.position)
                       from ledger_line l where l.entry_id = e.id)) order by e.kind desc, o.position)
                    from ledger_entry e left join "order" o on o.id = e.order_id where e.cart_id = $1),
       'orderIds', (select json_object_agg(code, id) from "order" where cart_id = $1),
       'emails', (select json_agg(json_build_array(m.kind, m.topic, m.status, m.payload)) from outbox_message m where m.topic = 'order.placed')) as f`,
    [cartId],
  );
  const { cart_number } = rows[0]!;
  const { orderIds, emails, ...f } = rows[0]!.f as Record<string, unknown> & { orderIds: Record<string, string> | null; emails: [string, string, string, unknown][] | null };
  // Payloads are sealed at rest: opened with the run's secret, this cart's e-mails are those
  // whose subject names one of its orders. Each must carry that order's signed link, valid now
  // and for no longer than the link lifetime: it is checked, then stands as "<link to CODE>".
  const secret = Buffer.from(benchAppSecret(), 'utf8');
  const seal = new OutboxSeal(secret);
  const links = createOrderLinks(secret, BENCH_LINKS.ttlDays * 24 * 3600_000);
  const ids = orderIds ?? {};
  const [before, after] = BENCH_LINKS.url.split('{token}') as [string, string];
  const mails = (emails ?? [])
    .map(([kind, topic, status, payload]) => ({ kind, topic, status, sealed: isSealed(payload), mail: seal.open<{ to: string; subject: string; text: string }>(payload) }))
    .map((m) => ({ ...m, code: /^Pedido (.+) recebido$/.exec(m.mail.subject)?.[1] }))
    .filter((m) => m.code !== undefined && m.code in ids)
    .sort((a, b) => (a.code! < b.code! ? -1 : 1))
    .map(({ code, mail, ...m }) => {
      const text = mail.text.replace(/^Acompanhe o pedido: (.*)$/m, (_, url: string) => {
        const token = url.startsWith(before) && url.endsWith(after) ? decodeURIComponent(url.slice(before.length, url.length - after.length)) : '';
        const now = new Date();
        const opens = links.verify(token, now);
        const lapsesInTime = links.verify(token, new Date(now.getTime() + links.ttlMs + 60_000)) === null;
        return `Acompanhe o pedido: ${opens === ids[code!] && lapsesInTime ? `<signed link to ${code}>` : `<NOT a valid link to ${code}: ${url}>`}`;
      });
      return [m.kind, m.topic, m.status, m.sealed, { ...mail, text }];
    });
  const out = JSON.stringify({ ...f, emails: mails });
  return cart_number ? out.replace(new RegExp(`(?<![0-9])${cart_number}(?![0-9])`, 'g'), '<cart number>') : out;
}

const cartIdOf = async (db: Sql, token: string) => (await db.query<{ id: string }>(`select id from cart where token_hash = $1`, [sha256(token)])).rows[0]!.id;

/**
 * One checkout through each target of two identical carts: the answers must be the same
 * bytes but for the cart number (a sequence: no two carts share one), and what each left in
 * the database — orders and lines with their frozen shares and commission, the payment and
 * its part, the fraud analysis and its request, the ledger journals, the e-mails, the closed
 * cart and key — must be the same but for ids, instants and the cart number. The stock of
 * each SKU must drop by the same units.
 */
async function verifyCheckout(ctx: Ctx, urls: Endpoints, seed: CheckoutSeed): Promise<void> {
  const [a, f] = await cloneCarts(ctx.db, seed.templateCartId, 2, 'verify');
  const stock = async () => (await ctx.db.query<{ code: string; stock: number }>(`select code, stock from sku where code = any($1) order by code`, [seed.cartSkus])).rows;
  const s0 = await stock();
  const api = await post(urls.api, checkoutBody(a!));
  const s1 = await stock();
  const floor = await post(urls.floor, checkoutBody(f!));
  const s2 = await stock();
  const number = (text: string) => /"cartNumber":"(\d+)"/.exec(text)?.[1];
  const [na, nf] = [number(api.text), number(floor.text)];
  if (!na) throw new Error(`checkout: the API did not place the verification cart: ${api.text.slice(0, 500)}`);
  const normal = (text: string, n: string) => text.replace(new RegExp(`(?<=["-])${n}(?=["-])`, 'g'), '<cart number>');
  if (!nf || api.status !== floor.status || normal(api.text, na) !== normal(floor.text, nf)) {
    throw new Error(`checkout: the floor does not answer the API's bytes (but for the cart number)\n${firstDifference(normal(api.text, na), nf ? normal(floor.text, nf) : floor.text)}`);
  }
  const [fa, ff] = [await checkoutFootprint(ctx.db, await cartIdOf(ctx.db, a!)), await checkoutFootprint(ctx.db, await cartIdOf(ctx.db, f!))];
  if (fa !== ff) throw new Error(`checkout: the floor does not write what the API writes\n${firstDifference(fa, ff)}`);
  const delta = (x: typeof s0, y: typeof s0) => x.map((r, i) => r.stock - y[i]!.stock).join(',');
  if (delta(s0, s1) !== delta(s1, s2)) throw new Error(`checkout: stock moved differently (API ${delta(s0, s1)}, floor ${delta(s1, s2)})`);
}

export function checkoutScenario(ctx: Ctx, seed: CheckoutSeed): Scenario {
  return {
    key: 'checkout',
    name: 'checkout, 3 sellers (card)',
    floor: 'checkout',
    warmup: (concurrency) => Math.max(10, concurrency),
    write: {
      mustContain: '"fraudStatus":"APPROVED"',
      // The floor answers several times faster, so it gets more carts: a slice is time, not count.
      pool: async (target) => ({ kind: 'checkout', carts: await cloneCarts(ctx.db, seed.templateCartId, WRITES.checkoutCarts * (target === 'floor' ? 4 : 1), target), start: 0 }),
      remaining: (g) => (g.kind === 'checkout' ? g.carts.length - g.start : Infinity),
      verify: (urls) => verifyCheckout(ctx, urls, seed),
    },
  };
}

// --- oversell ----------------------------------------------------------------------------

export interface OversellOutcome {
  checkouts: number;
  stock: number;
  sold: number;
  /** Refused checkouts by error code (userErrors' first code, or the top-level error's). */
  failed: Record<string, number>;
  oversold: number;
  finalStock: number;
  orderedUnits: number;
  checkedOutCarts: number;
  wallMs: number;
  p50: number;
  p99: number;
}

/**
 * BENCH_OVERSELL_CHECKOUTS ready carts, each with one unit of a SKU of BENCH_OVERSELL_STOCK
 * units, checked out through the API all at once (every request sent before any answer is
 * awaited). Exactly the stock is sold, the rest refused with OUT_OF_STOCK, the SKU ends at 0.
 */
export async function oversellRun(ctx: Ctx, seed: CheckoutSeed, problems: string[]): Promise<OversellOutcome> {
  const n = WRITES.oversellCheckouts;
  const stock = WRITES.oversellStock;
  const template = await prepareCartThroughApi(ctx.apiUrl, [seed.scarceSku]);
  const carts = await cloneCarts(ctx.db, await cartIdOf(ctx.db, template), n, 'oversell');
  const started = performance.now();
  const responses = await Promise.all(
    carts.map(async (token) => {
      const t0 = performance.now();
      try {
        const r = await post(ctx.apiUrl, checkoutBody(token));
        const body = JSON.parse(r.text) as { data?: { checkout?: { cartNumber: string | null; userErrors: { code: string }[] } }; errors?: { extensions?: { code?: string } }[] };
        const payload = body.data?.checkout;
        const code = body.errors?.[0]?.extensions?.code ?? payload?.userErrors[0]?.code ?? (payload?.cartNumber ? null : 'NO_PAYLOAD');
        return { ms: performance.now() - t0, code };
      } catch (err) {
        return { ms: performance.now() - t0, code: `NETWORK (${String(err)})` };
      }
    }),
  );
  const wallMs = performance.now() - started;
  const failed: Record<string, number> = {};
  let sold = 0;
  for (const r of responses) {
    if (r.code === null) sold += 1;
    else failed[r.code] = (failed[r.code] ?? 0) + 1;
  }
  // What the database says, whatever the responses said: a refused checkout leaves its cart open and no order behind.
  const [row] = (
    await ctx.db.query<{ stock: number; ordered: number; closed: number }>(
      `select s.stock,
              (select coalesce(sum(l.quantity), 0)::int from order_line l join "order" o on o.id = l.order_id where l.sku_id = s.id and o.status <> 'CANCELLED') as ordered,
              (select count(distinct c.id)::int from cart c join cart_line cl on cl.cart_id = c.id where cl.sku_id = s.id and c.status = 'CHECKED_OUT') as closed
         from sku s where s.code = $1`,
      [seed.scarceSku],
    )
  ).rows;
  const sorted = responses.map((r) => r.ms).sort((a, b) => a - b);
  const o: OversellOutcome = {
    checkouts: n, stock, sold, failed, oversold: Math.max(0, sold - stock), finalStock: row!.stock, orderedUnits: row!.ordered,
    checkedOutCarts: row!.closed, wallMs, p50: percentile(sorted, 50), p99: percentile(sorted, 99),
  };
  const expected = Math.min(stock, n);
  if (o.oversold > 0) problems.push(`oversell: ${o.oversold} unit(s) sold beyond the stock of ${stock}`);
  if (sold !== expected) problems.push(`oversell: ${sold} checkout(s) succeeded; expected exactly ${expected}`);
  if (o.orderedUnits !== sold) problems.push(`oversell: ${o.orderedUnits} unit(s) in live orders but ${sold} checkout(s) answered success`);
  if (o.checkedOutCarts !== sold) problems.push(`oversell: ${o.checkedOutCarts} cart(s) closed but ${sold} checkout(s) answered success`);
  if (o.finalStock !== stock - expected) problems.push(`oversell: the SKU's stock ended at ${o.finalStock}; expected ${stock - expected}`);
  const unclean = Object.entries(failed).filter(([code]) => code !== 'OUT_OF_STOCK');
  if (unclean.length) problems.push(`oversell: checkouts failed with codes other than OUT_OF_STOCK: ${unclean.map(([c, k]) => `${c} × ${k}`).join(', ')}`);
  return o;
}

export function printOversell(o: OversellOutcome): void {
  console.log(`\nOversell: ${o.checkouts} checkouts through the API at once, 1 unit each, of a SKU with stock ${o.stock}:`);
  const failed = Object.entries(o.failed).map(([code, k]) => `${code} ${k}`).join(', ');
  printTable(
    ['sold', 'failed', 'oversold', 'final stock', 'units in live orders', 'carts closed', 'burst wall ms', 'p50 ms', 'p99 ms'],
    [[String(o.sold), `${Object.values(o.failed).reduce((a, b) => a + b, 0)} (${failed || 'none'})`, String(o.oversold), String(o.finalStock),
      String(o.orderedUnits), String(o.checkedOutCarts), o.wallMs.toFixed(0), o.p50.toFixed(1), o.p99.toFixed(1)]],
  );
}
