import { LockMode, ref, wrap } from '@mikro-orm/core';
import type { EntityManager, FilterQuery } from '@mikro-orm/postgresql';
import type { Context } from '../../shared/runtime/index.js';
import { findById, isId } from '../../shared/db/ids.js';
import { AppError, ErrorCode, Validation, badInput, conflict, notFound } from '../../shared/errors/index.js';
import { MAX_UNIT_PRICE_CENTS } from '../../shared/money/index.js';
import { assertCatalogEditable } from '../integrations/index.js';
import { MarketplaceSettings, Seller, actingSellerId, sellerFilter, getSettings } from '../sellers/index.js';
import { Brand, Category, Color, Size, Tag } from './attributes.entity.js';
import { KitComponent, Product, ProductLink, ProductStatus, Sku, type ProductImage } from './catalog.entity.js';
import { RAW_CODE_RE, displayedCode } from './codes.js';
import { lockSellerCatalog } from './import.shared.js';


export interface SkuData {
  sellerCode: string;
  colorId?: string | null;
  sizeId?: string | null;
  price: number;
  listPrice?: number | null;
  weightGrams?: number | null;
  heightMm?: number | null;
  widthMm?: number | null;
  lengthMm?: number | null;
  stock?: number | null;
  images?: ProductImage[] | null;
  active?: boolean | null;
}

export interface ProductData {
  sellerId?: string | null;
  sellerCode?: string | null;
  name?: string | null;
  description?: string | null;
  categoryId?: string | null;
  brandId?: string | null;
  tagIds?: string[] | null;
  images?: ProductImage[] | null;
  marketplaceOut?: boolean | null;
  status?: ProductStatus | null;
  skus?: SkuData[] | null;
  kitComponents?: { skuCode: string; quantity?: number | null }[] | null;
  links?: { productId: string; kind: ProductLink['kind'] }[] | null;
}

export async function writableSeller(ctx: Context, em: EntityManager, sellerId: string): Promise<Seller> {
  sellerFilter(ctx.viewer, sellerId); // FORBIDDEN for another seller
  const seller = await findById(em, Seller, sellerId, { options: em.isInTransaction() ? { lockMode: LockMode.PESSIMISTIC_READ, refresh: true } : {} });
  if (!seller) throw notFound('No seller has this id.', 'input', 'sellerId');
  await assertCatalogEditable(ctx, em, seller);
  return seller;
}

export function checkImages(v: Validation, images: ProductImage[] | null | undefined, field: string[]) {
  (images ?? []).forEach((img, i) => {
    v.check(/^https?:\/\/\S+$/i.test(img.url) && img.url.length <= 2000, 'Images are http(s) URLs.', [...field, String(i), 'url']);
  });
}

function checkInt(v: Validation, value: number | null | undefined, field: string[], min: number, max = 2_000_000_000) {
  if (value == null) return;
  v.check(Number.isInteger(value) && value >= min && value <= max, `Must be a whole number from ${min} to ${max}.`, field);
}

/** Loads every attribute an input names, in one query per kind, and reports the unknown ones. */
async function resolveAttributes(em: EntityManager, v: Validation, input: ProductData) {
  const ids = <T>(list: (T | null | undefined)[]) => [...new Set(list.filter((x): x is T => !!x))];
  const skuInputs = input.skus ?? [];
  const wanted = {
    category: ids([input.categoryId]),
    brand: ids([input.brandId]),
    tags: ids(input.tagIds ?? []),
    colors: ids(skuInputs.map((s) => s.colorId)),
    sizes: ids(skuInputs.map((s) => s.sizeId)),
  };
  const load = async <E extends { id: string }>(entity: new () => E, list: string[], field: (id: string) => string[]) => {
    // Attributes this unit of work has loaded already (the ERP upsert resolves a whole batch's
    // names up front) need no query per product; references that were never loaded still do.
    const known = list
      .map((id) => (isId(id) ? em.getUnitOfWork().getById(entity.name, id) : undefined))
      .filter((e): e is E => e instanceof entity && wrap(e).isInitialized());
    const missing = list.filter((id) => isId(id) && !known.some((k) => k.id === id));
    const rows = missing.length ? await em.find(entity as never, { id: { $in: missing } } as never) : [];
    const map = new Map([...known, ...(rows as E[])].map((r) => [r.id, r]));
    // A malformed id is simply never in the map: NOT_FOUND, like an unknown one.
    for (const id of list) if (!map.has(id)) v.add(ErrorCode.NOT_FOUND, `No such ${entity.name.toLowerCase()}: ${id}.`, field(id));
    return map;
  };
  return {
    categories: await load(Category, wanted.category, () => ['input', 'categoryId']),
    brands: await load(Brand, wanted.brand, () => ['input', 'brandId']),
    tags: await load(Tag, wanted.tags, () => ['input', 'tagIds']),
    colors: await load(Color, wanted.colors, (id) => ['input', 'skus', String(skuInputs.findIndex((s) => s.colorId === id)), 'colorId']),
    sizes: await load(Size, wanted.sizes, (id) => ['input', 'skus', String(skuInputs.findIndex((s) => s.sizeId === id)), 'sizeId']),
  };
}

