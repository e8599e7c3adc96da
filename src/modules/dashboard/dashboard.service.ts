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
  /** The sections the query selects: the first one read fetches them all in one statement (sections()). */
  selected: ReadonlySet<Section>;
}

/** The dashboard's sections that are one SQL aggregate each (the receivables are the payouts module's). */
export type Section = 'days' | 'status' | 'products' | 'tickets' | 'reputation';

/**
 * Checks who asks for which seller and the period. Staff may name any seller (the admin
 * seller when they name none); seller users only their own (another seller is FORBIDDEN).
 * No rows are read here: each section is one SQL aggregate, run only when the query selects it,
 * and the selected ones together in one statement (section()).
 */
export async function dashboardScope(ctx: Context, requested: string | null | undefined, from: string, to: string, selected: ReadonlySet<Section>): Promise<DashboardScope> {
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
    selected,
  };
}

/** One section's aggregate as a scalar subquery returning JSON, its values in textual order, and how its JSON is read. */
interface SectionSql<T> {
  sql: string;
  params: unknown[];
  read(json: unknown): T;
}

interface Sections {
  days: DaySales[];
  status: StatusCounts;
  products: ProductCounts;
  tickets: { open: number; overdue: number };
  reputation: Reputation;
}

const SECTIONS: { [K in Section]: (s: DashboardScope) => SectionSql<Sections[K]> } = {
  days: salesByDay,
  status: countByStatus,
  products: productCounts,
  tickets: ticketCounts,
  reputation,
};

const fetched = new WeakMap<DashboardScope, Promise<Partial<Sections>>>();

/**
 * A section of the dashboard. The first section a request reads runs one statement for every
 * section its query selects (each a scalar subquery): a dashboard is one round trip whichever
 * sections it shows, and a section nobody asked for is not computed.
 */
export async function section<K extends Section>(em: EntityManager, s: DashboardScope, name: K): Promise<Sections[K]> {
  let all = fetched.get(s);
  if (!all) {
    all = fetchSections(em, s, [...new Set<Section>([...s.selected, name])]);
    fetched.set(s, all);
  }
  const got = (await all)[name];
  // Selected through a path selects() does not see (it sees fragments and @include/@skip): read it alone.
  return got !== undefined ? got : (await fetchSections(em, s, [name]))[name]!;
}

