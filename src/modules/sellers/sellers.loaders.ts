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

/** The store settings row, read once per request. */
export const settingsLoader = (ctx: Context) =>
  loader(ctx, 'sellers.settings', () => new DataLoader<1, MarketplaceSettings>(async (keys) => {
    const row = await getSettings(ctx.em);
    return keys.map(() => row);
  }));
