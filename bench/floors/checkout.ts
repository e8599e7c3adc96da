import { createHash, randomUUID } from 'node:crypto';
// The modules' doors (bench/ reaches modules through their index.ts, like the app): loading them
// also loads their entities and resolvers, which the floor never calls but carries in its RSS.
import 'reflect-metadata';
import { RulesAnalyzer, type FraudRequest } from '../../src/modules/fraud/index.js';
import { formatBRL } from '../../src/shared/money/index.js';
import { SandboxPaymentProvider, cardToken } from '../../src/modules/payments/index.js';
import { createOrderLinks } from '../../src/modules/orders/index.js';
import { OutboxSeal } from '../../src/shared/outbox/seal.js';
import { BENCH_LINKS, benchAppSecret } from '../harness.js';
import { data, notImplemented, query, tokenHash, transaction, type FloorHandler } from './common.js';

/**
 * Floor of `checkout` for an anonymous shopper's cart paid by one card (checkout.service and
 * what it calls), answering the bench's payload (cart number, fraud status, each order's code,
 * status and total, the payment's status and amount). It does the API's checks and writes the
 * same rows — verified before timing by comparing what each left in the database:
 *
 *   1. claim the idempotency key (one INSERT … ON CONFLICT into idempotency_claim);
 *   2. one statement reads the cart, its lines with SKU, product and seller, the settings,
 *      the shipping setup, the commission rules that could apply and whether any promotion
 *      could, and takes the cart number; prices, stock, buyer, address and freight are
 *      checked in JS (the cart view's rules), the freight split by weight and the commission
 *      computed per line (largest remainder, round half up, as design.md says);
 *   3. the card is authorised (the same sandbox provider the API is configured with: it is the
 *      payment gateway, outside both — its own state, in PostgreSQL under the API, is kept in
 *      memory here), journaled in provider_call before and after the call;
 *   4. one transaction: lock the cart; one statement writes the orders, lines, payment, fraud
 *      analysis, ledger journals, e-mails and closes the cart and the key, guarded by "the
 *      cart's lines did not change"; one statement locks the SKUs in id order, re-checks them
 *      and decrements the stock (never below zero), last, so the hot rows are held briefly.
 *      Each e-mail carries the order's signed link and is sealed, as the API's outbox seals
 *      every payload (the app's own signer and seal, built from the run's app secret: they are
 *      plain functions of it);
 *   5. the rule-based fraud analyzer (the API's own, a pure function) decides; one transaction
 *      locks the payment, captures the card and writes the verdict, the captured payment, the
 *      capture journal and the approved orders.
 *
 * What this store's bench does not configure — promotions or a coupon, freight rules, carrier
 * integrations, gift cards, Pix, several parts, a customer's cart, a verdict other than
 * APPROVED — it does not imitate: it answers 501 (after reading what tells it so), never a
 * guess. Refusals (price changed, out of stock, cart not ready) roll back, free the key and
 * answer 501 too: the bench times successful checkouts only.
 */

const KEY_RE = /^[A-Za-z0-9_.:-]{8,200}$/;
const TOKEN_RE = /^mkc_[A-Za-z0-9_-]{43}$/;
const CARD_BRANDS = ['Visa', 'Master', 'Elo', 'Amex', 'Hipercard', 'Diners', 'JCB', 'Discover', 'Aura'];

// The API's claim (shared/idempotency claims.ts): scope `checkout`, the key's fingerprint a
// digest of the cart token hash, a lease (its length does not matter to a successful checkout).
const CLAIM = `
  insert into idempotency_claim (id, created_at, updated_at, scope, key, fingerprint, status, holder, attempt, lease_until)
  values ($1, now(), now(), 'checkout', $2, encode(sha256(convert_to($3, 'UTF8')), 'hex'), 'IN_PROGRESS', gen_random_uuid(), 1, now() + interval '60 seconds')
  on conflict (scope, key) do nothing
  returning id`;

// The provider-call journal (payments provider-calls.ts): the authorization is recorded before it
// is sent and completed with its answer. (The API sends four statements for it; two suffice here.)
const JOURNAL_START = `
  insert into provider_call (id, created_at, updated_at, provider, kind, provider_key, reference, amount_cents, currency, claim_id, attempt, status, sends)
  values (gen_random_uuid(), now(), now(), 'sandbox', 'AUTHORIZE_CARD', $1, $2, $3, $4, $5, 1, 'STARTED', 1)
  returning id`;
const JOURNAL_DONE = `update provider_call set status = $2, provider_ref = $3, result = $4::jsonb, updated_at = now() where id = $1`;

