import type { Context } from '../../shared/runtime/index.js';
import { loader } from '../../shared/runtime/index.js';
import { isId } from '../../shared/db/ids.js';
import { SqlParams } from '../../shared/db/plain.js';
import { badInput, notFound } from '../../shared/errors/index.js';
import { paginate, type ConnectionArgs } from '../../shared/pagination/index.js';
import { may, type Viewer } from '../../shared/access/index.js';
import { CATALOG_ACCESS } from './catalog.access.js';
import { sellerFilter, settingsLoader } from '../sellers/index.js';
import { Product, ProductStatus } from './catalog.entity.js';
import { ProductOrderField } from './catalog.types.js';
import { SortDirection } from '../../shared/pagination/index.js';
import { isOnSale } from './on-sale.js';
import { pageOfProducts, productOrder, productRow, productsOfSellers, type PageExtras, type ProductConditions, type ProductOrderKey, type ProductRow } from './products.rows.js';

/**
 * Reading the catalog: the storefront's listing and product page, a seller's or the
 * operator's portal view, and the marketplace-out feed. Who sees what is decided here (conditions,
 * seesPrivateCatalog); writes live in products.service.ts.
 */

export interface ProductFilterData {
  sellerId?: string | null;
  categoryId?: string | null;
  brandId?: string | null;
  tagIds?: string[] | null;
  search?: string | null;
  status?: ProductStatus[] | null;
  inStock?: boolean | null;
  marketplaceOut?: boolean | null;
}

const isStorefront = (v: Viewer) => v.kind === 'ANONYMOUS' || v.kind === 'CUSTOMER';

/** True when the viewer may see everything of this seller's catalog (its own, or any for staff). */
export function seesPrivateCatalog(viewer: Viewer, sellerId: string): boolean {
  return may(viewer, CATALOG_ACCESS.readPrivateCatalog, sellerId);
}

const ORDER_KEYS: Record<ProductOrderField, ProductOrderKey> = {
  CREATED_AT: 'createdAt',
  NAME: 'name',
  PRICE: 'minPriceCents',
  CODE: 'code',
};

type ListOrder = { field: ProductOrderField; direction?: SortDirection | null } | null | undefined;

/** Newest first by default; an order asked for without a direction is ascending. */
function listOrder(order: ListOrder) {
  const key = ORDER_KEYS[order?.field ?? ProductOrderField.CREATED_AT];
  return productOrder(key, (order?.direction ?? (order ? SortDirection.ASC : SortDirection.DESC)) === SortDirection.DESC);
}

/**
 * The filter's ids checked once per request (a nested list asks for every parent): one that is
 * malformed or matches nothing is NOT_FOUND naming it (shared/db/ids); the category becomes
 * its path.
 */
function checkedFilter(ctx: Context, filter: ProductFilterData, sellerFromParent: boolean): Promise<{ categoryPath: string | null }> {
  const key = `catalog.checkedFilter:${JSON.stringify([filter.brandId, filter.tagIds, filter.categoryId, sellerFromParent ? null : filter.sellerId])}`;
  return loader(ctx, key, async () => {
    const sellerId = sellerFromParent ? null : (filter.sellerId ?? null);
    const tagIds = [...new Set(filter.tagIds ?? [])];
    const asked = [sellerId, filter.brandId, filter.categoryId, ...tagIds].filter((x): x is string => !!x);
    // One statement for all of them; a malformed id never reaches PostgreSQL (it is simply not found).
    const found = new Map<string, { kind: string; path: string | null }>();
    const valid = asked.filter(isId);
    if (valid.length) {
      const sql = new SqlParams();
      const parts = [
        sellerId && isId(sellerId) ? `select 'seller' as kind, id::text, null as path from seller where id = ${sql.p(sellerId)}` : null,
        filter.brandId && isId(filter.brandId) ? `select 'brand' as kind, id::text, null as path from brand where id = ${sql.p(filter.brandId)}` : null,
        filter.categoryId && isId(filter.categoryId) ? `select 'category' as kind, id::text, path from category where id = ${sql.p(filter.categoryId)}` : null,
        tagIds.some(isId) ? `select 'tag' as kind, id::text, null as path from tag where id in (${sql.p(tagIds.filter(isId))})` : null,
      ].filter(Boolean);
      const rows = await ctx.em.getConnection('read').execute<{ kind: string; id: string; path: string | null }[]>(parts.join(' union all '), sql.values, 'all');
      for (const r of rows) found.set(`${r.kind}:${r.id}`, r);
    }
    const has = (kind: string, id: string) => found.has(`${kind}:${id.toLowerCase()}`);
    // In the order they were always checked: seller, brand, tags, category.
    if (sellerId && !has('seller', sellerId)) throw notFound('No seller has this id.', 'filter', 'sellerId');
    if (filter.brandId && !has('brand', filter.brandId)) throw notFound('No brand has this id.', 'filter', 'brandId');
    if (tagIds.some((id) => !has('tag', id))) throw notFound('tagIds holds an id no tag has.', 'filter', 'tagIds');
    if (!filter.categoryId) return { categoryPath: null };
    const category = found.get(`category:${filter.categoryId.toLowerCase()}`);
    if (!category) throw notFound('No category has this id.', 'filter', 'categoryId');
    return { categoryPath: category.path };
  });
}

