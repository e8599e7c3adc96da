import type { Context } from '../../shared/runtime/index.js';
import { badInput } from '../../shared/errors/index.js';
import type { PayoutFrequency } from '../sellers/index.js';
import { PAYOUTS_ACCESS } from './payouts.access.js';
import { PayoutRun } from './payouts.entity.js';
import { ReceivableStatus } from './receivables.entity.js';
import { dueBy, outstanding, receivableFigures } from './receivables.service.js';
import { oneSeller, storeToday } from './scope.js';
import { isPeriodEnd, payoutCalendarOf, periodEndsAfter } from './settlement.js';

export interface PayoutForecast {
  periodEnd: string;
  /** Credits coming due by this date (the first date also takes everything already available). */
  credits: number;
  /** Debits taken on this date (all known debits fall on the first). */
  debits: number;
  /** A negative result of the dates before, carried into this one. */
  carriedIn: number;
  /** What the payout of this date is expected to transfer (0 when debits win: it carries forward). */
  expected: number;
}

export interface PayoutCalendarView {
  sellerId: string;
  frequency: PayoutFrequency;
  currency: string;
  today: string;
  forecasts: PayoutForecast[];
  /** Approved receivables without a date yet (their orders have not shipped). */
  undated: number;
}

export const MAX_CALENDAR_DATES = 12;

/**
 * The seller's next payout dates on the store's calendar with the amounts expected, from the
 * receivables as they stand: what is already available or dated by each date, debits on the
 * first, a negative result carried to the next. Orders not shipped yet are `undated`.
 */
export async function payoutCalendar(ctx: Context, requested: string | null | undefined, count: number | null | undefined): Promise<PayoutCalendarView> {
  const sellerId = await oneSeller(ctx, PAYOUTS_ACCESS.readPayouts, requested);
  const n = count ?? 4;
  if (!Number.isInteger(n) || n < 1 || n > MAX_CALENDAR_DATES) throw badInput(`count is 1 to ${MAX_CALENDAR_DATES}.`, 'count');
  const { settings, today } = await storeToday(ctx);
  const cal = payoutCalendarOf(settings);
  const todayPending = isPeriodEnd(today, cal) && !(await ctx.em.count(PayoutRun, { periodEnd: today, completedAt: { $ne: null } }));
  const dates = todayPending ? [today, ...periodEndsAfter(today, cal, n - 1)] : periodEndsAfter(today, cal, n);
  const figures = await receivableFigures(ctx.em, 'r.seller_id = ?', [sellerId]);
  const forecasts: PayoutForecast[] = [];
  let carried = 0;
  let previous: string | null = null;
  for (const date of dates) {
    let credits = 0;
    let debits = 0;
    for (const r of figures) {
      const out = outstanding(r);
      const dueNow = dueBy(r, date);
      const duePrev = previous !== null && dueBy(r, previous);
      if (!dueNow || duePrev) continue;
      if (out > 0) credits += out;
      else debits -= out;
    }
    const result = carried + credits - debits;
    forecasts.push({ periodEnd: date, credits, debits, carriedIn: carried, expected: Math.max(result, 0) });
    carried = Math.min(result, 0);
    previous = date;
  }
  const undated = figures.filter((r) => r.status === ReceivableStatus.SCHEDULED && !r.availableOn && outstanding(r) > 0).reduce((s, r) => s + outstanding(r), 0);
  return { sellerId, frequency: settings.payoutFrequency, currency: settings.currency, today, forecasts, undated };
}
