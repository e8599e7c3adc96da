import { describe, expect, it } from 'vitest';
import { addDays, daysBetween, isCalendarDate, isTimeZone, isoWeekday, startOfDate } from '../../shared/time/index.js';
import { PayoutFrequency, SettlementBasis } from '../sellers/index.js';
import { availableOnFor, isPeriodEnd, lastPeriodEnd, periodEndsAfter, type SettlementRule } from './settlement.js';

const rule: SettlementRule = { basis: SettlementBasis.DAYS_AFTER_DELIVERY, settlementDays: 14, fallbackDays: 30, returnWindowDays: 7, timeZone: 'America/Sao_Paulo' };

describe('calendar dates', () => {
  it('adds days across months, years and leap days, and names weekdays', () => {
    expect(addDays('2028-02-28', 1)).toBe('2028-02-29');
    expect(addDays('2027-02-28', 1)).toBe('2027-03-01');
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(addDays('2026-03-01', -1)).toBe('2026-02-28');
    expect(daysBetween('2026-01-01', '2027-01-01')).toBe(365);
    expect(isoWeekday('2026-12-07')).toBe(1); // a Monday
    expect(isoWeekday('2026-12-06')).toBe(7);
    expect(['2026-02-29', '2028-02-29', '2026-13-01', '26-01-01', '2026-1-1'].map(isCalendarDate)).toEqual([false, true, false, false, false]);
    expect(['America/Sao_Paulo', 'UTC', 'Mars/Olympus', ''].map(isTimeZone)).toEqual([true, true, false, false]);
  });

  it('finds the instant a date starts in a time zone, across daylight-saving changes', () => {
    expect(startOfDate('2026-12-06', 'America/Sao_Paulo').toISOString()).toBe('2026-12-06T03:00:00.000Z');
    // New York springs forward on 2026-03-08 at 02:00: that day still starts at 05:00Z, the next at 04:00Z.
    expect(startOfDate('2026-03-08', 'America/New_York').toISOString()).toBe('2026-03-08T05:00:00.000Z');
    expect(startOfDate('2026-03-09', 'America/New_York').toISOString()).toBe('2026-03-09T04:00:00.000Z');
  });
});

describe('the settlement rule', () => {
  // 23:30 in São Paulo on the 9th is already the 10th in UTC: the store's date counts.
  const late = (d: string) => new Date(`${d}T23:30:00-03:00`);

  it('dates a receivable N days after delivery, M after shipping without one, the earlier with both', () => {
    expect(availableOnFor({}, rule)).toBeNull();
    expect(availableOnFor({ shippedAt: late('2026-11-09') }, rule)).toBe('2026-12-09');
    expect(availableOnFor({ shippedAt: late('2026-11-09'), deliveredAt: late('2026-11-12') }, rule)).toBe('2026-11-26');
    expect(availableOnFor({ shippedAt: late('2026-10-01'), deliveredAt: late('2026-11-12') }, rule)).toBe('2026-10-31');
  });

  it('waits for the return window to close with AFTER_RETURN_WINDOW', () => {
    expect(availableOnFor({ shippedAt: late('2026-11-09'), deliveredAt: late('2026-11-12') }, { ...rule, basis: SettlementBasis.AFTER_RETURN_WINDOW })).toBe('2026-11-20');
  });
});

describe('the payout calendar', () => {
  const weekly = { frequency: PayoutFrequency.WEEKLY, weekday: 3, monthDay: 1 };
  const fortnightly = { frequency: PayoutFrequency.FORTNIGHTLY, weekday: 1, monthDay: 1 };
  const monthly = (day: number) => ({ frequency: PayoutFrequency.MONTHLY, weekday: 1, monthDay: day });

  it('weekly on a weekday, fortnightly on the 15th and the last day, monthly on a day (the last when shorter)', () => {
    expect(periodEndsAfter('2026-12-06', weekly, 3)).toEqual(['2026-12-09', '2026-12-16', '2026-12-23']);
    expect(periodEndsAfter('2026-02-01', fortnightly, 4)).toEqual(['2026-02-15', '2026-02-28', '2026-03-15', '2026-03-31']);
    expect(periodEndsAfter('2026-01-15', monthly(31), 3)).toEqual(['2026-01-31', '2026-02-28', '2026-03-31']);
    expect(periodEndsAfter('2026-01-30', monthly(30), 2)).toEqual(['2026-02-28', '2026-03-30']);
    expect(isPeriodEnd('2026-12-09', weekly)).toBe(true);
    expect(lastPeriodEnd('2026-12-08', weekly)).toBe('2026-12-02');
    expect(lastPeriodEnd('2026-12-09', weekly)).toBe('2026-12-09');
    expect(lastPeriodEnd('2026-03-10', monthly(31))).toBe('2026-02-28');
  });
});
