import type { FixedRequest } from './loadgen.js';
import type { Endpoints, Scenario } from './measure.js';
import { gql, post } from './harness.js';
import { ORDER_SEARCH, PRODUCT_PAGE, SELLER_DASHBOARD, SELLERS_WITH_PRODUCTS, SELLER_LISTING, SET_STOCK, STOREFRONT_LISTING, body } from './queries.js';
import type { Sql, Viewers } from './seed.js';

/** The read scenarios: what each sends, what is verified, and the stock change between slices. */

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

interface Ctx {
  db: Sql;
  viewers: Viewers;
  apiUrl: string;
}

/**
 * Between slices, the stock of one SKU shown in the measured response is changed through the
 * API (setStock, as operator staff), then both targets are asked once: each must show the new
 * figure at once (neither caches), and their bytes must still be identical; the new bytes are
 * what the next slice expects.
 */
function stockChange(ctx: Ctx, skuCode: string, shows: (text: string, quantity: number) => boolean) {
  return async (slice: number, urls: Endpoints, reads: FixedRequest[]) => {
    const quantity = slice % 2 === 1 ? 0 : 5 + slice;
    const set = await gql<{ setStock: { sku: { stock: number } | null; userErrors: unknown[] } }>(ctx.apiUrl, SET_STOCK, { skuCode, quantity }, ctx.viewers.operator);
    if (set.setStock.userErrors.length || set.setStock.sku?.stock !== quantity) throw new Error(`setStock ${skuCode} → ${quantity} failed: ${JSON.stringify(set)}`);
    const r = reads[0]!;
    const [a, f] = await Promise.all([post(urls.api, r.body, r.headers), post(urls.floor, r.body, r.headers)]);
    if (!shows(a.text, quantity)) throw new Error(`after setStock ${skuCode} = ${quantity}, the API's next response does not show it`);
    if (!shows(f.text, quantity)) throw new Error(`after setStock ${skuCode} = ${quantity}, the floor's next response does not show it`);
    if (a.text !== f.text) throw new Error(`after setStock ${skuCode} = ${quantity}, API and floor answer different bytes`);
    for (const x of reads) if (x.body === r.body) x.expect = a.text;
    return { skuCode, quantity };
  };
}

/** The node of SKU `code` in a response, as text (`{"code":"…",…}` up to its closing brace). */
function skuNode(text: string, code: string): string | null {
  const at = text.indexOf(`{"code":"${code}"`);
  return at < 0 ? null : text.slice(at, text.indexOf('}}', at) + 2);
}

export async function listingScenarios(ctx: Ctx): Promise<Scenario[]> {
  const storefront = (first: number, after?: string): FixedRequest => ({ body: body('StorefrontListing', STOREFRONT_LISTING, { first, ...(after ? { after } : {}) }) });
  const own = (first: number, after?: string, token = ctx.viewers.sellerOwner): FixedRequest => ({
    body: body('SellerListing', SELLER_LISTING, { first, ...(after ? { after } : {}) }),
    headers: bearer(token),
  });

  // The SKUs whose stock changes between slices: the first SKU of the first product each page shows.
  const { rows } = await ctx.db.query<{ storefront: string; own: string }>(`
    select (select k.code from product p join seller s on s.id = p.seller_id join sku k on k.product_id = p.id
             where p.status = 'PUBLISHED' and s.status = 'ACTIVE' and k.active
             order by p.created_at desc, p.id, k.position, k.id limit 1) as storefront,
           (select k.code from product p join sku k on k.product_id = p.id
             where p.seller_id = $1 order by p.created_at desc, p.id, k.position, k.id limit 1) as own`,
    [ctx.viewers.sellerOwnerSellerId],
  );
  const cursorOf = async (r: FixedRequest) => (JSON.parse((await post(ctx.apiUrl, r.body, r.headers)).text) as { data: { products: { pageInfo: { endCursor: string } } } }).data.products.pageInfo.endCursor;

  return [
    {
      key: 'listing',
      name: 'listing, anonymous',
      floor: 'listing',
      reads: [storefront(24)],
      verifyOnly: [storefront(1), storefront(100), storefront(24, await cursorOf(storefront(24)))],
      betweenSlices: stockChange(ctx, rows[0]!.storefront, (text, q) => skuNode(text, rows[0]!.storefront)?.includes(`"inStock":${q > 0}`) ?? false),
    },
    {
      key: 'listing-seller',
      name: 'listing, signed-in seller',
      floor: 'listing',
      reads: [own(24)],
      // A bad token must be refused alike (HTTP 401, same body), not answered as anonymous.
      verifyOnly: [own(100), own(24, await cursorOf(own(24))), own(24, undefined, 'mks_not-a-session')],
      betweenSlices: stockChange(ctx, rows[0]!.own, (text, q) => skuNode(text, rows[0]!.own)?.includes(`"stock":${q},`) ?? false),
    },
  ];
}

