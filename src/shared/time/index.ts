export { STORE_TIME_ZONE, yearMonthIn, dateIn } from './zone.js';
export { addDays, dateParts, daysBetween, daysInMonth, isCalendarDate, isoWeekday, isTimeZone, startOfDate } from './calendar.js';
export { atLeast } from './equalise.js';
export { CLOCK, nowOf, systemClock, type Clock } from './clock.js';
export { addBusinessMinutes, type BusinessCalendar } from './business-hours.js';
