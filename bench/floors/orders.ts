import {
  SESSION_INVALID,
  VIEWER_CTE,
  bearerToken,
  data,
  keysetCursor,
  money,
  notImplemented,
  query,
  tokenHash,
  type FloorHandler,
} from './common.js';

/**
 * Floor of the operator's order search (`OrderSearch`: orders(first, sellerId, status) with
 * code, status, date, total, seller, buyer with the masked document, and lines), signed in
 * as operator staff: orders.service listOrders (staff see every seller's orders; newest
 * first, then position, id breaking ties) and the order rules (staff read every field).
 * Seller users and customers are not what it measures: 501.
 *
 * One statement: the session, the count and the page with each order's lines aggregated in
 * a correlated subquery, the seller's name joined.
 */

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const STATUSES = new Set(['PENDING_PAYMENT', 'PENDING_FRAUD_REVIEW', 'APPROVED', 'INVOICED', 'SHIPPED', 'DELIVERED', 'CANCELLED']);

const ORDERS = `
  with ${VIEWER_CTE}
  select v.is_admin as viewer_admin, t.total, pg.*
  from viewer v
  left join lateral (select count(*)::int as total from "order" o where v.is_admin and o.seller_id = $2 and o.status = $3) t on true
  left join lateral (
    select o.id, o.code, o.status, o.placed_at, o.total_cents, o.currency, o.created_at, o.position, s.name as seller_name,
           o.buyer_name, o.buyer_email, o.buyer_document,
           (select json_agg(json_build_array(l.sku_code, l.product_name, l.quantity) order by l.position)
              from order_line l where l.order_id = o.id) as lines
    from (select o.* from "order" o where v.is_admin and o.seller_id = $2 and o.status = $3
          order by o.created_at desc, o.position asc, o.id asc limit $4) o
    join seller s on s.id = o.seller_id
    order by o.created_at desc, o.position asc, o.id asc) pg on true`;

interface Row {
  viewer_admin: boolean | null;
  total: number;
  id: string | null;
  code: string;
  status: string;
  placed_at: Date;
  total_cents: number;
  currency: string;
  created_at: Date;
  position: number;
  seller_name: string;
  buyer_name: string;
  buyer_email: string;
  buyer_document: string;
  lines: [string, string, number][] | null;
}

/** sellers/documents maskDocument's rule: a CPF keeps its last 4 digits, a CNPJ its branch and check digits. */
const mask = (d: string) => (d.length === 11 ? `***.***.*${d.slice(7, 9)}-${d.slice(9)}` : `**.***.***/${d.slice(8, 12)}-${d.slice(12)}`);

const handler: FloorHandler = (deps) => async (req) => {
  if (req.operationName !== 'OrderSearch') return notImplemented('OrderSearch');
  const token = bearerToken(req.authorization);
  const { sellerId, status, first } = req.variables;
  if (!token || token.startsWith('mki_')) return notImplemented("operator staff's sessions");
  if (typeof sellerId !== 'string' || !UUID_RE.test(sellerId) || typeof status !== 'string' || !STATUSES.has(status)) {
    return notImplemented('a seller id and a status');
  }
  if (!Number.isInteger(first) || (first as number) < 1 || (first as number) > 100) return notImplemented('first from 1 to 100');
  const rows = (await query<Row>(deps, 'order_search', ORDERS, [tokenHash(token), sellerId, status, (first as number) + 1])).rows;
  if (!rows.length) return SESSION_INVALID;
  if (!rows[0]!.viewer_admin) return notImplemented('operator staff');
  const page = rows.filter((r) => r.id !== null);
  const shown = page.slice(0, first as number);
  const last = shown.at(-1);
  return data({
    orders: {
      totalCount: rows[0]!.total,
      pageInfo: { hasNextPage: page.length > (first as number), endCursor: last ? keysetCursor([last.created_at, last.position, last.id]) : null },
      edges: shown.map((o) => ({
        node: {
          code: o.code,
          status: o.status,
          placedAt: o.placed_at.toISOString(),
          // A bigint column: pg gives it as a string; the API's money amount is a number.
          total: money(Number(o.total_cents), o.currency),
          seller: { name: o.seller_name },
          buyer: { name: o.buyer_name, email: o.buyer_email, maskedDocument: mask(o.buyer_document) },
          lines: (o.lines ?? []).map(([skuCode, productName, quantity]) => ({ skuCode, productName, quantity })),
        },
      })),
    },
  });
};

export default handler;
