import DataLoader from 'dataloader';
import { loader, type Context } from '../../shared/runtime/index.js';
import { User } from './auth.entity.js';

/** A seller's users (few per seller), for Seller.users. */
export const usersBySellerId = (ctx: Context) =>
  loader(ctx, 'auth.usersBySeller', () =>
    new DataLoader<string, User[]>(async (ids) => {
      const rows = await ctx.em.find(User, { seller: { $in: [...ids] } }, { orderBy: { createdAt: 'asc', id: 'asc' } });
      return ids.map((id) => rows.filter((u) => u.seller?.id === id));
    }),
  );
