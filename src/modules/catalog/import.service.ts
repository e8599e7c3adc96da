import { LockMode, ref } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Context } from '../../shared/runtime/index.js';
import { AppError, ErrorCode, Validation, badInput, type UserErrorData } from '../../shared/errors/index.js';
import { actingSellerId, Seller, type MarketplaceSettings, getSettings } from '../sellers/index.js';
import { Color, Size } from './attributes.entity.js';
import { Product, Sku, type ProductImage } from './catalog.entity.js';
import { RAW_CODE_RE, displayedCode } from './codes.js';
import { rowsFromCsv, rowsFromJson, type ImportColumn } from './import.parse.js';
import { attributesByName, catalogFingerprint, lockSellerCatalog, sameImages, type AttributesByName } from './import.shared.js';
import { ImportFormat } from './import.types.js';
import { setRequestedStatus, validateProductInput, writableSeller, type ProductData, type SkuData } from './products.service.js';

import { SKU_COLUMNS, groupBy, planProducts, toStatus, ImportReport, type Given, type ImportRow, type ProductField, type ProductPlan } from './import.plan.js';
export const MAX_IMPORT_ROWS = 10_000;
/** Products saved per transaction: big enough for few round trips, small enough to keep locks short. */
export const IMPORT_BATCH_PRODUCTS = 500;

/**
 * Bulk registration from a spreadsheet (CSV) or a JSON array, one row per SKU.
 *
 * - Every row is checked with the portal's own rules (validateProductInput), attributes by
 *   name, codes against the seller's catalog. A product with any failing row is not saved at
 *   all; the others are, in transactions of IMPORT_BATCH_PRODUCTS products each.
 * - Prices and other numbers are whole numbers: prices in centavos ("1990" is R$ 19,90);
 *   "19.90" or "19,90" is refused rather than guessed at.
 * - A column left out keeps the stored value; an empty cell clears it (description, category,
 *   brand, tags, colour, size, list price, dimensions, images; weight becomes 0). `stock` and
 *   `status` empty mean "leave as is"; `stock` given is absolute. A product's SKUs not in the
 *   file are deactivated, as in updateProduct.
 * - Product-level cells (name, description, category_slug, brand, tags, status) may be filled on
 *   any of the product's rows; rows that fill them must agree.
 * - `image_urls` are the row's SKU images; the product's gallery is every distinct URL of its
 *   rows, in file order.
 * - Re-importing the same file reports every product unchanged and writes nothing.
 */
export async function importProducts(ctx: Context, em: EntityManager, input: { sellerId?: string | null; format: ImportFormat; data: string }) {
  const seller = await writableSeller(ctx, em, actingSellerId(ctx.viewer, input.sellerId));
  const raw = input.format === ImportFormat.CSV ? rowsFromCsv(input.data) : rowsFromJson(input.data);
  if (raw.length === 0) throw badInput('The file has no data rows.', 'input', 'data');
  if (raw.length > MAX_IMPORT_ROWS) throw badInput(`At most ${MAX_IMPORT_ROWS} rows per file (this one has ${raw.length}); split it.`, 'input', 'data');

  const report = new ImportReport();
  const plans = planProducts(raw, report);
  for (let i = 0; i < plans.length; i += IMPORT_BATCH_PRODUCTS) {
    const batch = plans.slice(i, i + IMPORT_BATCH_PRODUCTS);
    const tally = await em.fork({ clear: true }).transactional((tx) => saveBatch(tx, seller, batch, report));
    report.created += tally.created;
    report.updated += tally.updated;
    report.unchanged += tally.unchanged;
  }
  return report.result(plans);
}

/** Keeps the alt text already stored for a URL the file repeats. */
function images(urls: string[], stored: ProductImage[] | undefined): ProductImage[] {
  const alts = new Map((stored ?? []).map((i) => [i.url, i.alt ?? null]));
  return urls.map((url) => ({ url, alt: alts.get(url) ?? null }));
}

