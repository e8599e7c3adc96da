import { FlushMode, LockMode } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Context } from '../../shared/runtime/index.js';
import { AppError, ErrorCode, badInput, type UserErrorData } from '../../shared/errors/index.js';
import { actingSellerId } from '../sellers/index.js';
import type { Seller } from '../sellers/index.js';
import { KitComponent, Product, Sku } from './catalog.entity.js';
import { displayedCode } from './codes.js';
import { attributesByName, catalogFingerprint, lockSellerCatalog, sameImages, type AttributesByName } from './import.shared.js';
import { UpsertOutcome } from './import.types.js';
import { applyProduct, writableSeller, type ProductData, type SkuData } from './products.service.js';

export const MAX_UPSERT_PRODUCTS = 500;

/** An ERP names attributes by name (and slug for categories) where the portal uses ids. */
export type UpsertSkuData = Omit<SkuData, 'colorId' | 'sizeId'> & {
  colorName?: string | null;
  sizeName?: string | null;
};

export type UpsertProductData = Omit<ProductData, 'sellerId' | 'sellerCode' | 'categoryId' | 'brandId' | 'tagIds' | 'skus' | 'links'> & {
  sellerCode: string;
  categorySlug?: string | null;
  brandName?: string | null;
  tagNames?: string[] | null;
  skus?: UpsertSkuData[] | null;
};

export interface UpsertResult {
  sellerCode: string;
  outcome: UpsertOutcome;
  product: Product;
}

/**
 * The ERP's way in: products by the seller's raw codes, attributes by name, kits by raw SKU
 * codes. Creates what is new, updates what differs, and reports each product as created,
 * updated or unchanged, so sending the same payload twice changes nothing the second time.
 * Every product goes through applyProduct (the portal's rules); the whole batch is one
 * transaction, and any refusal rolls all of it back with every problem listed.
 *
 * `stock`, when given, is absolute (the ERP is the source of truth for its warehouse): the
 * SKU ends with exactly that many units. SKU rows are locked first so a checkout running at
 * the same time decrements either before (then is overwritten by the ERP's count) or after.
 */
export async function upsertProducts(ctx: Context, em: EntityManager, input: { sellerId?: string | null; products: UpsertProductData[] }) {
  const seller = await writableSeller(ctx, em, actingSellerId(ctx.viewer, input.sellerId));
  if (input.products.length > MAX_UPSERT_PRODUCTS) {
    throw badInput(`At most ${MAX_UPSERT_PRODUCTS} products per call (got ${input.products.length}); send them in batches.`, 'input', 'products');
  }
  await lockSellerCatalog(em, seller.id);
  // applyProduct queries a few times per product; in the default AUTO mode each query first
  // dirty-checks every entity of the batch so far (quadratic: 500 products took ~45 s). The
  // batch is written once at commit instead; what AUTO mode gave for free is done explicitly:
  // SKU codes repeated across the batch are refused below, and kits flush before they look
  // up their components.
  em.setFlushMode(FlushMode.COMMIT);
  const errors: UserErrorData[] = [];
  const field = (i: number, ...rest: string[]) => ['input', 'products', String(i), ...rest];

  // Products repeating a code already in the batch are reported and not applied, so the
  // batch never reaches the unique indexes with a duplicate.
  const skipped = new Set<number>();
  const firstIndex = new Map<string, number>();
  input.products.forEach((p, i) => {
    const first = firstIndex.get(p.sellerCode);
    if (first === undefined) firstIndex.set(p.sellerCode, i);
    else {
      skipped.add(i);
      errors.push({ code: ErrorCode.CONFLICT, message: `Product ${p.sellerCode} is already at position ${first} of this batch.`, field: field(i, 'sellerCode') });
    }
  });
  const skuAt = new Map<string, number>();
  input.products.forEach((p, i) => {
    if (skipped.has(i)) return;
    for (const [j, s] of (p.skus ?? []).entries()) {
      const owner = skuAt.get(s.sellerCode);
      if (owner === undefined) skuAt.set(s.sellerCode, i);
      else if (owner !== i) {
        skipped.add(i);
        errors.push({ code: ErrorCode.CONFLICT, message: `SKU ${s.sellerCode} is also in product ${input.products[owner]!.sellerCode} of this batch.`, field: field(i, 'skus', String(j), 'sellerCode') });
      }
    }
  });

  const attrs = await attributesByName(em, {
    categorySlugs: input.products.flatMap((p) => (p.categorySlug ? [p.categorySlug] : [])),
    brands: input.products.flatMap((p) => (p.brandName ? [p.brandName] : [])),
    tags: input.products.flatMap((p) => p.tagNames ?? []),
    colors: input.products.flatMap((p) => (p.skus ?? []).flatMap((s) => (s.colorName ? [s.colorName] : []))),
    sizes: input.products.flatMap((p) => (p.skus ?? []).flatMap((s) => (s.sizeName ? [s.sizeName] : []))),
  });

  // Existing rows of the whole batch in a few queries, locked in primary-key order (as checkout locks SKUs).
  const codes = [...firstIndex.keys()];
  const existing = codes.length
    ? await em.find(Product, { seller: seller.id, sellerCode: { $in: codes } }, { lockMode: LockMode.PESSIMISTIC_WRITE, orderBy: { id: 'asc' } })
    : [];
  const ids = existing.map((p) => p.id);
  if (existing.length) await em.populate(existing, ['tags']);
  const skus = ids.length ? await em.find(Sku, { product: { $in: ids } }, { lockMode: LockMode.PESSIMISTIC_WRITE, orderBy: { id: 'asc' } }) : [];
  const kitIds = existing.filter((p) => p.isKit).map((p) => p.id);
  const kits = kitIds.length ? await em.find(KitComponent, { kit: { $in: kitIds } }, { populate: ['sku'], orderBy: { position: 'asc' } }) : [];
  const byCode = new Map(existing.map((p) => [p.sellerCode, p]));
  const skusByProduct = new Map<string, Sku[]>();
  for (const s of skus) skusByProduct.set(s.product.id, [...(skusByProduct.get(s.product.id) ?? []), s]);

  const results: UpsertResult[] = [];
  for (const [i, p] of input.products.entries()) {
    if (skipped.has(i)) continue;
    const nameErrors: UserErrorData[] = [];
    const data = toProductData(ctx, seller, p, attrs, (message, ...path) => nameErrors.push({ code: ErrorCode.NOT_FOUND, message, field: field(i, ...path) }));
    if (nameErrors.length) {
      errors.push(...nameErrors);
      continue;
    }
    const current = byCode.get(p.sellerCode) ?? null;
    const currentSkus = current ? (skusByProduct.get(current.id) ?? []) : [];
    const before = current ? catalogFingerprint(current, currentSkus) : null;
    if (current) {
      // Equal image lists are left out: the ORM would rewrite them (stored JSON comes back with its keys reordered).
      if (data.images && sameImages(data.images, current.images)) delete data.images;
      for (const s of data.skus ?? []) {
        const sku = currentSkus.find((e) => e.sellerCode === s.sellerCode);
        if (sku && s.images && sameImages(s.images, sku.images)) delete s.images;
      }
    }
    let kitChanged = false;
    if (current && data.kitComponents) {
      const had = kits.filter((k) => k.kit.id === current.id).map((k) => [k.sku.getEntity().sellerCode, k.quantity]);
      const wants = (p.kitComponents ?? []).map((k) => [k.skuCode, k.quantity ?? 1]);
      // applyKit rewrites every component row; skip it when the ERP resends the same kit.
      if (JSON.stringify(had) === JSON.stringify(wants)) delete data.kitComponents;
      else kitChanged = true;
    }
    try {
      if (data.kitComponents?.length) await em.flush();
      const product = await applyProduct(ctx, em, seller, current, data);
      for (const s of p.skus ?? []) {
        const sku = currentSkus.find((e) => e.sellerCode === s.sellerCode);
        if (sku && s.stock != null) sku.stock = s.stock;
      }
      const addsSkus = (p.skus ?? []).some((s) => !currentSkus.some((e) => e.sellerCode === s.sellerCode));
      const outcome = !current
        ? UpsertOutcome.CREATED
        : kitChanged || addsSkus || before !== catalogFingerprint(product, currentSkus)
          ? UpsertOutcome.UPDATED
          : UpsertOutcome.UNCHANGED;
      results.push({ sellerCode: p.sellerCode, outcome, product });
    } catch (err) {
      if (!(err instanceof AppError) || err.isAccessError) throw err;
      // applyProduct speaks of one product's input; place its paths inside this batch.
      errors.push(...err.errors.map((e) => ({ ...e, field: field(i, ...(e.field ?? []).slice(1)) })));
    }
  }
  if (errors.length) throw new AppError(errors);
  const count = (o: UpsertOutcome) => results.filter((r) => r.outcome === o).length;
  return {
    created: count(UpsertOutcome.CREATED),
    updated: count(UpsertOutcome.UPDATED),
    unchanged: count(UpsertOutcome.UNCHANGED),
    results,
  };
}