async function fetchSections(em: EntityManager, s: DashboardScope, names: Section[]): Promise<Partial<Sections>> {
  const parts = names.map((name) => ({ name, part: SECTIONS[name](s) as SectionSql<unknown> }));
  const [row] = await em.execute<Record<string, unknown>[]>(
    `select ${parts.map(({ name, part }) => `(${part.sql}) as "${name}"`).join(',\n       ')}`,
    parts.flatMap(({ part }) => part.params),
  );
  return Object.fromEntries(parts.map(({ name, part }) => [name, part.read(typeof row![name] === 'string' ? JSON.parse(row![name] as string) : row![name])]));
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
function salesByDay(s: DashboardScope): SectionSql<DaySales[]> {
  return {
    sql: `select json_agg(json_build_object('day', to_char(d.day, 'YYYY-MM-DD'), 'orders', coalesce(x.orders, 0)::text, 'items', coalesce(x.items, 0)::text,
            'gross', coalesce(x.gross, 0)::text, 'net', coalesce(x.net, 0)::text) order by d.day)
       from generate_series(?::date, ?::date, interval '1 day') as d(day)
       left join (
         select (o.placed_at at time zone ?)::date as day, count(*) as orders, sum(l.items) as items,
                sum(o.merchandise_cents) as gross, sum(o.seller_receivable_cents) as net
           from "order" o
           cross join lateral (select coalesce(sum(ol.quantity - ol.cancelled_quantity), 0) as items from order_line ol where ol.order_id = o.id) l
          where o.seller_id = ? and o.placed_at >= ? and o.placed_at < ? and o.status <> 'CANCELLED'
          group by 1
       ) x on x.day = d.day::date`,
    params: [s.from, s.to, s.timeZone, s.sellerId, s.start, s.end],
    read: (json) =>
      ((json as { day: string; orders: string; items: string; gross: string; net: string }[] | null) ?? []).map((r) => ({
        date: r.day,
        orders: Number(r.orders),
        items: Number(r.items),
        gross: centsFromDb(r.gross),
        net: centsFromDb(r.net),
      })),
  };
}

export interface StatusCounts {
  byStatus: { status: string; count: number }[];
  itemsUnavailable: number;
}

/** Orders placed in the period by their status now, and the units of them the seller declared unavailable. */
function countByStatus(s: DashboardScope): SectionSql<StatusCounts> {
  return {
    sql: `select json_agg(json_build_object('status', c.status, 'n', c.n::text, 'unavailable', c.unavailable::text) order by c.status)
       from (select o.status, count(*) as n, coalesce(sum(l.unavailable) filter (where o.status <> 'CANCELLED'), 0) as unavailable
               from "order" o
               cross join lateral (select coalesce(sum(ol.cancelled_quantity), 0) as unavailable from order_line ol where ol.order_id = o.id) l
              where o.seller_id = ? and o.placed_at >= ? and o.placed_at < ?
              group by o.status) c`,
    params: [s.sellerId, s.start, s.end],
    read: (json) => {
      const rows = (json as { status: string; n: string; unavailable: string }[] | null) ?? [];
      return { byStatus: rows.map((r) => ({ status: r.status, count: Number(r.n) })), itemsUnavailable: rows.reduce((a, r) => a + Number(r.unavailable), 0) };
    },
  };
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
function productCounts(s: DashboardScope): SectionSql<ProductCounts> {
  return {
    sql: `select json_build_object(
            'published', count(*) filter (where p.status = 'PUBLISHED'),
            'outOfStock', count(*) filter (where p.status = 'PUBLISHED' and not s.in_stock),
            'archived', count(*) filter (where p.status = 'ARCHIVED'),
            'awaitingReview', count(*) filter (where p.status = 'PENDING_REVIEW'),
            'rejected', count(*) filter (where p.status = 'DRAFT' and p.rejection_reason is not null),
            'drafts', count(*) filter (where p.status = 'DRAFT' and p.rejection_reason is null))
       from product p
       cross join lateral (select coalesce(bool_or(k.active and k.stock > 0), false) as in_stock from sku k where k.product_id = p.id) s
      where p.seller_id = ?`,
    params: [s.sellerId],
    read: (json) => {
      const r = json as Record<keyof ProductCounts, number>;
      return { published: Number(r.published), outOfStock: Number(r.outOfStock), archived: Number(r.archived), awaitingReview: Number(r.awaitingReview), rejected: Number(r.rejected), drafts: Number(r.drafts) };
    },
  };
}

/** The seller's customer tickets waiting for an answer, and those past their deadline at the clock's now. */
function ticketCounts(s: DashboardScope): SectionSql<{ open: number; overdue: number }> {
  return {
    sql: `select json_build_object('open', count(*), 'overdue', count(*) filter (where response_due_at < ?))
       from ticket where kind = 'CUSTOMER' and seller_id = ? and status = 'OPEN'`,
    params: [s.now, s.sellerId],
    read: (json) => {
      const r = json as { open: number; overdue: number };
      return { open: Number(r.open), overdue: Number(r.overdue) };
    },
  };
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
function reputation(s: DashboardScope): SectionSql<Reputation> {
  const since = new Date(s.now.getTime() - REPUTATION_DAYS * 86_400_000);
  return {
    sql: `select json_build_object('answers', a.answers, 'on_time', a.on_time, 'orders', o.orders, 'cancelled', o.cancelled, 'due', o.due, 'late', o.late)
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
    params: [s.sellerId, since, s.now, since, since, since, s.now, since, s.now, s.sellerId, s.sellerId, since, since, s.now],
    read: (json) => {
      const r = json as { answers: number; on_time: number; orders: number; cancelled: number; due: number; late: number };
      return {
        from: since,
        to: s.now,
        answers: Number(r.answers),
        answersOnTime: Number(r.on_time),
        orders: Number(r.orders),
        sellerCancellations: Number(r.cancelled),
        shipmentsDue: Number(r.due),
        lateShipments: Number(r.late),
      };
    },
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
