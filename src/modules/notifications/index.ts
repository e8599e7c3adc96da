// What the buyer is told after checkout: e-mails read from the domain events.
export { orderEmails, ORDER_EMAIL_EVENTS } from './order-emails.js';
