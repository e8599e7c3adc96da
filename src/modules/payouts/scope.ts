import type { Context, Runtime } from '../../shared/runtime/index.js';
import { assertIdExists } from '../../shared/db/ids.js';
import { assertMay, type Access } from '../../shared/access/index.js';
import { badInput } from '../../shared/errors/index.js';
import { dateIn } from '../../shared/time/index.js';
import { Seller, getSettings, sellerFilter, type MarketplaceSettings } from '../sellers/index.js';

/**
 * The seller a payouts read is about. Access first (the role table), then scope: a seller's
 * users and integration get their own seller and FORBIDDEN for any other id, well-formed or
 * not; operator staff name one (NOT_FOUND for an id no seller has).
 */
export async function oneSeller(ctx: Context, access: Access, requested: string | null | undefined, field = 'sellerId'): Promise<string> {
  assertMay(ctx.viewer, access);
  const sellerId = sellerFilter(ctx.viewer, requested);
  if (!sellerId) throw badInput('Name the seller.', field);
  if (ctx.viewer.kind === 'OPERATOR') await assertIdExists(ctx.em, Seller, sellerId, [field], 'seller');
  return sellerId;
}

/** Like oneSeller, but operator staff may leave the seller out to read every seller's (null). */
export async function sellerOrAll(ctx: Context, access: Access, requested: string | null | undefined, field = 'sellerId'): Promise<string | null> {
  assertMay(ctx.viewer, access);
  const sellerId = sellerFilter(ctx.viewer, requested);
  if (sellerId && ctx.viewer.kind === 'OPERATOR') await assertIdExists(ctx.em, Seller, sellerId, [field], 'seller');
  return sellerId;
}

/** Today's date in the store's time zone. */
export function today(settings: Pick<MarketplaceSettings, 'timeZone'>, now: Date = new Date()): string {
  return dateIn(now, settings.timeZone);
}

export async function storeToday(ctx: Context): Promise<{ settings: MarketplaceSettings; today: string }> {
  const settings = await getSettings(ctx.em);
  return { settings, today: today(settings) };
}

/** The store settings, read in a fresh unit of work (for the jobs). */
export const storeSettingsOf = (runtime: Runtime) => getSettings(runtime.orm.em.fork());
