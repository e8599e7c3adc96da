// Customer service (SAC) and seller support tickets: protocol numbers, threads with
// attachments, business-hours deadlines on the store's service calendar, and their events.
import { ServiceCalendar, Ticket, TicketMessage } from './tickets.entity.js';
import { ServiceCalendarResolver, TicketMessageResolver, TicketResolver } from './tickets.resolver.js';
import { ticketRules as rules } from './tickets.rules.js';

export const ticketResolvers: readonly (abstract new (...args: never[]) => unknown)[] = [TicketResolver, TicketMessageResolver, ServiceCalendarResolver];
export const ticketRules: Record<string, Record<string, unknown>> = rules;
export const ticketEntities: readonly (abstract new (...args: never[]) => unknown)[] = [Ticket, TicketMessage, ServiceCalendar];

// Wiring and other modules (files serving attachments, the dashboard).
export { ticketEmailConsumer, TICKET_EVENT_TYPES } from './tickets.emails.js';
export { canReadTicket } from './tickets.scope.js';
export { Ticket, TicketMessage, TicketKind, TicketStatus, TicketSide } from './tickets.entity.js';
