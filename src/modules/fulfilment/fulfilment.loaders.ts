import DataLoader from 'dataloader';
import { loader, type Context } from '../../shared/runtime/index.js';
import { OrderInvoice, OrderShipment, TrackingEvent } from './fulfilment.entity.js';

/** One query per request for however many orders ask (an order list with invoices). */
export const invoiceByOrderId = (ctx: Context) =>
  loader(ctx, 'fulfilment.invoice', () =>
    new DataLoader<string, OrderInvoice | null>(async (ids) => {
      const rows = await ctx.em.find(OrderInvoice, { order: { $in: [...ids] } });
      const byOrder = new Map(rows.map((r) => [r.order.id, r]));
      return ids.map((id) => byOrder.get(id) ?? null);
    }),
  );

export const shipmentByOrderId = (ctx: Context) =>
  loader(ctx, 'fulfilment.shipment', () =>
    new DataLoader<string, OrderShipment | null>(async (ids) => {
      const rows = await ctx.em.find(OrderShipment, { order: { $in: [...ids] } });
      const byOrder = new Map(rows.map((r) => [r.order.id, r]));
      return ids.map((id) => byOrder.get(id) ?? null);
    }),
  );

export const trackingByOrderId = (ctx: Context) =>
  loader(ctx, 'fulfilment.tracking', () =>
    new DataLoader<string, TrackingEvent[]>(async (ids) => {
      const rows = await ctx.em.find(TrackingEvent, { order: { $in: [...ids] } }, { orderBy: { occurredAt: 'asc', createdAt: 'asc' } });
      return ids.map((id) => rows.filter((r) => r.order.id === id));
    }),
  );
