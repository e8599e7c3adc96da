import { data, money, notImplemented, query, tokenHash, transaction, type FloorHandler } from './common.js';

/**
 * Floor of `addCartLine` for an anonymous shopper (carts.service addCartLine, the rules of
 * carts.snapshot saleProblem and findCartByToken), answering the payload the bench asks for:
 * the cart's lines (SKU code, product name, quantity, current price) and merchandise total.
 *
 * One transaction, as the API's: the cart row is locked first (edits of one cart serialise),
 * and everything that depends on the cart's lines is read by the next statement, whose
 * snapshot is taken after the lock — a single statement would read the lines from a snapshot
 * taken before it waited for the lock, and two concurrent adds to one cart could both take
 * the same position or miss each other's line.
 *
 *   1. lock the cart by its token hash; read the SKU (by displayed code) with its product,
 *      seller and the store settings;
 *   2. checks in SQL and, when they pass, insert the line (or add to an existing one) and
 *      touch the cart; returns the facts for the error message and the cart's lines.
 *
 * Refusals answer the API's userErrors, checked in the API's order.
 */

const TOKEN_RE = /^mkc_[A-Za-z0-9_-]{43}$/;
const MAX_QUANTITY = 999;
const MAX_LINES = 100;

const LOCK = `
  select c.id, c.status, c.customer_id, st.uses_marketplace, st.currency,
         k.id as sku_id, k.code, k.active, p.status as product_status, p.name as product_name,
         s.status as seller_status, s.is_admin, s.name as seller_name
  from cart c
  join marketplace_settings st on st.id = 1
  left join sku k on k.code = $2
  left join product p on p.id = k.product_id
  left join seller s on s.id = k.seller_id
  where c.token_hash = $1
  for update of c`;

// $1 cart id, $2 sku id, $3 quantity, $4 whether the sale checks passed (done in JS from step 1).
const WRITE = `
  with cur as (select id, sku_id, quantity, position from cart_line where cart_id = $1),
       f as (select (select quantity from cur where sku_id = $2) as existing,
                    (select count(*)::int from cur) as line_count,
                    (select coalesce(max(position), -1) from cur) as max_position),
       k as (select stock, price_cents from sku where id = $2),
       ok as (select f.*, k.price_cents from f, k
              where $4::boolean and coalesce(f.existing, 0) + $3 <= ${MAX_QUANTITY} and coalesce(f.existing, 0) + $3 <= k.stock
                and (f.existing is not null or f.line_count < ${MAX_LINES})),
       ins as (insert into cart_line (id, created_at, updated_at, cart_id, sku_id, quantity, unit_price_cents, position)
               select gen_random_uuid(), now(), now(), $1, $2, $3, ok.price_cents, ok.max_position + 1 from ok where ok.existing is null
               returning id, sku_id, quantity, position),
       upd as (update cart_line l set quantity = ok.existing + $3, unit_price_cents = ok.price_cents, updated_at = now()
               from ok where ok.existing is not null and l.cart_id = $1 and l.sku_id = $2
               returning l.id, l.sku_id, l.quantity, l.position),
       touch as (update cart set updated_at = now() from ok where cart.id = $1 returning cart.id)
  select f.existing, f.line_count, (select stock from k) as stock, (select count(*)::int from touch) as written,
         (select json_agg(json_build_array(lk.code, lp.name, x.quantity, lk.price_cents) order by x.position, x.id)
            from (select * from cur where id not in (select id from upd) union all select * from ins union all select * from upd) x
            join sku lk on lk.id = x.sku_id join product lp on lp.id = lk.product_id) as lines
  from f`;

interface Locked {
  id: string;
  status: string;
  customer_id: string | null;
  uses_marketplace: boolean;
  currency: string;
  sku_id: string | null;
  code: string;
  active: boolean;
  product_status: string;
  product_name: string;
  seller_status: string;
  is_admin: boolean;
  seller_name: string;
}

interface Written {
  existing: number | null;
  line_count: number;
  stock: number;
  written: number;
  lines: [string, string, number, number][] | null;
}

type UserError = { code: string; field: string[] | null; message: string };
const refused = (e: UserError) => data({ addCartLine: { cart: null, userErrors: [e] } });

const handler: FloorHandler = (deps) => async (req) => {
  if (req.operationName !== 'BenchAddCartLine' || req.authorization) return notImplemented('the anonymous BenchAddCartLine');
  const { cartToken, skuCode } = req.variables;
  const quantity = 1; // the bench's mutation sends a literal 1 (1–999 is checked before any read)
  if (typeof cartToken !== 'string' || typeof skuCode !== 'string' || !skuCode.trim()) return notImplemented('a cart token and a SKU code');
  const code = skuCode.trim();
  const noCart = refused({ code: 'NOT_FOUND', field: ['cartToken'], message: 'No cart has this token.' });
  if (!TOKEN_RE.test(cartToken)) return noCart;

  return transaction(deps, async (client) => {
    const [c] = (await query<Locked>(deps, 'addline_lock', LOCK, [tokenHash(cartToken), code], client)).rows;
    // A customer's cart is not an anonymous shopper's, whoever holds the token.
    if (!c || c.customer_id) return noCart;
    if (c.status !== 'OPEN') return refused({ code: 'CONFLICT', field: ['cartToken'], message: 'This cart was already checked out; it cannot change any more.' });
    if (!c.sku_id) return refused({ code: 'NOT_FOUND', field: ['skuCode'], message: `No SKU on sale has the code ${code}.` });
    const onSale = c.product_status === 'PUBLISHED' && c.active && c.seller_status === 'ACTIVE';
    const sellable = onSale && (c.is_admin || c.uses_marketplace);
    const w = (await query<Written>(deps, 'addline_write', WRITE, [c.id, c.sku_id, quantity, sellable], client)).rows[0]!;
    if (w.written) {
      const lines = w.lines ?? [];
      return data({
        addCartLine: {
          cart: {
            id: c.id,
            lines: lines.map(([skuCode, productName, q, price]) => ({ skuCode, productName, quantity: q, unitPrice: money(price, c.currency) })),
            totals: { merchandise: money(lines.reduce((s, [, , q, price]) => s + q * price, 0), c.currency) },
          },
          userErrors: [],
        },
      });
    }
    // Nothing was written; the first rule that refused, in the API's order.
    const total = (w.existing ?? 0) + quantity;
    if (total > MAX_QUANTITY) {
      return refused({ code: 'BAD_USER_INPUT', field: ['quantity'], message: `A line holds at most ${MAX_QUANTITY} units; the cart already has ${w.existing} of ${c.code}.` });
    }
    if (!onSale) return refused({ code: 'NOT_FOUND', field: ['skuCode'], message: `No SKU on sale has the code ${c.code}.` });
    if (!sellable) {
      return refused({
        code: 'MARKETPLACE_DISABLED',
        field: ['skuCode'],
        message: `${c.code} is sold by ${c.seller_name}, and the store does not sell guest sellers' products at the moment.`,
      });
    }
    if (total > w.stock) {
      const left = w.stock === 0 ? 'none is' : w.stock === 1 ? 'only 1 unit is' : `only ${w.stock} units are`;
      return refused({ code: 'OUT_OF_STOCK', field: ['skuCode'], message: `${c.code} (${c.product_name}): ${total} asked, ${left} in stock.` });
    }
    return refused({ code: 'BAD_USER_INPUT', field: ['skuCode'], message: `A cart holds at most ${MAX_LINES} different SKUs.` });
  });
};

export default handler;
