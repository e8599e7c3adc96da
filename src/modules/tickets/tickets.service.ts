import { randomUUID } from 'node:crypto';
import { LockMode } from '@mikro-orm/core';
import type { EntityManager, FilterQuery } from '@mikro-orm/postgresql';
import type { Context } from '../../shared/runtime/index.js';
import { Validation, badInput, conflict, forbidden, notFound } from '../../shared/errors/index.js';
import { checkText, checkEmail, normaliseEmail } from '../../shared/validation/index.js';
import { actorOf, recordEvents } from '../../shared/events/index.js';
import { FilePurpose, StoredFile } from '../../shared/files/index.js';
import { viewerUser } from '../../shared/access/index.js';
import { dateIn, nowOf } from '../../shared/time/index.js';
import { assertIdExists, isId } from '../../shared/db/ids.js';
import { paginate, type ConnectionArgs } from '../../shared/pagination/index.js';
import { Order } from '../orders/index.js';
import { Seller, getSettings, sellerFilter } from '../sellers/index.js';
import { responseDeadline } from './calendar.service.js';
import { Ticket, TicketKind, TicketMessage, TicketReason, TicketSide, TicketStatus } from './tickets.entity.js';
import { canReadTicket, sideOf, ticketScope } from './tickets.scope.js';

export const MAX_ATTACHMENTS = 5;
/** A thread's length: a conversation past it is a new ticket (and the thread stays one bounded list). */
export const MAX_MESSAGES = 200;

export interface OpenTicketInput {
  kind: TicketKind;
  reason: TicketReason;
  subject: string;
  message: string;
  orderCode?: string | null;
  attachmentIds?: string[] | null;
  /** Staff opening a customer ticket without an order: who asked. */
  requesterName?: string | null;
  requesterEmail?: string | null;
}

/** A ticket's events, for e-mails now and webhooks later (design.md: every ticket change writes one). */
function ticketEvent(ctx: Context, em: EntityManager, ticket: Ticket, type: string, data: Record<string, unknown>) {
  recordEvents(em, [
    {
      type,
      aggregate: { type: 'ticket', id: ticket.id, code: ticket.protocol },
      sellerId: ticket.seller?.id ?? null,
      actor: actorOf(ctx.viewer),
      data: { kind: ticket.kind, status: ticket.status, reason: ticket.reason, orderCode: ticket.orderCode ?? null, ...data },
    },
  ]);
}

async function checkAttachments(ctx: Context, em: EntityManager, ids: readonly string[] | null | undefined, field: string[]): Promise<string[]> {
  const list = [...new Set(ids ?? [])];
  if (list.length > MAX_ATTACHMENTS) throw badInput(`A message takes at most ${MAX_ATTACHMENTS} attachments.`, ...field);
  if (!list.length) return [];
  const uploader = viewerUser(ctx.viewer)?.id;
  const files = list.every(isId) ? await em.find(StoredFile, { id: { $in: list } }) : [];
  for (const id of list) {
    const file = files.find((f) => f.id === id);
    // Only the uploader attaches a file: an id seen elsewhere cannot pull someone else's file into a ticket.
    if (!file || file.uploadedById !== uploader) throw notFound(`No file you uploaded has the id ${id}; upload it with POST /files?purpose=ATTACHMENT first.`, ...field);
    if (file.purpose !== FilePurpose.ATTACHMENT) throw badInput(`The file ${id} was uploaded as a logo, not an attachment.`, ...field);
  }
  return list;
}

async function nextProtocol(ctx: Context, em: EntityManager, at: Date): Promise<string> {
  const [row] = await em.execute<{ n: string }[]>(`select nextval('ticket_protocol_seq')::text as n`);
  const settings = await getSettings(em);
  return `${dateIn(at, settings.timeZone).replace(/-/g, '')}${row!.n.padStart(6, '0')}`;
}

function authorOf(ctx: Context): { authorKind: string; authorId: string | null; authorName: string } {
  const v = ctx.viewer;
  if (v.kind === 'CUSTOMER' || v.kind === 'SELLER' || v.kind === 'OPERATOR') return { authorKind: v.kind, authorId: v.user.id, authorName: v.user.name };
  throw forbidden();
}

/**
 * Opens a ticket with its first message. A customer opens CUSTOMER tickets (about one of its
 * orders or not), operator staff open them for a customer (by order code, or naming the
 * requester), seller users open SUPPORT tickets to the operator.
 */
