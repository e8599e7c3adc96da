import type { EntityManager } from '@mikro-orm/postgresql';
import type { Context } from '../../shared/runtime/index.js';
import { assertMay } from '../../shared/access/index.js';
import { badInput } from '../../shared/errors/index.js';
import { assertIdExists } from '../../shared/db/ids.js';
import { centsFromDb } from '../../shared/money/index.js';
import { addDays, dateIn, daysBetween, isCalendarDate, nowOf, startOfDate } from '../../shared/time/index.js';
import { Seller, actingSellerId, getSettings } from '../sellers/index.js';
import { computeBalance, payoutCalendarOf, periodEndsAfter } from '../payouts/index.js';
import { DASHBOARD_ACCESS } from './dashboard.access.js';

/** The longest period one dashboard covers (a year and a day: a leap year). */
export const MAX_DASHBOARD_DAYS = 366;
/** The reputation window, in days up to now. */
export const REPUTATION_DAYS = 30;

/** What every section reads: the seller, the period's dates and the instants bounding them in the store's time zone. */
export interface DashboardScope {
  sellerId: string;
  from: string;
  to: string;
  timeZone: string;
  currency: string;
  /** Start of `from` and start of the day after `to`, in the store's time zone. */
  start: Date;
  end: Date;
  now: Date;
}

/**
 * Checks who asks for which seller and the period. Staff may name any seller (the admin
 * seller when they name none); seller users only their own (another seller is FORBIDDEN).
 * No rows are read here: each section is one SQL aggregate, run only when asked for.
 */
export async function dashboardScope(ctx: Context, requested: string | null | undefined, from: string, to: string): Promise<DashboardScope> {
  assertMay(ctx.viewer, DASHBOARD_ACCESS.readDashboard);
  const sellerId = actingSellerId(ctx.viewer, requested);
  if (ctx.viewer.kind === 'OPERATOR' && requested) await assertIdExists(ctx.em, Seller, sellerId, ['sellerId'], 'seller');
  if (!isCalendarDate(from)) throw badInput('from is a date written YYYY-MM-DD.', 'from');
  if (!isCalendarDate(to)) throw badInput('to is a date written YYYY-MM-DD.', 'to');
  const days = daysBetween(from, to) + 1;
  if (days < 1) throw badInput('to is on or after from.', 'to');
  if (days > MAX_DASHBOARD_DAYS) throw badInput(`A dashboard covers at most ${MAX_DASHBOARD_DAYS} days.`, 'to');
  const settings = await getSettings(ctx.em);
  return {
    sellerId,
    from,
    to,
    timeZone: settings.timeZone,
    currency: settings.currency,
    start: startOfDate(from, settings.timeZone),
    end: startOfDate(addDays(to, 1), settings.timeZone),
    now: nowOf(ctx.runtime),
  };
}

export interface DaySales {
  date: string;
  orders: number;
  items: number;
  gross: number;
  net: number;
}

/**
 * One row per day of the period (days without sales included): orders placed that day in
 * the store's time zone and not cancelled, their items still in them, their merchandise and
 * the seller's receivable after commission, as frozen at checkout.
 */
export async function salesByDay(em: EntityManager, s: DashboardScope): Promise<DaySales[]> {
  const rows = await em.execute<{ day: string; orders: string; items: string; gross: string; net: string }[]>(
    `select to_char(d.day, 'YYYY-MM-DD') as day, coalesce(x.orders, 0)::text as orders, coalesce(x.items, 0)::text as items,
            coalesce(x.gross, 0)::text as gross, coalesce(x.net, 0)::text as net
       from generate_series(?::date, ?::date, interval '1 day') as d(day)
       left join (
         select (o.placed_at at time zone ?)::date as day, count(*) as orders, sum(l.items) as items,
                sum(o.merchandise_cents) as gross, sum(o.seller_receivable_cents) as net
           from "order" o
           cross join lateral (select coalesce(sum(ol.quantity - ol.cancelled_quantity), 0) as items from order_line ol where ol.order_id = o.id) l
          where o.seller_id = ? and o.placed_at >= ? and o.placed_at < ? and o.status <> 'CANCELLED'
          group by 1
       ) x on x.day = d.day::date
      order by d.day`,
    [s.from, s.to, s.timeZone, s.sellerId, s.start, s.end],
  );
  return rows.map((r) => ({ date: r.day, orders: Number(r.orders), items: Number(r.items), gross: centsFromDb(r.gross), net: centsFromDb(r.net) }));
}

const statusCounts = new WeakMap<DashboardScope, Promise<{ byStatus: { status: string; count: number }[]; itemsUnavailable: number }>>();

/** Orders placed in the period by their status now, and the units of them the seller declared unavailable (one statement per dashboard, however many fields read it). */
export function ordersByStatus(em: EntityManager, s: DashboardScope) {
  let p = statusCounts.get(s);
  if (!p) {
    p = countByStatus(em, s);
    statusCounts.set(s, p);
  }
  return p;
}

async function countByStatus(em: EntityManager, s: DashboardScope): Promise<{ byStatus: { status: string; count: number }[]; itemsUnavailable: number }> {
  const rows = await em.execute<{ status: string; n: string; unavailable: string }[]>(
    `select o.status, count(*)::text as n, coalesce(sum(l.unavailable) filter (where o.status <> 'CANCELLED'), 0)::text as unavailable
       from "order" o
       cross join lateral (select coalesce(sum(ol.cancelled_quantity), 0) as unavailable from order_line ol where ol.order_id = o.id) l
      where o.seller_id = ? and o.placed_at >= ? and o.placed_at < ?
      group by o.status order by o.status`,
    [s.sellerId, s.start, s.end],
  );
  return { byStatus: rows.map((r) => ({ status: r.status, count: Number(r.n) })), itemsUnavailable: rows.reduce((a, r) => a + Number(r.unavailable), 0) };
}

