/**
 * The store's time zone (design.md: dates and periods are in it; America/Sao_Paulo by default).
 * Calendar questions — which day, which month — are answered in it, never in the server's.
 */
export const STORE_TIME_ZONE = 'America/Sao_Paulo';

const parts = (date: Date, timeZone: string) =>
  Object.fromEntries(
    new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' })
      .formatToParts(date)
      .filter((p) => p.type !== 'literal')
      .map((p) => [p.type, Number(p.value)]),
  ) as { year: number; month: number; day: number };

/** The calendar year and month of an instant in a time zone. */
export function yearMonthIn(date: Date, timeZone = STORE_TIME_ZONE): { year: number; month: number } {
  const { year, month } = parts(date, timeZone);
  return { year, month };
}

/** The calendar date (YYYY-MM-DD) of an instant in a time zone. */
export function dateIn(date: Date, timeZone = STORE_TIME_ZONE): string {
  const { year, month, day } = parts(date, timeZone);
  return `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}