/** Names → ids for applyProduct; unknown names are reported with their path and the product skipped. */
function toProductData(
  ctx: Context,
  seller: Seller,
  p: UpsertProductData,
  attrs: AttributesByName,
  missing: (message: string, ...path: string[]) => void,
): ProductData {
  const idOf = <T extends { id: string }>(map: Map<string, T>, name: string | null | undefined, what: string, ...path: string[]) => {
    if (name === undefined) return undefined;
    if (name === null || !name.trim()) return null;
    const hit = map.get(name.trim());
    if (!hit) missing(`No ${what} "${name}" exists; the store's attributes are created in the admin.`, ...path);
    return hit?.id ?? null;
  };
  const skus: SkuData[] | null | undefined = p.skus?.map((s, j) => ({
    sellerCode: s.sellerCode,
    colorId: idOf(attrs.colors, s.colorName, 'colour named', 'skus', String(j), 'colorName'),
    sizeId: idOf(attrs.sizes, s.sizeName, 'size named', 'skus', String(j), 'sizeName'),
    price: s.price,
    listPrice: s.listPrice,
    weightGrams: s.weightGrams,
    heightMm: s.heightMm,
    widthMm: s.widthMm,
    lengthMm: s.lengthMm,
    stock: s.stock,
    images: s.images,
    active: s.active,
  }));
  return {
    sellerCode: p.sellerCode,
    name: p.name,
    description: p.description,
    categoryId: idOf(attrs.categories, p.categorySlug, 'category with the slug', 'categorySlug'),
    brandId: idOf(attrs.brands, p.brandName, 'brand named', 'brandName'),
    tagIds: p.tagNames && [...new Set(p.tagNames.map((name, j) => idOf(attrs.tags, name, 'tag named', 'tagNames', String(j))).filter((id): id is string => !!id))],
    images: p.images,
    marketplaceOut: p.marketplaceOut,
    status: p.status,
    skus,
    // Kit components come as raw codes; applyProduct reads raw codes only from an integration.
    kitComponents: p.kitComponents?.map((k) => ({
      skuCode: ctx.viewer.kind === 'INTEGRATION' ? k.skuCode : displayedCode(seller, k.skuCode),
      quantity: k.quantity,
    })),
  };
}
