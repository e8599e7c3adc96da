import type { EntityManager } from '@mikro-orm/postgresql';
import type { Context } from '../../shared/runtime/index.js';
import { badInput } from '../../shared/errors/index.js';
import { centsFromDb } from '../../shared/money/index.js';
import { addDays, daysBetween, isCalendarDate, startOfDate } from '../../shared/time/index.js';
import { centsToDecimalString } from '../payments/index.js';
import { LedgerAccount, LedgerEntryKind } from '../finance/index.js';
import { PAYOUTS_ACCESS } from './payouts.access.js';
import { oneSeller, storeToday } from './scope.js';

/**
 * A seller's statement (demonstrativo) for a period: every movement of its SELLER_PAYABLE
 * account between two dates of the store's time zone, with a running balance. The checkout
 * credit of an order is shown as its parts — the sale (merchandise), the discount the seller
 * funds, the commission, and any freight the seller bears — which add up to that credit, so
 * the statement's totals are the ledger's to the centavo. The parts are the figures frozen at
 * checkout — the commission of the checkout entry's own lines, the merchandise and the
 * seller-funded discount of the lines checkout wrote (they never change) — never the order's
 * current figures, which item-unavailable cancellations and edits lower later (those show as
 * their own REFUND movements).
 */

export enum MovementType {
  SALE = 'SALE',
  DISCOUNT = 'DISCOUNT',
  COMMISSION = 'COMMISSION',
  FREIGHT = 'FREIGHT',
  REFUND = 'REFUND',
  RETURN = 'RETURN',
  CHARGEBACK = 'CHARGEBACK',
  CHARGEBACK_REVERSAL = 'CHARGEBACK_REVERSAL',
  ADJUSTMENT = 'ADJUSTMENT',
  PAYOUT = 'PAYOUT',
  PAYOUT_RETURNED = 'PAYOUT_RETURNED',
  OTHER = 'OTHER',
}

export interface Movement {
  id: string;
  sellerId: string;
  at: Date;
  type: MovementType;
  orderId: string | null;
  orderCode: string | null;
  cartNumber: string | null;
  description: string;
  /** Signed centavos: credits positive, debits negative. */
  amount: number;
  /** The balance after this movement. */
  balance: number;
}

export interface Statement {
  sellerId: string;
  from: string;
  to: string;
  currency: string;
  opening: number;
  closing: number;
  credits: number;
  debits: number;
  movements: Movement[];
  timeZone: string;
}

/** The longest period one statement covers. */
export const MAX_STATEMENT_DAYS = 366;

interface LineRow {
  id: string;
  created_at: Date;
  debit: string;
  credit: string;
  kind: LedgerEntryKind;
  memo: string | null;
  order_id: string | null;
  cart_number: string | null;
  order_code: string | null;
  merchandise: string | null;
  seller_discount: string | null;
  commission: string | null;
}

const KIND_TYPES: Partial<Record<LedgerEntryKind, [debit: MovementType, credit: MovementType]>> = {
  [LedgerEntryKind.CANCELLATION]: [MovementType.REFUND, MovementType.REFUND],
  // Item unavailable and edits give the buyer money back before shipping: refunds to the seller.
  [LedgerEntryKind.LINE_CANCELLATION]: [MovementType.REFUND, MovementType.REFUND],
  // An edit whose added lines earn the seller more than the removed units: a sale.
  [LedgerEntryKind.EDIT]: [MovementType.REFUND, MovementType.SALE],
  [LedgerEntryKind.REFUND]: [MovementType.REFUND, MovementType.REFUND],
  [LedgerEntryKind.RETURN]: [MovementType.RETURN, MovementType.RETURN],
  [LedgerEntryKind.CHARGEBACK]: [MovementType.CHARGEBACK, MovementType.CHARGEBACK_REVERSAL],
  [LedgerEntryKind.ADJUSTMENT]: [MovementType.ADJUSTMENT, MovementType.ADJUSTMENT],
  [LedgerEntryKind.PAYOUT]: [MovementType.PAYOUT, MovementType.PAYOUT_RETURNED],
};

/** One ledger line as the movements a seller reads (a checkout credit becomes up to four). */
function movementsOf(r: LineRow): Omit<Movement, 'balance' | 'sellerId'>[] {
  const net = centsFromDb(r.credit) - centsFromDb(r.debit);
  const base = { at: new Date(r.created_at), orderId: r.order_id, orderCode: r.order_code, cartNumber: r.cart_number };
  const order = r.order_code ? `order ${r.order_code}` : 'an order';
  if (r.kind === LedgerEntryKind.CHECKOUT && net > 0 && r.merchandise !== null) {
    const sale = centsFromDb(r.merchandise);
    const discount = centsFromDb(r.seller_discount ?? '0');
    const commission = centsFromDb(r.commission ?? '0');
    // Whatever else the seller bore at checkout (a seller-funded freight discount) closes the sum exactly.
    const freight = sale - discount - commission - net;
    const parts: [MovementType, number, string][] = [
      [MovementType.SALE, sale, `Sale, ${order}`],
      [MovementType.DISCOUNT, -discount, `Discount funded by the seller, ${order}`],
      [MovementType.COMMISSION, -commission, `Marketplace commission, ${order}`],
      [MovementType.FREIGHT, -freight, `Freight borne by the seller, ${order}`],
    ];
    return parts.filter(([type, amount]) => amount !== 0 || type === MovementType.SALE).map(([type, amount, description], i) => ({ ...base, id: `${r.id}:${i}`, type, amount, description }));
  }
  const pair = KIND_TYPES[r.kind];
  const type = r.kind === LedgerEntryKind.CHECKOUT ? MovementType.SALE : pair ? pair[net < 0 ? 0 : 1] : MovementType.OTHER;
  const description = r.memo ?? `${r.kind.toLowerCase()}, ${order}`;
  return [{ ...base, id: r.id, type, amount: net, description }];
}