// $1 cart token hash. Everything the checkout decides from, and the cart number.
const SNAPSHOT = `
  select c.id, c.status, c.customer_id, c.created_by_id, c.voucher_code, c.shipping_carrier, c.shipping_method,
         c.buyer_name, c.buyer_email, c.buyer_document, c.buyer_phone,
         c.address_recipient, c.address_street, c.address_number, c.address_complement, c.address_district,
         c.address_city, c.address_state, c.address_postal_code,
         st.currency, st.uses_marketplace, st.default_commission_bps, st.max_installments,
         (select coalesce(json_agg(json_build_array(l.id, l.quantity, l.unit_price_cents, k.id, k.code, k.seller_code, k.price_cents,
                   k.weight_grams, k.stock, k.active, p.name, p.status, p.category_id, cat.path,
                   s.id, s.name, s.concatenation_code, s.is_admin, s.status, s.document) order by l.position, l.id), '[]')
            from cart_line l join sku k on k.id = l.sku_id join product p on p.id = k.product_id
            join seller s on s.id = k.seller_id left join category cat on cat.id = p.category_id
           where l.cart_id = c.id) as lines,
         (select coalesce(json_agg(json_build_array(t.carrier, t.method, t.scheduled, t.contingency, t.rows) order by t.carrier, t.method, t.id), '[]')
            from shipping_table t where t.active) as tables,
         exists (select 1 from freight_rule r where r.active) as freight_rules,
         exists (select 1 from promotion pr where pr.active and pr.code is null
                   and (pr.starts_at is null or pr.starts_at <= now()) and (pr.ends_at is null or pr.ends_at > now())) as promotions,
         (select coalesce(json_agg(json_build_array(r.seller_id, r.category_id, r.rate_bps)), '[]')
            from commission_rule r
           where r.seller_id in (select k.seller_id from cart_line l join sku k on k.id = l.sku_id where l.cart_id = c.id)
              or (r.seller_id is null and r.category_id in (
                    select x::uuid from cart_line l join sku k on k.id = l.sku_id join product p on p.id = k.product_id
                    join category cat on cat.id = p.category_id cross join unnest(string_to_array(trim(both '/' from cat.path), '/')) x
                    where l.cart_id = c.id))) as rules,
         nextval('cart_number_seq')::text as cart_number
  from cart c cross join marketplace_settings st
  where c.token_hash = $1 and st.id = 1`;

const LOCK_CART = `select status from cart where id = $1 for update`;

