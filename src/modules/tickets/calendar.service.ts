import type { EntityManager } from '@mikro-orm/postgresql';
import type { Context } from '../../shared/runtime/index.js';
import { Validation } from '../../shared/errors/index.js';
import { addBusinessMinutes, isCalendarDate, type BusinessCalendar } from '../../shared/time/index.js';
import { getSettings } from '../sellers/index.js';
import { ServiceCalendar } from './tickets.entity.js';

/** The service-desk calendar, created with its defaults on first use (Monday–Friday, 09:00–18:00, 16 business hours). */
export async function serviceCalendar(em: EntityManager): Promise<ServiceCalendar> {
  const found = await em.findOne(ServiceCalendar, { id: 1 });
  if (found) return found;
  await em.execute(`insert into service_calendar (id, weekdays, opens_at_minute, closes_at_minute, holidays, response_business_hours) values (1, '[1,2,3,4,5]', 540, 1080, '[]', 16) on conflict do nothing`);
  return em.findOneOrFail(ServiceCalendar, { id: 1 });
}

/** The calendar as the deadline arithmetic reads it, in the store's time zone. */
export async function businessCalendar(em: EntityManager): Promise<{ calendar: BusinessCalendar; responseMinutes: number }> {
  const [row, settings] = await Promise.all([serviceCalendar(em), getSettings(em)]);
  return {
    calendar: { timeZone: settings.timeZone, weekdays: row.weekdays, opensAtMinute: row.opensAtMinute, closesAtMinute: row.closesAtMinute, holidays: row.holidays },
    responseMinutes: row.responseBusinessHours * 60,
  };
}

/** When an answer to a requester's message written at `at` is due. */
export async function responseDeadline(em: EntityManager, at: Date): Promise<Date> {
  const { calendar, responseMinutes } = await businessCalendar(em);
  return addBusinessMinutes(at, responseMinutes, calendar);
}

export interface ServiceCalendarChange {
  weekdays?: number[] | null;
  opensAt?: string | null;
  closesAt?: string | null;
  holidays?: string[] | null;
  responseBusinessHours?: number | null;
}

const HHMM = /^([01]\d|2[0-3]):([0-5]\d)$|^24:00$/;
const minutesOf = (s: string) => Number(s.slice(0, 2)) * 60 + Number(s.slice(3, 5));
export const hhmm = (m: number) => `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;

/** Operator owners/admins change the calendar; open tickets keep the deadline they were given. */
export async function updateServiceCalendar(_ctx: Context, em: EntityManager, input: ServiceCalendarChange): Promise<ServiceCalendar> {
  const row = await serviceCalendar(em);
  const v = new Validation();
  const f = (n: string) => ['input', n];
  if (input.weekdays != null) {
    v.check(input.weekdays.length > 0 && input.weekdays.every((d) => Number.isInteger(d) && d >= 1 && d <= 7), 'Weekdays are 1 (Monday) to 7 (Sunday), at least one.', f('weekdays'));
  }
  if (input.opensAt != null) v.check(HHMM.test(input.opensAt), 'Opening time is HH:MM.', f('opensAt'));
  if (input.closesAt != null) v.check(HHMM.test(input.closesAt), 'Closing time is HH:MM.', f('closesAt'));
  if (input.holidays != null) v.check(input.holidays.length <= 366 && input.holidays.every(isCalendarDate), 'Holidays are dates written YYYY-MM-DD (at most 366).', f('holidays'));
  if (input.responseBusinessHours != null) v.check(Number.isInteger(input.responseBusinessHours) && input.responseBusinessHours >= 1 && input.responseBusinessHours <= 720, 'The response time is 1 to 720 business hours.', f('responseBusinessHours'));
  v.throwIfAny();
  const opens = input.opensAt != null ? minutesOf(input.opensAt) : row.opensAtMinute;
  const closes = input.closesAt != null ? minutesOf(input.closesAt) : row.closesAtMinute;
  v.check(opens < closes, 'The desk must close after it opens.', f('closesAt'));
  v.throwIfAny();
  if (input.weekdays != null) row.weekdays = [...new Set(input.weekdays)].sort();
  row.opensAtMinute = opens;
  row.closesAtMinute = closes;
  if (input.holidays != null) row.holidays = [...new Set(input.holidays)].sort();
  if (input.responseBusinessHours != null) row.responseBusinessHours = input.responseBusinessHours;
  return row;
}