export async function openTicket(ctx: Context, em: EntityManager, input: OpenTicketInput): Promise<Ticket> {
  ticketScope(ctx.viewer, input.kind);
  const v = new Validation();
  checkText(v, input.subject, 'subject', 200, true);
  checkText(v, input.message, 'message', 20_000, true);
  if (input.requesterEmail) checkEmail(v, input.requesterEmail, ['input', 'requesterEmail']);
  v.throwIfAny();
  const viewer = ctx.viewer;
  const now = nowOf(ctx.runtime);
  const ticket = em.create(Ticket, {
    protocol: '',
    kind: input.kind,
    status: TicketStatus.OPEN,
    reason: input.reason,
    subject: input.subject.trim(),
    requesterName: '',
    requesterEmail: '',
  }, { persist: false });
  if (input.kind === TicketKind.SUPPORT) {
    if (viewer.kind !== 'SELLER') throw forbidden('Support tickets are opened by seller users.');
    if (input.orderCode) {
      const order = await em.findOne(Order, { code: input.orderCode.trim().toUpperCase(), seller: viewer.seller.id });
      if (!order) throw notFound(`Your seller has no order ${input.orderCode}.`, 'input', 'orderCode');
      ticket.orderId = order.id;
      ticket.orderCode = order.code;
    }
    ticket.seller = em.getReference(Seller, viewer.seller.id, { wrapped: true });
    ticket.requesterName = viewer.user.name;
    ticket.requesterEmail = viewer.user.email;
  } else {
    if (viewer.kind === 'SELLER') throw forbidden('Customer tickets are opened by the customer or operator staff.');
    let order: Order | null = null;
    if (input.orderCode) {
      order = await em.findOne(Order, { code: input.orderCode.trim().toUpperCase() });
      // A customer's ticket can only be about its own order; someone else's reads as missing.
      if (!order || (viewer.kind === 'CUSTOMER' && order.customer?.id !== viewer.user.id)) throw notFound(`No order of yours has the code ${input.orderCode}.`, 'input', 'orderCode');
    }
    if (viewer.kind === 'CUSTOMER') {
      ticket.customerId = viewer.user.id;
      ticket.requesterName = viewer.user.name;
      ticket.requesterEmail = viewer.user.email;
    } else if (order) {
      ticket.customerId = order.customer?.id ?? null;
      ticket.requesterName = order.buyerName;
      ticket.requesterEmail = order.buyerEmail;
    } else {
      if (!input.requesterEmail || !input.requesterName?.trim()) throw badInput('Name the requester (requesterName and requesterEmail) or give the order code.', 'input', 'requesterEmail');
      ticket.requesterName = input.requesterName.trim().slice(0, 200);
      ticket.requesterEmail = normaliseEmail(input.requesterEmail);
    }
    if (order) {
      ticket.orderId = order.id;
      ticket.orderCode = order.code;
      ticket.seller = order.seller;
      ticket.buyerDocument = order.buyerDocument;
      ticket.postalCode = order.shippingAddress.postalCode.replace(/\D/g, '').slice(0, 8);
    }
  }
  const attachmentIds = await checkAttachments(ctx, em, input.attachmentIds, ['input', 'attachmentIds']);
  ticket.protocol = await nextProtocol(ctx, em, now);
  ticket.createdAt = now;
  ticket.responseDueAt = await responseDeadline(em, now);
  em.persist(ticket);
  em.persist(em.create(TicketMessage, { id: randomUUID(), ticket, side: TicketSide.REQUESTER, ...authorOf(ctx), body: input.message.trim(), attachmentIds, createdAt: now }));
  ticketEvent(ctx, em, ticket, 'ticket.opened', { side: TicketSide.REQUESTER });
  return ticket;
}


/** The ticket by id if the viewer may read it; NOT_FOUND otherwise (someone else's ticket reads as missing). */
export async function ticketFor(ctx: Context, em: EntityManager, id: string, field: string[], lock = false): Promise<Ticket> {
  const ticket = isId(id) ? await em.findOne(Ticket, { id }, lock ? { lockMode: LockMode.PESSIMISTIC_WRITE } : {}) : null;
  if (!ticket || !canReadTicket(ctx.viewer, ticket)) throw notFound('No ticket you can see has this id.', ...field);
  return ticket;
}

/** The ticket if the viewer may read it, else null (a missing, malformed or someone else's id alike). */
export async function findTicket(ctx: Context, id: string): Promise<Ticket | null> {
  const ticket = isId(id) ? await ctx.em.findOne(Ticket, { id }) : null;
  return ticket && canReadTicket(ctx.viewer, ticket) ? ticket : null;
}

/**
 * Adds a message to the thread. A requester's message (re)opens the ticket with a fresh
 * deadline; a service answer marks it ANSWERED and records whether it came in time.
 */
