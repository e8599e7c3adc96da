import { Arg, Args, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { Context } from '../../shared/runtime/index.js';
import { runMutation } from '../../shared/errors/index.js';
import { ConnectionArgs } from '../../shared/pagination/index.js';
import { fileUrl } from '../../shared/files/index.js';
import { SellerType, sellerById } from '../sellers/index.js';
import type { Ticket, TicketMessage } from './tickets.entity.js';
import * as tickets from './tickets.service.js';
import { hhmm, serviceCalendar, updateServiceCalendar } from './calendar.service.js';
import { fileById, messagesByTicket } from './tickets.loaders.js';
import type { ServiceCalendar } from './tickets.entity.js';
import {
  AddTicketMessageInput,
  OpenTicketInput,
  ServiceCalendarInput,
  ServiceCalendarPayload,
  ServiceCalendarType,
  TicketAttachmentType,
  TicketConnection,
  TicketFilter,
  TicketMessageType,
  TicketPayload,
  TicketType,
} from './tickets.types.js';

const calendarView = (c: ServiceCalendar): ServiceCalendarType => ({
  weekdays: c.weekdays,
  opensAt: hhmm(c.opensAtMinute),
  closesAt: hhmm(c.closesAtMinute),
  holidays: c.holidays,
  responseBusinessHours: c.responseBusinessHours,
});

@Resolver(() => TicketType)
export class TicketResolver {
  @Query(() => TicketConnection, { description: 'Tickets the caller may see, newest first: customers their own, sellers their own orders\' (OWNER/SERVICE) or their support tickets, operator staff all.' })
  tickets(@Arg('filter', () => TicketFilter, { description: 'Which tickets: kind, status, overdue, protocol, order code, buyer document or delivery postal code (all optional).' }) filter: TicketFilter, @Args(() => ConnectionArgs) args: ConnectionArgs, @Ctx() ctx: Context) {
    return tickets.searchTickets(ctx, filter, args);
  }

  @Query(() => TicketType, { nullable: true, description: 'One ticket by id; null when it does not exist or is not the caller\'s to see.' })
  ticket(@Arg('id', () => ID, { description: "The ticket's id (a malformed or unknown id, or another seller's ticket, reads as null)." }) id: string, @Ctx() ctx: Context) {
    return tickets.findTicket(ctx, id);
  }

  @FieldResolver(() => Boolean, { description: "OPEN and past its response deadline at the server's clock." })
  overdue(@Root() ticket: Ticket, @Ctx() ctx: Context) {
    return tickets.isOverdue(ctx, ticket);
  }

  @FieldResolver(() => SellerType, { nullable: true, description: "The order's seller (customer tickets) or the asking seller (support tickets)." })
  seller(@Root() ticket: Ticket, @Ctx() ctx: Context) {
    return ticket.seller ? sellerById(ctx).load(ticket.seller.id) : null;
  }

  @FieldResolver(() => [TicketMessageType], { description: 'The thread, oldest first.' })
  messages(@Root() ticket: Ticket, @Ctx() ctx: Context) {
    return messagesByTicket(ctx).load(ticket.id);
  }

  @Mutation(() => TicketPayload, { description: 'Opens a ticket with a protocol number and a response deadline; the service side is e-mailed.' })
  openTicket(@Arg('input', () => OpenTicketInput, { description: 'Kind, reason, subject, first message, the order it is about (optional) and attachments.' }) input: OpenTicketInput, @Ctx() ctx: Context) {
    return runMutation(ctx.em, async (em) => ({ ticket: await tickets.openTicket(ctx, em, input) }));
  }

  @Mutation(() => TicketPayload, { description: "Adds a message to a ticket; the other side is e-mailed. A requester's message reopens a closed ticket." })
  addTicketMessage(@Arg('input', () => AddTicketMessageInput, { description: 'The ticket, the message text and the ids of files uploaded with POST /files?purpose=ATTACHMENT.' }) input: AddTicketMessageInput, @Ctx() ctx: Context) {
    return runMutation(ctx.em, async (em) => ({ ticket: await tickets.addTicketMessage(ctx, em, input) }));
  }

  @Mutation(() => TicketPayload, { description: 'Closes a ticket (either side).' })
  closeTicket(@Arg('ticketId', () => ID, { description: "The id of the ticket to close." }) ticketId: string, @Ctx() ctx: Context) {
    return runMutation(ctx.em, async (em) => ({ ticket: await tickets.closeTicket(ctx, em, ticketId) }));
  }
}

@Resolver(() => TicketMessageType)
export class TicketMessageResolver {
  @FieldResolver(() => [TicketAttachmentType], { description: 'Files attached to the message.' })
  async attachments(@Root() message: TicketMessage, @Ctx() ctx: Context): Promise<TicketAttachmentType[]> {
    const files = await fileById(ctx).loadMany(message.attachmentIds);
    return files.flatMap((f) =>
      f && !(f instanceof Error) ? [{ id: f.id, fileName: f.fileName ?? null, contentType: f.contentType, size: f.size, url: fileUrl(ctx.runtime.config.publicUrl, f.id) }] : [],
    );
  }
}

@Resolver(() => ServiceCalendarType)
export class ServiceCalendarResolver {
  @Query(() => ServiceCalendarType, { description: "The store's service-desk calendar that ticket deadlines follow." })
  async serviceCalendar(@Ctx() ctx: Context) {
    return calendarView(await serviceCalendar(ctx.em));
  }

  @Mutation(() => ServiceCalendarPayload, { description: 'Operator owners/admins change the service-desk calendar.' })
  updateServiceCalendar(@Arg('input', () => ServiceCalendarInput, { description: 'Opening hours per weekday and the holidays that count toward no deadline.' }) input: ServiceCalendarInput, @Ctx() ctx: Context) {
    return runMutation(ctx.em, async (em) => ({ serviceCalendar: calendarView(await updateServiceCalendar(ctx, em, input)) }));
  }
}
