import { LockMode } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Context } from '../../shared/runtime/index.js';
import { assertMay } from '../../shared/access/index.js';
import { AppError, ErrorCode, Validation } from '../../shared/errors/index.js';
import { Seller } from '../sellers/index.js';
import { Tag } from './attributes.entity.js';
import { Product, ProductStatus, type ProductImage } from './catalog.entity.js';
import { imageKey, sameImages } from './import.shared.js';
import { isId } from '../../shared/db/ids.js';
import { checkImages } from './products.service.js';
import { CATALOG_ACCESS } from './catalog.access.js';
import { assertCatalogEditable, catalogIntegrationsOf } from '../integrations/index.js';

export const MAX_BULK_PRODUCTS = 1000;

export interface BulkUpdateData {
  productIds: string[];
  setStatus?: ProductStatus | null;
  addTagIds?: string[] | null;
  removeTagIds?: string[] | null;
  addImages?: ProductImage[] | null;
  replaceImages?: ProductImage[] | null;
}

/**
 * Operator staff's bulk actions across sellers, in one transaction. The input as a whole is
 * checked first (a bad tag id or URL refuses everything); then each product found is updated
 * and each id that is not (or whose catalog an integration manages, as archiveProduct
 * refuses too) is reported on its own without stopping the rest.
 *
 * PUBLISHED here is the operator's decision, so it is an approval: products waiting for
 * review publish at once and lose any rejection reason, as approveProduct does.
 */
export async function bulkUpdateProducts(ctx: Context, em: EntityManager, input: BulkUpdateData) {
  assertMay(ctx.viewer, CATALOG_ACCESS.bulkUpdateProducts);
  const ids = [...new Set(input.productIds)];
  const add = [...new Set(input.addTagIds ?? [])];
  const remove = [...new Set(input.removeTagIds ?? [])];
  const v = new Validation();
  v.check(ids.length > 0, 'Give at least one product id.', ['input', 'productIds']);
  v.check(ids.length <= MAX_BULK_PRODUCTS, `At most ${MAX_BULK_PRODUCTS} products per call (got ${ids.length}).`, ['input', 'productIds']);
  v.check(
    input.setStatus != null || add.length > 0 || remove.length > 0 || input.addImages != null || input.replaceImages != null,
    'Say what to change: setStatus, addTagIds, removeTagIds, addImages or replaceImages.',
    ['input'],
  );
  if (input.setStatus != null) {
    v.check(input.setStatus !== ProductStatus.PENDING_REVIEW, 'Set DRAFT, PUBLISHED or ARCHIVED; review is what sellers ask for.', ['input', 'setStatus']);
  }
  v.check(!(input.addImages && input.replaceImages), 'Either add images or replace them, not both.', ['input', 'replaceImages']);
  checkImages(v, input.addImages, ['input', 'addImages']);
  checkImages(v, input.replaceImages, ['input', 'replaceImages']);
  (input.removeTagIds ?? []).forEach((id, i) => v.check(!add.includes(id), 'A tag cannot be added and removed at once.', ['input', 'removeTagIds', String(i)]));
  const tagIds = [...add, ...remove].filter((id) => isId(id));
  const tags = new Map((tagIds.length ? await em.find(Tag, { id: { $in: tagIds } }) : []).map((t) => [t.id, t]));
  for (const [key, list] of [['addTagIds', input.addTagIds ?? []], ['removeTagIds', input.removeTagIds ?? []]] as const) {
    list.forEach((id, i) => v.check(tags.has(id), `No tag has the id ${id}.`, ['input', key, String(i)], ErrorCode.NOT_FOUND));
  }
  v.throwIfAny();

  const valid = ids.filter((id) => isId(id));
  const products = valid.length
    ? await em.find(Product, { id: { $in: valid } }, { lockMode: LockMode.PESSIMISTIC_WRITE, orderBy: { id: 'asc' } })
    : [];
  if (add.length || remove.length) await em.populate(products, ['tags']);
  const found = new Map(products.map((p) => [p.id, p]));

  // The catalog-managed rule, once per seller involved.
  const refused = new Map<string, string>();
  const sellerIds = [...new Set(products.map((p) => p.seller.id))];
  const managedIds = [...(await catalogIntegrationsOf(em, sellerIds)).keys()];
  const managed = managedIds.length ? await em.find(Seller, { id: { $in: managedIds } }) : [];
  for (const seller of managed) {
    try {
      await assertCatalogEditable(ctx, em, seller);
    } catch (err) {
      if (!(err instanceof AppError)) throw err;
      refused.set(seller.id, err.message);
    }
  }

  const errors: { productId: string; code: ErrorCode; message: string }[] = [];
  let updatedCount = 0;
  for (const id of ids) {
    const product = found.get(id);
    if (!product) {
      errors.push({ productId: id, code: ErrorCode.NOT_FOUND, message: 'No product has this id.' });
      continue;
    }
    const managedBy = refused.get(product.seller.id);
    if (managedBy) {
      errors.push({ productId: id, code: ErrorCode.CATALOG_MANAGED_BY_INTEGRATION, message: managedBy });
      continue;
    }
    const before = snapshot(product);
    if (input.setStatus === ProductStatus.PUBLISHED) {
      if (product.status !== ProductStatus.PUBLISHED) {
        product.status = ProductStatus.PUBLISHED;
        product.publishedAt ??= new Date();
        product.rejectionReason = null;
      }
    } else if (input.setStatus != null) {
      product.status = input.setStatus;
    }
    for (const tagId of add) product.tags.add(tags.get(tagId)!);
    for (const tagId of remove) product.tags.remove(tags.get(tagId)!);
    // Only when different: an equal array would still be written (stored JSON comes back with its keys reordered).
    if (input.replaceImages && !sameImages(input.replaceImages, product.images)) product.images = input.replaceImages.map((i) => ({ url: i.url, alt: i.alt ?? null }));
    if (input.addImages) {
      const has = new Set(product.images.map((i) => i.url));
      const extra = input.addImages.filter((i) => !has.has(i.url) && has.add(i.url));
      if (extra.length) product.images = [...product.images, ...extra.map((i) => ({ url: i.url, alt: i.alt ?? null }))];
    }
    if (snapshot(product) !== before) updatedCount += 1;
  }
  return { updatedCount, errors };
}

function snapshot(p: Product): string {
  return JSON.stringify([p.status, p.rejectionReason ?? null, p.tags.isInitialized() ? p.tags.getItems().map((t) => t.id).sort() : null, imageKey(p.images)]);
}
