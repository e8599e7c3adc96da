import type { EntityManager } from '@mikro-orm/postgresql';
import { Brand, Category, Color, Size, Tag } from './attributes.entity.js';
import type { Product, ProductImage, Sku } from './catalog.entity.js';

/** Store attributes by the names an ERP or a spreadsheet uses: category slug, brand/tag/colour/size name. */
export interface AttributesByName {
  categories: Map<string, Category>;
  brands: Map<string, Brand>;
  tags: Map<string, Tag>;
  colors: Map<string, Color>;
  sizes: Map<string, Size>;
}

export interface AttributeNames {
  categorySlugs: Iterable<string>;
  brands: Iterable<string>;
  tags: Iterable<string>;
  colors: Iterable<string>;
  sizes: Iterable<string>;
}

/**
 * One query per kind for a whole batch. Names match exactly (after trimming): the unique
 * indexes are case-sensitive, so "Red" and "red" may both exist and a looser match could
 * pick the wrong one. Nothing is ever created here: attributes are the store's.
 */
export async function attributesByName(em: EntityManager, names: AttributeNames): Promise<AttributesByName> {
  const distinct = (list: Iterable<string>) => [...new Set([...list].map((s) => s.trim()).filter(Boolean))];
  const slugs = distinct(names.categorySlugs);
  const brands = distinct(names.brands);
  const tags = distinct(names.tags);
  const colors = distinct(names.colors);
  const sizes = distinct(names.sizes);
  // Sequential on purpose: inside a transaction they share one connection anyway.
  const c = slugs.length ? await em.find(Category, { slug: { $in: slugs } }) : [];
  const b = brands.length ? await em.find(Brand, { name: { $in: brands } }) : [];
  const t = tags.length ? await em.find(Tag, { name: { $in: tags } }) : [];
  const co = colors.length ? await em.find(Color, { name: { $in: colors } }) : [];
  const si = sizes.length ? await em.find(Size, { name: { $in: sizes } }) : [];
  return {
    categories: new Map(c.map((x) => [x.slug, x])),
    brands: new Map(b.map((x) => [x.name, x])),
    tags: new Map(t.map((x) => [x.name, x])),
    colors: new Map(co.map((x) => [x.name, x])),
    sizes: new Map(si.map((x) => [x.name, x])),
  };
}

/**
 * Serialises catalog writes of one seller by ERP upsert and file import until the transaction
 * ends. An ERP that times out and retries while its first call still runs would otherwise race
 * it to insert the same codes and hit the unique indexes (a 500 instead of a clean result).
 */
export async function lockSellerCatalog(em: EntityManager, sellerId: string): Promise<void> {
  await em.execute(`select pg_advisory_xact_lock(hashtext(?))`, [`catalog-sync:${sellerId}`]);
}

/**
 * Everything an upsert or import can change about a product and its SKUs, as one string:
 * equal before and after means the call changed nothing ("unchanged"), which is what makes a
 * repeated ERP payload report 0 updated.
 */
export function catalogFingerprint(product: Product, skus: Sku[]): string {
  return JSON.stringify([
    product.sellerCode,
    product.name,
    product.description ?? null,
    product.category?.id ?? null,
    product.brand?.id ?? null,
    product.tags.isInitialized() ? product.tags.getItems().map((t) => t.id).sort() : null,
    imageKey(product.images),
    product.marketplaceOut,
    product.status,
    product.rejectionReason ?? null,
    product.minPriceCents ?? null,
    product.isKit,
    [...skus]
      .sort((a, b) => (a.sellerCode < b.sellerCode ? -1 : a.sellerCode > b.sellerCode ? 1 : 0))
      .map((s) => [
        s.sellerCode,
        s.color?.id ?? null,
        s.size?.id ?? null,
        s.priceCents,
        s.listPriceCents ?? null,
        s.weightGrams,
        s.heightMm ?? null,
        s.widthMm ?? null,
        s.lengthMm ?? null,
        s.stock,
        imageKey(s.images),
        s.active,
        s.position,
      ]),
  ]);
}

/** JSON columns come back from PostgreSQL with their keys reordered: compare images by value. */
export function imageKey(images: ProductImage[]): [string, string | null][] {
  return images.map((i) => [i.url, i.alt ?? null]);
}

export function sameImages(a: ProductImage[] | null | undefined, b: ProductImage[] | null | undefined): boolean {
  return JSON.stringify(imageKey(a ?? [])) === JSON.stringify(imageKey(b ?? []));
}