function validateSkus(v: Validation, skus: SkuData[]) {
  const seen = new Set<string>();
  skus.forEach((s, i) => {
    const f = (name: string) => ['input', 'skus', String(i), name];
    v.check(RAW_CODE_RE.test(s.sellerCode), "SKU codes use letters, digits, '.' and '_' (1 to 40).", f('sellerCode'));
    v.check(!seen.has(s.sellerCode), `SKU code ${s.sellerCode} appears twice.`, f('sellerCode'), ErrorCode.CONFLICT);
    seen.add(s.sellerCode);
    checkInt(v, s.price, f('price'), 0, MAX_UNIT_PRICE_CENTS);
    checkInt(v, s.listPrice, f('listPrice'), 0, MAX_UNIT_PRICE_CENTS);
    if (s.listPrice != null) v.check(s.listPrice >= s.price, 'The list price cannot be below the price.', f('listPrice'));
    checkInt(v, s.weightGrams, f('weightGrams'), 0, 1_000_000);
    checkInt(v, s.heightMm, f('heightMm'), 0, 100_000);
    checkInt(v, s.widthMm, f('widthMm'), 0, 100_000);
    checkInt(v, s.lengthMm, f('lengthMm'), 0, 100_000);
    checkInt(v, s.stock, f('stock'), 0);
    checkImages(v, s.images, f('images'));
  });
}

/**
 * The rules a product input must meet on its own, without the database. Shared by
 * applyProduct and the bulk import (which maps the field paths to lines and columns), so
 * both refuse exactly the same things.
 */
export function validateProductInput(v: Validation, input: ProductData, creating: boolean): void {
  if (creating || input.sellerCode != null) {
    v.check(RAW_CODE_RE.test(input.sellerCode ?? ''), "Product codes use letters, digits, '.' and '_' (1 to 40).", ['input', 'sellerCode']);
  }
  if (creating || input.name != null) {
    v.check((input.name ?? '').trim().length > 0 && (input.name ?? '').length <= 200, 'Name the product (up to 200 characters).', ['input', 'name']);
  }
  if (input.status != null) {
    v.check(
      input.status === ProductStatus.DRAFT || input.status === ProductStatus.PUBLISHED,
      'Set DRAFT or PUBLISHED here; reviews use approveProduct/rejectProduct and archiving archiveProduct.',
      ['input', 'status'],
    );
  }
  checkImages(v, input.images, ['input', 'images']);
  if (creating && !input.skus?.length) v.add(ErrorCode.BAD_USER_INPUT, 'A product needs at least one SKU.', ['input', 'skus']);
  validateSkus(v, input.skus ?? []);
}

/**
 * Validates a product input completely before anything is written (so a refusal changes
 * nothing), then applies it. Shared by the portal mutations and the ERP upsert.
 */
