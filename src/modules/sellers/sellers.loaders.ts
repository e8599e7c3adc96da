import DataLoader from 'dataloader';
import { loader, type Context } from '../../app/context.js';
import { User } from '../auth/auth.entity.js';
import { Integration } from '../integrations/integrations.entity.js';
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

/** A seller's users (few per seller), for Seller.users. */
export const usersBySellerId = (ctx: Context) =>
  loader(ctx, 'sellers.users', () =>
    new DataLoader<string, User[]>(async (ids) => {
      const rows = await ctx.em.find(User, { seller: { $in: [...ids] } }, { orderBy: { createdAt: 'asc', id: 'asc' } });
      return ids.map((id) => rows.filter((u) => u.seller?.id === id));
    }),
  );

/** The store settings row, read once per request. */
export const settingsLoader = (ctx: Context) =>
  loader(ctx, 'sellers.settings', () => new DataLoader<1, MarketplaceSettings>(async (keys) => {
    const row = await getSettings(ctx.em);
    return keys.map(() => row);
  }));

export const integrationById = (ctx: Context) =>
  loader(ctx, 'sellers.integration', () =>
    new DataLoader<string, Integration | null>(async (ids) => {
      const rows = await ctx.em.find(Integration, { id: { $in: [...ids] } });
      return ids.map((id) => rows.find((r) => r.id === id) ?? null);
    }),
  );
