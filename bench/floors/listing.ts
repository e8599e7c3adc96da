import {
  SESSION_INVALID,
  VIEWER_CTE,
  bearerToken,
  data,
  decodeCursor,
  keysetCursor,
  money,
  notImplemented,
  query,
  tokenHash,
  type FloorHandler,
} from './common.js';

/**
 * Floor of the product listing (`StorefrontListing`: products(first, after) with price,
 * stock, seller, category, brand and each product's first 10 SKUs with colour and size).
 *
 * Anonymous: the storefront rule of catalog/products.service (storefrontWhere, onSale):
 * published products of ACTIVE sellers, guest sellers only while the marketplace switch is
 * on; SKUs shown are the active ones; a product is in stock when an active SKU has stock.
 * Signed in as a guest seller's user: its own catalog whatever the status, every SKU with its
 * stock figure (products.service readScope/sellerFilter, catalog.resolver visibleSkus).
 * Operator staff and customers are not what this floor measures: it answers 501 for them.
 *
 * One statement per request: the total count and the page (newest first, id breaking ties,
 * one row more than asked to tell whether there is a next page) with each product's SKUs in a
 * lateral subquery — a correlated aggregate over the product's own SKUs, not an
 * `exists (select … from sku …)` that PostgreSQL 15 turns into a hashed subplan over the
 * whole SKU table. Settings are read in the same statement: the API caches nothing between
 * requests, so neither does the floor.
 */

const SKUS = `
  left join lateral (
    select coalesce(bool_or(k.active and k.stock > 0), false) as in_stock,
           json_agg(json_build_array(k.code, k.price_cents, k.list_price_cents, k.active and k.stock > 0, co.name, sz.name, k.stock)
                    order by k.position, k.id) filter (where k.rn <= 10) as skus
    from (select k.*, row_number() over (order by k.position, k.id) as rn
          from sku k where k.product_id = pp.id and (k.active or $SEES_ALL)) k
    left join color co on co.id = k.color_id
    left join size sz on sz.id = k.size_id
  ) ks on true`;

const PAGE_COLUMNS = `pp.id, pp.code, pp.name, pp.min_price_cents, pp.created_at, s.id as seller_id, s.name as seller_name,
         s.concatenation_code, c.id as category_id, c.name as category_name, b.name as brand_name, ks.in_stock, ks.skus`;

// $1 page size + 1; with a cursor, $2/$3 its (created_at, id). Two statements rather than one with
// "$2 is null or …", so the first page's plan is never a generic plan that cannot use the index.
const AFTER = `(p.created_at < $2::timestamptz or (p.created_at = $2 and p.id > $3::uuid))`;

const storefront = (after: boolean) => `
  select st.currency, t.total, pg.*
  from marketplace_settings st
  cross join lateral (
    select count(*)::int as total
    from product p join seller s on s.id = p.seller_id
    where p.status = 'PUBLISHED' and s.status = 'ACTIVE' and (st.uses_marketplace or s.is_admin)) t
  left join lateral (
    select ${PAGE_COLUMNS}
    from (select p.* from product p join seller s on s.id = p.seller_id
          where p.status = 'PUBLISHED' and s.status = 'ACTIVE' and (st.uses_marketplace or s.is_admin) and ${after ? AFTER : 'true'}
          order by p.created_at desc, p.id asc limit $1) pp
    join seller s on s.id = pp.seller_id
    left join category c on c.id = pp.category_id
    left join brand b on b.id = pp.brand_id
    ${SKUS.replace('$SEES_ALL', 'false')}
    order by pp.created_at desc, pp.id asc) pg on true
  where st.id = 1`;