/** One transaction: load what the batch touches in a few queries, check, then write the products that passed. */
async function saveBatch(tx: EntityManager, sellerAsRead: Seller, batch: ProductPlan[], report: ImportReport) {
  const tally = { created: 0, updated: 0, unchanged: 0 };
  // Re-read under a share lock, as writableSeller does for the portal: the concatenation code
  // cannot change while this batch writes codes carrying it. Seller row first, then the
  // catalog lock: the order every catalog writer takes them in.
  const seller = await tx.findOneOrFail(Seller, { id: sellerAsRead.id }, { lockMode: LockMode.PESSIMISTIC_READ });
  await lockSellerCatalog(tx, seller.id);
  const settings = await getSettings(tx);
  const rows = batch.flatMap((p) => p.rows);
  const names = (f: ProductField) => batch.flatMap((p) => {
    const v = field(p, f)?.value;
    return v == null ? [] : Array.isArray(v) ? v : [v];
  });
  const attrs = await attributesByName(tx, {
    categorySlugs: names('category_slug'),
    brands: names('brand'),
    tags: names('tags'),
    colors: rows.flatMap((r) => (r.color ? [r.color] : [])),
    sizes: rows.flatMap((r) => (r.size ? [r.size] : [])),
  });

  const codes = batch.map((p) => p.code);
  const existing = await tx.find(Product, { seller: seller.id, sellerCode: { $in: codes } }, { lockMode: LockMode.PESSIMISTIC_WRITE, orderBy: { id: 'asc' } });
  if (existing.length) await tx.populate(existing, ['tags']);
  const byCode = new Map(existing.map((p) => [p.sellerCode, p]));
  const skus = existing.length
    ? await tx.find(Sku, { product: { $in: existing.map((p) => p.id) } }, { lockMode: LockMode.PESSIMISTIC_WRITE, orderBy: { id: 'asc' } })
    : [];
  const skusByProduct = groupBy(skus, (s) => s.product.id);

  // The same uniqueness checks as applyProduct, one query each for the whole batch.
  const newCodes = codes.filter((c) => !byCode.has(c) && RAW_CODE_RE.test(c)).map((c) => displayedCode(seller, c));
  const takenCodes = new Set(newCodes.length ? (await tx.find(Product, { code: { $in: newCodes } })).map((p) => p.code) : []);
  // SKUs of the batch's own products are loaded already; only codes new to them need the query.
  const loaded = new Set(skus.map((s) => s.sellerCode));
  const skuCodes = [...new Set(rows.map((r) => r.skuCode).filter((c) => RAW_CODE_RE.test(c) && !loaded.has(c)))];
  const skuHolders = [
    ...skus,
    ...(skuCodes.length
      ? await tx.find(Sku, { $or: [{ seller: seller.id, sellerCode: { $in: skuCodes } }, { code: { $in: skuCodes.map((c) => displayedCode(seller, c)) } }] })
      : []),
  ];
  const holders = {
    own: new Map(skuHolders.filter((s) => s.seller.id === seller.id).map((s) => [s.sellerCode, s])),
    displayed: new Map(skuHolders.map((s) => [s.code, s])),
  };

  for (const plan of batch) {
    const current = byCode.get(plan.code) ?? null;
    const currentSkus = current ? (skusByProduct.get(current.id) ?? []) : [];
    const resolved = checkPlan(plan, seller, current, currentSkus, attrs, takenCodes, holders, report);
    if (plan.failed || !resolved) continue;
    const outcome = writePlan(tx, seller, settings, plan, current, currentSkus, resolved, attrs);
    tally[outcome] += 1;
  }
  return tally;
}

interface ResolvedRow {
  row: ImportRow;
  existing: Sku | undefined;
  data: SkuData;
}

