import { Arg, Ctx, FieldResolver, ID, Int, Query, Resolver, Root } from 'type-graphql';
import type { Context } from '../../shared/runtime/index.js';
import { money } from '../../shared/money/index.js';
import * as dashboard from './dashboard.service.js';
import type { DashboardScope } from './dashboard.service.js';
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
  ) {
    return dashboard.dashboardScope(ctx, sellerId, from, to);
  }

  @FieldResolver(() => [DashboardDayType], { description: 'Every day of the period, days without sales included.' })
  async days(@Root() s: DashboardScope, @Ctx() ctx: Context): Promise<DashboardDayType[]> {
    const rows = await dashboard.salesByDay(ctx.em, s);
    return rows.map((r) => ({ date: r.date, orders: r.orders, items: r.items, gross: money(r.gross, s.currency), net: money(r.net, s.currency) }));
  }

  @FieldResolver(() => [DashboardStatusCountType], { description: 'Orders placed in the period by their status now.' })
  async ordersByStatus(@Root() s: DashboardScope, @Ctx() ctx: Context) {
    return (await dashboard.ordersByStatus(ctx.em, s)).byStatus;
  }

  @FieldResolver(() => Int, { description: 'Units of the period\'s orders (not cancelled) the seller declared unavailable.' })
  async itemsUnavailable(@Root() s: DashboardScope, @Ctx() ctx: Context) {
    return (await dashboard.ordersByStatus(ctx.em, s)).itemsUnavailable;
  }

  @FieldResolver(() => DashboardProductsType, { description: "The seller's products now, by status." })
  products(@Root() s: DashboardScope, @Ctx() ctx: Context) {
    return dashboard.productCounts(ctx.em, s.sellerId);
  }

  @FieldResolver(() => DashboardTicketsType, { description: 'Customer tickets open and overdue now.' })
  tickets(@Root() s: DashboardScope, @Ctx() ctx: Context) {
    return dashboard.ticketCounts(ctx.em, s);
  }

  @FieldResolver(() => DashboardReputationType, { description: 'The last 30 days: on-time ticket answers, seller cancellations, late shipments.' })
  async reputation(@Root() s: DashboardScope, @Ctx() ctx: Context): Promise<DashboardReputationType> {
    const r = await dashboard.reputation(ctx.em, s);
    return { from: r.from, to: r.to, ticketAnswers: r.answers, ticketAnswersOnTime: r.answersOnTime, orders: r.orders, sellerCancellations: r.sellerCancellations, shipmentsDue: r.shipmentsDue, lateShipments: r.lateShipments };
  }

  @FieldResolver(() => DashboardReceivablesType, { description: "Receivables due and the next payout date (the seller's OWNER and FINANCE users, operator staff)." })
  async receivables(@Root() s: DashboardScope, @Ctx() ctx: Context): Promise<DashboardReceivablesType> {
    const { balance, nextPayoutDate } = await dashboard.receivablesAndNextPayout(ctx, s);
    return { pending: money(balance.pending, s.currency), scheduled: money(balance.scheduled, s.currency), available: money(balance.available, s.currency), debits: money(balance.debits, s.currency), nextPayoutDate };
  }
}
