import { Arg, Ctx, ID, Query, Resolver } from 'type-graphql';
import type { Context } from '../../shared/runtime/index.js';
import { centsFromDb, money } from '../../shared/money/index.js';
import { notFound } from '../../shared/errors/index.js';
import { getSettings } from '../sellers/index.js';
import { CampaignReportType, campaignExists, resultsScope, type CampaignResultsType } from '../campaigns/index.js';

/*
 * A campaign's results live with the orders: they are sums of the figures frozen on order
 * lines at checkout (campaign id, campaign discount and its seller part; an order's freight
 * campaign discount), computed by one SQL aggregate grouped by seller. Cancelled orders are
 * left out; a line's later partial cancellation or return does not change what was sold in
 * the campaign.
 */

interface Row {
  seller_id: string;
  orders: number;
  units: string;
  gross: string;
  discount: string;
  seller_borne: string;
}

export async function campaignReport(ctx: Context, campaignId: string, requestedSeller?: string | null): Promise<CampaignReportType> {
  const sellerId = await resultsScope(ctx, requestedSeller);
  if (!(await campaignExists(ctx.em, campaignId))) throw notFound('No campaign has this id.', 'campaignId');
  // Line campaigns count their discounted lines; a freight campaign counts the whole orders it discounted.
  const rows = await ctx.em.execute<Row[]>(
    `with sold as (
       select o."id" as order_id, o."seller_id", l."quantity", l."merchandise_cents" as gross,
              l."campaign_discount_cents" as discount, l."campaign_seller_funded_cents" as seller_borne
         from "order_line" l join "order" o on o."id" = l."order_id"
        where l."campaign_id" = ? and o."status" <> 'CANCELLED'
       union all
       select o."id", o."seller_id", (select sum(x."quantity") from "order_line" x where x."order_id" = o."id"), o."merchandise_cents",
              o."freight_discount_cents", o."freight_discount_cents"
         from "order" o
        where o."freight_campaign_id" = ? and o."status" <> 'CANCELLED'
     )
     select "seller_id", count(distinct order_id)::int as orders, sum("quantity")::text as units, sum(gross)::text as gross,
            sum(discount)::text as discount, sum(seller_borne)::text as seller_borne
       from sold
      where (?::uuid is null or "seller_id" = ?::uuid)
      group by "seller_id"
      order by "seller_id"`,
    [campaignId, campaignId, sellerId, sellerId],
  );
  const { currency } = await getSettings(ctx.em);
  const view = (id: string | null, r: { orders: number; units: number; gross: number; discount: number; sellerBorne: number }): CampaignResultsType => ({
    sellerId: id,
    orders: r.orders,
    units: r.units,
    gross: money(r.gross, currency),
    discount: money(r.discount, currency),
    sellerBorne: money(r.sellerBorne, currency),
    operatorBorne: money(r.discount - r.sellerBorne, currency),
  });
  const figures = rows.map((r) => ({ id: r.seller_id, orders: r.orders, units: Number(r.units), gross: centsFromDb(r.gross), discount: centsFromDb(r.discount), sellerBorne: centsFromDb(r.seller_borne) }));
  const total = figures.reduce((s, r) => ({ orders: s.orders + r.orders, units: s.units + r.units, gross: s.gross + r.gross, discount: s.discount + r.discount, sellerBorne: s.sellerBorne + r.sellerBorne }), { orders: 0, units: 0, gross: 0, discount: 0, sellerBorne: 0 });
  return { total: view(sellerId, total), sellers: figures.map((r) => view(r.id, r)) };
}

@Resolver()
export class CampaignResultsResolver {
  @Query(() => CampaignReportType, {
    description: "A campaign's results from the orders (cancelled ones left out): orders, units, gross at list price, discount given and who bore it. Operator owners/admins see every seller (or name one); a seller's owner, catalog and finance users and its integration see only their own.",
  })
  campaignResults(
    @Arg('campaignId', () => ID, { description: "The campaign's id (NOT_FOUND when no campaign has it)." }) campaignId: string,
    @Arg('seller', () => ID, { nullable: true, description: 'Operator staff: only this seller. Sellers may leave it out (their own); another seller is FORBIDDEN.' }) seller: string | null,
    @Ctx() ctx: Context,
  ) {
    return campaignReport(ctx, campaignId, seller);
  }
}