/** Name lookups, the shared validator and the code checks for one product; errors land on their lines. */
function checkPlan(
  plan: ProductPlan,
  seller: Seller,
  current: Product | null,
  currentSkus: Sku[],
  attrs: AttributesByName,
  takenCodes: Set<string>,
  holders: { own: Map<string, Sku>; displayed: Map<string, Sku> },
  report: ImportReport,
): ResolvedRow[] | null {
  const first = plan.rows[0]?.line ?? 0;
  const lookup = <T>(map: Map<string, T>, value: string, what: string, line: number, column: ImportColumn) => {
    const hit = map.get(value);
    if (!hit) report.add(plan, line, column, `No ${what} "${value}" exists; the store's attributes are created in the admin.`, ErrorCode.NOT_FOUND);
    return hit;
  };
  const category = field(plan, 'category_slug');
  if (typeof category?.value === 'string') lookup(attrs.categories, category.value, 'category with the slug', category.line, 'category_slug');
  const brand = field(plan, 'brand');
  if (typeof brand?.value === 'string') lookup(attrs.brands, brand.value, 'brand named', brand.line, 'brand');
  const tags = field(plan, 'tags');
  if (Array.isArray(tags?.value)) for (const t of tags.value) lookup(attrs.tags, t, 'tag named', tags.line, 'tags');

  const resolved: ResolvedRow[] = plan.rows.map((row) => {
    if (row.color) lookup(attrs.colors, row.color, 'colour named', row.line, 'color');
    if (row.size) lookup(attrs.sizes, row.size, 'size named', row.line, 'size');
    const existing = currentSkus.find((s) => s.sellerCode === row.skuCode);
    const keep = <T>(given: Given<T>, stored: T) => (given === undefined ? stored : given);
    return {
      row,
      existing,
      data: {
        sellerCode: row.skuCode,
        colorId: row.color === undefined ? (existing?.color?.id ?? null) : row.color === null ? null : (attrs.colors.get(row.color)?.id ?? null),
        sizeId: row.size === undefined ? (existing?.size?.id ?? null) : row.size === null ? null : (attrs.sizes.get(row.size)?.id ?? null),
        price: row.price ?? 0,
        listPrice: keep(row.listPrice, existing?.listPriceCents ?? null),
        weightGrams: keep(row.weightGrams, existing?.weightGrams ?? 0) ?? 0,
        heightMm: keep(row.heightMm, existing?.heightMm ?? null),
        widthMm: keep(row.widthMm, existing?.widthMm ?? null),
        lengthMm: keep(row.lengthMm, existing?.lengthMm ?? null),
        stock: row.stock,
        images: row.images && images(row.images, existing?.images),
      },
    };
  });

  // The portal's rules, over the rows whose cells could all be read.
  const readable = resolved.filter((r) => r.row.readable);
  if (readable.length) {
    const name = field(plan, 'name');
    const status = field(plan, 'status');
    const input: ProductData = {
      sellerCode: plan.code,
      name: name ? (typeof name.value === 'string' ? name.value : '') : undefined,
      status: typeof status?.value === 'string' ? toStatus(status.value) : undefined,
      skus: readable.map((r) => r.data),
    };
    const v = new Validation();
    validateProductInput(v, input, current === null);
    for (const e of collected(v)) {
      const [, head, index, sub] = e.field ?? [];
      if (head === 'skus' && index !== undefined) report.add(plan, readable[Number(index)]!.row.line, SKU_COLUMNS[sub ?? ''] ?? null, e.message, e.code);
      else if (head === 'sellerCode') report.add(plan, first, 'product_code', e.message, e.code);
      else if (head === 'name' || head === 'status') report.add(plan, field(plan, head)?.line ?? first, head, e.message, e.code);
      else report.add(plan, first, null, e.message, e.code);
    }
  }

  if (!current && takenCodes.has(displayedCode(seller, plan.code))) {
    report.add(plan, first, 'product_code', `The code ${plan.code} is taken by another seller's product.`, ErrorCode.CONFLICT);
  }
  for (const r of resolved) {
    const holder = holders.own.get(r.row.skuCode) ?? holders.displayed.get(displayedCode(seller, r.row.skuCode));
    if (holder && holder.product.id !== current?.id) {
      report.add(plan, r.row.line, 'sku_code', `SKU code ${r.row.skuCode} is already used by another product.`, ErrorCode.CONFLICT);
    }
  }
  return plan.failed ? null : resolved;
}

