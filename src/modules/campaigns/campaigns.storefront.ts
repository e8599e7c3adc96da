import DataLoader from 'dataloader';
import { raw } from '@mikro-orm/core';
import { Arg, Args, Ctx, Field, FieldResolver, ID, ObjectType, Query, Resolver, Root } from 'type-graphql';
import { DateTimeResolver } from 'graphql-scalars';
import { loader, type Context } from '../../shared/runtime/index.js';
import { Money, money } from '../../shared/money/index.js';
import { ConnectionArgs, paginate } from '../../shared/pagination/index.js';
import { isId } from '../../shared/db/ids.js';
import { notFound } from '../../shared/errors/index.js';
import { nowOf } from '../../shared/time/index.js';
import { settingsLoader } from '../sellers/index.js';
import { Product, ProductConnection, ProductType, Sku, SkuType, onSaleWhere } from '../catalog/index.js';
import { Campaign, CampaignKind } from './campaigns.entity.js';
import { campaignOffersAt, unitDiscountOf, type CampaignOffer } from './campaigns.offers.js';

/*
 * The storefront's view of running campaigns: the campaign price beside the list price on SKUs
 * and products, and a campaign's products. Prices come from the same offers and the same
 * per-unit rule as the cart's pricing path, so the page and the cart agree.
 */

@ObjectType('CampaignPrice', { description: 'A running campaign\'s price for a SKU (or the lowest among a product\'s SKUs), beside its list price.' })
export class CampaignPriceType {
  @Field(() => ID, { description: "The id of the campaign that gives this price (campaign(id:) or campaignProducts(campaignId:))." })
  campaignId!: string;

  @Field(() => String, { description: 'The campaign\'s name, to show as a badge.' })
  campaignName!: string;

  @Field(() => CampaignKind, { description: 'PRICE applies however the cart is paid; CASH_PRICE only when the whole cart is paid at once; PAYMENT_METHOD only with its method.' })
  kind!: CampaignKind;

  @Field(() => Money, { description: 'The list price (the SKU price), shown struck through.' })
  listPrice!: Money;

  @Field(() => Money, { description: 'The price of one unit during the campaign (for CASH_PRICE and PAYMENT_METHOD: when the condition is met).' })
  price!: Money;

  @Field(() => DateTimeResolver, { description: 'When the campaign price ends (exclusive).' })
  endsAt!: Date;
}

interface Best {
  offer: CampaignOffer;
  unit: number;
}

/** The offer that takes most off one unit (line offers only; freight campaigns do not change a price). */
function bestOffer(offers: readonly CampaignOffer[] | undefined, priceCents: number): Best | null {
  let best: Best | null = null;
  for (const offer of offers ?? []) {
    if (offer.kind === CampaignKind.FREIGHT) continue;
    const unit = unitDiscountOf(offer, priceCents);
    if (unit > 0 && (!best || unit > best.unit)) best = { offer, unit };
  }
  return best;
}

/** Running offers by SKU id, one query per request for however many SKUs ask. */
const offersBySku = (ctx: Context) =>
  loader(ctx, 'campaigns.offersBySku', () =>
    new DataLoader<string, CampaignOffer[]>(async (ids) => {
      const offers = await campaignOffersAt(ctx.em, ids, nowOf(ctx.runtime));
      return ids.map((id) => offers.get(id) ?? []);
    }),
  );

/** A product's active SKUs in a running campaign, by product id: one query per request. */
const campaignSkusByProduct = (ctx: Context) =>
  loader(ctx, 'campaigns.skusByProduct', () =>
    new DataLoader<string, Sku[]>(async (ids) => {
      const now = nowOf(ctx.runtime);
      const skus = await ctx.em.find(Sku, {
        product: { $in: [...ids] },
        active: true,
        [raw((alias) => `exists (select 1 from "campaign_sku" cs join "campaign" c on c."id" = cs."campaign_id" where cs."sku_id" = ${alias}."id" and c."published_at" is not null and c."starts_at" <= ? and c."ends_at" > ?)`, [now, now])]: true,
      });
      return ids.map((id) => skus.filter((s) => s.product.id === id));
    }),
  );