export async function buildStatement(em: EntityManager, sellerId: string, from: string, to: string, timeZone: string, currency: string): Promise<Statement> {
  const start = startOfDate(from, timeZone);
  const end = startOfDate(addDays(to, 1), timeZone);
  const [opening] = await em.execute<{ balance: string }[]>(
    `select coalesce(sum(credit) - sum(debit), 0)::text as balance from ledger_line where seller_id = ? and account = ? and created_at < ?`,
    [sellerId, LedgerAccount.SELLER_PAYABLE, start],
  );
  const rows = await em.execute<LineRow[]>(
    `select l.id, l.created_at, l.debit::text as debit, l.credit::text as credit, e.kind, e.memo, e.order_id, e.cart_number,
            o.code as order_code, cl.merchandise::text as merchandise, cl.seller_discount::text as seller_discount,
            (select sum(c.credit) from ledger_line c where c.entry_id = e.id and c.account = '${LedgerAccount.COMMISSION_REVENUE}')::text as commission
       from ledger_line l join ledger_entry e on e.id = l.entry_id left join "order" o on o.id = e.order_id
       left join lateral (
         select sum(ol.merchandise_cents) as merchandise, sum(ol.seller_funded_discount_cents) as seller_discount
           from order_line ol where ol.order_id = e.order_id and not ol.added_by_edit
       ) cl on e.kind = '${LedgerEntryKind.CHECKOUT}'
      where l.seller_id = ? and l.account = ? and l.created_at >= ? and l.created_at < ?
      order by l.created_at, l.id`,
    [sellerId, LedgerAccount.SELLER_PAYABLE, start, end],
  );
  let balance = centsFromDb(opening?.balance ?? '0');
  const openingBalance = balance;
  let credits = 0;
  let debits = 0;
  const movements: Movement[] = [];
  for (const row of rows) {
    const net = centsFromDb(row.credit) - centsFromDb(row.debit);
    if (net > 0) credits += net;
    else debits -= net;
    for (const m of movementsOf(row)) {
      balance += m.amount;
      movements.push({ ...m, sellerId, balance });
    }
  }
  return { sellerId, from, to, currency, opening: openingBalance, closing: balance, credits, debits, movements, timeZone };
}

/** The statement GraphQL serves: dates checked, the seller scoped (its own, or the one staff name). */
export async function sellerStatement(ctx: Context, requested: string | null | undefined, from: string, to: string): Promise<Statement> {
  const sellerId = await oneSeller(ctx, PAYOUTS_ACCESS.readPayouts, requested);
  if (!isCalendarDate(from)) throw badInput('from is a date written YYYY-MM-DD.', 'from');
  if (!isCalendarDate(to)) throw badInput('to is a date written YYYY-MM-DD.', 'to');
  const days = daysBetween(from, to);
  if (days < 0) throw badInput('to comes before from.', 'to');
  if (days >= MAX_STATEMENT_DAYS) throw badInput(`A statement covers at most ${MAX_STATEMENT_DAYS} days.`, 'to');
  const { settings } = await storeToday(ctx);
  return buildStatement(ctx.em, sellerId, from, to, settings.timeZone, settings.currency);
}

/** The columns of statementCsv, in order. */
export const STATEMENT_CSV_COLUMNS = ['date', 'time', 'type', 'order_code', 'cart_number', 'description', 'amount', 'balance'] as const;

const quote = (value: string) => (/[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value);
/** Free text a spreadsheet would run as a formula gets a leading apostrophe. */
const inert = (text: string) => (/^[=+\-@\t\r]/.test(text) ? `'${text}` : text);

const wallClock = (at: Date, timeZone: string) => {
  const p = Object.fromEntries(
    new Intl.DateTimeFormat('en-CA', { timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' })
      .formatToParts(at)
      .map((x) => [x.type, x.value]),
  ) as Record<string, string>;
  return { date: `${p.year}-${p.month}-${p.day}`, time: `${p.hour}:${p.minute}:${p.second}` };
};

/**
 * The statement as CSV (RFC 4180, comma-separated, CRLF): the columns of
 * STATEMENT_CSV_COLUMNS; date and time in the store's time zone; amounts in reais with a
 * point and two decimals (credits positive, debits negative). Text that a spreadsheet would
 * run as a formula starts with an apostrophe.
 */
export function statementCsv(s: Statement): string {
  const lines = [STATEMENT_CSV_COLUMNS.join(',')];
  for (const m of s.movements) {
    const { date, time } = wallClock(m.at, s.timeZone);
    lines.push(
      [date, time, m.type, m.orderCode ?? '', m.cartNumber ?? '', inert(m.description), centsToDecimalString(m.amount), centsToDecimalString(m.balance)]
        .map((v) => quote(String(v)))
        .join(','),
    );
  }
  return `${lines.join('\r\n')}\r\n`;
}
