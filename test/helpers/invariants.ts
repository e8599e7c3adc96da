import type pg from 'pg';

/**
 * Money and stock invariants over a whole database, read with plain SQL (for tests that run
 * the app as processes and kill them): what must hold whatever crashed when.
 */
export interface Invariants {
  /** Journal entries whose debits and credits differ (must be none). */
  unbalancedEntries: number;
  /** Carts whose net credits to sellers, commission and freight differ from the captured amount (must be none). */
  cartsOff: { cartNumber: string; credits: number; captured: number }[];
  /** SKUs whose stock went below zero (must be none). */
  negativeStock: number;
  /** Payment transactions breaking their figures (must be none; also CHECK constraints). */
  transactionsOff: number;
}

export async function checkInvariants(c: pg.Client): Promise<Invariants> {
  const unbalanced = await c.query(`select count(*)::int as n from (
      select e.id from ledger_entry e join ledger_line l on l.entry_id = e.id group by e.id having sum(l.debit) <> sum(l.credit)) x`);
  // Checkout books the order total against the shopper; captures settle it. Once a cart's money
  // is captured (and nothing refunded), what the sellers, the commission and the freight hold
  // in the books for it is exactly what was captured.
  const carts = await c.query(`select t.cart_number, t.captured_cents::bigint as captured,
        coalesce((select sum(l.credit - l.debit) from ledger_entry e join ledger_line l on l.entry_id = e.id
                   where e.cart_id = t.cart_id and l.account in ('SELLER_PAYABLE', 'COMMISSION_REVENUE', 'FREIGHT_REVENUE')), 0)::bigint as credits
      from payment_transaction t where t.status = 'PAID' and t.refunded_cents = 0`);
  const negative = await c.query(`select count(*)::int as n from sku where stock < 0`);
  const off = await c.query(`select count(*)::int as n from payment_transaction where captured_cents + released_cents > amount_cents or refunded_cents > captured_cents`);
  return {
    unbalancedEntries: unbalanced.rows[0].n,
    cartsOff: carts.rows
      .map((r: { cart_number: string; captured: string; credits: string }) => ({ cartNumber: r.cart_number, captured: Number(r.captured), credits: Number(r.credits) }))
      .filter((r) => r.captured !== r.credits),
    negativeStock: negative.rows[0].n,
    transactionsOff: off.rows[0].n,
  };
}

export const CLEAN: Invariants = { unbalancedEntries: 0, cartsOff: [], negativeStock: 0, transactionsOff: 0 };