export async function applyProduct(ctx: Context, em: EntityManager, seller: Seller, product: Product | null, input: ProductData): Promise<Product> {
  const creating = product === null;
  const v = new Validation();
  validateProductInput(v, input, creating);
  const attrs = await resolveAttributes(em, v, input);
  v.throwIfAny();

  // Codes: unique per seller (raw) and store-wide (displayed).
  const code = input.sellerCode != null ? displayedCode(seller, input.sellerCode) : product!.code;
  if (input.sellerCode != null && input.sellerCode !== product?.sellerCode) {
    const taken = await em.findOne(Product, { $or: [{ seller: seller.id, sellerCode: input.sellerCode }, { code }] });
    if (taken && taken.id !== product?.id) {
      throw conflict(
        taken.seller.id === seller.id
          ? `This seller already has product ${input.sellerCode}.`
          : // An ERP integration never sees its seller's prefix, not even in an error.
            `The code ${ctx.viewer.kind === 'INTEGRATION' ? input.sellerCode : code} is taken by another seller's product.`,
        'input',
        'sellerCode',
      );
    }
  }
  const existingSkus = product ? await em.find(Sku, { product: product.id }) : [];
  const incoming = input.skus ?? [];
  if (incoming.length) {
    const newCodes = incoming.filter((s) => !existingSkus.some((e) => e.sellerCode === s.sellerCode));
    if (newCodes.length) {
      const clashes = await em.find(Sku, {
        $or: [{ seller: seller.id, sellerCode: { $in: newCodes.map((s) => s.sellerCode) } }, { code: { $in: newCodes.map((s) => displayedCode(seller, s.sellerCode)) } }],
      });
      if (clashes.length) {
        throw new AppError(
          clashes.map((c) => {
            const i = incoming.findIndex((s) => s.sellerCode === c.sellerCode || displayedCode(seller, s.sellerCode) === c.code);
            // The code as sent (raw): an ERP integration never sees its seller's prefix.
            return { code: ErrorCode.CONFLICT, message: `SKU code ${incoming[i]?.sellerCode ?? c.code} is already in use.`, field: ['input', 'skus', String(i), 'sellerCode'] };
          }),
        );
      }
    }
  }

  const settings = await getSettings(em);
  if (!product) {
    product = em.create(Product, { seller, sellerCode: input.sellerCode!, code, name: input.name!.trim() });
    em.persist(product);
  }
  if (input.sellerCode != null) {
    product.sellerCode = input.sellerCode;
    product.code = code;
  }
  if (input.name != null) product.name = input.name.trim();
  if (input.description !== undefined) product.description = input.description?.trim() || null;
  if (input.categoryId !== undefined) product.category = input.categoryId ? ref(attrs.categories.get(input.categoryId)!) : null;
  if (input.brandId !== undefined) product.brand = input.brandId ? ref(attrs.brands.get(input.brandId)!) : null;
  if (input.tagIds != null) product.tags.set(input.tagIds.map((id) => attrs.tags.get(id)!));
  if (input.images != null) product.images = input.images.map((i) => ({ url: i.url, alt: i.alt ?? null }));
  if (input.marketplaceOut != null) product.marketplaceOut = input.marketplaceOut;
  if (input.status != null) setRequestedStatus(product, seller, settings, input.status);

  if (input.skus != null) {
    const byCode = new Map(existingSkus.map((s) => [s.sellerCode, s]));
    input.skus.forEach((s, position) => {
      let sku = byCode.get(s.sellerCode);
      if (!sku) {
        sku = em.create(Sku, {
          product,
          seller,
          sellerCode: s.sellerCode,
          code: displayedCode(seller, s.sellerCode),
          priceCents: s.price,
          stock: s.stock ?? 0,
        });
        em.persist(sku);
      }
      sku.color = s.colorId ? ref(attrs.colors.get(s.colorId)!) : null;
      sku.size = s.sizeId ? ref(attrs.sizes.get(s.sizeId)!) : null;
      sku.priceCents = s.price;
      sku.listPriceCents = s.listPrice ?? null;
      sku.weightGrams = s.weightGrams ?? 0;
      sku.heightMm = s.heightMm ?? null;
      sku.widthMm = s.widthMm ?? null;
      sku.lengthMm = s.lengthMm ?? null;
      if (s.images != null) sku.images = s.images.map((i) => ({ url: i.url, alt: i.alt ?? null }));
      sku.active = s.active ?? true;
      sku.position = position;
      byCode.delete(s.sellerCode);
    });
    // SKUs left out are deactivated, not deleted: orders may point at them.
    for (const gone of byCode.values()) gone.active = false;
    const active = [...input.skus.filter((s) => s.active ?? true).map((s) => s.price)];
    product.minPriceCents = active.length ? Math.min(...active) : null;
  }

  if (input.kitComponents != null) await applyKit(ctx, em, seller, product, input.kitComponents);
  if (input.links != null) await applyLinks(ctx, em, product, input.links);
  return product;
}