const PLACE = `
  with guard as (
         select 1 from cart c where c.id = $1 and c.status = 'OPEN'
            and (select coalesce(jsonb_agg(jsonb_build_array(l.id, l.quantity) order by l.id), '[]') from cart_line l where l.cart_id = $1) = $2::jsonb),
       o as (insert into "order" (id, created_at, updated_at, code, cart_id, cart_number, position, seller_id, status,
                                  buyer_name, buyer_email, buyer_document, buyer_phone, shipping_address, shipping_carrier, shipping_method,
                                  shipping_days, shipping_source, currency, merchandise_cents, discount_cents, seller_funded_discount_cents,
                                  freight_cents, total_cents, weight_grams, commission_cents, seller_receivable_cents, placed_at)
             select x.id, now(), now(), x.code, $1, $3, x.position, x.seller_id, 'PENDING_FRAUD_REVIEW',
                    x.buyer_name, x.buyer_email, x.buyer_document, x.buyer_phone, x.shipping_address, x.shipping_carrier, x.shipping_method,
                    x.shipping_days, x.shipping_source, x.currency, x.merchandise_cents, 0, 0,
                    x.freight_cents, x.total_cents, x.weight_grams, x.commission_cents, x.seller_receivable_cents, now()
             from jsonb_to_recordset($4::jsonb) as x(id uuid, code text, position int, seller_id uuid, buyer_name text, buyer_email text,
                    buyer_document text, buyer_phone text, shipping_address jsonb, shipping_carrier text, shipping_method text, shipping_days int,
                    shipping_source text, currency text, merchandise_cents int, freight_cents int, total_cents int, weight_grams int,
                    commission_cents int, seller_receivable_cents int)
             where exists (select 1 from guard) returning id),
       ol as (insert into order_line (id, created_at, updated_at, order_id, position, sku_id, sku_code, sku_seller_code, product_name, category_id,
                                      quantity, unit_price_cents, weight_grams, merchandise_cents, discount_cents, seller_funded_discount_cents,
                                      freight_cents, total_cents, commission_bps, commission_base_cents, commission_cents, seller_receivable_cents)
              select gen_random_uuid(), now(), now(), x.order_id, x.position, x.sku_id, x.sku_code, x.sku_seller_code, x.product_name, x.category_id,
                     x.quantity, x.unit_price_cents, x.weight_grams, x.merchandise_cents, 0, 0,
                     x.freight_cents, x.total_cents, x.commission_bps, x.commission_base_cents, x.commission_cents, x.seller_receivable_cents
              from jsonb_to_recordset($5::jsonb) as x(order_id uuid, position int, sku_id uuid, sku_code text, sku_seller_code text, product_name text,
                     category_id uuid, quantity int, unit_price_cents int, weight_grams int, merchandise_cents int, freight_cents int, total_cents int,
                     commission_bps int, commission_base_cents int, commission_cents int, seller_receivable_cents int)
              where exists (select 1 from guard) returning id),
       pt as (insert into payment_transaction (id, created_at, updated_at, cart_id, cart_number, status, currency, amount_cents, authorized_cents)
              select $6, now(), now(), $1, $3, 'AUTHORIZED', $7, $8, $8 where exists (select 1 from guard) returning id),
       pp as (insert into payment_part (id, created_at, updated_at, transaction_id, index, method, provider, provider_ref, authorization_code,
                                        status, amount_cents, installments, card_brand, card_bin, card_last4)
              select $9, now(), now(), $6, 0, 'CARD', 'sandbox', $10, $11, 'AUTHORIZED', $8, 1, $12, $13, $14
              where exists (select 1 from pt) returning id),
       fa as (insert into fraud_analysis (id, created_at, updated_at, cart_id, cart_number, status, reasons, request)
              select $15, now(), now(), $1, $3, 'PENDING', '[]', $16::jsonb where exists (select 1 from guard) returning id),
       le as (insert into ledger_entry (id, kind, reference, cart_id, cart_number, order_id, memo, created_at)
              select x.id, 'CHECKOUT', 'order:' || x.order_id, $1, $3, x.order_id, x.memo, now()
              from jsonb_to_recordset($17::jsonb) as x(id uuid, order_id uuid, memo text)
              where exists (select 1 from o) returning id),
       ll as (insert into ledger_line (id, entry_id, position, account, seller_id, debit, credit, currency, created_at)
              select gen_random_uuid(), x.entry_id, x.position, x.account, x.seller_id, x.debit, x.credit, $7, now()
              from jsonb_to_recordset($18::jsonb) as x(entry_id uuid, position int, account text, seller_id uuid, debit bigint, credit bigint)
              where exists (select 1 from le) returning id),
       ob as (insert into outbox_message (id, kind, topic, payload, created_at, next_attempt_at)
              select gen_random_uuid(), 'email', 'order.placed', x.payload, now(), now()
              from jsonb_to_recordset($19::jsonb) as x(payload jsonb)
              where exists (select 1 from guard) returning id),
       ct as (update cart set status = 'CHECKED_OUT', checked_out_at = now(), updated_at = now()
              where id = $1 and exists (select 1 from guard) returning id),
       ca as (update idempotency_claim set status = 'COMPLETED', result = jsonb_build_object('cartId', $1::text, 'cartNumber', $3::text),
                     lease_until = null, completed_at = now(), updated_at = now()
              where id = $20 and exists (select 1 from guard) returning id)
  select (select count(*)::int from ct) as placed, (select count(*)::int from ca) as completed, (select count(*)::int from ol) as lines,
         (select count(*)::int from pp) as parts, (select count(*)::int from fa) as analyses, (select count(*)::int from ll) as ledger_lines,
         (select count(*)::int from ob) as emails`;

// $1 [{id, q, price}]: locked in id order, re-checked (on sale, price, stock) and decremented only if all pass.
const TAKE_STOCK = `
  with want as (select * from jsonb_to_recordset($1::jsonb) as w(id uuid, q int, price int)),
       locked as materialized (select k.id, k.stock, k.price_cents, k.active, k.product_id, k.seller_id
                               from sku k where k.id in (select id from want) order by k.id for no key update),
       chk as (select l.id, w.q,
                      l.stock >= w.q and l.active and l.price_cents = w.price and p.status = 'PUBLISHED' and s.status = 'ACTIVE'
                      and (s.is_admin or st.uses_marketplace) as ok
               from locked l join want w on w.id = l.id join product p on p.id = l.product_id join seller s on s.id = l.seller_id
               cross join marketplace_settings st where st.id = 1),
       upd as (update sku set stock = sku.stock - chk.q, updated_at = now() from chk
               where sku.id = chk.id and (select bool_and(ok) and count(*) = (select count(*) from want) from chk) returning sku.id)
  select (select count(*)::int from upd) as updated`;