// $4 (or $2 without a cursor) the session token's hash.
const ownCatalog = (after: boolean) => `
  with ${VIEWER_CTE.replace('$1', after ? '$4' : '$2')}
  select v.seller_id as viewer_seller, v.is_admin as viewer_admin, st.currency, t.total, pg.*
  from viewer v
  join marketplace_settings st on st.id = 1
  left join lateral (select count(*)::int as total from product p where p.seller_id = v.seller_id and not v.is_admin) t on true
  left join lateral (
    select ${PAGE_COLUMNS}
    from (select p.* from product p where p.seller_id = v.seller_id and not v.is_admin and ${after ? AFTER : 'true'}
          order by p.created_at desc, p.id asc limit $1) pp
    join seller s on s.id = pp.seller_id
    left join category c on c.id = pp.category_id
    left join brand b on b.id = pp.brand_id
    ${SKUS.replace('$SEES_ALL', 'true')}
    order by pp.created_at desc, pp.id asc) pg on true`;

type SkuTuple = [string, number, number | null, boolean, string | null, string | null, number];

interface Row {
  viewer_seller?: string | null;
  viewer_admin?: boolean | null;
  currency: string;
  total: number;
  id: string | null;
  code: string;
  name: string;
  min_price_cents: number | null;
  created_at: Date;
  seller_id: string;
  seller_name: string;
  concatenation_code: string | null;
  category_id: string | null;
  category_name: string | null;
  brand_name: string | null;
  in_stock: boolean;
  skus: SkuTuple[] | null;
}

const handler: FloorHandler = (deps) => async (req) => {
  const token = bearerToken(req.authorization);
  // The anonymous page, or the signed-in one that also selects each SKU's stock figure.
  if (req.operationName !== (token ? 'SellerListing' : 'StorefrontListing')) return notImplemented('StorefrontListing, or SellerListing signed in');
  const first = req.variables.first ?? 20;
  if (!Number.isInteger(first) || (first as number) < 1 || (first as number) > 100) return notImplemented('first from 1 to 100');
  const after = req.variables.after == null ? null : decodeCursor(req.variables.after, 2);
  if (req.variables.after != null && !after) return notImplemented('valid cursors');
  const cursor = after ? [after[0], after[1]] : [];
  const variant = after ? 'after' : 'first';

  let rows: Row[];
  let seesStock = false;
  if (!token) {
    rows = (await query<Row>(deps, `listing_storefront_${variant}`, storefront(!!after), [(first as number) + 1, ...cursor])).rows;
  } else {
    if (token.startsWith('mki_')) return notImplemented('sessions');
    rows = (await query<Row>(deps, `listing_own_${variant}`, ownCatalog(!!after), [(first as number) + 1, ...cursor, tokenHash(token)])).rows;
    if (!rows.length) return SESSION_INVALID;
    if (!rows[0]!.viewer_seller || rows[0]!.viewer_admin) return notImplemented("a guest seller's users");
    seesStock = true;
  }

  const head = rows[0]!;
  const page = rows.filter((r) => r.id !== null);
  const shown = page.slice(0, first as number);
  const currency = head.currency;
  const last = shown.at(-1);
  return data({
    products: {
      totalCount: head.total,
      pageInfo: { hasNextPage: page.length > (first as number), endCursor: last ? keysetCursor([last.created_at, last.id]) : null },
      edges: shown.map((r) => ({
        node: {
          id: r.id,
          code: r.code,
          name: r.name,
          price: r.min_price_cents == null ? null : money(r.min_price_cents, currency),
          inStock: r.in_stock,
          soldAndDeliveredBy: `Sold and delivered by ${r.seller_name}`.trim(),
          seller: { id: r.seller_id, name: r.seller_name, concatenationCode: r.concatenation_code },
          category: r.category_id ? { id: r.category_id, name: r.category_name } : null,
          brand: r.brand_name == null ? null : { name: r.brand_name },
          skus: {
            edges: (r.skus ?? []).map(([code, price, listPrice, inStock, color, size, stock]) => ({
              node: {
                code,
                price: money(price, currency),
                listPrice: listPrice == null ? null : money(listPrice, currency),
                inStock,
                ...(seesStock ? { stock } : {}),
                color: color == null ? null : { name: color },
                size: size == null ? null : { name: size },
              },
            })),
          },
        },
      })),
    },
  });
};

export default handler;
