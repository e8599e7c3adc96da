import type { FilterQuery } from '@mikro-orm/core';
import { assertMay, may, type Viewer } from '../../shared/access/index.js';
import { forbidden } from '../../shared/errors/index.js';
import { TICKETS_ACCESS } from './tickets.access.js';
import { Ticket, TicketKind, TicketSide } from './tickets.entity.js';

const accessOf = (kind: TicketKind) => (kind === TicketKind.CUSTOMER ? TICKETS_ACCESS.customerTickets : TICKETS_ACCESS.supportTickets);

/**
 * The one filter that confines a ticket list to the viewer (the seller-scope habit): a
 * customer sees its own tickets, a seller user its seller's (customer tickets: OWNER and
 * SERVICE users only), operator staff all of them. FORBIDDEN for anybody else.
 */
export function ticketScope(viewer: Viewer, kind: TicketKind): FilterQuery<Ticket> {
  assertMay(viewer, accessOf(kind));
  switch (viewer.kind) {
    case 'CUSTOMER':
      if (kind !== TicketKind.CUSTOMER) throw forbidden('Support tickets are between sellers and the operator.');
      return { kind, customerId: viewer.user.id };
    case 'SELLER':
      return { kind, seller: viewer.seller.id };
    case 'OPERATOR':
      return { kind };
    default:
      throw forbidden();
  }
}

/** Whether the viewer may read this ticket (and its attachments); the twin of ticketScope for one row. */
export function canReadTicket(viewer: Viewer, ticket: Ticket): boolean {
  if (!may(viewer, accessOf(ticket.kind))) return false;
  switch (viewer.kind) {
    case 'CUSTOMER':
      return ticket.kind === TicketKind.CUSTOMER && ticket.customerId === viewer.user.id;
    case 'SELLER':
      return ticket.seller?.id === viewer.seller.id;
    case 'OPERATOR':
      return true;
    default:
      return false;
  }
}

/** Which side the viewer writes on: customers (and sellers on support tickets) ask, the others serve. */
export function sideOf(viewer: Viewer, ticket: Ticket): TicketSide {
  if (viewer.kind === 'CUSTOMER') return TicketSide.REQUESTER;
  if (viewer.kind === 'SELLER') return ticket.kind === TicketKind.SUPPORT ? TicketSide.REQUESTER : TicketSide.SERVICE;
  return TicketSide.SERVICE;
}