export interface ProductCounts {
  published: number;
  outOfStock: number;
  archived: number;
  awaitingReview: number;
  rejected: number;
  drafts: number;
}

/** The seller's products now: by status, rejected (a DRAFT with a rejection reason) apart, and published ones without stock in any active SKU. */
export async function productCounts(em: EntityManager, sellerId: string): Promise<ProductCounts> {
  const [r] = await em.execute<Record<keyof ProductCounts, string>[]>(
    `select count(*) filter (where p.status = 'PUBLISHED')::text as published,
            count(*) filter (where p.status = 'PUBLISHED' and not s.in_stock)::text as "outOfStock",
            count(*) filter (where p.status = 'ARCHIVED')::text as archived,
            count(*) filter (where p.status = 'PENDING_REVIEW')::text as "awaitingReview",
            count(*) filter (where p.status = 'DRAFT' and p.rejection_reason is not null)::text as rejected,
            count(*) filter (where p.status = 'DRAFT' and p.rejection_reason is null)::text as drafts
       from product p
       cross join lateral (select coalesce(bool_or(k.active and k.stock > 0), false) as in_stock from sku k where k.product_id = p.id) s
      where p.seller_id = ?`,
    [sellerId],
  );
  return { published: Number(r!.published), outOfStock: Number(r!.outOfStock), archived: Number(r!.archived), awaitingReview: Number(r!.awaitingReview), rejected: Number(r!.rejected), drafts: Number(r!.drafts) };
}

/** The seller's customer tickets waiting for an answer, and those past their deadline at the clock's now. */
export async function ticketCounts(em: EntityManager, s: DashboardScope): Promise<{ open: number; overdue: number }> {
  const [r] = await em.execute<{ open: string; overdue: string }[]>(
    `select count(*)::text as open, count(*) filter (where response_due_at < ?)::text as overdue
       from ticket where kind = 'CUSTOMER' and seller_id = ? and status = 'OPEN'`,
    [s.now, s.sellerId],
  );
  return { open: Number(r!.open), overdue: Number(r!.overdue) };
}

export interface Reputation {
  from: Date;
  to: Date;
  answers: number;
  answersOnTime: number;
  orders: number;
  sellerCancellations: number;
  shipmentsDue: number;
  lateShipments: number;
}

/**
 * The last 30 days up to now: the seller's answers to customer tickets and how many came by
 * their deadline; orders placed and those the seller cancelled; orders approved whose
 * dispatch was due (shipped, or past the handling time unshipped) and those late against the
 * seller's handling time.
 */
export async function reputation(em: EntityManager, s: DashboardScope): Promise<Reputation> {
  const since = new Date(s.now.getTime() - REPUTATION_DAYS * 86_400_000);
  const [r] = await em.execute<{ answers: string; on_time: string; orders: string; cancelled: string; due: string; late: string }[]>(
    `select a.answers::text, a.on_time::text, o.orders::text, o.cancelled::text, o.due::text, o.late::text
       from (select count(*) as answers, count(*) filter (where m.created_at <= m.due_at) as on_time
               from ticket_message m join ticket t on t.id = m.ticket_id
              where t.seller_id = ? and t.kind = 'CUSTOMER' and m.side = 'SERVICE' and m.due_at is not null and m.created_at >= ? and m.created_at <= ?) a,
            (select count(*) filter (where o.placed_at >= ?) as orders,
                    count(*) filter (where o.placed_at >= ? and o.cancellation_reason = 'SELLER_REQUEST') as cancelled,
                    count(*) filter (where o.approved_at >= ? and (o.shipped_at is not null or (o.cancelled_at is null and o.approved_at + h.handling < ?))) as due,
                    count(*) filter (where o.approved_at >= ? and ((o.shipped_at is not null and o.shipped_at > o.approved_at + h.handling)
                                                                 or (o.shipped_at is null and o.cancelled_at is null and o.approved_at + h.handling < ?))) as late
               from "order" o, (select make_interval(days => handling_days) as handling from seller where id = ?) h
              where o.seller_id = ? and (o.placed_at >= ? or o.approved_at >= ?) and o.placed_at < ?) o`,
    [s.sellerId, since, s.now, since, since, since, s.now, since, s.now, s.sellerId, s.sellerId, since, since, s.now],
  );
  return {
    from: since,
    to: s.now,
    answers: Number(r!.answers),
    answersOnTime: Number(r!.on_time),
    orders: Number(r!.orders),
    sellerCancellations: Number(r!.cancelled),
    shipmentsDue: Number(r!.due),
    lateShipments: Number(r!.late),
  };
}

/** What the seller is owed by state (the payouts module's balance) and the next payout date on the store's calendar. */
export async function receivablesAndNextPayout(ctx: Context, s: DashboardScope) {
  assertMay(ctx.viewer, DASHBOARD_ACCESS.readReceivables);
  const settings = await getSettings(ctx.em);
  const today = dateIn(s.now, s.timeZone);
  const balance = await computeBalance(ctx.em, s.sellerId, today, s.currency);
  const next = periodEndsAfter(addDays(today, -1), payoutCalendarOf(settings), 1)[0]!;
  return { balance, nextPayoutDate: next };
}
