import type { EntityManager } from '@mikro-orm/postgresql';

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