/**
 * Which products a viewer reads: operator staff everything; seller users and integrations
 * their own seller's (a foreign sellerId is FORBIDDEN); the storefront what is on sale.
 */
async function conditions(ctx: Context, filter: ProductFilterData, storefront: boolean, sellerFromParent = false): Promise<ProductConditions> {
  // The viewer's scope first (a seller user naming another seller is FORBIDDEN), then the filter's ids.
  const sellerId = storefront ? (filter.sellerId ?? null) : sellerFilter(ctx.viewer, filter.sellerId);
  const { categoryPath } = await checkedFilter(ctx, filter, sellerFromParent);
  return {
    storefront,
    sellerId,
    brandId: filter.brandId ?? null,
    categoryPath,
    tagIds: filter.tagIds?.length ? [...new Set(filter.tagIds)] : null,
    search: filter.search ?? null,
    status: filter.status?.length ? filter.status : null,
    inStock: filter.inStock ?? null,
    marketplaceOut: filter.marketplaceOut ?? null,
  };
}

/** A product list as plain rows: one statement for the page, one for totalCount when selected. */
export async function listProducts(ctx: Context, filter: ProductFilterData, order: ListOrder, args: ConnectionArgs, extras: PageExtras = {}) {
  const storefront = isStorefront(ctx.viewer);
  return pageOfProducts(ctx, await conditions(ctx, filter, storefront), listOrder(order), args, extras);
}

/**
 * A seller's products under a list of sellers (or one seller): the seller page's rule — what is
 * on sale, or everything for the seller itself and staff — loaded for every parent at once.
 */
export async function productsOfSeller(ctx: Context, sellerId: string, filter: ProductFilterData, order: ListOrder, args: ConnectionArgs, extras: Pick<PageExtras, 'tags' | 'shape'> = {}) {
  const storefront = !seesPrivateCatalog(ctx.viewer, sellerId);
  const c = await conditions(ctx, { ...filter, sellerId: null }, storefront, true);
  const { sellerId: _scope, ...perParent } = c;
  return productsOfSellers(ctx, perParent, listOrder(order), args, extras).load(sellerId);
}

/**
 * One product by id or code; null when it does not exist or the viewer may not see it. An
 * ERP integration looks up by its raw code; everybody else by the displayed code.
 */
export async function findProduct(ctx: Context, by: { id?: string | null; code?: string | null }, extras: Pick<PageExtras, 'skus' | 'shape'> = {}): Promise<ProductRow | null> {
  if (!by.id === !by.code) throw badInput('Give exactly one of id and code.', by.id ? 'code' : 'id');
  if (by.id && !isId(by.id)) return null;
  const v = ctx.viewer;
  const product = await productRow(
    ctx,
    by.id ? { id: by.id } : v.kind === 'INTEGRATION' ? { sellerId: v.seller.id, sellerCode: by.code! } : { code: by.code! },
    extras,
  );
  if (!product) return null;
  if (seesPrivateCatalog(v, product.seller.id)) return product;
  // Another seller's product, or the storefront: only what is on sale.
  return isOnSale({ product, seller: product.preloaded!.seller }, await settingsLoader(ctx).load(1)) ? product : null;
}

/**
 * The seller whose catalog this call writes, checked against the viewer's scope. Inside a
 * transaction its row is share-locked and re-read: updateSeller locks it for update before
 * counting products, so a concatenation code can never change under a product being written
 * with the old one (that product's displayed code would then carry a prefix the seller no
 * longer has, free for another seller to take).
 */

export async function listProductsForHub(ctx: Context, args: ConnectionArgs) {
  // Archived ones stay in the feed so the exporter can delist them.
  return paginate(ctx.em, Product, { marketplaceOut: true }, args, { updatedAt: 'asc' } as never);
}
