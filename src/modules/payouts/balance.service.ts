import type { EntityManager } from '@mikro-orm/postgresql';
import type { Context } from '../../shared/runtime/index.js';
import { centsFromDb } from '../../shared/money/index.js';
import { sellerPayableBalance } from '../finance/index.js';
import { PAYOUTS_ACCESS } from './payouts.access.js';
import { PayoutStatus } from './payouts.entity.js';
import { outstanding, receivableFigures, stateOf } from './receivables.service.js';
import { oneSeller, storeToday } from './scope.js';

/**
 * A seller's balance by receivable state (breaking change: sellerBalance was one Money).
 * `total` is the ledger's SELLER_PAYABLE balance, and
 *   total = pending + scheduled + available − debits
 * always: `pending` also holds the ledger movements no receivable carries yet (an order
 * placed a moment ago whose receivable the event consumer has not created).
 */
export interface SellerBalanceView {
  sellerId: string;
  currency: string;
  /** The date (store time zone) the states were read for. */
  asOf: string;
  pending: number;
  scheduled: number;
  available: number;
  debits: number;
  total: number;
  paid: number;
  processing: number;
}

export async function computeBalance(em: EntityManager, sellerId: string, asOf: string, currency: string): Promise<SellerBalanceView> {
  const figures = await receivableFigures(em, 'r.seller_id = ?', [sellerId]);
  let scheduled = 0;
  let available = 0;
  let debits = 0;
  for (const r of figures) {
    const out = outstanding(r);
    if (out < 0) debits -= out;
    else if (out > 0) {
      const state = stateOf(r, asOf);
      // PENDING receivables fall into `pending` below, with the ledger not tied to any receivable.
      if (state === 'SCHEDULED') scheduled += out;
      else if (state !== 'PENDING') available += out;
    }
  }
  const total = await sellerPayableBalance(em, sellerId);
  const [sums] = await em.execute<{ paid: string; processing: string }[]>(
    `select coalesce(sum(amount_cents) filter (where status = ?), 0)::text as paid, coalesce(sum(amount_cents) filter (where status = ?), 0)::text as processing
       from payout where seller_id = ?`,
    [PayoutStatus.PAID, PayoutStatus.PROCESSING, sellerId],
  );
  const pending = total - scheduled - available + debits;
  return {
    sellerId,
    currency,
    asOf,
    pending,
    scheduled,
    available,
    debits,
    total,
    paid: centsFromDb(sums?.paid ?? '0'),
    processing: centsFromDb(sums?.processing ?? '0'),
  };
}

export async function sellerBalance(ctx: Context, requested: string | null | undefined): Promise<SellerBalanceView> {
  const sellerId = await oneSeller(ctx, PAYOUTS_ACCESS.readPayouts, requested);
  const { settings, today } = await storeToday(ctx);
  return computeBalance(ctx.em, sellerId, today, settings.currency);
}