const LOCK_PAYMENT = `select id from payment_transaction where id = $1 for update`;

// The verdict, the capture and the approval: what analyzeCart + applyFraudOutcome write for an APPROVED card payment.
const APPROVE = `
  with fa as (update fraud_analysis set status = 'APPROVED', analyzer_outcome = 'APPROVED', score = $2, reasons = $3::jsonb,
                     provider = 'rules', provider_ref = null, analyzed_at = now(), updated_at = now()
              where id = $1 and status = 'PENDING' returning id),
       pp as (update payment_part set status = 'PAID', captured_cents = $4, paid_at = now(), updated_at = now()
              where id = $5 and status = 'AUTHORIZED' and exists (select 1 from fa) returning id),
       pt as (update payment_transaction set status = 'PAID', captured_cents = $4, paid_at = coalesce(paid_at, now()), expires_at = null, updated_at = now()
              where id = $6 and exists (select 1 from pp) returning id),
       le as (insert into ledger_entry (id, kind, reference, cart_id, cart_number, order_id, memo, created_at)
              select $7, 'CAPTURE', 'capture:' || $5 || ':' || $4, $8, $9, null, $10, now() where exists (select 1 from pt) returning id),
       ll as (insert into ledger_line (id, entry_id, position, account, seller_id, debit, credit, currency, created_at)
              select gen_random_uuid(), $7, x.position, x.account, null, x.debit, x.credit, $11, now()
              from (values (0, 'PAYMENT_PROVIDER', $4::bigint, 0::bigint), (1, 'CUSTOMER', 0::bigint, $4::bigint)) as x(position, account, debit, credit)
              where exists (select 1 from le) returning id),
       od as (update "order" set status = 'APPROVED', approved_at = now(), updated_at = now()
              where cart_id = $8 and status in ('PENDING_PAYMENT', 'PENDING_FRAUD_REVIEW') and exists (select 1 from pt)
              returning code, status, total_cents, position)
  select (select count(*)::int from ll) as ledger_lines,
         (select json_agg(json_build_array(od.code, od.status, od.total_cents) order by od.position) from od) as orders`;

type Line = [
  string, number, number, string, string, string, number, number, number, boolean, string, string, string | null, string | null,
  string, string, string | null, boolean, string, string | null,
];

interface Snapshot {
  id: string;
  status: string;
  customer_id: string | null;
  created_by_id: string | null;
  voucher_code: string | null;
  shipping_carrier: string | null;
  shipping_method: string | null;
  buyer_name: string | null;
  buyer_email: string | null;
  buyer_document: string | null;
  buyer_phone: string | null;
  address_recipient: string;
  address_street: string;
  address_number: string;
  address_complement: string | null;
  address_district: string;
  address_city: string;
  address_state: string;
  address_postal_code: string | null;
  currency: string;
  uses_marketplace: boolean;
  default_commission_bps: number;
  max_installments: number;
  lines: Line[];
  tables: [string, string, boolean, boolean, { postalCodeFrom: string; postalCodeTo: string; weightFromGrams: number; weightToGrams: number; priceCents: number; days: number }[]][];
  freight_rules: boolean;
  promotions: boolean;
  rules: [string | null, string | null, number][];
  cart_number: string;
}

/** design.md's split: floor each share, leftover cents by largest remainder, ties to the larger base, then the earlier part. */
function allocate(total: number, weights: number[]): number[] {
  const w = weights.every((x) => x === 0) ? weights.map(() => 1) : weights;
  const sum = w.reduce((a, b) => a + b, 0);
  const parts = w.map((x, index) => {
    const n = BigInt(total) * BigInt(x);
    const floor = n / BigInt(sum);
    return { index, weight: x, share: Number(floor), remainder: n - floor * BigInt(sum) };
  });
  let left = total - parts.reduce((a, p) => a + p.share, 0);
  for (const p of [...parts].sort((a, b) => (a.remainder !== b.remainder ? (b.remainder > a.remainder ? 1 : -1) : b.weight - a.weight || a.index - b.index))) {
    if (left === 0) break;
    p.share += 1;
    left -= 1;
  }
  return parts.map((p) => p.share);
}

/** Commission: round half up of base × bps / 10000, in integers. */
const commissionOf = (base: number, bps: number) => Number((BigInt(base) * BigInt(bps) + 5_000n) / 10_000n);

/** provider keys derived from ours, as the payment layer derives them. */
const providerKey = (key: string, purpose: string, index: number) => `${purpose}_${createHash('sha256').update(key).digest('hex').slice(0, 40)}_${index}`;