function field(plan: ProductPlan, f: ProductField) {
  return plan.fields.get(f);
}

function collected(v: Validation): UserErrorData[] {
  try {
    v.throwIfAny();
    return [];
  } catch (err) {
    if (err instanceof AppError) return err.errors;
    throw err;
  }
}

/** Writes one checked product; returns whether it was created, changed or already so. */
function writePlan(
  tx: EntityManager,
  seller: Seller,
  settings: MarketplaceSettings,
  plan: ProductPlan,
  current: Product | null,
  currentSkus: Sku[],
  rows: ResolvedRow[],
  attrs: AttributesByName,
): 'created' | 'updated' | 'unchanged' {
  const sellerRef = tx.getReference(Seller, seller.id);
  const before = current ? catalogFingerprint(current, currentSkus) : null;
  const name = field(plan, 'name')?.value;
  const product =
    current ?? tx.create(Product, { seller: sellerRef, sellerCode: plan.code, code: displayedCode(seller, plan.code), name: String(name).trim() });
  if (typeof name === 'string') product.name = name.trim();
  const description = field(plan, 'description');
  if (description) product.description = typeof description.value === 'string' ? description.value : null;
  const category = field(plan, 'category_slug');
  if (category) product.category = typeof category.value === 'string' ? ref(attrs.categories.get(category.value)!) : null;
  const brand = field(plan, 'brand');
  if (brand) product.brand = typeof brand.value === 'string' ? ref(attrs.brands.get(brand.value)!) : null;
  const tags = field(plan, 'tags');
  if (tags) product.tags.set(Array.isArray(tags.value) ? tags.value.map((t) => attrs.tags.get(t)!) : []);
  if (rows.some((r) => r.row.images !== undefined)) {
    const gallery = [...new Set(rows.flatMap((r) => (r.data.images ?? r.existing?.images ?? []).map((i) => i.url)))];
    const next = images(gallery, current?.images);
    // Assigning an equal array still counts as a change to the ORM (stored JSON comes back with its keys reordered).
    if (!sameImages(next, product.images)) product.images = next;
  }
  const status = field(plan, 'status')?.value;
  const requested = typeof status === 'string' ? toStatus(status) : undefined;
  if (requested) setRequestedStatus(product, seller, settings, requested);

  const left = new Set(currentSkus);
  const created: Sku[] = [];
  rows.forEach(({ row, existing, data }, position) => {
    const sku =
      existing ??
      tx.create(Sku, { product, seller: sellerRef, sellerCode: row.skuCode, code: displayedCode(seller, row.skuCode), priceCents: data.price, stock: row.stock ?? 0 });
    if (!existing) created.push(sku);
    left.delete(sku);
    sku.color = data.colorId ? tx.getReference(Color, data.colorId, { wrapped: true }) : null;
    sku.size = data.sizeId ? tx.getReference(Size, data.sizeId, { wrapped: true }) : null;
    sku.priceCents = data.price;
    sku.listPriceCents = data.listPrice ?? null;
    sku.weightGrams = data.weightGrams ?? 0;
    sku.heightMm = data.heightMm ?? null;
    sku.widthMm = data.widthMm ?? null;
    sku.lengthMm = data.lengthMm ?? null;
    if (row.stock !== undefined) sku.stock = row.stock;
    if (data.images && !sameImages(data.images, sku.images)) sku.images = data.images;
    sku.active = true;
    sku.position = position;
  });
  // SKUs left out are deactivated, not deleted: orders may point at them.
  for (const gone of left) gone.active = false;
  product.minPriceCents = Math.min(...rows.map((r) => r.data.price));

  if (!current) return 'created';
  return created.length || before !== catalogFingerprint(product, currentSkus) ? 'updated' : 'unchanged';
}
