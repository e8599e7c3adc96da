import type { EntityManager } from '@mikro-orm/postgresql';
import type { EventConsumer, StoredEvent } from '../../shared/events/index.js';
import { enqueueEmail } from '../../shared/outbox/outbox.js';
import { Seller } from '../sellers/index.js';
import { Ticket, TicketKind, TicketMessage, TicketSide } from './tickets.entity.js';

/** The ticket events; webhooks and feeds can subscribe to the same types. */
export const TICKET_EVENT_TYPES = ['ticket.opened', 'ticket.message_added', 'ticket.closed'] as const;

/** Where the service side of a ticket is e-mailed: the order's seller, or the operator (admin seller). */
async function serviceAddress(em: EntityManager, ticket: Ticket): Promise<string | null> {
  const seller = ticket.kind === TicketKind.CUSTOMER && ticket.seller ? await em.findOne(Seller, { id: ticket.seller.id }) : await em.findOne(Seller, { isAdmin: true });
  return seller?.notificationEmail ?? seller?.email ?? null;
}

/**
 * E-mails the other side of every ticket change (design.md: e-mails read from the domain
 * events): a requester's message goes to the service side, a service answer or a closing to
 * the requester. Queued in the consumer's transaction, so each event is mailed once.
 */
export const ticketEmailConsumer: EventConsumer = {
  name: 'tickets.emails',
  types: TICKET_EVENT_TYPES,
  async handle(em: EntityManager, event: StoredEvent): Promise<void> {
    const ticket = await em.findOne(Ticket, { id: event.aggregateId });
    if (!ticket) return;
    const side = event.data.side as TicketSide | undefined;
    const messageId = event.data.messageId as string | undefined;
    const message = messageId ? await em.findOne(TicketMessage, { id: messageId }) : null;
    const label = `${ticket.kind === TicketKind.SUPPORT ? 'Chamado de suporte' : 'Atendimento'} ${ticket.protocol}`;
    if (event.type === 'ticket.closed') {
      // Closed by the requester: nobody else needs telling beyond the service side.
      const to = side === TicketSide.REQUESTER ? await serviceAddress(em, ticket) : ticket.requesterEmail;
      if (to) enqueueEmail(em, event.type, { to, subject: `${label} encerrado`, text: `O chamado ${ticket.protocol} (${ticket.subject}) foi encerrado.` });
      return;
    }
    if (side === TicketSide.REQUESTER) {
      const to = await serviceAddress(em, ticket);
      if (!to) return;
      const due = ticket.responseDueAt ? `Responda até ${ticket.responseDueAt.toISOString()}.` : '';
      enqueueEmail(em, event.type, {
        to,
        subject: `${label}: ${event.type === 'ticket.opened' ? 'novo chamado' : 'nova mensagem'} — ${ticket.subject}`,
        text: [`${ticket.requesterName} escreveu${ticket.orderCode ? ` sobre o pedido ${ticket.orderCode}` : ''}:`, '', message?.body ?? '', '', due].join('\n'),
      });
    } else {
      enqueueEmail(em, event.type, {
        to: ticket.requesterEmail,
        subject: `${label}: resposta — ${ticket.subject}`,
        text: [`Olá, ${ticket.requesterName}.`, '', `${message?.authorName ?? 'O atendimento'} respondeu ao chamado ${ticket.protocol}:`, '', message?.body ?? ''].join('\n'),
      });
    }
  },
};
