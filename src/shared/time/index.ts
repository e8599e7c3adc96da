export { STORE_TIME_ZONE, yearMonthIn, dateIn } from './zone.js';
