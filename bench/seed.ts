import { createHash, randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import type pg from 'pg';
import { PREFILLED_LINES, addLineSku } from './rotation.js';

/**
 * Everything the bench measures is seeded with bulk SQL (INSERT … SELECT generate_series)
 * from the orchestrator, before any process is timed: 20,000 products or 100,000 orders take
 * seconds this way. Rows look like the app's own (displayed codes `<concat>-<raw>`,
 * millisecond timestamps as the app writes them, so cursors carry the same instants; token
 * hashes as auth and carts store them). The few things that need the app's validation (the
 * shipping table) go through the API instead.
 */

export type Sql = pg.Pool;

export const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

// Small fixed attribute sets: what a store has, not what grows with the catalog.
const ROOT_CATEGORIES = ['Moda', 'Casa', 'Eletrônicos', 'Esporte', 'Beleza'];
const CHILDREN_PER_ROOT = 4;
export const BRANDS = 40;
export const TAGS = 30;
export const COLORS = ['Preto', 'Branco', 'Azul', 'Vermelho', 'Verde', 'Amarelo', 'Cinza', 'Rosa'];
export const SIZES = ['PP', 'P', 'M', 'G', 'GG', 'XG'];

export interface CatalogSeed {
  ms: number;
  products: number;
  skus: number;
  /** Products the storefront shows (published, of a selling seller). */
  visible: number;
}

/**
 * Sellers CAT01… (the admin seller first in product rotation). Two of them are SUSPENDED and
 * one PENDING, so their products must be hidden; one product in 23 is a DRAFT and one in 53
 * ARCHIVED (the storefront hides those, their seller sees them); some SKUs are out of
 * stock and a few inactive. Runs once, before any product exists.
 */
export async function seedCatalog(db: Sql, o: { products: number; sellers: number }): Promise<CatalogSeed> {
  const started = performance.now();
  const guests = o.sellers - 1;
  const w = String(o.products).length;
  const leaves = ROOT_CATEGORIES.length * CHILDREN_PER_ROOT;
  const list = (names: string[]) => names.map((n) => `('${n}')`).join(', ');
  const codeWidth = Math.max(2, String(guests).length);
  const hidden = (g: string) => `case when ${g} = ${guests} then 'PENDING' when ${g} in (${guests - 1}, ${guests - 2}) then 'SUSPENDED' else 'ACTIVE' end`;

  await db.query(`update marketplace_settings set uses_marketplace = true where id = 1`);
  await db.query(`
    insert into seller (id, created_at, updated_at, name, concatenation_code, status, approved_at, shipping_policy, return_policy)
    select gen_random_uuid(), t, t, 'Loja Parceira ' || lpad(g::text, ${codeWidth}, '0'), 'CAT' || lpad(g::text, ${codeWidth}, '0'), ${hidden('g')},
           case when g = ${guests} then null else t end, 'Envio em até 2 dias úteis.', 'Devolução em até 7 dias.'
    from generate_series(1, ${guests}) g
    cross join lateral (select date_trunc('milliseconds', now()) as t) v`);
  await db.query(`update seller set status = 'ACTIVE', name = 'Loja Oficial' where is_admin`);
  await db.query(`
    insert into category (id, name, slug, path, position)
    select id, name, lower(translate(name, 'ô', 'o')), '/' || id || '/', pos
    from (select gen_random_uuid() as id, name, pos - 1 as pos from unnest(array[${ROOT_CATEGORIES.map((n) => `'${n}'`).join(', ')}]) with ordinality as r(name, pos)) r`);
  await db.query(`
    insert into category (id, name, slug, parent_id, path, position)
    select x.id, r.name || ' ' || x.g, r.slug || '-' || x.g, r.id, r.path || x.id || '/', x.g - 1
    from category r cross join lateral (select gen_random_uuid() as id, g from generate_series(1, ${CHILDREN_PER_ROOT}) g) x
    where r.parent_id is null`);
  await db.query(`insert into brand (id, name) select gen_random_uuid(), 'Marca ' || lpad(g::text, 2, '0') from generate_series(1, ${BRANDS}) g`);
  await db.query(`insert into tag (id, name) select gen_random_uuid(), 'tag-' || lpad(g::text, 2, '0') from generate_series(1, ${TAGS}) g`);
  await db.query(`insert into color (id, name, hex) select gen_random_uuid(), name, hex from (values ${COLORS.map((n, i) => `('${n}', '#${(i * 0x1f2f3f).toString(16).padStart(6, '0').slice(-6)}')`).join(', ')}) v(name, hex)`);
  await db.query(`insert into size (id, name, position) select gen_random_uuid(), name, pos - 1 from unnest(array[${SIZES.map((n) => `'${n}'`).join(', ')}]) with ordinality as v(name, pos)`);

  // Product g belongs to seller g mod sellers (admin first), one leaf category, a brand (none for
  // one in ten). Created one minute apart, so the default order (newest first) has no ties.
  await db.query(`
    with s as (select id, concatenation_code as concat, (row_number() over (order by is_admin desc, concatenation_code) - 1)::int as n
               from seller where is_admin or concatenation_code like 'CAT%'),
         c as (select id, (row_number() over (order by path) - 1)::int as n from category where parent_id is not null),
         b as (select id, (row_number() over (order by name) - 1)::int as n from brand)
    insert into product (id, created_at, updated_at, seller_id, seller_code, code, name, description, status,
                         category_id, brand_id, images, published_at)
    select gen_random_uuid(), t, t, s.id, raw, coalesce(s.concat || '-', '') || raw,
           'Produto de vitrine ' || g, 'Descrição do produto ' || g || '.',
           case when g % 23 = 7 then 'DRAFT' when g % 53 = 13 then 'ARCHIVED' else 'PUBLISHED' end,
           c.id, case when g % 11 = 9 then null else b.id end,
           jsonb_build_array(jsonb_build_object('url', 'https://img.example/p/' || g || '.jpg', 'alt', null)),
           case when g % 23 = 7 then null else t end
    from generate_series(0, ${o.products - 1}) g
    cross join lateral (select timestamptz '2026-01-01 00:00:00+00' + g * interval '1 minute' as t,
                               'P' || lpad(g::text, ${w}, '0') as raw) v
    join s on s.n = g % ${o.sellers}
    join c on c.n = (g * 7) % ${leaves}
    join b on b.n = (g * 13) % ${BRANDS}`);

  // 1–3 SKUs per product; some without colour or size, some out of stock, a few inactive,
  // list prices on three in four.
  await db.query(`
    with co as (select id, (row_number() over (order by name) - 1)::int as n from color),
         sz as (select id, position as n from size)
    insert into sku (id, created_at, updated_at, product_id, seller_id, seller_code, code, color_id, size_id,
                     price_cents, list_price_cents, weight_grams, height_mm, width_mm, length_mm, stock, images, position, active)
    select gen_random_uuid(), p.created_at, p.created_at, p.id, p.seller_id, p.seller_code || '_' || k, p.code || '_' || k,
           co.id, sz.id, price, case when g % 4 = 0 then null else price + 2000 end,
           300 + (g % 20) * 50, 100, 200, 300,
           case when (g + k) % 7 = 0 then 0 else 1 + (g * k) % 50 end, '[]'::jsonb, k - 1,
           not (k = 3 and g % 7 = 5)
    from (select p.*, substr(p.seller_code, 2)::int as g from product p) p
    cross join lateral generate_series(1, 1 + p.g % 3) k
    cross join lateral (select 1990 + ((p.g * 37 + k * 11) % 500) * 100 as price) pr
    left join co on co.n = (p.g + k) % ${COLORS.length} and p.g % 9 <> 0
    left join sz on sz.n = (p.g + k) % ${SIZES.length} and p.g % 3 <> 0`);
  await db.query(`
    update product p set min_price_cents = m.min
    from (select product_id, min(price_cents) as min from sku where active group by product_id) m
    where m.product_id = p.id`);
  await db.query(`
    with t as (select id, (row_number() over (order by name) - 1)::int as n from tag)
    insert into product_tag (product_id, tag_id)
    select p.id, t.id
    from (select id, substr(seller_code, 2)::int as g from product) p
    cross join lateral generate_series(1, p.g % 4) j
    join t on t.n = (p.g + j * 7) % ${TAGS}`);
  // What autovacuum would have done on a live store: the update above left a dead version of
  // every product (and of its index entries), and the planner needs statistics for the new rows.
  await db.query(`vacuum analyze seller, category, brand, tag, color, size, product, sku, product_tag`);
  const { rows } = await db.query<{ products: number; skus: number; visible: number }>(
    `select (select count(*)::int from product) as products, (select count(*)::int from sku) as skus,
            (select count(*)::int from product p join seller s on s.id = p.seller_id where p.status = 'PUBLISHED' and s.status = 'ACTIVE') as visible`,
  );
  return { ms: performance.now() - started, ...rows[0]! };
}

export interface Viewers {
  /** An operator OWNER (a user of the admin seller): stock changes, shipping tables, order search. */
  operator: string;
  /** The OWNER of guest seller CAT01: the signed-in listing. */
  sellerOwner: string;
  sellerOwnerSellerId: string;
}

/** Users and live sessions, stored as auth stores them: only the SHA-256 of the bearer token. */
export async function seedViewers(db: Sql): Promise<Viewers> {
  const operator = `mks_${randomBytes(32).toString('base64url')}`;
  const sellerOwner = `mks_${randomBytes(32).toString('base64url')}`;
  const { rows } = await db.query<{ seller_id: string }>(
    `with admin as (select id from seller where is_admin),
          cat as (select id from seller where concatenation_code = 'CAT01'),
          u as (
            insert into app_user (id, email, name, seller_id, role)
            select gen_random_uuid(), 'operator@bench.example', 'Bench operator', admin.id, 'OWNER' from admin
            union all
            select gen_random_uuid(), 'owner@cat01.bench.example', 'Dona da CAT01', cat.id, 'OWNER' from cat
            returning id, email, seller_id),
          s as (
            insert into user_session (id, user_id, token_hash, expires_at)
            select gen_random_uuid(), u.id, case when u.email like 'operator@%' then $1 else $2 end, now() + interval '1 day' from u
            returning id)
     select u.seller_id from u where u.email like 'owner@%'`,
    [sha256(operator), sha256(sellerOwner)],
  );
  return { operator, sellerOwner, sellerOwnerSellerId: rows[0]!.seller_id };
}

/**
 * `count` orders over the catalog's sellers, two per cart (codes `[<concat>-]<cart>-<n>`, the
 * cart's orders sharing one instant), 1–3 lines each of the seller's own SKUs, statuses spread
 * as a live store has them. Cart numbers stay below cart_number_seq's start (100001), which
 * is moved past them anyway, so checkouts never collide with a seeded code.
 */
export async function seedOrders(db: Sql, count: number): Promise<{ ms: number; orders: number; lines: number }> {
  const started = performance.now();
  await db.query(`
    with s as (select id, concatenation_code as concat, is_admin, (row_number() over (order by concatenation_code) - 1)::int as n
               from seller where concatenation_code like 'CAT%'),
         admin as (select id, concatenation_code as concat from seller where is_admin),
         nsellers as (select count(*)::int as n from s)
    insert into "order" (id, created_at, updated_at, code, cart_id, cart_number, position, seller_id, status,
                         buyer_name, buyer_email, buyer_document, buyer_phone, shipping_address,
                         shipping_carrier, shipping_method, shipping_days, shipping_source, currency,
                         merchandise_cents, discount_cents, seller_funded_discount_cents, freight_cents, total_cents, weight_grams,
                         commission_cents, seller_receivable_cents, placed_at, approved_at, cancelled_at, cancellation_reason)
    select gen_random_uuid(), t, t, coalesce(sel.concat || '-', '') || cart_no || '-' || pos, cart_id, cart_no, pos, sel.id, st,
           'Cliente ' || c, 'cliente' || c || '@bench.example', lpad((c % 99999999999)::text, 11, '0'), '11987654321',
           jsonb_build_object('recipientName', 'Cliente ' || c, 'street', 'Rua das Flores', 'number', (c % 2000)::text, 'complement', null,
                              'district', 'Centro', 'city', 'São Paulo', 'state', 'SP', 'postalCode', '01310100'),
           'Correios', 'PAC', 6, 'TABLE', 'BRL',
           0, 0, 0, 1500, 1500, 0, 0, 0, t,
           case when st in ('APPROVED', 'INVOICED', 'SHIPPED', 'DELIVERED') then t + interval '1 hour' end,
           case when st = 'CANCELLED' then t + interval '2 hours' end,
           case when st = 'CANCELLED' then 'SHOPPER_REQUEST' end
    from generate_series(0, ${count - 1}) g
    cross join lateral (select g / 2 as c, g % 2 + 1 as pos) k
    cross join lateral (select (k.c + 1)::text as cart_no,
                               md5('bench-cart-' || k.c)::uuid as cart_id,
                               timestamptz '2025-06-01 00:00:00+00' + k.c * interval '7 minutes' as t,
                               (array['APPROVED','APPROVED','APPROVED','DELIVERED','DELIVERED','DELIVERED','INVOICED','SHIPPED','SHIPPED',
                                      'CANCELLED','PENDING_PAYMENT','INVOICED'])[1 + (k.c * 7 + k.pos) % 12] as st) v
    cross join nsellers
    cross join lateral (
      -- Position 1 is the admin seller on one cart in five, else a guest; position 2 a guest with a higher code.
      select id, concat from admin where k.pos = 1 and k.c % 5 = 0
      union all
      select s.id, s.concat from s where not (k.pos = 1 and k.c % 5 = 0)
        and s.n = case when k.pos = 1 then k.c % (nsellers.n / 2) else nsellers.n / 2 + k.c % (nsellers.n - nsellers.n / 2) end
    ) sel`);
  await db.query(`
    with ks as (select k.id, k.code, k.seller_code, k.seller_id, k.price_cents, k.weight_grams, p.name, p.category_id,
                       (row_number() over (partition by k.seller_id order by k.code) - 1)::int as n,
                       count(*) over (partition by k.seller_id)::int as cnt
                from sku k join product p on p.id = k.product_id)
    insert into order_line (id, created_at, updated_at, order_id, position, sku_id, sku_code, sku_seller_code, product_name, category_id,
                            quantity, unit_price_cents, weight_grams, merchandise_cents, discount_cents, seller_funded_discount_cents,
                            freight_cents, total_cents, commission_bps, commission_base_cents, commission_cents, seller_receivable_cents)
    select gen_random_uuid(), o.created_at, o.created_at, o.id, j, ks.id, ks.code, ks.seller_code, ks.name, ks.category_id,
           q, ks.price_cents, q * ks.weight_grams, q * ks.price_cents, 0, 0, 0, q * ks.price_cents,
           1500, q * ks.price_cents, (q * ks.price_cents * 15) / 100, q * ks.price_cents - (q * ks.price_cents * 15) / 100
    from (select o.*, (row_number() over (order by o.id))::int as r from "order" o) o
    cross join lateral generate_series(1, 1 + o.r % 3) j
    cross join lateral (select 1 + (o.r + j) % 2 as q) qq
    join (select seller_id, max(cnt) as cnt from ks group by seller_id) sc on sc.seller_id = o.seller_id
    join ks on ks.seller_id = o.seller_id and ks.n = (o.r * 31 + j * 17) % sc.cnt`);
  // The order's figures are the sums of its lines, freight included once, as the checkout freezes them.
  await db.query(`
    update "order" o set merchandise_cents = l.m, total_cents = l.m + o.freight_cents, weight_grams = l.w,
                         commission_cents = l.c, seller_receivable_cents = l.r
    from (select order_id, sum(merchandise_cents)::int as m, sum(weight_grams)::int as w, sum(commission_cents)::int as c,
                 sum(seller_receivable_cents)::int as r from order_line group by order_id) l
    where l.order_id = o.id`);
  await db.query(`select setval('cart_number_seq', greatest((select max(cart_number::bigint) from "order") + 1, 100001))`);
  // As autovacuum would: the sums above rewrote every order, leaving dead rows and index entries.
  await db.query(`vacuum analyze "order", order_line`);
  const { rows } = await db.query<{ orders: number; lines: number }>(`select (select count(*)::int from "order") as orders, (select count(*)::int from order_line) as lines`);
  return { ms: performance.now() - started, ...rows[0]! };
}

/** A new cart token as createCart makes it (`mkc_` + 256 random bits) and the hash stored for it. */
export function newCartToken(): { token: string; hash: string } {
  const token = `mkc_${randomBytes(32).toString('base64url')}`;
  return { token, hash: sha256(token) };
}

/**
 * `count` open anonymous carts, each already holding PREFILLED_LINES lines (SKU i of its walk,
 * 1 unit, at the current price), as addCartLine would have left them. Returns their tokens.
 */
export async function prepareAddLineCarts(db: Sql, count: number, skuCodes: string[], tag: string): Promise<string[]> {
  const carts = Array.from({ length: count }, newCartToken);
  const lineSkus: string[] = [];
  const lineCarts: number[] = [];
  const linePositions: number[] = [];
  carts.forEach((_, c) => {
    for (let j = 0; j < PREFILLED_LINES; j++) {
      lineCarts.push(c);
      lineSkus.push(skuCodes[addLineSku(c, j, skuCodes.length)]!);
      linePositions.push(j);
    }
  });
  await db.query(
    `with c as (
       insert into cart (id, created_at, updated_at, token_hash, status)
       select md5($3 || h.n)::uuid, date_trunc('milliseconds', now()), date_trunc('milliseconds', now()), h.hash, 'OPEN'
       from unnest($1::text[]) with ordinality as h(hash, n)
       returning id)
     insert into cart_line (id, created_at, updated_at, cart_id, sku_id, quantity, unit_price_cents, position)
     select gen_random_uuid(), date_trunc('milliseconds', now()), date_trunc('milliseconds', now()), md5($3 || (l.cart + 1))::uuid, k.id, 1, k.price_cents, l.pos
     from unnest($2::text[], $4::int[], $5::int[]) as l(sku, cart, pos)
     join sku k on k.code = l.sku
     where exists (select 1 from c)`,
    [carts.map((c) => c.hash), lineSkus, `bench-addline-${tag}-`, lineCarts, linePositions],
  );
  return carts.map((c) => c.token);
}

/**
 * `count` ready carts cloned from a template cart prepared through the storefront mutations
 * (lines, buyer, address): the same rows those mutations would have written. Returns tokens.
 */
export async function cloneCarts(db: Sql, templateCartId: string, count: number, tag: string): Promise<string[]> {
  const carts = Array.from({ length: count }, newCartToken);
  await db.query(
    `with t as (select * from cart where id = $2),
          c as (
            insert into cart (id, created_at, updated_at, token_hash, customer_id, created_by_id, status,
                              buyer_name, buyer_email, buyer_document_type, buyer_document, buyer_phone,
                              address_recipient, address_street, address_number, address_complement, address_district,
                              address_city, address_state, address_postal_code, voucher_code, shipping_carrier, shipping_method)
            select md5($3 || h.n)::uuid, t.created_at, t.updated_at, h.hash, t.customer_id, t.created_by_id, 'OPEN',
                   t.buyer_name, t.buyer_email, t.buyer_document_type, t.buyer_document, t.buyer_phone,
                   t.address_recipient, t.address_street, t.address_number, t.address_complement, t.address_district,
                   t.address_city, t.address_state, t.address_postal_code, t.voucher_code, t.shipping_carrier, t.shipping_method
            from t cross join unnest($1::text[]) with ordinality as h(hash, n)
            returning id)
     insert into cart_line (id, created_at, updated_at, cart_id, sku_id, quantity, unit_price_cents, position)
     select gen_random_uuid(), l.created_at, l.updated_at, c.id, l.sku_id, l.quantity, l.unit_price_cents, l.position
     from c cross join cart_line l where l.cart_id = $2`,
    [carts.map((c) => c.hash), templateCartId, `bench-clone-${tag}-`],
  );
  return carts.map((c) => c.token);
}
