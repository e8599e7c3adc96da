import { data, money, notImplemented, query, type FloorHandler } from './common.js';

/**
 * Floor of the storefront seller directory (`SellersWithProducts`: sellers(first) with each
 * seller's first products), anonymous. sellers.service visibility: the admin seller always,
 * guest sellers when ACTIVE and the marketplace is on; admin first, then by name. Each
 * seller's products as the seller page shows them (storefrontWhere for that seller): newest
 * first, in stock when an active SKU has stock.
 *
 * One statement: the count, the page of sellers, and per seller its products in a lateral
 * subquery with a correlated bool_or over each product's SKUs.
 */

const SELLERS = `
  select st.currency, t.total, sp.*
  from marketplace_settings st
  cross join lateral (select count(*)::int as total from seller s where s.is_admin or (st.uses_marketplace and s.status = 'ACTIVE')) t
  left join lateral (
    select s.id, s.name, s.concatenation_code, pr.products
    from (select s.* from seller s where s.is_admin or (st.uses_marketplace and s.status = 'ACTIVE')
          order by s.is_admin desc, s.name asc, s.id asc limit $1) s
    left join lateral (
      -- Stock is looked up for the page's products only: in the limited subquery's select list it
      -- would run for every product of the seller before the sort picks the newest.
      select json_agg(json_build_array(p.id, p.code, p.name, p.min_price_cents,
                        coalesce((select bool_or(k.active and k.stock > 0) from sku k where k.product_id = p.id), false))
                      order by p.created_at desc, p.id) as products
      from (select p.id, p.code, p.name, p.min_price_cents, p.created_at
            from product p
            where p.seller_id = s.id and p.status = 'PUBLISHED' and s.status = 'ACTIVE' and (st.uses_marketplace or s.is_admin)
            order by p.created_at desc, p.id asc limit $2) p
    ) pr on true
    order by s.is_admin desc, s.name asc, s.id asc) sp on true
  where st.id = 1`;

interface Row {
  currency: string;
  total: number;
  id: string | null;
  name: string;
  concatenation_code: string | null;
  products: [string, string, string, number | null, boolean][] | null;
}

const handler: FloorHandler = (deps) => async (req) => {
  if (req.operationName !== 'SellersWithProducts' || req.authorization) return notImplemented('the anonymous SellersWithProducts');
  const first = req.variables.first;
  const products = req.variables.products;
  if (!Number.isInteger(first) || !Number.isInteger(products)) return notImplemented('first and products');
  if ((first as number) < 1 || (first as number) > 100 || (products as number) < 1 || (products as number) > 100) return notImplemented('page sizes 1 to 100');
  const rows = (await query<Row>(deps, 'sellers_products', SELLERS, [first, products])).rows;
  const head = rows[0]!;
  return data({
    sellers: {
      totalCount: head.total,
      edges: rows
        .filter((r) => r.id !== null)
        .map((r) => ({
          node: {
            id: r.id,
            name: r.name,
            concatenationCode: r.concatenation_code,
            products: {
              edges: (r.products ?? []).map(([id, code, name, price, inStock]) => ({
                node: { id, code, name, price: price == null ? null : money(price, head.currency), inStock },
              })),
            },
          },
        })),
    },
  });
};

export default handler;
