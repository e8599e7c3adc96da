import { Arg, Args, Ctx, FieldResolver, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { Context } from '../../shared/runtime/index.js';
import { runMutation } from '../../shared/errors/index.js';
import { Money, money } from '../../shared/money/index.js';
import { OrderType, type Order } from '../orders/index.js';
import { SellerType, sellerById } from '../sellers/index.js';
import type { Return } from './returns.entity.js';
import { historyByReturnId, linesByReturnId, orderById, returnsByOrderId } from './returns.loaders.js';
import { canSeeReturn, findReturn, listReturns } from './returns.service.js';
import { openReturn } from './open.service.js';
import { approveReturn, receiveReturn, rejectReturn, setReturnTracking } from './review.service.js';
import { refundReturn } from './refund.service.js';
import { exchangeReturn } from './exchange.service.js';
import {
  ApproveReturnInput,
  ExchangeReturnInput,
  OpenReturnInput,
  ReceiveReturnInput,
  RefundReturnInput,
  RejectReturnInput,
  ReturnConnection,
  ReturnLineType,
  ReturnListArgs,
  ReturnPayload,
  ReturnStatusChangeType,
  ReturnTrackingType,
  ReturnType,
  SetReturnTrackingInput,
} from './returns.types.js';

@Resolver(() => ReturnType)
export class ReturnResolver {
  @Query(() => ReturnType, { nullable: true, description: 'A return by its code, when the caller may see it (null otherwise).' })
  async return(@Arg('code', () => String, { description: 'The return\'s code, `[<concat>-]R<n>`.' }) code: string, @Ctx() ctx: Context) {
    return (await findReturn(ctx, ctx.em, code))?.ret ?? null;
  }

  @Query(() => ReturnConnection, { description: 'Operator staff: every return (or one seller\'s); seller users and integrations: their seller\'s; customers: those of their orders. Newest first.' })
  returns(@Args(() => ReturnListArgs) args: ReturnListArgs, @Ctx() ctx: Context) {
    return listReturns(ctx, args);
  }

  @Mutation(() => ReturnPayload, { description: 'Opens a return of a delivered order within the store\'s return window: its customer, whoever holds its signed link, its seller\'s owner and customer-service users, or operator staff.' })
  openReturn(@Arg('input', () => OpenReturnInput, { description: 'The order (code or signed link), the units and why.' }) input: OpenReturnInput, @Ctx() ctx: Context) {
    return runMutation(ctx.em, (em) => openReturn(ctx, em, input));
  }

  @Mutation(() => ReturnPayload, { description: 'The seller (owner, customer service, its integration) or operator staff accept a requested return.' })
  approveReturn(@Arg('input', () => ApproveReturnInput, { description: 'The return and an optional note.' }) input: ApproveReturnInput, @Ctx() ctx: Context) {
    return runMutation(ctx.em, (em) => approveReturn(ctx, em, input));
  }

  @Mutation(() => ReturnPayload, { description: 'The seller or operator staff refuse a requested return, saying why.' })
  rejectReturn(@Arg('input', () => RejectReturnInput, { description: 'The return and why it is refused.' }) input: RejectReturnInput, @Ctx() ctx: Context) {
    return runMutation(ctx.em, (em) => rejectReturn(ctx, em, input));
  }

  @Mutation(() => ReturnPayload, { description: 'Reverse-logistics tracking of an approved return. The same tracking again changes nothing.' })
  setReturnTracking(@Arg('input', () => SetReturnTrackingInput, { description: 'The return and its tracking.' }) input: SetReturnTrackingInput, @Ctx() ctx: Context) {
    return runMutation(ctx.em, (em) => setReturnTracking(ctx, em, input));
  }

  @Mutation(() => ReturnPayload, { description: 'The items of an approved return arrived: resellable units go back to stock.' })
  receiveReturn(@Arg('input', () => ReceiveReturnInput, { description: 'The return and the resellable units.' }) input: ReceiveReturnInput, @Ctx() ctx: Context) {
    return runMutation(ctx.em, (em) => receiveReturn(ctx, em, input));
  }

  @Mutation(() => ReturnPayload, { description: 'Refunds a received return: exactly the returned units\' frozen merchandise − discount share (and the freight share when operator staff say so), once.' })
  refundReturn(@Arg('input', () => RefundReturnInput, { description: 'The return, whether the freight goes back too, and the idempotency key.' }) input: RefundReturnInput, @Ctx() ctx: Context) {
    return runMutation(ctx.em, (em) => refundReturn(ctx, em, input));
  }

  @Mutation(() => ReturnPayload, { description: 'Ends a received return in an exchange: a replacement order of the same seller, no money moved; a cheaper replacement refunds the difference, a dearer one is refused.' })
  exchangeReturn(@Arg('input', () => ExchangeReturnInput, { description: 'The return, the replacement items and the idempotency key.' }) input: ExchangeReturnInput, @Ctx() ctx: Context) {
    return runMutation(ctx.em, (em) => exchangeReturn(ctx, em, input));
  }

  @FieldResolver(() => String, { description: 'The returned order\'s full code.' })
  async orderCode(@Root() r: Return, @Ctx() ctx: Context) {
    return (await orderById(ctx).load(r.order.id))!.code;
  }

  @FieldResolver(() => OrderType, { nullable: true, description: 'The returned order (as its own rules allow).' })
  order(@Root() r: Return, @Ctx() ctx: Context) {
    return orderById(ctx).load(r.order.id);
  }

  @FieldResolver(() => SellerType, { description: 'The order\'s seller, who takes the items back.' })
  seller(@Root() r: Return, @Ctx() ctx: Context) {
    return sellerById(ctx).load(r.seller.id);
  }

  @FieldResolver(() => [ReturnLineType], { description: 'The lines and units returned, in the order\'s line order.' })
  async lines(@Root() r: Return, @Ctx() ctx: Context): Promise<ReturnLineType[]> {
    const v = ctx.viewer;
    const raw = v.kind === 'INTEGRATION' && v.seller.id === r.seller.id;
    return (await linesByReturnId(ctx).load(r.id)).map(({ line, orderLine }) => ({
      position: line.position,
      skuCode: raw ? orderLine.skuSellerCode : orderLine.skuCode,
      productName: orderLine.productName,
      quantity: line.quantity,
      resellableQuantity: line.resellableQuantity ?? null,
    }));
  }

  @FieldResolver(() => [ReturnStatusChangeType], { description: 'Every change of the return, oldest first, from its opening.' })
  async history(@Root() r: Return, @Ctx() ctx: Context): Promise<ReturnStatusChangeType[]> {
    return (await historyByReturnId(ctx).load(r.id)).map((c) => ({
      from: c.fromStatus ?? null,
      to: c.toStatus,
      action: c.action as ReturnStatusChangeType['action'],
      actorKind: c.actorKind,
      actorLabel: c.actorLabel,
      actorRole: c.actorRole ?? null,
      actorUserId: c.actorUserId ?? null,
      actorIntegrationId: c.actorIntegrationId ?? null,
      note: c.note ?? null,
      at: c.at,
    }));
  }

  @FieldResolver(() => ReturnTrackingType, { nullable: true, description: 'Reverse-logistics tracking, once given.' })
  tracking(@Root() r: Return): ReturnTrackingType | null {
    return r.trackingCode ? { carrier: r.trackingCarrier ?? '', code: r.trackingCode, url: r.trackingUrl ?? null } : null;
  }

  @FieldResolver(() => Money, { description: 'Merchandise − discount given back (an exchange: the difference refunded).' })
  async refunded(@Root() r: Return, @Ctx() ctx: Context) {
    return money(r.refundedCents, (await orderById(ctx).load(r.order.id))!.currency);
  }

  @FieldResolver(() => Money, { description: 'Freight given back by operator decision.' })
  async freightRefunded(@Root() r: Return, @Ctx() ctx: Context) {
    return money(r.freightRefundedCents, (await orderById(ctx).load(r.order.id))!.currency);
  }

  @FieldResolver(() => OrderType, { nullable: true, description: 'An exchange\'s replacement order (as its own rules allow).' })
  replacementOrder(@Root() r: Return, @Ctx() ctx: Context) {
    return r.replacementOrderId ? orderById(ctx).load(r.replacementOrderId) : null;
  }
}

@Resolver(() => OrderType)
export class OrderReturnsResolver {
  @FieldResolver(() => [ReturnType], { description: 'The order\'s returns, newest first.' })
  async returns(@Root() o: Order, @Ctx() ctx: Context) {
    return canSeeReturn(ctx, o) ? returnsByOrderId(ctx).load(o.id) : [];
  }
}
