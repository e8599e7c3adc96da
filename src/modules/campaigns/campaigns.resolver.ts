import { Arg, Args, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { Context } from '../../shared/runtime/index.js';
import { runMutation } from '../../shared/errors/index.js';
import { money } from '../../shared/money/index.js';
import { nowOf } from '../../shared/time/index.js';
import { settingsLoader } from '../sellers/index.js';
import { ConnectionArgs } from '../../shared/pagination/index.js';
import type { Campaign, CampaignSku } from './campaigns.entity.js';
import { CampaignKind } from './campaigns.entity.js';
import { unitDiscountOf } from './campaigns.offers.js';
import * as campaigns from './campaigns.service.js';
import { CampaignChangesInput, CampaignConnection, CampaignListArgs, CampaignParticipationPayload, CampaignPayload, CampaignSkuType, CampaignType, CreateCampaignInput, JoinCampaignInput } from './campaigns.types.js';
import { CampaignStatus } from './campaigns.service.js';

async function skuViews(ctx: Context, campaign: Campaign, rows: CampaignSku[]): Promise<CampaignSkuType[]> {
  const currency = (await settingsLoader(ctx).load(1)).currency;
  return rows.map((r) => {
    const sku = r.sku.getEntity();
    const off = campaign.kind === CampaignKind.FREIGHT ? 0 : unitDiscountOf({ discountType: campaign.discountType, discount: r.discount }, sku.priceCents);
    const viewerIsIntegration = ctx.viewer.kind === 'INTEGRATION';
    return { skuCode: viewerIsIntegration ? sku.sellerCode : sku.code, discount: r.discount, listPrice: money(sku.priceCents, currency), campaignPrice: money(sku.priceCents - off, currency) };
  });
}

@Resolver(() => CampaignType)
export class CampaignResolver {
  @Query(() => CampaignConnection, { description: 'Every campaign, newest first, optionally in one phase. Operator staff only.' })
  campaigns(@Args(() => CampaignListArgs) args: CampaignListArgs, @Ctx() ctx: Context) {
    return campaigns.listCampaigns(ctx, args);
  }

  @Query(() => CampaignType, { nullable: true, description: 'One campaign, drafts included. Operator staff only.' })
  campaign(@Arg('id', () => ID, { description: "The campaign's id (unknown or not visible to the caller: null)." }) id: string, @Ctx() ctx: Context) {
    return campaigns.findCampaign(ctx, id);
  }

  @Query(() => CampaignConnection, {
    description: "Seller portal: the campaigns a seller may join now (OPEN and inviting it) and the running ones it joined, soonest first. Seller owner/catalog users and integrations see their own seller's; operator staff name one (`seller`).",
  })
  sellerCampaigns(
    @Arg('seller', () => ID, { nullable: true, description: 'Operator staff: the seller to look at. Others may leave it out; another seller is FORBIDDEN.' }) seller: string | null,
    @Args(() => ConnectionArgs) args: ConnectionArgs,
    @Ctx() ctx: Context,
  ) {
    return campaigns.campaignsForSeller(ctx, seller, args);
  }

  @FieldResolver(() => CampaignStatus, { description: 'The phase now: DRAFT, OPEN for joining, RUNNING or ENDED.' })
  status(@Root() c: Campaign, @Ctx() ctx: Context) {
    return campaigns.campaignStatus(c, nowOf(ctx.runtime));
  }

  @FieldResolver(() => [ID], { description: 'Guest sellers invited; empty: every guest seller. Operator staff only.' })
  sellerIds(@Root() c: Campaign) {
    return c.sellerIds;
  }

  @FieldResolver(() => [CampaignSkuType], { description: "The viewer's seller's SKUs in this campaign (operator staff: the seller named by `seller`, else none)." })
  async mySkus(@Root() c: Campaign, @Arg('seller', () => ID, { nullable: true, description: 'Operator staff: which seller.' }) seller: string | null, @Ctx() ctx: Context) {
    if (ctx.viewer.kind === 'OPERATOR' && !seller) return [];
    return skuViews(ctx, c, await campaigns.participation(ctx, c.id, seller));
  }

  @Mutation(() => CampaignPayload, { description: 'Creates a campaign as a DRAFT. Operator owners and admins.' })
  createCampaign(@Arg('input', () => CreateCampaignInput, { description: 'The terms: kind, discount bounds, funding, period, invited sellers and categories, SKU cap.' }) input: CreateCampaignInput, @Ctx() ctx: Context) {
    return runMutation(ctx.em, async (em) => ({ campaign: await campaigns.createCampaign(ctx, em, input) }));
  }

  @Mutation(() => CampaignPayload, { description: 'Changes a DRAFT (anything but the kind); once open, terms are fixed (CONFLICT). Operator owners and admins.' })
  updateCampaign(@Arg('id', () => ID, { description: "The draft campaign's id." }) id: string, @Arg('input', () => CampaignChangesInput, { description: 'The terms to change; fields left out keep their value.' }) input: CampaignChangesInput, @Ctx() ctx: Context) {
    return runMutation(ctx.em, async (em) => ({ campaign: await campaigns.updateCampaign(ctx, em, id, input) }));
  }

  @Mutation(() => CampaignPayload, { description: 'DRAFT → OPEN for joining; the start must still be ahead. Operator owners and admins.' })
  openCampaign(@Arg('id', () => ID, { description: "The draft campaign's id." }) id: string, @Ctx() ctx: Context) {
    return runMutation(ctx.em, async (em) => ({ campaign: await campaigns.openCampaign(ctx, em, id) }));
  }

  @Mutation(() => CampaignParticipationPayload, {
    description: "Joins an OPEN campaign with the seller's own SKUs at a discount within its bounds, or changes them (the new list replaces the old). Seller owner/catalog users, its integration, or operator staff for a named seller.",
  })
  joinCampaign(@Arg('input', () => JoinCampaignInput, { description: 'The campaign, the SKUs (displayed or raw codes of your own) and the discount within its bounds.' }) input: JoinCampaignInput, @Ctx() ctx: Context) {
    return runMutation(ctx.em, async (em) => {
      const { campaign, skus } = await campaigns.joinCampaign(ctx, em, input);
      return { campaign, skus: await skuViews(ctx, campaign, skus) };
    });
  }

  @Mutation(() => CampaignPayload, { description: 'Leaves a campaign before it starts: the SKUs sell at list price. Same callers as joinCampaign.' })
  leaveCampaign(
    @Arg('campaignId', () => ID, { description: 'The campaign, still OPEN.' }) campaignId: string,
    @Arg('seller', () => ID, { nullable: true, description: 'Operator staff acting for a seller: which one.' }) seller: string | null,
    @Ctx() ctx: Context,
  ) {
    return runMutation(ctx.em, async (em) => ({ campaign: await campaigns.leaveCampaign(ctx, em, campaignId, seller) }));
  }
}