export async function addTicketMessage(ctx: Context, em: EntityManager, input: { ticketId: string; body: string; attachmentIds?: string[] | null }): Promise<Ticket> {
  const ticket = await ticketFor(ctx, em, input.ticketId, ['input', 'ticketId'], true);
  const v = new Validation();
  checkText(v, input.body, 'body', 20_000, true);
  v.throwIfAny();
  const attachmentIds = await checkAttachments(ctx, em, input.attachmentIds, ['input', 'attachmentIds']);
  if ((await em.count(TicketMessage, { ticket: ticket.id })) >= MAX_MESSAGES) {
    throw conflict(`Ticket ${ticket.protocol} has ${MAX_MESSAGES} messages, the most a thread holds; open a new ticket.`, 'input', 'ticketId');
  }
  const side = sideOf(ctx.viewer, ticket);
  const now = nowOf(ctx.runtime);
  let dueAt: Date | null = null;
  const before = ticket.status;
  if (side === TicketSide.REQUESTER) {
    // A follow-up while the ticket is open keeps the first deadline: writing again does not buy time.
    if (ticket.status !== TicketStatus.OPEN) ticket.responseDueAt = await responseDeadline(em, now);
    ticket.status = TicketStatus.OPEN;
    ticket.closedAt = null;
  } else {
    if (ticket.status === TicketStatus.CLOSED) throw conflict(`Ticket ${ticket.protocol} is CLOSED; the requester reopens it by writing.`, 'input', 'ticketId');
    dueAt = ticket.status === TicketStatus.OPEN ? (ticket.responseDueAt ?? null) : null;
    ticket.status = TicketStatus.ANSWERED;
    ticket.responseDueAt = null;
    ticket.firstResponseAt ??= now;
  }
  const message = em.create(TicketMessage, { id: randomUUID(), ticket, side, ...authorOf(ctx), body: input.body.trim(), attachmentIds, dueAt, createdAt: now });
  em.persist(message);
  ticketEvent(ctx, em, ticket, 'ticket.message_added', { side, messageId: message.id, reopened: before === TicketStatus.CLOSED });
  return ticket;
}

/** Either side closes a ticket; closing again is a no-op without an event. */
export async function closeTicket(ctx: Context, em: EntityManager, ticketId: string): Promise<Ticket> {
  const ticket = await ticketFor(ctx, em, ticketId, ['ticketId'], true);
  if (ticket.status === TicketStatus.CLOSED) return ticket;
  ticket.status = TicketStatus.CLOSED;
  ticket.responseDueAt = null;
  ticket.closedAt = nowOf(ctx.runtime);
  ticketEvent(ctx, em, ticket, 'ticket.closed', { side: sideOf(ctx.viewer, ticket) });
  return ticket;
}

export interface TicketSearch {
  kind: TicketKind;
  status?: TicketStatus | null;
  overdue?: boolean | null;
  sellerId?: string | null;
  protocol?: string | null;
  orderCode?: string | null;
  buyerDocument?: string | null;
  postalCode?: string | null;
}

/** Tickets the viewer may see, newest first, filtered by the search fields (each an exact match on an indexed column). */
export async function searchTickets(ctx: Context, filter: TicketSearch, args: ConnectionArgs) {
  const where: FilterQuery<Ticket>[] = [ticketScope(ctx.viewer, filter.kind)];
  if (filter.sellerId != null) {
    const sellerId = sellerFilter(ctx.viewer, filter.sellerId);
    if (ctx.viewer.kind === 'OPERATOR' && sellerId) await assertIdExists(ctx.em, Seller, sellerId, ['filter', 'sellerId'], 'seller');
    where.push({ seller: sellerId });
  }
  if (filter.status) where.push({ status: filter.status });
  const now = nowOf(ctx.runtime);
  if (filter.overdue === true) where.push({ status: TicketStatus.OPEN, responseDueAt: { $lt: now } });
  if (filter.overdue === false) where.push({ $or: [{ status: { $ne: TicketStatus.OPEN } }, { responseDueAt: { $gte: now } }] });
  if (filter.protocol) where.push({ protocol: filter.protocol.replace(/\D/g, '') });
  if (filter.orderCode) where.push({ orderCode: filter.orderCode.trim().toUpperCase() });
  if (filter.buyerDocument) where.push({ buyerDocument: filter.buyerDocument.replace(/[^0-9A-Za-z]/g, '').toUpperCase() });
  if (filter.postalCode) where.push({ postalCode: filter.postalCode.replace(/\D/g, '') });
  return paginate(ctx.em, Ticket, { $and: where }, args, { createdAt: 'desc' } as never);
}

/** Whether an open ticket's deadline has passed at the wired clock's now. */
export function isOverdue(ctx: Context, ticket: Ticket): boolean {
  return ticket.status === TicketStatus.OPEN && !!ticket.responseDueAt && ticket.responseDueAt.getTime() < nowOf(ctx.runtime).getTime();
}