/**
 * PUBLISHED requested by a guest seller becomes PENDING_REVIEW while the store reviews
 * guest products; the operator's own products publish at once.
 */
export function setRequestedStatus(product: Product, seller: Seller, settings: MarketplaceSettings, status: ProductStatus) {
  if (status === ProductStatus.PUBLISHED) {
    if (product.status === ProductStatus.PUBLISHED) return;
    if (!seller.isAdmin && settings.requireProductReview) {
      product.status = ProductStatus.PENDING_REVIEW;
      product.rejectionReason = null;
      return;
    }
    product.status = ProductStatus.PUBLISHED;
    product.publishedAt ??= new Date();
    return;
  }
  product.status = status;
}

async function applyKit(ctx: Context, em: EntityManager, seller: Seller, kit: Product, components: { skuCode: string; quantity?: number | null }[]) {
  const v = new Validation();
  const raw = ctx.viewer.kind === 'INTEGRATION';
  const codes = components.map((c) => c.skuCode);
  const skus = codes.length ? await em.find(Sku, raw ? { seller: seller.id, sellerCode: { $in: codes } } : { code: { $in: codes } }) : [];
  components.forEach((c, i) => {
    const f = (name: string) => ['input', 'kitComponents', String(i), name];
    const sku = skus.find((s) => (raw ? s.sellerCode : s.code) === c.skuCode);
    checkInt(v, c.quantity, f('quantity'), 1, 1000);
    if (!sku) v.add(ErrorCode.NOT_FOUND, `No SKU has the code ${c.skuCode}.`, f('skuCode'));
    else if (sku.seller.id !== seller.id) {
      v.add(ErrorCode.BAD_USER_INPUT, `A kit holds only SKUs of its own seller; ${c.skuCode} belongs to another seller.`, f('skuCode'));
    } else if (sku.product.id === kit.id) v.add(ErrorCode.BAD_USER_INPUT, 'A kit cannot contain its own SKUs.', f('skuCode'));
  });
  v.check(new Set(codes).size === codes.length, 'A SKU appears twice in the kit.', ['input', 'kitComponents']);
  v.throwIfAny();
  await em.nativeDelete(KitComponent, { kit: kit.id });
  components.forEach((c, position) => {
    const sku = skus.find((s) => (raw ? s.sellerCode : s.code) === c.skuCode)!;
    em.persist(em.create(KitComponent, { kit, sku, quantity: c.quantity ?? 1, position }));
  });
  kit.isKit = components.length > 0;
}

async function applyLinks(ctx: Context, em: EntityManager, product: Product, links: { productId: string; kind: ProductLink['kind'] }[]) {
  const v = new Validation();
  const ids = [...new Set(links.map((l) => l.productId))].filter(isId);
  const found = ids.length ? await em.find(Product, { id: { $in: ids } }) : [];
  links.forEach((l, i) => {
    v.check(found.some((p) => p.id === l.productId), `No product has the id ${l.productId}.`, ['input', 'links', String(i), 'productId'], ErrorCode.NOT_FOUND);
    v.check(l.productId !== product.id, 'A product cannot link to itself.', ['input', 'links', String(i), 'productId']);
  });
  v.throwIfAny();
  await em.nativeDelete(ProductLink, { product: product.id });
  links.forEach((l, position) => {
    em.persist(em.create(ProductLink, { product, linked: found.find((p) => p.id === l.productId)!, kind: l.kind, position }));
  });
}

export async function createProduct(ctx: Context, em: EntityManager, input: ProductData): Promise<Product> {
  const seller = await writableSeller(ctx, em, actingSellerId(ctx.viewer, input.sellerId));
  // The lock the ERP upsert and the import take: two writers of one seller's catalog (its
  // owner and its ERP, say) sending the same code get a CONFLICT, not a unique-index failure.
  await lockSellerCatalog(em, seller.id);
  return applyProduct(ctx, em, seller, null, input);
}

