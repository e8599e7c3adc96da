import DataLoader from 'dataloader';
import { loader, type Context } from '../../shared/runtime/index.js';
import { Order, OrderLine } from '../orders/index.js';
import { Return, ReturnLine, ReturnStatusChange } from './returns.entity.js';

/** An order's returns, newest first; one query per page of orders. */
export const returnsByOrderId = (ctx: Context) =>
  loader(ctx, 'returns.byOrder', () =>
    new DataLoader<string, Return[]>(async (ids) => {
      const rows = await ctx.em.find(Return, { order: { $in: [...ids] } }, { orderBy: { createdAt: 'desc' } });
      return ids.map((id) => rows.filter((r) => r.order.id === id));
    }),
  );

/** A return's lines with their order lines (SKU code, product name). */
export const linesByReturnId = (ctx: Context) =>
  loader(ctx, 'returns.lines', () =>
    new DataLoader<string, { line: ReturnLine; orderLine: OrderLine }[]>(async (ids) => {
      const rows = await ctx.em.find(ReturnLine, { ret: { $in: [...ids] } }, { orderBy: { position: 'asc' } });
      const orderLines = rows.length ? await ctx.em.find(OrderLine, { id: { $in: rows.map((r) => r.orderLine.id) } }) : [];
      return ids.map((id) => rows.filter((r) => r.ret.id === id).map((line) => ({ line, orderLine: orderLines.find((o) => o.id === line.orderLine.id)! })));
    }),
  );

export const historyByReturnId = (ctx: Context) =>
  loader(ctx, 'returns.history', () =>
    new DataLoader<string, ReturnStatusChange[]>(async (ids) => {
      const rows = await ctx.em.find(ReturnStatusChange, { ret: { $in: [...ids] } }, { orderBy: { position: 'asc' } });
      return ids.map((id) => rows.filter((c) => c.ret.id === id));
    }),
  );

export const orderById = (ctx: Context) =>
  loader(ctx, 'returns.orderById', () =>
    new DataLoader<string, Order | null>(async (ids) => {
      const rows = await ctx.em.find(Order, { id: { $in: [...ids] } });
      return ids.map((id) => rows.find((o) => o.id === id) ?? null);
    }),
  );
