import DataLoader from 'dataloader';
import { loader, type Context } from '../../shared/runtime/index.js';
import { Seller, type MarketplaceSettings } from './sellers.entity.js';
import { getSettings } from './sellers.service.js';

/** Sellers by id, one query per request for however many parents ask. */
export const sellerById = (ctx: Context) =>
  loader(ctx, 'sellers.byId', () =>
    new DataLoader<string, Seller | null>(async (ids) => {
      const rows = await ctx.em.find(Seller, { id: { $in: [...ids] } });
      const byId = new Map(rows.map((s) => [s.id, s]));
      return ids.map((id) => byId.get(id) ?? null);
    }),
  );

const LOADED_SETTINGS = 'sellers.settings:loaded';

/** The store settings row, read once per request. */
export const settingsLoader = (ctx: Context) =>
  loader(ctx, 'sellers.settings', () => new DataLoader<1, MarketplaceSettings>(async (keys) => {
    const row = await getSettings(ctx.em);
    ctx.loaders.set(LOADED_SETTINGS, row);
    return keys.map(() => row);
  }));

/** Hands the request the settings a statement read along with its rows (a catalog page carries them). */
export function primeSettings(ctx: Context, settings: MarketplaceSettings): void {
  settingsLoader(ctx).prime(1, settings);
  ctx.loaders.set(LOADED_SETTINGS, settings);
}

/**
 * The request's settings when it has them already, else undefined: per-row fields (a price's
 * currency, a hundred of them on a listing) answer at once instead of awaiting the loader each.
 */
export const loadedSettings = (ctx: Context): MarketplaceSettings | undefined => ctx.loaders.get(LOADED_SETTINGS) as MarketplaceSettings | undefined;
