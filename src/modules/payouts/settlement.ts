import { addDays, dateIn, dateParts, daysInMonth, isoWeekday } from '../../shared/time/index.js';
import { PayoutFrequency, SettlementBasis, type MarketplaceSettings } from '../sellers/index.js';

/**
 * The store's settlement rule and payout calendar as pure functions of dates: when a
 * receivable becomes available, and which dates end a payout period. Everything is a
 * calendar date in the store's time zone.
 */

export interface SettlementRule {
  basis: SettlementBasis;
  /** N: days after delivery (DAYS_AFTER_DELIVERY). */
  settlementDays: number;
  /** M: days after shipping, when no delivery is posted. */
  fallbackDays: number;
  /** The return window, from delivery (AFTER_RETURN_WINDOW waits for it to close). */
  returnWindowDays: number;
  timeZone: string;
}

export interface PayoutCalendar {
  frequency: PayoutFrequency;
  /** ISO weekday (1 = Monday) of WEEKLY payouts. */
  weekday: number;
  /** Day of MONTHLY payouts; a shorter month pays on its last day. */
  monthDay: number;
}

export function settlementRuleOf(s: MarketplaceSettings): SettlementRule {
  return { basis: s.settlementBasis, settlementDays: s.settlementDays, fallbackDays: s.settlementFallbackDays, returnWindowDays: s.returnWindowDays, timeZone: s.timeZone };
}

export function payoutCalendarOf(s: MarketplaceSettings): PayoutCalendar {
  return { frequency: s.payoutFrequency, weekday: s.payoutWeekday, monthDay: s.payoutMonthDay };
}

/**
 * The date an approved order's receivable becomes available, or null while it has not
 * shipped. Shipping sets the fallback (M days after the shipping date); a posted delivery
 * sets N days after the delivery date (DAYS_AFTER_DELIVERY) or the day after the return
 * window closes (AFTER_RETURN_WINDOW). With both, the earlier date wins: the fallback is the
 * longest a seller waits, and a date once reached never moves later.
 */
export function availableOnFor(order: { shippedAt?: Date | null; deliveredAt?: Date | null }, rule: SettlementRule): string | null {
  const fallback = order.shippedAt ? addDays(dateIn(order.shippedAt, rule.timeZone), rule.fallbackDays) : null;
  let byDelivery: string | null = null;
  if (order.deliveredAt) {
    const delivered = dateIn(order.deliveredAt, rule.timeZone);
    byDelivery = rule.basis === SettlementBasis.AFTER_RETURN_WINDOW ? addDays(delivered, rule.returnWindowDays + 1) : addDays(delivered, rule.settlementDays);
  }
  if (fallback && byDelivery) return fallback < byDelivery ? fallback : byDelivery;
  return byDelivery ?? fallback;
}

/** Whether `date` ends a payout period on this calendar. */
export function isPeriodEnd(date: string, cal: PayoutCalendar): boolean {
  const { year, month, day } = dateParts(date);
  const last = daysInMonth(year, month);
  switch (cal.frequency) {
    case PayoutFrequency.WEEKLY:
      return isoWeekday(date) === cal.weekday;
    case PayoutFrequency.FORTNIGHTLY:
      return day === 15 || day === last;
    case PayoutFrequency.MONTHLY:
      return day === Math.min(cal.monthDay, last);
  }
}

/** The next `count` period ends strictly after `date`. */
export function periodEndsAfter(date: string, cal: PayoutCalendar, count: number): string[] {
  const out: string[] = [];
  let d = date;
  // A period end comes at least once every 31 days on every calendar.
  for (let guard = 0; out.length < count && guard < 32 * count + 32; guard++) {
    d = addDays(d, 1);
    if (isPeriodEnd(d, cal)) out.push(d);
  }
  return out;
}

/** The latest period end on or before `date`. */
export function lastPeriodEnd(date: string, cal: PayoutCalendar): string {
  let d = date;
  for (let guard = 0; guard < 40; guard++) {
    if (isPeriodEnd(d, cal)) return d;
    d = addDays(d, -1);
  }
  throw new Error(`no payout period end within 40 days before ${date}`);
}