/**
 * What a campaign price needs of a SKU. A plain type, not the entity class: the storefront reads
 * SKUs as plain rows (catalog), and type-graphql would otherwise copy a row into a new entity.
 */
type PricedSku = Pick<Sku, 'id' | 'priceCents'>;

async function priceView(ctx: Context, sku: PricedSku, best: Best | null, endsAtOf: Map<string, Date>): Promise<CampaignPriceType | null> {
  if (!best) return null;
  const currency = (await settingsLoader(ctx).load(1)).currency;
  return {
    campaignId: best.offer.campaignId,
    campaignName: best.offer.campaignName,
    kind: best.offer.kind,
    listPrice: money(sku.priceCents, currency),
    price: money(sku.priceCents - best.unit, currency),
    endsAt: endsAtOf.get(best.offer.campaignId)!,
  };
}

const endsAtLoader = (ctx: Context) =>
  loader(ctx, 'campaigns.endsAt', () =>
    new DataLoader<string, Date>(async (ids) => {
      const rows = await ctx.em.find(Campaign, { id: { $in: [...ids] } }, { fields: ['endsAt'] });
      const byId = new Map(rows.map((c) => [c.id, c.endsAt]));
      return ids.map((id) => byId.get(id)!);
    }),
  );

async function skuCampaignPrice(ctx: Context, sku: PricedSku): Promise<CampaignPriceType | null> {
  const best = bestOffer(await offersBySku(ctx).load(sku.id), sku.priceCents);
  if (!best) return null;
  return priceView(ctx, sku, best, new Map([[best.offer.campaignId, await endsAtLoader(ctx).load(best.offer.campaignId)]]));
}

@Resolver(() => SkuType)
export class SkuCampaignResolver {
  @FieldResolver(() => CampaignPriceType, { nullable: true, description: 'The running campaign price of this SKU beside its list price; null outside campaigns.' })
  campaignPrice(@Root() sku: PricedSku, @Ctx() ctx: Context) {
    return skuCampaignPrice(ctx, sku);
  }
}

@Resolver(() => ProductType)
export class ProductCampaignResolver {
  @FieldResolver(() => CampaignPriceType, { nullable: true, description: 'The lowest running campaign price among its active SKUs, with that SKU\'s list price; null outside campaigns.' })
  async campaignPrice(@Root() product: { id: string }, @Ctx() ctx: Context) {
    const skus = await campaignSkusByProduct(ctx).load(product.id);
    const views = (await Promise.all(skus.map((s) => skuCampaignPrice(ctx, s)))).filter((v): v is CampaignPriceType => !!v);
    return views.sort((a, b) => a.price.amount - b.price.amount)[0] ?? null;
  }
}

@Resolver()
export class CampaignProductsResolver {
  @Query(() => ProductConnection, { description: "Storefront: a campaign's products on sale (open for joining or running; drafts are not found), newest first." })
  async campaignProducts(@Arg('campaignId', () => ID, { description: "The running campaign's id, e.g. from a product's campaignPrice.campaignId." }) campaignId: string, @Args(() => ConnectionArgs) args: ConnectionArgs, @Ctx() ctx: Context) {
    const campaign = isId(campaignId) ? await ctx.em.findOne(Campaign, { id: campaignId, publishedAt: { $ne: null } }) : null;
    if (!campaign) throw notFound('No published campaign has this id.', 'campaignId');
    const settings = await settingsLoader(ctx).load(1);
    return paginate(
      ctx.em,
      Product,
      () => ({
        $and: [
          onSaleWhere(settings),
          { [raw((alias) => `exists (select 1 from "campaign_sku" cs join "sku" s on s."id" = cs."sku_id" where s."product_id" = ${alias}."id" and s."active" and cs."campaign_id" = ?)`, [campaign.id])]: true },
        ],
      }),
      args,
      { createdAt: 'desc' },
    );
  }
}
