import { accessRules } from '../../shared/access/index.js';
import { TICKETS_ACCESS } from './tickets.access.js';

const allowed = accessRules('tickets', TICKETS_ACCESS);

/**
 * Tickets' fields. The list and the mutations admit everyone who may ever see a ticket;
 * which tickets is the service's scope (tickets.scope.ts), so the rows a caller reaches are
 * already its own and their fields share one rule.
 */
export const ticketRules = {
  Query: { tickets: allowed.anyTickets, ticket: allowed.anyTickets, serviceCalendar: allowed.readCalendar },
  Mutation: {
    openTicket: allowed.anyTickets,
    addTicketMessage: allowed.anyTickets,
    closeTicket: allowed.anyTickets,
    updateServiceCalendar: allowed.manageCalendar,
  },
  Ticket: { '*': allowed.anyTickets },
  TicketMessage: { '*': allowed.anyTickets },
  TicketAttachment: { '*': allowed.anyTickets },
  ServiceCalendar: { '*': allowed.readCalendar },
};