export async function productScenario(ctx: Ctx, count: number): Promise<Scenario> {
  // Visible products spread over the catalog, plus hidden ones (draft, archived, of a suspended
  // or pending seller) that both must answer with null.
  const { rows } = await ctx.db.query<{ code: string; visible: boolean }>(`
    with v as (select p.code, p.status = 'PUBLISHED' and s.status = 'ACTIVE' as visible,
                      row_number() over (partition by p.status = 'PUBLISHED' and s.status = 'ACTIVE' order by md5(p.code)) as n
               from product p join seller s on s.id = p.seller_id)
    select code, visible from v where (visible and n <= $1) or (not visible and n <= 10) order by md5(code)`,
    [count],
  );
  const page = (code: string): FixedRequest => ({ body: body('ProductPage', PRODUCT_PAGE, { code }) });
  const visible = rows.filter((r) => r.visible);
  // The stock that changes between slices: the first SKU of the first product of the rotation.
  const { rows: sku } = await ctx.db.query<{ code: string }>(
    `select k.code from sku k join product p on p.id = k.product_id where p.code = $1 and k.active order by k.position, k.id limit 1`,
    [visible[0]!.code],
  );
  return {
    key: 'product',
    name: 'product page',
    floor: 'product',
    reads: visible.map((r) => page(r.code)),
    verifyOnly: [...rows.filter((r) => !r.visible).map((r) => page(r.code)), page('NO-SUCH-CODE')],
    betweenSlices: stockChange(ctx, sku[0]!.code, (text, q) => skuNode(text, sku[0]!.code)?.includes(`"inStock":${q > 0}`) ?? false),
  };
}

export function sellersScenario(): Scenario {
  const req = (first: number, products: number): FixedRequest => ({ body: body('SellersWithProducts', SELLERS_WITH_PRODUCTS, { first, products }) });
  return { key: 'sellers', name: 'sellers { products }', floor: 'sellers', reads: [req(24, 10)], verifyOnly: [req(3, 1), req(100, 24)] };
}

export async function orderSearchScenario(ctx: Ctx): Promise<Scenario> {
  const { rows } = await ctx.db.query<{ id: string }>(`select id from seller where concatenation_code like 'CAT%' order by concatenation_code`);
  const search = (sellerId: string, status: string, first = 24, token = ctx.viewers.operator): FixedRequest => ({
    body: body('OrderSearch', ORDER_SEARCH, { sellerId, status, first }),
    headers: bearer(token),
  });
  return {
    key: 'orders',
    name: 'order search (operator)',
    floor: 'orders',
    // Every guest seller's APPROVED orders, in turn.
    reads: rows.map((r) => search(r.id, 'APPROVED')),
    verifyOnly: [search(rows[0]!.id, 'DELIVERED', 100), search(rows[1]!.id, 'CANCELLED', 5), search(rows[2]!.id, 'APPROVED', 24, 'mks_expired-or-unknown')],
  };
}

/**
 * A guest seller's owner opening its dashboard over the seeded orders (100,000 by default,
 * placed from June 2025 on): a month, a quarter and a week in turn. Each must equal the
 * floor's bytes; a bad token is refused alike.
 */
export function dashboardScenario(ctx: Ctx): Scenario {
  const dash = (from: string, to: string, token = ctx.viewers.sellerOwner): FixedRequest => ({
    body: body('SellerDashboard', SELLER_DASHBOARD, { from, to }),
    headers: bearer(token),
  });
  return {
    key: 'dashboard',
    name: 'seller dashboard (owner)',
    floor: 'dashboard',
    reads: [dash('2025-07-01', '2025-07-31'), dash('2025-08-01', '2025-10-31'), dash('2025-09-08', '2025-09-14')],
    verifyOnly: [dash('2025-06-01', '2026-05-31'), dash('2025-07-01', '2025-07-01', 'mks_not-a-session')],
  };
}
