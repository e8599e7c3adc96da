import DataLoader from 'dataloader';
import { loader, type Context } from '../../shared/runtime/index.js';
import { Order, OrderLine } from './orders.entity.js';
import { OrderStatusChange } from './order-history.entity.js';

/** An order's lines in position order; one query per page of orders. */
export const linesByOrderId = (ctx: Context) =>
  loader(ctx, 'orders.lines', () =>
    new DataLoader<string, OrderLine[]>(async (ids) => {
      const rows = await ctx.em.find(OrderLine, { order: { $in: [...ids] } }, { orderBy: { position: 'asc' } });
      return ids.map((id) => rows.filter((l) => l.order.id === id));
    }),
  );

export const ordersByCartNumber = (ctx: Context) =>
  loader(ctx, 'orders.byCartNumber', () =>
    new DataLoader<string, Order[]>(async (numbers) => {
      const rows = await ctx.em.find(Order, { cartNumber: { $in: [...numbers] } }, { orderBy: { position: 'asc' } });
      return numbers.map((n) => rows.filter((o) => o.cartNumber === n));
    }),
  );

/** An order's status history, oldest first; one query per page of orders. */
export const historyByOrderId = (ctx: Context) =>
  loader(ctx, 'orders.history', () =>
    new DataLoader<string, OrderStatusChange[]>(async (ids) => {
      const rows = await ctx.em.find(OrderStatusChange, { order: { $in: [...ids] } }, { orderBy: { order: 'asc', position: 'asc' } });
      return ids.map((id) => rows.filter((c) => c.order.id === id));
    }),
  );