/** Loads a product for a write, locked, after checking the viewer may write its seller's catalog. */
export async function lockProductForWrite(ctx: Context, em: EntityManager, id: string, field = 'id'): Promise<Product> {
  const found = await findById(em, Product, id);
  if (!found) throw notFound('No product has this id.', field);
  // The seller row (share-locked by writableSeller) before the product row, as every catalog writer takes them.
  await writableSeller(ctx, em, found.seller.id);
  return em.findOneOrFail(Product, { id }, { lockMode: LockMode.PESSIMISTIC_WRITE, refresh: true });
}

export async function updateProduct(ctx: Context, em: EntityManager, id: string, input: ProductData): Promise<Product> {
  const found = await findById(em, Product, id);
  if (!found) throw notFound('No product has this id.', 'id');
  if (input.sellerId) {
    // Products never move; naming a seller that does not exist is, as everywhere, NOT_FOUND.
    if (!(await findById(em, Seller, input.sellerId))) throw notFound('No seller has this id.', 'input', 'sellerId');
    throw badInput('A product cannot move to another seller.', 'input', 'sellerId');
  }
  const seller = await writableSeller(ctx, em, found.seller.id);
  // Seller row, catalog lock, product row: the order the upsert and the import take them in.
  await lockSellerCatalog(em, seller.id);
  const product = await em.findOneOrFail(Product, { id }, { lockMode: LockMode.PESSIMISTIC_WRITE, refresh: true });
  return applyProduct(ctx, em, seller, product, input);
}

export async function archiveProduct(ctx: Context, em: EntityManager, id: string): Promise<Product> {
  const product = await lockProductForWrite(ctx, em, id);
  product.status = ProductStatus.ARCHIVED;
  return product;
}

export async function reviewProduct(em: EntityManager, id: string, decision: { approve: true } | { approve: false; reason: string }): Promise<Product> {
  if (!decision.approve && !decision.reason.trim()) throw badInput('Say why the product is rejected.', 'reason');
  const product = await findById(em, Product, id, { options: { lockMode: LockMode.PESSIMISTIC_WRITE } });
  if (!product) throw notFound('No product has this id.', 'id');
  if (product.status !== ProductStatus.PENDING_REVIEW) throw conflict(`The product is ${product.status}, not waiting for review.`, 'id');
  if (decision.approve) {
    product.status = ProductStatus.PUBLISHED;
    product.publishedAt ??= new Date();
    product.rejectionReason = null;
  } else {
    product.status = ProductStatus.DRAFT;
    product.rejectionReason = decision.reason.trim();
  }
  return product;
}

/**
 * Sets a SKU's stock to an absolute quantity, by code: the displayed code from the portal,
 * the raw code from an ERP integration. The row is locked so a concurrent checkout's
 * decrement is not lost.
 */
export async function setStock(ctx: Context, em: EntityManager, skuCode: string, quantity: number): Promise<Sku> {
  if (!Number.isInteger(quantity) || quantity < 0 || quantity > 2_000_000_000) throw badInput('Stock is a whole number, 0 or more.', 'quantity');
  const v = ctx.viewer;
  const where: FilterQuery<Sku> = v.kind === 'INTEGRATION' ? { seller: v.seller.id, sellerCode: skuCode } : { code: skuCode };
  const found = await em.findOne(Sku, where);
  if (!found) throw notFound(`No SKU has the code ${skuCode}.`, 'skuCode');
  await writableSeller(ctx, em, found.seller.id);
  // Locked (after the seller row, in the order every catalog writer takes them) so a concurrent checkout's decrement is not lost.
  const sku = await em.findOneOrFail(Sku, { id: found.id }, { lockMode: LockMode.PESSIMISTIC_WRITE, refresh: true });
  sku.stock = quantity;
  return sku;
}


/** Products flagged "marketplace out", for the hub exporter: every seller, oldest change first. */
/** Whether any product carries the seller's concatenation code (design.md: the code is then immutable). */
export async function sellerHasProducts(em: EntityManager, sellerId: string): Promise<boolean> {
  return (await em.count(Product, { seller: sellerId })) > 0;
}
