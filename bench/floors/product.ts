import { data, money, notImplemented, query, type FloorHandler } from './common.js';

/**
 * Floor of the product page (`ProductPage`: product(code) with description, images, price,
 * stock, seller with its policies, category, brand, tags and up to 20 SKUs with dimensions,
 * colour and size), for the storefront: catalog/products.service findProduct answers null
 * unless the product is on sale (published, ACTIVE seller, a guest seller only while the
 * marketplace is on); SKUs shown are the active ones, in display order; tags by name.
 *
 * One statement: the product by its displayed code (a unique index) with its seller,
 * settings, category and brand, tags and SKUs aggregated in correlated subqueries.
 */

const PRODUCT = `
  select p.id, p.code, p.name, p.description, p.images, p.min_price_cents, st.currency,
         s.id as seller_id, s.name as seller_name, s.concatenation_code, s.shipping_policy, s.return_policy,
         c.id as category_id, c.name as category_name, c.slug as category_slug, b.id as brand_id, b.name as brand_name,
         (select json_agg(json_build_array(t.id, t.name) order by t.name)
            from product_tag pt join tag t on t.id = pt.tag_id where pt.product_id = p.id) as tags,
         ks.in_stock, ks.skus
  from product p
  join seller s on s.id = p.seller_id
  join marketplace_settings st on st.id = 1
  left join category c on c.id = p.category_id
  left join brand b on b.id = p.brand_id
  left join lateral (
    select coalesce(bool_or(k.stock > 0), false) as in_stock,
           json_agg(json_build_array(k.code, k.price_cents, k.list_price_cents, k.stock > 0, k.weight_grams,
                                     k.height_mm, k.width_mm, k.length_mm, co.name, co.hex, sz.name)
                    order by k.position, k.id) filter (where k.rn <= 20) as skus
    from (select k.*, row_number() over (order by k.position, k.id) as rn from sku k where k.product_id = p.id and k.active) k
    left join color co on co.id = k.color_id
    left join size sz on sz.id = k.size_id
  ) ks on true
  where p.code = $1 and p.status = 'PUBLISHED' and s.status = 'ACTIVE' and (st.uses_marketplace or s.is_admin)`;

type SkuTuple = [string, number, number | null, boolean, number, number | null, number | null, number | null, string | null, string | null, string | null];

interface Row {
  id: string;
  code: string;
  name: string;
  description: string | null;
  images: { url: string; alt?: string | null }[];
  min_price_cents: number | null;
  currency: string;
  seller_id: string;
  seller_name: string;
  concatenation_code: string | null;
  shipping_policy: string | null;
  return_policy: string | null;
  category_id: string | null;
  category_name: string | null;
  category_slug: string | null;
  brand_id: string | null;
  brand_name: string | null;
  tags: [string, string][] | null;
  in_stock: boolean;
  skus: SkuTuple[] | null;
}

const handler: FloorHandler = (deps) => async (req) => {
  if (req.operationName !== 'ProductPage' || req.authorization) return notImplemented('the anonymous ProductPage');
  const code = req.variables.code;
  if (typeof code !== 'string') return notImplemented('a product code');
  const [r] = (await query<Row>(deps, 'product_page', PRODUCT, [code])).rows;
  if (!r) return data({ product: null });
  const m = (cents: number) => money(cents, r.currency);
  return data({
    product: {
      id: r.id,
      code: r.code,
      name: r.name,
      description: r.description,
      images: r.images.map((i) => ({ url: i.url, alt: i.alt ?? null })),
      price: r.min_price_cents == null ? null : m(r.min_price_cents),
      inStock: r.in_stock,
      soldAndDeliveredBy: `Sold and delivered by ${r.seller_name}`.trim(),
      seller: { id: r.seller_id, name: r.seller_name, concatenationCode: r.concatenation_code, shippingPolicy: r.shipping_policy, returnPolicy: r.return_policy },
      category: r.category_id ? { id: r.category_id, name: r.category_name, slug: r.category_slug } : null,
      brand: r.brand_id ? { id: r.brand_id, name: r.brand_name } : null,
      tags: (r.tags ?? []).map(([id, name]) => ({ id, name })),
      skus: {
        edges: (r.skus ?? []).map(([code, price, listPrice, inStock, weightGrams, heightMm, widthMm, lengthMm, color, hex, size]) => ({
          node: {
            code,
            price: m(price),
            listPrice: listPrice == null ? null : m(listPrice),
            inStock,
            weightGrams,
            dimensions: { heightMm, widthMm, lengthMm },
            color: color == null ? null : { name: color, hex },
            size: size == null ? null : { name: size },
          },
        })),
      },
    },
  });
};

export default handler;
