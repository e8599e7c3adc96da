import { Arg, Args, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { Context } from '../../shared/runtime/index.js';
import { runMutation } from '../../shared/errors/index.js';
import { money } from '../../shared/money/index.js';
import { ConnectionArgs, connectionFromArray } from '../../shared/pagination/index.js';
import { sellerById, SellerType } from '../sellers/index.js';
import { findPayout, listPayouts, runPayoutsPage } from './listings.service.js';
import { confirmPayout, failPayout, refreshPayoutByOperator, runPayoutsByOperator } from './operations.service.js';
import type { Payout, PayoutRun } from './payouts.entity.js';
import { itemsByPayoutId } from './payouts.loaders.js';
import {
  ConfirmPayoutInput,
  FailPayoutInput,
  PayoutConnection,
  PayoutDestinationType,
  PayoutItemConnection,
  PayoutListArgs,
  PayoutPayload,
  PayoutRunType,
  PayoutType,
  RefreshPayoutInput,
  RunPayoutsInput,
  RunPayoutsPayload,
} from './payouts.types.js';
import { Money } from '../../shared/money/index.js';

@Resolver(() => PayoutType)
export class PayoutResolver {
  @Query(() => PayoutConnection, { description: "Payouts, oldest first: a seller's owner/finance users and integration read their own; operator staff any seller's." })
  payouts(@Args(() => PayoutListArgs) args: PayoutListArgs, @Ctx() ctx: Context) {
    return listPayouts(ctx, args, args);
  }

  @Query(() => PayoutType, { nullable: true, description: "One payout; null when no payout has this id or it is another seller's." })
  payout(@Arg('id', () => ID, { description: 'The payout id.' }) id: string, @Ctx() ctx: Context) {
    return findPayout(ctx, id);
  }

  @Mutation(() => RunPayoutsPayload, {
    description:
      "Pays every guest seller its receivables available up to periodEnd minus its debits: one payout per seller and period end. The same key returns the same run; two runs at once pay each receivable once. Operator owners and admins.",
  })
  runPayouts(@Arg('input', () => RunPayoutsInput, { description: 'The period end to pay up to and an idempotency key.' }) input: RunPayoutsInput, @Ctx() ctx: Context) {
    return runMutation(ctx.em, async () => ({ run: await runPayoutsByOperator(ctx, input) }), { transaction: false });
  }

  @Mutation(() => PayoutPayload, { description: 'Confirms a manual payout with its Pix end-to-end id or bank reference: PROCESSING → PAID. Operator owners and admins.' })
  confirmPayout(@Arg('input', () => ConfirmPayoutInput, { description: 'The PROCESSING payout and the transfer\'s reference (Pix end-to-end id or bank reference).' }) input: ConfirmPayoutInput, @Ctx() ctx: Context) {
    return runMutation(ctx.em, async (em) => ({ payout: await confirmPayout(ctx, em, input) }));
  }

  @Mutation(() => PayoutPayload, { description: "Records that a payout's transfer failed: its amount returns to the seller's available balance with the reason. Operator owners and admins." })
  failPayout(@Arg('input', () => FailPayoutInput, { description: 'The PROCESSING payout and why its transfer failed.' }) input: FailPayoutInput, @Ctx() ctx: Context) {
    return runMutation(ctx.em, async (em) => ({ payout: await failPayout(ctx, em, input) }));
  }

  @Mutation(() => PayoutPayload, { description: 'Asks the transfer provider about a payout now (the payout job also does it). Operator owners and admins.' })
  refreshPayout(@Arg('input', () => RefreshPayoutInput, { description: 'The PROCESSING payout to ask about.' }) input: RefreshPayoutInput, @Ctx() ctx: Context) {
    return runMutation(ctx.em, async () => ({ payout: await refreshPayoutByOperator(ctx, input) }), { transaction: false });
  }

  @FieldResolver(() => ID, { description: 'The seller paid.' })
  sellerId(@Root() p: Payout) {
    return p.seller.id;
  }

  @FieldResolver(() => SellerType, { description: 'The seller paid.' })
  seller(@Root() p: Payout, @Ctx() ctx: Context) {
    return sellerById(ctx).load(p.seller.id);
  }

  @FieldResolver(() => Money, { description: 'What is transferred; for CARRIED_FORWARD, the non-positive result that was not paid.' })
  amount(@Root() p: Payout) {
    return money(p.amountCents, p.currency);
  }

  @FieldResolver(() => PayoutItemConnection, { description: 'The receivables it paid or took debits from.' })
  async items(@Root() p: Payout, @Args(() => ConnectionArgs) args: ConnectionArgs, @Ctx() ctx: Context) {
    const items = await itemsByPayoutId(ctx).load(p.id);
    return connectionFromArray(
      items.map((i) => ({ ...i, amount: money(i.amount, p.currency) })),
      args,
    );
  }

  @FieldResolver(() => PayoutDestinationType, { nullable: true, description: "Where the transfer went (the seller's bank data then). Seller owners/finance and operator owners/admins." })
  destination(@Root() p: Payout) {
    return p.destination ? { ...p.destination, sellerId: p.seller.id } : null;
  }
}

@Resolver(() => PayoutRunType)
export class PayoutRunResolver {
  @FieldResolver(() => PayoutConnection, { description: 'The payouts this run made, oldest first.' })
  payouts(@Root() run: PayoutRun, @Args(() => ConnectionArgs) args: ConnectionArgs, @Ctx() ctx: Context) {
    return runPayoutsPage(ctx, run, args);
  }
}
