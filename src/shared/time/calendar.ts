/**
 * Calendar dates ("YYYY-MM-DD", no time, no zone) and the instants that bound them in a time
 * zone. Settlement dates, payout period ends and statement periods are dates in the store's
 * time zone (design.md); arithmetic on them is done on the date itself (UTC noon-free integer
 * days), never on instants, so a daylight-saving change cannot move a date.
 */

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DAY_MS = 86_400_000;

/** Whether `value` is a real calendar date written YYYY-MM-DD (2026-02-30 is not). */
export function isCalendarDate(value: unknown): value is string {
  if (typeof value !== 'string') return false;
  const m = DATE_RE.exec(value);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  return y >= 1970 && y <= 9999 && mo >= 1 && mo <= 12 && d >= 1 && d <= daysInMonth(y, mo);
}

function parts(date: string): { y: number; m: number; d: number } {
  const match = DATE_RE.exec(date);
  if (!match) throw new Error(`not a calendar date: ${date}`);
  return { y: Number(match[1]), m: Number(match[2]), d: Number(match[3]) };
}

const format = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const epochDay = (date: string) => {
  const { y, m, d } = parts(date);
  return Date.UTC(y, m - 1, d);
};

/** Days in month `m` (1–12) of year `y`. */
export function daysInMonth(y: number, m: number): number {
  return new Date(Date.UTC(y, m, 0)).getUTCDate();
}

/** The date `n` days after `date` (before, for negative n). */
export function addDays(date: string, n: number): string {
  return format(epochDay(date) + n * DAY_MS);
}

/** Whole days from `a` to `b` (positive when b is later). */
export function daysBetween(a: string, b: string): number {
  return Math.round((epochDay(b) - epochDay(a)) / DAY_MS);
}

/** ISO weekday: 1 = Monday … 7 = Sunday. */
export function isoWeekday(date: string): number {
  const day = new Date(epochDay(date)).getUTCDay();
  return day === 0 ? 7 : day;
}

/** Year, month (1–12) and day of a date. */
export function dateParts(date: string): { year: number; month: number; day: number } {
  const { y, m, d } = parts(date);
  return { year: y, month: m, day: d };
}

/** Whether the runtime knows this IANA time zone (e.g. America/Sao_Paulo). */
export function isTimeZone(value: unknown): value is string {
  if (typeof value !== 'string' || !value || value.length > 64) return false;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: value });
    return true;
  } catch {
    return false;
  }
}

/** Offset of `timeZone` from UTC at `instant`, in milliseconds (São Paulo: −3 h). */
function offsetAt(instant: number, timeZone: string): number {
  const p = Object.fromEntries(
    new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' })
      .formatToParts(new Date(instant))
      .filter((x) => x.type !== 'literal')
      .map((x) => [x.type, Number(x.value)]),
  ) as Record<'year' | 'month' | 'day' | 'hour' | 'minute' | 'second', number>;
  const asUtc = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second);
  return asUtc - Math.floor(instant / 1000) * 1000;
}

/** The instant a date begins in a time zone: 2026-03-01 in São Paulo is 03:00 UTC. */
export function startOfDate(date: string, timeZone: string): Date {
  const guess = epochDay(date);
  // Two rounds settle the offset even when the day starts next to a daylight-saving change.
  let instant = guess - offsetAt(guess, timeZone);
  instant = guess - offsetAt(instant, timeZone);
  return new Date(instant);
}
