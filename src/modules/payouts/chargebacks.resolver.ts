import { Args, Arg, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { Context } from '../../shared/runtime/index.js';
import { runMutation } from '../../shared/errors/index.js';
import { money, Money } from '../../shared/money/index.js';
import { sellerById, SellerType } from '../sellers/index.js';
import { createAdjustment, listAdjustments } from './adjustments.service.js';
import type { Chargeback } from './chargebacks.entity.js';
import { listChargebacks, recordChargeback, reverseChargeback } from './operations.service.js';
import { sharesByChargebackId } from './payouts.loaders.js';
import type { SellerAdjustment } from './receivables.entity.js';
import {
  ChargebackConnection,
  ChargebackListArgs,
  ChargebackPayload,
  ChargebackShareType,
  ChargebackType,
  CreateSellerAdjustmentInput,
  RecordChargebackInput,
  ReverseChargebackInput,
  SellerAdjustmentConnection,
  SellerAdjustmentListArgs,
  SellerAdjustmentPayload,
  SellerAdjustmentType,
} from './chargebacks.types.js';

@Resolver(() => ChargebackType)
export class ChargebackResolver {
  @Query(() => ChargebackConnection, { description: 'Chargebacks, oldest first. Operator staff (sellers see theirs in their statement).' })
  chargebacks(@Args(() => ChargebackListArgs) args: ChargebackListArgs, @Ctx() ctx: Context) {
    return listChargebacks(ctx, args, args);
  }

  @Mutation(() => ChargebackPayload, { description: 'Enters a chargeback the acquirer reported: split over the orders the part paid and debited to whoever the store rule says bears it. Operator owners and admins.' })
  recordChargeback(@Arg('input', () => RecordChargebackInput, { description: 'The cart, the payment part charged back, the amount, the reason and an idempotency key.' }) input: RecordChargebackInput, @Ctx() ctx: Context) {
    return runMutation(ctx.em, async (em) => ({ chargeback: await recordChargeback(ctx, em, input) }));
  }

  @Mutation(() => ChargebackPayload, { description: 'A won dispute: the chargeback is credited back to whoever bore it. Operator owners and admins.' })
  reverseChargeback(@Arg('input', () => ReverseChargebackInput, { description: 'The cart and payment part whose chargeback was won, and why.' }) input: ReverseChargebackInput, @Ctx() ctx: Context) {
    return runMutation(ctx.em, async (em) => ({ chargeback: await reverseChargeback(ctx, em, input) }));
  }

  @FieldResolver(() => Money, { description: 'What the issuer took.' })
  amount(@Root() c: Chargeback) {
    return money(c.amountCents, c.currency);
  }

  @FieldResolver(() => [ChargebackShareType], { description: "Each order's share (one per order of the cart with a share)." })
  async shares(@Root() c: Chargeback, @Ctx() ctx: Context) {
    return (await sharesByChargebackId(ctx).load(c.id)).map((s) => ({ ...s, amount: money(s.amount, c.currency) }));
  }
}

@Resolver(() => SellerAdjustmentType)
export class SellerAdjustmentResolver {
  @Query(() => SellerAdjustmentConnection, { description: "Credits and debits posted by operator staff, oldest first: sellers read their own; operator staff any seller's." })
  sellerAdjustments(@Args(() => SellerAdjustmentListArgs) args: SellerAdjustmentListArgs, @Ctx() ctx: Context) {
    return listAdjustments(ctx, args.sellerId, args);
  }

  @Mutation(() => SellerAdjustmentPayload, { description: 'Credits (positive) or debits (negative) a seller with a reason: a ledger ADJUSTMENT entry, settled on the next payout. Operator owners and admins.' })
  createSellerAdjustment(@Arg('input', () => CreateSellerAdjustmentInput, { description: 'The seller, the signed amount in centavos, the reason and an idempotency key.' }) input: CreateSellerAdjustmentInput, @Ctx() ctx: Context) {
    return runMutation(ctx.em, async (em) => ({ adjustment: await createAdjustment(ctx, em, input) }));
  }

  @FieldResolver(() => ID, { description: 'Id of the seller credited or debited.' })
  sellerId(@Root() a: SellerAdjustment) {
    return a.seller.id;
  }

  @FieldResolver(() => SellerType, { description: 'The seller credited or debited.' })
  seller(@Root() a: SellerAdjustment, @Ctx() ctx: Context) {
    return sellerById(ctx).load(a.seller.id);
  }

  @FieldResolver(() => Money, { description: 'Positive: a credit to the seller; negative: a debit.' })
  amount(@Root() a: SellerAdjustment) {
    return money(a.amountCents, a.currency);
  }
}