const handler: FloorHandler = (deps) => {
  const sandbox = new SandboxPaymentProvider();
  const analyzer = new RulesAnalyzer();
  const secret = Buffer.from(benchAppSecret(), 'utf8');
  const links = createOrderLinks(secret, BENCH_LINKS.ttlDays * 24 * 3600_000);
  const seal = new OutboxSeal(secret);
  const orderLink = (orderId: string, now: Date) => BENCH_LINKS.url.replace('{token}', encodeURIComponent(links.sign(orderId, new Date(now.getTime() + links.ttlMs))));

  return async (req) => {
    if (req.operationName !== 'BenchCheckout' || req.authorization) return notImplemented('the anonymous BenchCheckout');
    const input = req.variables.input as {
      cartToken?: string;
      idempotencyKey?: string;
      payment?: { parts?: { method?: string; amount?: number; installments?: number; card?: { token: string; brand: string; bin?: string; last4?: string; holderName?: string } }[] };
    };
    const part = input?.payment?.parts?.length === 1 ? input.payment.parts[0]! : null;
    if (!input || !KEY_RE.test(input.idempotencyKey ?? '') || typeof input.cartToken !== 'string') return notImplemented('a valid key and cart token');
    if (!part || part.method !== 'CARD' || (part.installments ?? 1) !== 1 || part.amount || !part.card) return notImplemented('one card part in one installment');
    const card = part.card;
    cardToken(card.token); // refuses anything that looks like a card number, as the API does
    if (!CARD_BRANDS.includes(card.brand) || (card.bin !== undefined && !/^\d{6,8}$/.test(card.bin)) || (card.last4 !== undefined && !/^\d{4}$/.test(card.last4))) {
      return notImplemented('a well-formed card');
    }
    const key = input.idempotencyKey!;
    const hash = tokenHash(input.cartToken);
    const attemptId = randomUUID();
    const claimed = await query<{ id: string }>(deps, 'checkout_claim', CLAIM, [attemptId, key, hash]);
    if (!claimed.rowCount) return notImplemented('fresh idempotency keys (repeats are answered by the API)');

    const release = async (why: string) => {
      await query(deps, 'checkout_release', `delete from idempotency_claim where id = $1 and status = 'IN_PROGRESS'`, [attemptId]);
      return notImplemented(why);
    };

    const [s] = TOKEN_RE.test(input.cartToken) ? (await query<Snapshot>(deps, 'checkout_snapshot', SNAPSHOT, [hash])).rows : [];
    if (!s || s.customer_id) return release('carts of anonymous shoppers');
    if (s.status !== 'OPEN') return release('open carts');
    if (s.promotions || s.voucher_code || s.freight_rules) return release('stores without promotions, coupons or freight rules');
    const lines = s.lines.map((l) => ({
      lineId: l[0], quantity: l[1], confirmedPrice: l[2], skuId: l[3], skuCode: l[4], skuSellerCode: l[5], price: l[6], weight: l[7], stock: l[8],
      active: l[9], productName: l[10], productStatus: l[11], categoryId: l[12], categoryPath: l[13],
      seller: { id: l[14], name: l[15], concat: l[16], isAdmin: l[17], status: l[18], document: l[19] },
    }));
    // The cart view's rules: a line not on sale, short or re-priced; buyer, address, a shipping option.
    if (!lines.length) return release('carts with lines');
    if (lines.some((l) => l.price !== l.confirmedPrice)) return release('unchanged prices');
    if (lines.some((l) => l.stock < l.quantity)) return release('lines in stock');
    const onSale = (l: (typeof lines)[number]) =>
      l.productStatus === 'PUBLISHED' && l.active && l.seller.status === 'ACTIVE' && (l.seller.isAdmin || s.uses_marketplace);
    if (lines.some((l) => !onSale(l))) return release('lines on sale');
    if (!(s.buyer_name && s.buyer_email && s.buyer_document && s.buyer_phone) || !s.address_postal_code) return release('ready carts');

    // Freight: every active table's matching row (scheduled methods not for a cart with guest items),
    // else the contingency table; one option per carrier and method, cheapest then fastest.
    const cep = s.address_postal_code;
    const weight = lines.reduce((a, l) => a + l.quantity * l.weight, 0);
    const merchandise = lines.reduce((a, l) => a + l.quantity * l.price, 0);
    const hasGuest = lines.some((l) => !l.seller.isAdmin);
    const match = (rows: Snapshot['tables'][number][4]) =>
      rows
        .filter((r) => r.postalCodeFrom <= cep && cep <= r.postalCodeTo && r.weightFromGrams <= weight && weight <= r.weightToGrams)
        .sort((a, b) => a.priceCents - b.priceCents || a.days - b.days)[0];
    type Option = { carrier: string; method: string; priceCents: number; days: number; source: string };
    let options: Option[] = [];
    for (const [carrier, method, scheduled, contingency, rows] of s.tables) {
      const row = !contingency && !(scheduled && hasGuest) ? match(rows) : undefined;
      if (row) options.push({ carrier, method, priceCents: row.priceCents, days: row.days, source: 'TABLE' });
    }
    if (!options.length) {
      const c = s.tables.find((t) => t[3]);
      const row = c && match(c[4]);
      if (c && row) options = [{ carrier: c[0], method: c[1], priceCents: row.priceCents, days: row.days, source: 'CONTINGENCY' }];
    }
    const byPrice = (a: Option, b: Option) =>
      a.priceCents - b.priceCents || a.days - b.days || (a.carrier < b.carrier ? -1 : a.carrier > b.carrier ? 1 : 0) || (a.method < b.method ? -1 : a.method > b.method ? 1 : 0);
    const best = new Map<string, Option>();
    for (const o of options) {
      const k = JSON.stringify([o.carrier, o.method]);
      if (!best.has(k) || byPrice(o, best.get(k)!) < 0) best.set(k, o);
    }
    options = [...best.values()].sort(byPrice);
    const shipping = options.find((o) => o.carrier === s.shipping_carrier && o.method === s.shipping_method) ?? options[0];
    if (!shipping) return release('carts something ships');

    // The orders: one per seller, the admin seller first, then guest sellers by concatenation code.
    const groups: { seller: (typeof lines)[number]['seller']; lines: typeof lines }[] = [];
    for (const l of lines) {
      const g = groups.find((x) => x.seller.id === l.seller.id);
      if (g) g.lines.push(l);
      else groups.push({ seller: l.seller, lines: [l] });
    }
    groups.sort((a, b) =>
      a.seller.isAdmin !== b.seller.isAdmin
        ? a.seller.isAdmin ? -1 : 1
        : (a.seller.concat ?? '') !== (b.seller.concat ?? '') ? ((a.seller.concat ?? '') < (b.seller.concat ?? '') ? -1 : 1) : a.seller.id < b.seller.id ? -1 : 1,
    );
    const lineValue = (l: (typeof lines)[number]) => l.quantity * l.price;
    const lineWeight = (l: (typeof lines)[number]) => l.quantity * l.weight;
    const groupWeights = groups.map((g) => g.lines.reduce((a, l) => a + lineWeight(l), 0));
    const groupValues = groups.map((g) => g.lines.reduce((a, l) => a + lineValue(l), 0));
    const groupFreight = allocate(shipping.priceCents, weight > 0 ? groupWeights : groupValues);
    const total = merchandise + shipping.priceCents;
    if (1 > s.max_installments) return release('card installments the store takes');

    // Commission: (seller, category or nearest ancestor), the seller, the category chain, the store default.
    const rate = new Map(s.rules.map(([seller, category, bps]) => [`${seller ?? '*'}|${category ?? '*'}`, bps]));
    const rateOf = (l: (typeof lines)[number]) => {
      const chain = l.categoryPath ? l.categoryPath.split('/').filter(Boolean).reverse() : [];
      for (const c of chain) if (rate.has(`${l.seller.id}|${c}`)) return rate.get(`${l.seller.id}|${c}`)!;
      if (rate.has(`${l.seller.id}|*`)) return rate.get(`${l.seller.id}|*`)!;
      for (const c of chain) if (rate.has(`*|${c}`)) return rate.get(`*|${c}`)!;
      return s.default_commission_bps;
    };

    const cartNumber = s.cart_number;
    const address = {
      recipientName: s.address_recipient, street: s.address_street, number: s.address_number, complement: s.address_complement ?? null,
      district: s.address_district, city: s.address_city, state: s.address_state, postalCode: cep,
    };
    const orders = groups.map((g, gi) => {
      const freights = allocate(groupFreight[gi]!, g.lines.some((l) => l.weight > 0) ? g.lines.map(lineWeight) : g.lines.map(lineValue));
      const orderLines = g.lines.map((l, j) => {
        const bps = rateOf(l);
        const base = lineValue(l);
        const commission = commissionOf(base, bps);
        return {
          position: j + 1, sku_id: l.skuId, sku_code: l.skuCode, sku_seller_code: l.skuSellerCode, product_name: l.productName, category_id: l.categoryId,
          quantity: l.quantity, unit_price_cents: l.price, weight_grams: lineWeight(l), merchandise_cents: base, freight_cents: freights[j]!,
          total_cents: base + freights[j]!, commission_bps: bps, commission_base_cents: base, commission_cents: commission, seller_receivable_cents: base - commission,
        };
      });
      const sum = (f: (x: (typeof orderLines)[number]) => number) => orderLines.reduce((a, x) => a + f(x), 0);
      return {
        id: randomUUID(), code: `${g.seller.concat ? `${g.seller.concat}-` : ''}${cartNumber}-${gi + 1}`, position: gi + 1, seller: g.seller, lines: g.lines, orderLines,
        merchandise_cents: groupValues[gi]!, freight_cents: groupFreight[gi]!, total_cents: sum((x) => x.total_cents), weight_grams: groupWeights[gi]!,
        commission_cents: sum((x) => x.commission_cents), seller_receivable_cents: sum((x) => x.seller_receivable_cents),
      };
    });

    // The card, before any row lock (a provider may take seconds), journaled around the call.
    const authKey = providerKey(`${key}:${attemptId}:1`, 'auth', 0);
    const journal = (await query<{ id: string }>(deps, 'checkout_journal_start', JOURNAL_START, [authKey, `${cartNumber}-1`, total, s.currency, attemptId])).rows[0]!.id;
    const auth = await sandbox.authorizeCard({
      amount: { amount: total, currency: s.currency },
      installments: 1,
      cardToken: cardToken(card.token),
      cardBrand: card.brand as never,
      reference: `${cartNumber}-1`,
      idempotencyKey: authKey,
      buyer: { name: s.buyer_name, email: s.buyer_email, document: s.buyer_document, phone: s.buyer_phone },
    });
    await query(deps, 'checkout_journal_done', JOURNAL_DONE, [journal, auth.status === 'AUTHORIZED' ? 'DONE' : 'REFUSED', auth.providerRef ?? null, JSON.stringify(auth)]);
    if (auth.status !== 'AUTHORIZED') return release('approved cards');

    const placedAt = new Date();
    const items = orders.flatMap((o) =>
      o.lines.map((l) => ({
        skuCode: l.skuCode, name: l.productName, quantity: l.quantity, unitPrice: l.price,
        seller: { id: l.seller.id, name: l.seller.name, concatenationCode: l.seller.concat ?? null, ...(l.seller.document ? { document: l.seller.document } : {}) },
        marketplace: !l.seller.isAdmin,
      })),
    );
    const fraudAddress = { ...address, complement: address.complement ?? undefined, country: 'BR' };
    const fraud: FraudRequest = {
      cartNumber, placedAt, currency: 'BRL',
      totals: { merchandise, discount: 0, freight: shipping.priceCents, total },
      payments: [{ method: 'CREDIT_CARD', amount: total, card: { bin: card.bin ?? '', last4: card.last4 ?? '', brand: card.brand, holderName: card.holderName, installments: 1 } }],
      buyer: { name: s.buyer_name!, email: s.buyer_email!, document: s.buyer_document!, phone: s.buyer_phone! },
      delivery: fraudAddress, billing: fraudAddress, items, distinctSellers: new Set(items.map((i) => i.seller.id)).size,
    };
    const ids = { transaction: randomUUID(), part: randomUUID(), analysis: randomUUID(), capture: randomUUID() };
    const ledger = orders.map((o) => ({ id: randomUUID(), order_id: o.id, memo: `Order ${o.code} placed.` }));
    const ledgerLines = orders.flatMap((o, i) =>
      [
        { account: 'CUSTOMER', seller_id: null, debit: o.total_cents, credit: 0 },
        { account: 'SELLER_PAYABLE', seller_id: o.seller.id, debit: 0, credit: o.seller_receivable_cents },
        { account: 'COMMISSION_REVENUE', seller_id: null, debit: 0, credit: o.commission_cents },
        { account: 'FREIGHT_REVENUE', seller_id: null, debit: 0, credit: o.freight_cents },
      ]
        .filter((l) => l.debit > 0 || l.credit > 0)
        .map((l, position) => ({ entry_id: ledger[i]!.id, position, ...l })),
    );
    const emails = orders.map((o) => ({
      payload: seal.seal({
        to: s.buyer_email,
        subject: `Pedido ${o.code} recebido`,
        text: [
          `Olá, ${s.buyer_name}.`, '', `Recebemos o pedido ${o.code}, vendido e entregue por ${o.seller.name}.`,
          ...o.orderLines.map((x) => `- ${x.quantity} × ${x.product_name} (${x.sku_code}): ${formatBRL(x.merchandise_cents)}`),
          '', `Mercadorias: ${formatBRL(o.merchandise_cents)}`, `Descontos: ${formatBRL(0)}`,
          `Frete (${shipping.carrier} ${shipping.method}, ${shipping.days} dias): ${formatBRL(o.freight_cents)}`, `Total deste pedido: ${formatBRL(o.total_cents)}`,
          '', 'O pagamento foi autorizado e está em análise.',
          orders.length > 1 ? `Sua compra ${cartNumber} foi dividida em ${orders.length} pedidos, um por vendedor.` : '',
          `Acompanhe o pedido: ${orderLink(o.id, placedAt)}`,
        ].join('\n'),
      }),
    }));
    const wanted = new Map<string, { id: string; q: number; price: number }>();
    for (const l of lines) wanted.set(l.skuId, { id: l.skuId, q: (wanted.get(l.skuId)?.q ?? 0) + l.quantity, price: l.confirmedPrice });

    let placed = false;
    try {
      placed = await transaction(deps, async (client) => {
        await query(deps, 'checkout_lock_cart', LOCK_CART, [s.id], client);
        const w = (
          await query<{ placed: number }>(deps, 'checkout_place', PLACE, [
            s.id,
            JSON.stringify([...lines].sort((a, b) => (a.lineId < b.lineId ? -1 : 1)).map((l) => [l.lineId, l.quantity])),
            cartNumber,
            JSON.stringify(orders.map((o) => ({
              id: o.id, code: o.code, position: o.position, seller_id: o.seller.id, buyer_name: s.buyer_name, buyer_email: s.buyer_email,
              buyer_document: s.buyer_document, buyer_phone: s.buyer_phone, shipping_address: address, shipping_carrier: shipping.carrier,
              shipping_method: shipping.method, shipping_days: shipping.days, shipping_source: shipping.source, currency: s.currency,
              merchandise_cents: o.merchandise_cents, freight_cents: o.freight_cents, total_cents: o.total_cents, weight_grams: o.weight_grams,
              commission_cents: o.commission_cents, seller_receivable_cents: o.seller_receivable_cents,
            }))),
            JSON.stringify(orders.flatMap((o) => o.orderLines.map((x) => ({ order_id: o.id, ...x })))),
            ids.transaction, s.currency, total, ids.part, auth.providerRef, auth.authorizationCode ?? null, card.brand, card.bin ?? null, card.last4 ?? null,
            ids.analysis, JSON.stringify(fraud), JSON.stringify(ledger), JSON.stringify(ledgerLines), JSON.stringify(emails), attemptId,
          ], client)
        ).rows[0]!;
        if (!w.placed) throw new Refused('the cart changed while checking out');
        const stock = (await query<{ updated: number }>(deps, 'checkout_take_stock', TAKE_STOCK, [JSON.stringify([...wanted.values()])], client)).rows[0]!;
        if (stock.updated !== wanted.size) throw new Refused('lines still in stock at their price');
        return true;
      });
    } catch (err) {
      await sandbox.voidCard({ providerRef: auth.providerRef, amount: auth.amount }).catch(() => {});
      if (err instanceof Refused) return release(err.message);
      await query(deps, 'checkout_release', `delete from idempotency_claim where id = $1 and status = 'IN_PROGRESS'`, [attemptId]).catch(() => {});
      throw err;
    }
    if (!placed) return release('placed orders');

    // The verdict after commit, as the API does: the orders exist whatever the analyzer says.
    const verdict = analyzer.evaluate(fraud);
    if (verdict.outcome !== 'APPROVED') return notImplemented('carts the analyzer approves (this floor does not review or cancel)');
    const approved = await transaction(deps, async (client) => {
      await query(deps, 'checkout_lock_payment', LOCK_PAYMENT, [ids.transaction], client);
      const captured = await sandbox.captureCard({ providerRef: auth.providerRef, amount: { amount: total, currency: s.currency } });
      return (
        await query<{ ledger_lines: number; orders: [string, string, number][] }>(deps, 'checkout_approve', APPROVE, [
          ids.analysis, verdict.score, JSON.stringify(verdict.reasons), captured.amount.amount, ids.part, ids.transaction, ids.capture,
          s.id, cartNumber, `Cart ${cartNumber}: card part 1 captured.`, s.currency,
        ], client)
      ).rows[0]!;
    });
    return data({
      checkout: {
        cartNumber,
        fraudStatus: 'APPROVED',
        orders: (approved.orders ?? []).map(([code, status, totalCents]) => ({ code, status, total: { amount: totalCents, currency: s.currency } })),
        payment: { status: 'PAID', amount: { amount: total, currency: s.currency } },
        userErrors: [],
      },
    });
  };
};

/** A refusal inside the transaction: roll back, void the card, free the key. */
class Refused extends Error {}

export default handler;
