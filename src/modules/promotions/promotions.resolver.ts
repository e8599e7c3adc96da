import { Arg, Args, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { Context } from '../../shared/runtime/index.js';
import { runMutation } from '../../shared/errors/index.js';
import { Money, money } from '../../shared/money/index.js';
import { settingsLoader } from '../sellers/index.js';
import { PromotionKind, type Promotion } from './promotions.entity.js';
import { sellerShareOf } from './promotions.evaluate.js';
import * as promotions from './promotions.service.js';
import { CreatePromotionInput, PromotionChangesInput, PromotionConnection, PromotionListArgs, PromotionPayload, PromotionType } from './promotions.types.js';

const amount = async (ctx: Context, cents: number | null | undefined) =>
  cents == null ? null : money(cents, (await settingsLoader(ctx).load(1)).currency);

@Resolver(() => PromotionType)
export class PromotionResolver {
  @Query(() => PromotionConnection, { description: 'Promotions and coupons, newest first. Operator staff only.' })
  promotions(@Args(() => PromotionListArgs) args: PromotionListArgs, @Ctx() ctx: Context) {
    return promotions.listPromotions(ctx, args);
  }

  @Query(() => PromotionType, { nullable: true, description: 'Operator staff only.' })
  promotion(@Arg('id', () => ID, { description: 'Id of the promotion.' }) id: string, @Ctx() ctx: Context) {
    return promotions.findPromotion(ctx, id);
  }

  @FieldResolver(() => Int, { nullable: true, description: 'PERCENTAGE and PAYMENT_METHOD: the rate in basis points (1000 = 10%).' })
  basisPoints(@Root() p: Promotion) {
    return p.kind === PromotionKind.PERCENTAGE || p.kind === PromotionKind.PAYMENT_METHOD ? (p.value ?? null) : null;
  }

  @FieldResolver(() => Money, { nullable: true, description: 'FIXED: the amount off.' })
  amountOff(@Root() p: Promotion, @Ctx() ctx: Context) {
    return amount(ctx, p.kind === PromotionKind.FIXED ? p.value : null);
  }

  @FieldResolver(() => Money, { nullable: true, description: 'Cap of a percentage discount.' })
  maxDiscount(@Root() p: Promotion, @Ctx() ctx: Context) {
    return amount(ctx, p.maxDiscountCents);
  }

  @FieldResolver(() => Money, { nullable: true, description: '"Purchase above X": merchandise before vouchers and without freight must reach it.' })
  minMerchandise(@Root() p: Promotion, @Ctx() ctx: Context) {
    return amount(ctx, p.minMerchandiseCents);
  }

  @FieldResolver(() => Int, { description: "The seller's part of the cost in percent: 0 for OPERATOR, 100 for SELLER, 1–99 for SHARED." })
  sellerSharePercent(@Root() p: Promotion) {
    return sellerShareOf(p);
  }

  @Mutation(() => PromotionPayload, { description: 'Creates a promotion or coupon. Operator owners and admins only; sellers never create their own.' })
  createPromotion(@Arg('input', () => CreatePromotionInput, { description: 'The promotion; `kind` and `name` are required, `value` as the kind needs.' }) input: CreatePromotionInput, @Ctx() ctx: Context) {
    return runMutation(ctx.em, async (em) => ({ promotion: await promotions.createPromotion(ctx, em, input) }));
  }

  @Mutation(() => PromotionPayload, { description: 'Changes anything but the kind; usage so far is kept.' })
  updatePromotion(@Arg('id', () => ID, { description: 'Id of the promotion to change.' }) id: string, @Arg('input', () => PromotionChangesInput, { description: 'The fields to change; unset fields stay, null clears an optional one.' }) input: PromotionChangesInput, @Ctx() ctx: Context) {
    return runMutation(ctx.em, async (em) => ({ promotion: await promotions.updatePromotion(ctx, em, id, input) }));
  }

  @Mutation(() => PromotionPayload, { description: 'Switches a promotion on or off; an inactive one never applies.' })
  setPromotionActive(@Arg('id', () => ID, { description: 'Id of the promotion.' }) id: string, @Arg('active', () => Boolean, { description: 'True to switch it on, false to switch it off.' }) active: boolean, @Ctx() ctx: Context) {
    return runMutation(ctx.em, async (em) => ({ promotion: await promotions.setPromotionActive(ctx, em, id, active) }));
  }
}
