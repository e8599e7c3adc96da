import { SESSION_INVALID, VIEWER_CTE, bearerToken, data, money, notImplemented, query, tokenHash, type FloorHandler } from './common.js';

/**
 * Floor of a guest seller's dashboard (`SellerDashboard`: sellerDashboard(from, to) with the
 * daily sales series, orders by status, items unavailable, products by status, tickets open
 * and overdue and the 30-day reputation), signed in as the seller's owner: dashboard.service
 * (the store's time zone from the settings; days without sales included; cancelled orders
 * out of the sales; rejected = a DRAFT with a rejection reason). Operator staff, customers and
 * the receivables section are not what it measures: 501.
 *
 * One statement: the session, the settings and every aggregate as a correlated subquery.
 */

const DATE_RE = /^\d{4}-\d{2}-\d{2}$/;

const DASHBOARD = `
  with ${VIEWER_CTE},
  st as (select time_zone as tz, currency from marketplace_settings where id = 1),
  sc as (select v.seller_id, v.is_admin, st.tz, st.currency,
                ($2::date)::timestamp at time zone st.tz as t0, ($3::date + 1)::timestamp at time zone st.tz as t1,
                now() - interval '30 days' as since
         from viewer v, st)
  select sc.seller_id, sc.is_admin, sc.tz, sc.currency,
    (select json_agg(json_build_array(to_char(d.day, 'YYYY-MM-DD'), coalesce(x.orders, 0), coalesce(x.items, 0), coalesce(x.gross, 0), coalesce(x.net, 0)) order by d.day)
       from generate_series($2::date, $3::date, interval '1 day') as d(day)
       left join (select (o.placed_at at time zone sc.tz)::date as day, count(*) as orders, sum(l.items) as items,
                         sum(o.merchandise_cents) as gross, sum(o.seller_receivable_cents) as net
                    from "order" o
                    cross join lateral (select coalesce(sum(ol.quantity - ol.cancelled_quantity), 0) as items from order_line ol where ol.order_id = o.id) l
                   where o.seller_id = sc.seller_id and o.placed_at >= sc.t0 and o.placed_at < sc.t1 and o.status <> 'CANCELLED'
                   group by 1) x on x.day = d.day::date) as days,
    (select json_agg(json_build_array(s.status, s.n, s.unavailable) order by s.status)
       from (select o.status, count(*) as n, coalesce(sum(l.unavailable) filter (where o.status <> 'CANCELLED'), 0) as unavailable
               from "order" o
               cross join lateral (select coalesce(sum(ol.cancelled_quantity), 0) as unavailable from order_line ol where ol.order_id = o.id) l
              where o.seller_id = sc.seller_id and o.placed_at >= sc.t0 and o.placed_at < sc.t1
              group by o.status) s) as statuses,
    (select json_build_array(count(*) filter (where p.status = 'PUBLISHED'), count(*) filter (where p.status = 'PUBLISHED' and not k.in_stock),
                             count(*) filter (where p.status = 'ARCHIVED'), count(*) filter (where p.status = 'PENDING_REVIEW'),
                             count(*) filter (where p.status = 'DRAFT' and p.rejection_reason is not null), count(*) filter (where p.status = 'DRAFT' and p.rejection_reason is null))
       from product p
       cross join lateral (select coalesce(bool_or(k.active and k.stock > 0), false) as in_stock from sku k where k.product_id = p.id) k
      where p.seller_id = sc.seller_id) as products,
    (select json_build_array(count(*), count(*) filter (where response_due_at < now()))
       from ticket where kind = 'CUSTOMER' and seller_id = sc.seller_id and status = 'OPEN') as tickets,
    (select json_build_array(count(*), count(*) filter (where m.created_at <= m.due_at))
       from ticket_message m join ticket t on t.id = m.ticket_id
      where t.seller_id = sc.seller_id and t.kind = 'CUSTOMER' and m.side = 'SERVICE' and m.due_at is not null and m.created_at >= sc.since) as answers,
    (select json_build_array(count(*) filter (where o.placed_at >= sc.since),
                             count(*) filter (where o.placed_at >= sc.since and o.cancellation_reason = 'SELLER_REQUEST'),
                             count(*) filter (where o.approved_at >= sc.since and (o.shipped_at is not null or (o.cancelled_at is null and o.approved_at + h.handling < now()))),
                             count(*) filter (where o.approved_at >= sc.since and ((o.shipped_at is not null and o.shipped_at > o.approved_at + h.handling)
                                                                                or (o.shipped_at is null and o.cancelled_at is null and o.approved_at + h.handling < now()))))
       from "order" o, (select make_interval(days => handling_days) as handling from seller where id = sc.seller_id) h
      where o.seller_id = sc.seller_id and (o.placed_at >= sc.since or o.approved_at >= sc.since)) as reputation
  from sc`;

interface Row {
  seller_id: string | null;
  is_admin: boolean | null;
  tz: string;
  currency: string;
  days: [string, number, number, number, number][];
  statuses: [string, number, number][] | null;
  products: number[];
  tickets: number[];
  answers: number[];
  reputation: number[];
}

const handler: FloorHandler = (deps) => async (req) => {
  if (req.operationName !== 'SellerDashboard') return notImplemented('SellerDashboard');
  const token = bearerToken(req.authorization);
  const { from, to } = req.variables;
  if (!token || token.startsWith('mki_')) return notImplemented("seller users' sessions");
  if (typeof from !== 'string' || typeof to !== 'string' || !DATE_RE.test(from) || !DATE_RE.test(to) || to < from) return notImplemented('a valid period');
  const rows = (await query<Row>(deps, 'seller_dashboard', DASHBOARD, [tokenHash(token), from, to])).rows;
  if (!rows.length) return SESSION_INVALID;
  const r = rows[0]!;
  if (r.is_admin !== false || !r.seller_id) return notImplemented("a guest seller's users");
  const [published, outOfStock, archived, awaitingReview, rejected, drafts] = r.products;
  const statuses = r.statuses ?? [];
  return data({
    sellerDashboard: {
      sellerId: r.seller_id,
      from,
      to,
      timeZone: r.tz,
      days: r.days.map(([date, orders, items, gross, net]) => ({ date, orders, items, gross: money(Number(gross), r.currency), net: money(Number(net), r.currency) })),
      ordersByStatus: statuses.map(([status, count]) => ({ status, count })),
      itemsUnavailable: statuses.reduce((a, s) => a + Number(s[2]), 0),
      products: { published, outOfStock, archived, awaitingReview, rejected, drafts },
      tickets: { open: r.tickets[0], overdue: r.tickets[1] },
      reputation: {
        ticketAnswers: r.answers[0],
        ticketAnswersOnTime: r.answers[1],
        orders: r.reputation[0],
        sellerCancellations: r.reputation[1],
        shipmentsDue: r.reputation[2],
        lateShipments: r.reputation[3],
      },
    },
  });
};

export default handler;
