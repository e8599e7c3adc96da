import type { EntityManager } from '@mikro-orm/postgresql';
import { flushPendingOf } from '../../shared/db/together.js';
import type { MarketplaceSettings, Seller, SellerStatus } from '../sellers/index.js';
import { Sku, type Product, type ProductStatus } from './catalog.entity.js';

/**
 * Locks SKU rows whose stock is about to change, in primary-key order — the one order every
 * stock writer (checkout, cancellation) uses, so two of them can never deadlock.
 *
 * `for no key update`, not `for update`: the checkout transaction has already inserted order
 * lines that reference these SKUs, and those foreign keys hold `for key share` locks. Two
 * checkouts each holding key-share on a SKU and both asking `for update` would deadlock;
 * `for no key update` does not conflict with key-share, and it is exactly the lock PostgreSQL
 * takes for an update that leaves the key alone (the stock column).
 */
export async function lockSkusForStock(em: EntityManager, skuIds: readonly string[]): Promise<void> {
  if (!skuIds.length) return;
  const sorted = [...new Set(skuIds)].sort();
  await em.execute(`select "id" from "sku" where "id" in (${sorted.map(() => '?').join(', ')}) order by "id" for no key update`, sorted);
}

/** A SKU locked for a sale, with what the "on sale" rule (saleProblem) asks of it, read under the lock. */
export interface LockedSku {
  /** The managed entity, refreshed from the locked row: change its stock and flush. */
  sku: Sku;
  product: Pick<Product, 'status'>;
  seller: Pick<Seller, 'status' | 'isAdmin'>;
  settings: Pick<MarketplaceSettings, 'usesMarketplace'>;
}

/**
 * lockSkusForStock for a sale, in one statement: locks the SKU rows (only them: a joined
 * `for update` would lock every product and seller row of the cart too, and all checkouts of
 * one seller would queue on it), reads them afresh into `em`, and reads under the same
 * snapshot what saleProblem needs of their products, sellers and the marketplace switch.
 * SKUs that no longer exist are missing from the map.
 */
export async function lockSkusForSale(em: EntityManager, skuIds: readonly string[]): Promise<Map<string, LockedSku>> {
  const sorted = [...new Set(skuIds)].sort();
  if (!sorted.length) return new Map();
  await flushPendingOf(em, Sku);
  const rows = await em.execute<(Record<string, unknown> & { _product_status: ProductStatus; _seller_status: SellerStatus; _seller_is_admin: boolean; _uses_marketplace: boolean })[]>(
    `select k.*, p.status as _product_status, s.status as _seller_status, s.is_admin as _seller_is_admin, ms.uses_marketplace as _uses_marketplace
       from sku k join product p on p.id = k.product_id join seller s on s.id = k.seller_id cross join marketplace_settings ms
      where ms.id = 1 and k.id in (${sorted.map(() => '?').join(', ')})
      order by k.id for no key update of k`,
    sorted,
  );
  const out = new Map<string, LockedSku>();
  for (const { _product_status, _seller_status, _seller_is_admin, _uses_marketplace, ...columns } of rows) {
    const sku = em.map(Sku, columns);
    out.set(sku.id, { sku, product: { status: _product_status }, seller: { status: _seller_status, isAdmin: _seller_is_admin }, settings: { usesMarketplace: _uses_marketplace } });
  }
  return out;
}
