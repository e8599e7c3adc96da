import { raw } from '@mikro-orm/core';
import type { FilterQuery } from '@mikro-orm/postgresql';
import type { Context } from '../../shared/runtime/index.js';
import { assertIdExists, findById, isId } from '../../shared/db/ids.js';
import { badInput, notFound } from '../../shared/errors/index.js';
import { paginate, type ConnectionArgs } from '../../shared/pagination/index.js';
import { may, type Viewer } from '../../shared/access/index.js';
import { CATALOG_ACCESS } from './catalog.access.js';
import { Seller, sellerFilter, settingsLoader } from '../sellers/index.js';
import { Brand, Category, Tag } from './attributes.entity.js';
import { Product, ProductStatus } from './catalog.entity.js';
import { ProductOrderField } from './catalog.types.js';
import { SortDirection } from '../../shared/pagination/index.js';
import { isOnSale, onSaleWhere } from './on-sale.js';


/**
 * Reading the catalog: the storefront's listing and product page, a seller's or the
 * operator's portal view, and the marketplace-out feed. Who sees what is decided here (readScope,
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

/**
 * Which products a viewer reads: operator staff everything; seller users and integrations
 * their own seller's (a foreign sellerId is FORBIDDEN); the storefront what is on sale.
 */
async function readScope(ctx: Context, requestedSellerId?: string | null, storefrontView = false): Promise<FilterQuery<Product>> {
  if (storefrontView || isStorefront(ctx.viewer)) {
    // Through the request's loader: the field resolvers of the same page read the settings too.
    const where = onSaleWhere(await settingsLoader(ctx).load(1));
    return requestedSellerId ? { $and: [where, { seller: requestedSellerId }] } : where;
  }
  const seller = sellerFilter(ctx.viewer, requestedSellerId);
  return seller ? { seller } : {};
}

const ORDER_KEYS: Record<ProductOrderField, string> = {
  CREATED_AT: 'createdAt',
  NAME: 'name',
  PRICE: 'minPriceCents',
  CODE: 'code',
};

export async function listProducts(
  ctx: Context,
  filter: ProductFilterData,
  order: { field: ProductOrderField; direction?: SortDirection | null } | null | undefined,
  args: ConnectionArgs,
  opts: { storefrontView?: boolean; sellerFromParent?: boolean } = {},
) {
  const storefront = opts.storefrontView || isStorefront(ctx.viewer);
  // The viewer's scope first (a seller user naming another seller is FORBIDDEN), then the
  // filter's ids: one that is malformed or matches nothing is NOT_FOUND naming it (shared/db/ids).
  const where: FilterQuery<Product>[] = [await readScope(ctx, filter.sellerId, storefront)];
  if (filter.sellerId && !opts.sellerFromParent) await assertIdExists(ctx.em, Seller, filter.sellerId, ['filter', 'sellerId'], 'seller');
  if (filter.brandId) await assertIdExists(ctx.em, Brand, filter.brandId, ['filter', 'brandId'], 'brand');
  if (filter.tagIds?.length) {
    const wanted = [...new Set(filter.tagIds)];
    const found = wanted.every(isId) ? await ctx.em.createQueryBuilder(Tag).select('id').where({ id: { $in: wanted } }).execute('all') : [];
    if (found.length !== wanted.length) throw notFound('tagIds holds an id no tag has.', 'filter', 'tagIds');
  }
  if (filter.status?.length && !storefront) where.push({ status: { $in: filter.status } });
  if (filter.brandId) where.push({ brand: filter.brandId });
  if (filter.marketplaceOut != null) where.push({ marketplaceOut: filter.marketplaceOut });
  if (filter.categoryId) {
    const category = await findById(ctx.em, Category, filter.categoryId);
    if (!category) throw notFound('No category has this id.', 'filter', 'categoryId');
    where.push({ category: { path: { $like: `${category.path}%` } } });
  }
  // raw() fragments can be used in one query only, so they are built anew for the page and the count.
  const rawFilters = (): FilterQuery<Product>[] => {
    const out: FilterQuery<Product>[] = [];
    for (const tagId of filter.tagIds ?? []) {
      // One EXISTS per tag: products carrying every tag asked for.
      out.push({ [raw((alias) => `exists (select 1 from product_tag pt where pt.product_id = ${alias}.id and pt.tag_id = '${tagId}')`)]: true });
    }
    if (filter.inStock != null) {
      out.push({
        [raw((alias) => `exists (select 1 from sku s where s.product_id = ${alias}.id and s.active and s.stock > 0)`)]: filter.inStock,
      });
    }
    return out;
  };
  if (filter.search?.trim()) {
    const term = `%${filter.search.trim().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    where.push({ $or: [{ name: { $ilike: term } }, { code: { $ilike: term } }, { sellerCode: { $ilike: term } }] });
  }
  const key = ORDER_KEYS[order?.field ?? ProductOrderField.CREATED_AT];
  const direction = (order?.direction ?? (order ? SortDirection.ASC : SortDirection.DESC)) === SortDirection.ASC ? 'asc' : 'desc';
  return paginate(ctx.em, Product, () => ({ $and: [...where, ...rawFilters()] }), args, { [key]: direction } as never);
}

/**
 * One product by id or code; null when it does not exist or the viewer may not see it. An
 * ERP integration looks up by its raw code; everybody else by the displayed code.
 */
export async function findProduct(ctx: Context, by: { id?: string | null; code?: string | null }): Promise<Product | null> {
  if (!by.id === !by.code) throw badInput('Give exactly one of id and code.', by.id ? 'code' : 'id');
  if (by.id && !isId(by.id)) return null;
  const v = ctx.viewer;
  const key: FilterQuery<Product> = by.id
    ? { id: by.id }
    : v.kind === 'INTEGRATION'
      ? { seller: v.seller.id, sellerCode: by.code! }
      : { code: by.code! };
  const product = await ctx.em.findOne(Product, key, { populate: ['seller'] });
  if (!product) return null;
  if (seesPrivateCatalog(v, product.seller.id)) return product;
  // Another seller's product, or the storefront: only what is on sale.
  return isOnSale({ product, seller: product.seller.getEntity() }, await settingsLoader(ctx).load(1)) ? product : null;
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
