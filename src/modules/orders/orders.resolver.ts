import { ID, Arg, Args, Ctx, FieldResolver, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { Context } from '../../shared/runtime/index.js';
import { Money, money } from '../../shared/money/index.js';
import { runMutation } from '../../shared/errors/index.js';
import { SellerType, sellerById, maskDocument } from '../sellers/index.js';
import { Order, OrderLine } from './orders.entity.js';
import { historyByOrderId, linesByOrderId } from './orders.loaders.js';
import type { OrderStatusChange } from './order-history.entity.js';
import { findOrder, listOrders, orderByLink, ordersOfCart, requestCancellation } from './orders.service.js';
import { cancelOrderLines } from './line-cancellation.service.js';
import { editOrder } from './order-edit.service.js';
import { canSeeOrder } from './orders.service.js';
import { CancelOrderLinesInput, CancelOrderLinesPayload, EditOrderInput, EditOrderPayload } from './orders.types.js';
import { CancelOrderInput, CancelOrderPayload, OrderAddressType, OrderBuyerType, OrderConnection, OrderLineType, OrderListArgs, OrderShippingType, OrderStatusChangeType, OrderType } from './orders.types.js';

@Resolver(() => OrderType)
export class OrderResolver {
  @Query(() => OrderType, { nullable: true, description: 'An order by its code, when the caller may see it (null otherwise).' })
  order(@Arg('code', () => String, { description: 'The order\'s full code (with the concatenation code).' }) code: string, @Ctx() ctx: Context) {
    return findOrder(ctx, code);
  }

  @Query(() => OrderConnection, { description: 'Operator staff: every order (or one seller\'s); seller users and integrations: their seller\'s; customers: their own. Newest first.' })
  orders(@Args(() => OrderListArgs) args: OrderListArgs, @Ctx() ctx: Context) {
    return listOrders(ctx, args);
  }

  @Query(() => OrderType, {
    nullable: true,
    description: 'The order a signed link from one of its e-mails opens (for buyers without an account): its status, history and tracking. Null when the token is forged, expired or malformed.',
  })
  orderByLink(@Arg('token', () => String, { description: 'The `token` of the link the buyer received by e-mail.' }) token: string, @Ctx() ctx: Context) {
    return orderByLink(ctx, token);
  }

  @Query(() => [OrderType], { description: 'The orders a checked-out cart was split into, for the holder of the cart token.' })
  ordersOfCart(@Arg('cartToken', () => String, { description: 'The cart token the shopper checked out with.' }) cartToken: string, @Ctx() ctx: Context) {
    return ordersOfCart(ctx, cartToken);
  }

  @Mutation(() => CancelOrderPayload, { description: 'Cancels one order of a cart: its stock returns and exactly its total is refunded or voided.' })
  cancelOrder(@Arg('input', () => CancelOrderInput, { description: 'The order, an optional note and the idempotency key.' }) input: CancelOrderInput, @Ctx() ctx: Context) {
    return runMutation(ctx.em, (em) => requestCancellation(ctx, em, input));
  }

  @Mutation(() => CancelOrderLinesPayload, {
    description:
      'Item unavailable: the order\'s seller (owner, customer service, its integration) or operator staff cancel some units before shipping. Exactly those units\' frozen merchandise − discount share is refunded over the payment parts and their stock returns; the order keeps its freight and stays alive. Cancelling every unit left cancels the order (freight refunded too).',
  })
  cancelOrderLines(@Arg('input', () => CancelOrderLinesInput, { description: 'The order, the units and the idempotency key.' }) input: CancelOrderLinesInput, @Ctx() ctx: Context) {
    return runMutation(ctx.em, (em) => cancelOrderLines(ctx, em, input));
  }

  @Mutation(() => EditOrderPayload, {
    description:
      'Edits an order before shipping: units removed and lines of the order\'s own seller added (a swap is both). Untouched lines keep their frozen shares; added lines cost today\'s price with a discount share of 0. A lower total is refunded; a higher one is refused.',
  })
  editOrder(@Arg('input', () => EditOrderInput, { description: 'The order, what to remove and add, and the idempotency key.' }) input: EditOrderInput, @Ctx() ctx: Context) {
    return runMutation(ctx.em, (em) => editOrder(ctx, em, input));
  }

  @FieldResolver(() => OrderType, { nullable: true, description: 'For a replacement order of an exchange: the order whose returned items it replaces (null when the caller may not see it).' })
  async replacesOrder(@Root() o: Order, @Ctx() ctx: Context) {
    if (!o.replacesOrderId) return null;
    const original = await ctx.em.findOne(Order, o.replacesOrderId);
    return original && canSeeOrder(ctx, original) ? original : null;
  }

  @FieldResolver(() => SellerType, { description: 'Sold and delivered by.' })
  seller(@Root() o: Order, @Ctx() ctx: Context) {
    return sellerById(ctx).load(o.seller.id);
  }

  @FieldResolver(() => [OrderLineType], { description: 'The order\'s lines, by position.' })
  lines(@Root() o: Order, @Ctx() ctx: Context) {
    return linesByOrderId(ctx).load(o.id);
  }

  @FieldResolver(() => [OrderStatusChangeType], { description: 'Every change of the order\'s status, oldest first, from its creation at checkout.' })
  async history(@Root() o: Order, @Ctx() ctx: Context): Promise<OrderStatusChangeType[]> {
    return (await historyByOrderId(ctx).load(o.id)).map(toStatusChangeType);
  }

  @FieldResolver(() => OrderBuyerType, { description: 'Who bought, as given at checkout.' })
  buyer(@Root() o: Order): OrderBuyerType {
    return { name: o.buyerName, email: o.buyerEmail, document: o.buyerDocument, maskedDocument: maskDocument(o.buyerDocument), phone: o.buyerPhone };
  }

  @FieldResolver(() => OrderAddressType, { description: 'Where the order goes, frozen at checkout.' })
  shippingAddress(@Root() o: Order): OrderAddressType {
    return o.shippingAddress;
  }

  @FieldResolver(() => OrderShippingType, { description: 'The freight option chosen for the cart.' })
  shipping(@Root() o: Order): OrderShippingType {
    return { carrier: o.shippingCarrier, method: o.shippingMethod, days: o.shippingDays, source: o.shippingSource };
  }

  @FieldResolver(() => Money, { description: 'Σ lines\' quantity × unit price.' })
  merchandise(@Root() o: Order) {
    return money(o.merchandiseCents, o.currency);
  }

  @FieldResolver(() => Money, { description: 'Every discount on this order, frozen at checkout: its lines\' campaign discounts, its share of the cart\'s discounts (split by merchandise after campaign discounts) and its freight campaign discount.' })
  discountShare(@Root() o: Order) {
    return money(o.discountCents, o.currency);
  }

  @FieldResolver(() => Money, { description: 'The campaign line discounts of its lines (a part of discountShare).' })
  campaignDiscount(@Root() o: Order) {
    return money(o.campaignDiscountCents, o.currency);
  }

  @FieldResolver(() => Money, { description: "What the seller's freight campaign took off the freight (a part of discountShare, seller-funded): the buyer paid freightShare − this for freight; the operator's freight revenue is the whole freightShare." })
  freightDiscount(@Root() o: Order) {
    return money(o.freightDiscountCents, o.currency);
  }

  @FieldResolver(() => Money, { description: 'This order\'s share of the cart\'s freight (split by weight).' })
  freightShare(@Root() o: Order) {
    return money(o.freightCents, o.currency);
  }

  @FieldResolver(() => Money, { description: 'merchandise − discountShare + freightShare: what this order contributes to the cart\'s payment.' })
  total(@Root() o: Order) {
    return money(o.totalCents, o.currency);
  }

  @FieldResolver(() => Money, { description: 'Part of the discount share the seller funds (it lowers the commission base).' })
  sellerFundedDiscount(@Root() o: Order) {
    return money(o.sellerFundedDiscountCents, o.currency);
  }

  @FieldResolver(() => Money, { description: 'Commission frozen at checkout.' })
  commission(@Root() o: Order) {
    return money(o.commissionCents, o.currency);
  }

  @FieldResolver(() => Money, { description: 'What the seller receives for this order: commission base − commission.' })
  sellerReceivable(@Root() o: Order) {
    return money(o.sellerReceivableCents, o.currency);
  }
}

@Resolver(() => OrderLineType)
export class OrderLineResolver {
  @FieldResolver(() => String, { description: 'Displayed SKU code; an ERP integration reads its own raw code.' })
  skuCode(@Root() l: OrderLine, @Ctx() ctx: Context) {
    const v = ctx.viewer;
    return v.kind === 'INTEGRATION' && v.seller.id === l.order.unwrap().seller?.id ? l.skuSellerCode : l.skuCode;
  }

  @FieldResolver(() => Money, { description: 'Price of one unit, frozen at checkout (BRL centavos).' })
  unitPrice(@Root() l: OrderLine) {
    return money(l.unitPriceCents, currencyOf(l));
  }

  @FieldResolver(() => Money, { description: 'quantity × unitPrice (BRL centavos).' })
  merchandise(@Root() l: OrderLine) {
    return money(l.merchandiseCents, currencyOf(l));
  }

  @FieldResolver(() => Money, { description: 'Every discount on the line: its campaign discount, its share of the cart\'s discounts and of a freight campaign.' })
  discountShare(@Root() l: OrderLine) {
    return money(l.discountCents, currencyOf(l));
  }

  @FieldResolver(() => Money, { description: 'The campaign discount of the line, all units (a part of discountShare); 0 outside campaigns.' })
  campaignDiscount(@Root() l: OrderLine) {
    return money(l.campaignDiscountCents, currencyOf(l));
  }

  @FieldResolver(() => Money, { description: 'The campaign price of one unit: unitPrice (the list price) less the campaign discount per unit.' })
  campaignPrice(@Root() l: OrderLine) {
    return money(l.unitPriceCents - l.campaignDiscountCents / l.quantity, currencyOf(l));
  }

  @FieldResolver(() => ID, { nullable: true, description: 'The campaign that discounted the line; null outside campaigns.' })
  campaignId(@Root() l: OrderLine) {
    return l.campaignId ?? null;
  }

  @FieldResolver(() => Money, { description: 'This line\'s share of the order\'s freight, frozen at checkout (BRL centavos).' })
  freightShare(@Root() l: OrderLine) {
    return money(l.freightCents, currencyOf(l));
  }

  @FieldResolver(() => Money, { description: 'merchandise − discountShare + freightShare (BRL centavos).' })
  total(@Root() l: OrderLine) {
    return money(l.totalCents, currencyOf(l));
  }

  @FieldResolver(() => Money, { description: 'merchandise − seller-funded discount.' })
  commissionBase(@Root() l: OrderLine) {
    return money(l.commissionBaseCents, currencyOf(l));
  }

  @FieldResolver(() => Money, { description: 'Commission on this line, from the frozen rate (BRL centavos). Operator staff, the seller\'s owner/finance users and its integration only.' })
  commission(@Root() l: OrderLine) {
    return money(l.commissionCents, currencyOf(l));
  }

  @FieldResolver(() => Money, { description: 'What the seller receives for this line: commission base − commission (BRL centavos). Operator staff, the seller\'s owner/finance users and its integration only.' })
  sellerReceivable(@Root() l: OrderLine) {
    return money(l.sellerReceivableCents, currencyOf(l));
  }

  @FieldResolver(() => Money, { description: 'Merchandise − discount given back for this line so far (cancelled and returned units).' })
  refunded(@Root() l: OrderLine) {
    return money(l.refundedCents, currencyOf(l));
  }
}

/** A history row as GraphQL shows it; which fields a viewer may read is orders.rules.ts' business. */
function toStatusChangeType(c: OrderStatusChange): OrderStatusChangeType {
  return {
    id: c.id,
    from: c.fromStatus ?? null,
    to: c.toStatus,
    action: c.action,
    actorKind: c.actorKind,
    actorLabel: c.actorLabel,
    actorRole: c.actorRole ?? null,
    actorUserId: c.actorUserId ?? null,
    actorIntegrationId: c.actorIntegrationId ?? null,
    reason: c.reason ?? null,
    note: c.note ?? null,
    at: c.at,
  };
}

/** Lines are in their order's currency; the order is in this request's identity map (lines are reached through it). */
function currencyOf(l: OrderLine): string {
  return l.order.unwrap().currency ?? 'BRL';
}
