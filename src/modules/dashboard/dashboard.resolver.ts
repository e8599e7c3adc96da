import type { GraphQLResolveInfo } from 'graphql';
import { Arg, Ctx, FieldResolver, ID, Info, Int, Query, Resolver, Root } from 'type-graphql';
import type { Context } from '../../shared/runtime/index.js';
import { money } from '../../shared/money/index.js';
import { selects } from '../../shared/pagination/index.js';
import * as dashboard from './dashboard.service.js';
import type { DashboardScope, Section } from './dashboard.service.js';
import {
  DashboardDayType,
  DashboardProductsType,
  DashboardReceivablesType,
  DashboardReputationType,
  DashboardStatusCountType,
  DashboardTicketsType,
  SellerDashboardType,
} from './dashboard.types.js';

@Resolver(() => SellerDashboardType)
export class DashboardResolver {
  @Query(() => SellerDashboardType, { description: "A seller's dashboard. Operator staff name any seller (the admin seller when left out); seller users only their own (another is FORBIDDEN)." })
  sellerDashboard(
    @Arg('sellerId', () => ID, { nullable: true, description: 'The seller; seller users may leave it out.' }) sellerId: string | null,
    @Arg('from', () => String, { description: 'First date, YYYY-MM-DD in the store time zone.' }) from: string,
    @Arg('to', () => String, { description: 'Last date, YYYY-MM-DD, included; at most 366 days after from.' }) to: string,
    @Ctx() ctx: Context,
    @Info() info: GraphQLResolveInfo,
  ) {
    return dashboard.dashboardScope(ctx, sellerId, from, to, selectedSections(info));
  }

  @FieldResolver(() => [DashboardDayType], { description: 'Every day of the period, days without sales included.' })
  async days(@Root() s: DashboardScope, @Ctx() ctx: Context): Promise<DashboardDayType[]> {
    const rows = await dashboard.section(ctx.em, s, 'days');
    return rows.map((r) => ({ date: r.date, orders: r.orders, items: r.items, gross: money(r.gross, s.currency), net: money(r.net, s.currency) }));
  }

  @FieldResolver(() => [DashboardStatusCountType], { description: 'Orders placed in the period by their status now.' })
  async ordersByStatus(@Root() s: DashboardScope, @Ctx() ctx: Context) {
    return (await dashboard.section(ctx.em, s, 'status')).byStatus;
  }

  @FieldResolver(() => Int, { description: 'Units of the period\'s orders (not cancelled) the seller declared unavailable.' })
  async itemsUnavailable(@Root() s: DashboardScope, @Ctx() ctx: Context) {
    return (await dashboard.section(ctx.em, s, 'status')).itemsUnavailable;
  }

  @FieldResolver(() => DashboardProductsType, { description: "The seller's products now, by status." })
  products(@Root() s: DashboardScope, @Ctx() ctx: Context) {
    return dashboard.section(ctx.em, s, 'products');
  }

  @FieldResolver(() => DashboardTicketsType, { description: 'Customer tickets open and overdue now.' })
  tickets(@Root() s: DashboardScope, @Ctx() ctx: Context) {
    return dashboard.section(ctx.em, s, 'tickets');
  }

  @FieldResolver(() => DashboardReputationType, { description: 'The last 30 days: on-time ticket answers, seller cancellations, late shipments.' })
  async reputation(@Root() s: DashboardScope, @Ctx() ctx: Context): Promise<DashboardReputationType> {
    const r = await dashboard.section(ctx.em, s, 'reputation');
    return { from: r.from, to: r.to, ticketAnswers: r.answers, ticketAnswersOnTime: r.answersOnTime, orders: r.orders, sellerCancellations: r.sellerCancellations, shipmentsDue: r.shipmentsDue, lateShipments: r.lateShipments };
  }

  @FieldResolver(() => DashboardReceivablesType, { description: "Receivables due and the next payout date (the seller's OWNER and FINANCE users, operator staff)." })
  async receivables(@Root() s: DashboardScope, @Ctx() ctx: Context): Promise<DashboardReceivablesType> {
    const { balance, nextPayoutDate } = await dashboard.receivablesAndNextPayout(ctx, s);
    return { pending: money(balance.pending, s.currency), scheduled: money(balance.scheduled, s.currency), available: money(balance.available, s.currency), debits: money(balance.debits, s.currency), nextPayoutDate };
  }
}

/** The aggregate sections the query selects, fetched together by the first one read (dashboard.service section()). */
function selectedSections(info: GraphQLResolveInfo): Set<Section> {
  const fields: [Section, string[]][] = [['days', ['days']], ['status', ['ordersByStatus']], ['status', ['itemsUnavailable']], ['products', ['products']], ['tickets', ['tickets']], ['reputation', ['reputation']]];
  return new Set(fields.filter(([, path]) => selects(info, path)).map(([name]) => name));
}
