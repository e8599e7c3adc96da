import { Arg, Ctx, FieldResolver, Mutation, Resolver, Root } from 'type-graphql';
import type { Context } from '../../shared/runtime/index.js';
import { runMutation } from '../../shared/errors/index.js';
import { money } from '../../shared/money/index.js';
import { OrderStatus, OrderType, type Order } from '../orders/index.js';
import type { OrderInvoice, OrderShipment, TrackingEvent } from './fulfilment.entity.js';
import { invoiceByOrderId, shipmentByOrderId, trackingByOrderId } from './fulfilment.loaders.js';
import { invoiceOrder } from './invoice.service.js';
import { addTrackingEvent, markDelivered, shipOrder } from './shipment.service.js';
import { applyFulfilmentRows, rowsFromFulfilmentCsv, type FulfilmentRowResult } from './bulk.service.js';
import {
  AddTrackingEventInput,
  AddTrackingEventPayload,
  FulfilOrdersInput,
  FulfilOrdersPayload,
  ImportFulfilmentInput,
  InvoiceOrderInput,
  InvoiceOrderPayload,
  MarkDeliveredInput,
  MarkDeliveredPayload,
  OrderInvoiceType,
  OrderShipmentType,
  ShipOrderInput,
  ShipOrderPayload,
  TrackingEventType,
} from './fulfilment.types.js';

const invoiceView = (i: OrderInvoice, order: Order): OrderInvoiceType => ({
  number: i.number,
  series: i.series,
  issuedAt: i.issuedAt,
  amount: money(i.amountCents, order.currency),
  amountReason: i.amountReason ?? null,
  accessKey: i.accessKey,
  xmlUrl: i.xmlUrl ?? null,
  pdfUrl: i.pdfUrl ?? null,
  cancelled: order.status === OrderStatus.CANCELLED,
});
const shipmentView = (s: OrderShipment, order: Order): OrderShipmentType => ({
  carrier: s.carrier,
  trackingCode: s.trackingCode,
  trackingUrl: s.trackingUrl ?? null,
  shippedAt: s.shippedAt,
  deliveredAt: order.deliveredAt ?? null,
  orderId: order.id,
});
const trackingView = (e: TrackingEvent): TrackingEventType => ({ status: e.status, description: e.description ?? null, location: e.location ?? null, occurredAt: e.occurredAt });
const bulkPayload = (results: FulfilmentRowResult[]) => ({
  results,
  appliedCount: results.filter((r) => r.ok).length,
  failedCount: results.filter((r) => !r.ok).length,
});

@Resolver()
export class FulfilmentResolver {
  @Mutation(() => InvoiceOrderPayload, { description: 'Records the order\'s NF-e: APPROVED → INVOICED. The same invoice sent again returns the first result; a different one is a CONFLICT.' })
  invoiceOrder(@Arg('input', () => InvoiceOrderInput, { description: 'The order and its NF-e data.' }) input: InvoiceOrderInput, @Ctx() ctx: Context) {
    return runMutation(ctx.em, async (em) => {
      const { order, invoice } = await invoiceOrder(ctx, em, input);
      return { order, invoice: invoiceView(invoice, order) };
    });
  }

  @Mutation(() => ShipOrderPayload, { description: 'The order leaves with a carrier: INVOICED → SHIPPED. The same shipment sent again returns the first result.' })
  shipOrder(@Arg('input', () => ShipOrderInput, { description: 'The order, carrier and tracking code.' }) input: ShipOrderInput, @Ctx() ctx: Context) {
    return runMutation(ctx.em, async (em) => {
      const { order, shipment } = await shipOrder(ctx, em, input);
      return { order, shipment: shipmentView(shipment, order) };
    });
  }

  @Mutation(() => AddTrackingEventPayload, { description: 'Adds a carrier event to a shipped order; a DELIVERED event delivers it. The same event twice is kept once.' })
  addTrackingEvent(@Arg('input', () => AddTrackingEventInput, { description: 'The order, the tracking status and the carrier\'s description.' }) input: AddTrackingEventInput, @Ctx() ctx: Context) {
    return runMutation(ctx.em, async (em) => {
      const { order, event } = await addTrackingEvent(ctx, em, input);
      return { order, trackingEvent: trackingView(event) };
    });
  }

  @Mutation(() => MarkDeliveredPayload, { description: 'The buyer received the order: SHIPPED → DELIVERED.' })
  markDelivered(@Arg('input', () => MarkDeliveredInput, { description: 'The order and, optionally, when it was delivered.' }) input: MarkDeliveredInput, @Ctx() ctx: Context) {
    return runMutation(ctx.em, (em) => markDelivered(ctx, em, input));
  }

  @Mutation(() => FulfilOrdersPayload, { description: 'Invoices, ships or delivers many orders in one call; each row is applied on its own and reported by position.' })
  fulfilOrders(@Arg('input', () => FulfilOrdersInput, { description: 'One row per order and action.' }) input: FulfilOrdersInput, @Ctx() ctx: Context) {
    const rows = input.rows.map((r, i) => ({ ...r, line: i + 1 }));
    return runMutation(ctx.em, async () => bulkPayload(await applyFulfilmentRows(ctx, rows)), { transaction: false });
  }

  @Mutation(() => FulfilOrdersPayload, { description: 'The same from a CSV file (columns in the input\'s description); each row is applied on its own and reported by line.' })
  importFulfilment(@Arg('input', () => ImportFulfilmentInput, { description: 'The CSV file\'s text.' }) input: ImportFulfilmentInput, @Ctx() ctx: Context) {
    return runMutation(ctx.em, async () => bulkPayload(await applyFulfilmentRows(ctx, rowsFromFulfilmentCsv(input.csv))), { transaction: false });
  }
}

/** The invoice and shipment of an order, for whoever may see the order. */
@Resolver(() => OrderType)
export class OrderFulfilmentResolver {
  @FieldResolver(() => OrderInvoiceType, { nullable: true, description: 'The order\'s NF-e, once invoiced.' })
  async invoice(@Root() order: Order, @Ctx() ctx: Context) {
    const invoice = await invoiceByOrderId(ctx).load(order.id);
    return invoice ? invoiceView(invoice, order) : null;
  }

  @FieldResolver(() => OrderShipmentType, { nullable: true, description: 'Carrier, tracking code and events, once shipped.' })
  async shipment(@Root() order: Order, @Ctx() ctx: Context) {
    const shipment = await shipmentByOrderId(ctx).load(order.id);
    return shipment ? shipmentView(shipment, order) : null;
  }
}

@Resolver(() => OrderShipmentType)
export class OrderShipmentResolver {
  @FieldResolver(() => [TrackingEventType], { description: 'The carrier\'s events, oldest first.' })
  async events(@Root() shipment: OrderShipmentType, @Ctx() ctx: Context) {
    return (await trackingByOrderId(ctx).load(shipment.orderId)).map(trackingView);
  }
}
