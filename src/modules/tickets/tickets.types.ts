import { Field, ID, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import { DateTimeResolver } from 'graphql-scalars';
import { UserError } from '../../shared/errors/index.js';
import { ConnectionType } from '../../shared/pagination/index.js';
import { TicketKind, TicketReason, TicketSide, TicketStatus } from './tickets.entity.js';

registerEnumType(TicketKind, {
  name: 'TicketKind',
  description: 'Customer service (SAC) tickets and seller-to-operator support tickets.',
  valuesConfig: {
    CUSTOMER: { description: "A customer's ticket, about an order or not; answered by the order's seller and operator staff." },
    SUPPORT: { description: "A seller's ticket to the operator (help desk)." },
  },
});
registerEnumType(TicketStatus, {
  name: 'TicketStatus',
  description: 'Where a ticket stands.',
  valuesConfig: {
    OPEN: { description: "Waiting for the service side's answer, which is due at responseDueAt." },
    ANSWERED: { description: 'Answered; waiting for the requester.' },
    CLOSED: { description: 'Settled; a new message from the requester reopens it.' },
  },
});
registerEnumType(TicketReason, {
  name: 'TicketReason',
  description: 'What a ticket is about.',
  valuesConfig: {
    ORDER_STATUS: { description: 'Where an order stands.' },
    DELIVERY: { description: 'Delivery, tracking, late or missing parcels.' },
    RETURN_EXCHANGE: { description: 'Returns and exchanges.' },
    PAYMENT: { description: 'Payments and refunds.' },
    PRODUCT: { description: 'A product: questions or defects.' },
    INVOICE: { description: 'The invoice (NF-e).' },
    ACCOUNT: { description: 'An account, access or users.' },
    PAYOUT: { description: "A seller's receivables and payouts (support tickets)." },
    CATALOG: { description: "A seller's catalog, products and review (support tickets)." },
    OTHER: { description: 'Anything else.' },
  },
});
registerEnumType(TicketSide, {
  name: 'TicketSide',
  description: 'Which side of a ticket wrote a message.',
  valuesConfig: {
    REQUESTER: { description: 'The one who asked: the customer (or staff writing for it), or the seller on a support ticket.' },
    SERVICE: { description: "The one who serves: the order's seller or operator staff (operator staff on support tickets)." },
  },
});

@ObjectType('TicketAttachment', { description: 'A file attached to a ticket message; downloaded with the same bearer token from its URL.' })
export class TicketAttachmentType {
  @Field(() => ID, { description: 'The stored file id.' })
  id!: string;

  @Field(() => String, { nullable: true, description: 'The name given at upload, if any.' })
  fileName?: string | null;

  @Field(() => String, { description: 'MIME type found in the file\'s bytes.' })
  contentType!: string;

  @Field(() => Int, { description: 'Size in bytes.' })
  size!: number;

  @Field(() => String, { description: 'Where to GET the file (send the Authorization header).' })
  url!: string;
}

@ObjectType('TicketMessage', { description: "One message of a ticket's thread." })
export class TicketMessageType {
  @Field(() => ID, { description: 'The message id.' })
  id!: string;

  @Field(() => TicketSide, { description: 'The requester or the service side.' })
  side!: TicketSide;

  @Field(() => String, { description: 'CUSTOMER, SELLER or OPERATOR: who typed it.' })
  authorKind!: string;

  @Field(() => String, { description: "The author's display name." })
  authorName!: string;

  @Field(() => String, { description: 'The text.' })
  body!: string;

  @Field(() => DateTimeResolver, { description: 'When it was written.' })
  createdAt!: Date;
}

@ObjectType('Ticket', { description: 'A customer service (SAC) or support ticket with its protocol number and thread.' })
export class TicketType {
  @Field(() => ID, { description: 'The ticket id.' })
  id!: string;

  @Field(() => String, { description: 'Protocol number told to the requester: YYYYMMDD (store time zone) and a 6-digit sequence.' })
  protocol!: string;

  @Field(() => TicketKind, { description: 'Customer or support ticket.' })
  kind!: TicketKind;

  @Field(() => TicketStatus, { description: 'Open, answered or closed.' })
  status!: TicketStatus;

  @Field(() => TicketReason, { description: 'What it is about.' })
  reason!: TicketReason;

  @Field(() => String, { description: 'A one-line subject.' })
  subject!: string;

  @Field(() => String, { nullable: true, description: 'The order it is about, by its full code.' })
  orderCode?: string | null;

  @Field(() => String, { description: 'Who asked (the buyer, or the seller user on a support ticket).' })
  requesterName!: string;

  @Field(() => DateTimeResolver, { nullable: true, description: "When the service side's answer is due (business hours of the store's service calendar); null unless OPEN." })
  responseDueAt?: Date | null;

  @Field(() => DateTimeResolver, { nullable: true, description: 'When the service side first answered.' })
  firstResponseAt?: Date | null;

  @Field(() => DateTimeResolver, { nullable: true, description: 'When it was closed.' })
  closedAt?: Date | null;

  @Field(() => DateTimeResolver, { description: 'When it was opened.' })
  createdAt!: Date;
}

export const TicketConnection = ConnectionType('Ticket', TicketType);

@InputType({ description: 'Searches tickets; every field narrows the list. A seller sees only its own, a customer only its own.' })
export class TicketFilter {
  @Field(() => TicketKind, { description: 'Customer (SAC) or support tickets.' })
  kind!: TicketKind;

  @Field(() => TicketStatus, { nullable: true, description: 'Only tickets in this status.' })
  status?: TicketStatus | null;

  @Field(() => Boolean, { nullable: true, description: 'true: only OPEN tickets past their deadline; false: only the others.' })
  overdue?: boolean | null;

  @Field(() => ID, { nullable: true, description: 'Operator staff: only this seller\'s tickets (others may only name their own).' })
  sellerId?: string | null;

  @Field(() => String, { nullable: true, description: 'The protocol number (punctuation ignored).' })
  protocol?: string | null;

  @Field(() => String, { nullable: true, description: "The order's full code." })
  orderCode?: string | null;

  @Field(() => String, { nullable: true, description: "The buyer's CPF or CNPJ, with or without mask." })
  buyerDocument?: string | null;

  @Field(() => String, { nullable: true, description: 'The delivery postal code (CEP), with or without mask.' })
  postalCode?: string | null;
}

@InputType({ description: 'Opens a ticket with its first message.' })
export class OpenTicketInput {
  @Field(() => TicketKind, { description: 'CUSTOMER (customers and operator staff) or SUPPORT (seller users, to the operator).' })
  kind!: TicketKind;

  @Field(() => TicketReason, { description: 'What it is about.' })
  reason!: TicketReason;

  @Field(() => String, { description: 'A one-line subject, up to 200 characters.' })
  subject!: string;

  @Field(() => String, { description: 'The first message, up to 20,000 characters.' })
  message!: string;

  @Field(() => String, { nullable: true, description: 'The order it is about (customers: one of theirs; sellers: one of their seller\'s).' })
  orderCode?: string | null;

  @Field(() => [ID], { nullable: true, description: 'Files the caller uploaded with POST /files?purpose=ATTACHMENT (at most 5).' })
  attachmentIds?: string[] | null;

  @Field(() => String, { nullable: true, description: 'Operator staff opening a customer ticket without an order: the requester\'s name.' })
  requesterName?: string | null;

  @Field(() => String, { nullable: true, description: "Operator staff opening a customer ticket without an order: the requester's e-mail." })
  requesterEmail?: string | null;
}

@InputType({ description: "Adds a message to a ticket's thread." })
export class AddTicketMessageInput {
  @Field(() => ID, { description: "The id of the ticket the message goes to (one the caller may read)." })
  ticketId!: string;

  @Field(() => String, { description: 'The text, up to 20,000 characters.' })
  body!: string;

  @Field(() => [ID], { nullable: true, description: 'Files the caller uploaded with POST /files?purpose=ATTACHMENT (at most 5).' })
  attachmentIds?: string[] | null;
}

@ObjectType({ description: 'The result of a ticket mutation.' })
export class TicketPayload {
  @Field(() => TicketType, { nullable: true, description: 'The ticket as it is now; null when userErrors say why not.' })
  ticket?: TicketType;

  @Field(() => [UserError], { description: 'Why the change was refused.' })
  userErrors!: UserError[];
}

@ObjectType('ServiceCalendar', { description: "The store's service-desk hours: ticket deadlines count only these." })
export class ServiceCalendarType {
  @Field(() => [Int], { description: 'ISO weekdays the desk works (1 = Monday … 7 = Sunday).' })
  weekdays!: number[];

  @Field(() => String, { description: 'Opening time, HH:MM in the store time zone.' })
  opensAt!: string;

  @Field(() => String, { description: 'Closing time, HH:MM in the store time zone.' })
  closesAt!: string;

  @Field(() => [String], { description: 'Dates (YYYY-MM-DD) the desk is closed.' })
  holidays!: string[];

  @Field(() => Int, { description: "Business hours the service side has to answer a requester's message." })
  responseBusinessHours!: number;
}

@InputType({ description: 'Changes the service calendar; fields left out stay. Open tickets keep the deadline they were given.' })
export class ServiceCalendarInput {
  @Field(() => [Int], { nullable: true, description: 'ISO weekdays the desk works (1 = Monday … 7 = Sunday).' })
  weekdays?: number[] | null;

  @Field(() => String, { nullable: true, description: 'Opening time, HH:MM.' })
  opensAt?: string | null;

  @Field(() => String, { nullable: true, description: 'Closing time, HH:MM (after the opening).' })
  closesAt?: string | null;

  @Field(() => [String], { nullable: true, description: 'Dates (YYYY-MM-DD) the desk is closed; replaces the list.' })
  holidays?: string[] | null;

  @Field(() => Int, { nullable: true, description: 'Business hours to answer, 1–720.' })
  responseBusinessHours?: number | null;
}

@ObjectType({ description: 'The result of updateServiceCalendar.' })
export class ServiceCalendarPayload {
  @Field(() => ServiceCalendarType, { nullable: true, description: 'The calendar as it is now.' })
  serviceCalendar?: ServiceCalendarType;

  @Field(() => [UserError], { description: 'Why the change was refused.' })
  userErrors!: UserError[];
}
