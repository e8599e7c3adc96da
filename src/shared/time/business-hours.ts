import { addDays, isoWeekday, startOfDate } from './calendar.js';
import { dateIn } from './zone.js';

/**
 * When a service desk works: weekdays, opening and closing time (minutes after midnight, in
 * the store's time zone) and holidays. Deadlines counted in business hours skip the rest.
 */
export interface BusinessCalendar {
  timeZone: string;
  /** ISO weekdays the desk works: 1 = Monday … 7 = Sunday. */
  weekdays: readonly number[];
  opensAtMinute: number;
  closesAtMinute: number;
  /** Dates (YYYY-MM-DD) the desk is closed. */
  holidays: readonly string[];
}

const MINUTE = 60_000;

/** The business minutes' windows of one date, or null when the desk is closed that day. */
function windowOf(date: string, cal: BusinessCalendar): { open: number; close: number } | null {
  if (!cal.weekdays.includes(isoWeekday(date)) || cal.holidays.includes(date)) return null;
  const start = startOfDate(date, cal.timeZone).getTime();
  return { open: start + cal.opensAtMinute * MINUTE, close: start + cal.closesAtMinute * MINUTE };
}

/**
 * The instant `minutes` business minutes after `from`: time outside the desk's hours,
 * weekends and holidays does not count. A request made on Friday evening with 8 hours to go
 * is due on Monday (or the next working day) 8 working hours after opening.
 */
export function addBusinessMinutes(from: Date, minutes: number, cal: BusinessCalendar): Date {
  if (cal.closesAtMinute <= cal.opensAtMinute || !cal.weekdays.length) throw new Error('a business calendar needs working hours and weekdays');
  let left = minutes * MINUTE;
  let cursor = from.getTime();
  let date = dateIn(from, cal.timeZone);
  // A year of closed days at most (weekdays exist, holidays are finite).
  for (let guard = 0; guard < 800; guard++) {
    const w = windowOf(date, cal);
    if (w) {
      const begin = Math.max(cursor, w.open);
      if (begin < w.close) {
        if (begin + left <= w.close) return new Date(begin + left);
        left -= w.close - begin;
      }
    }
    date = addDays(date, 1);
    cursor = startOfDate(date, cal.timeZone).getTime();
  }
  throw new Error('no business hours found within 800 days');
}
