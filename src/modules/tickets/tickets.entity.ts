import { Check, Entity, Enum, Index, ManyToOne, PrimaryKey, Property, Unique, type Opt, type Ref } from '@mikro-orm/core';
import { BaseEntity } from '../../shared/db/base.entity.js';
import { Seller } from '../sellers/index.js';

/** Customer service (SAC) tickets, and seller → operator support tickets: same thread and deadline machinery. */
export enum TicketKind {
  /** A customer's ticket (about an order or not), answered by the order's seller and operator staff. */
  CUSTOMER = 'CUSTOMER',
  /** A seller's ticket to the operator. */
  SUPPORT = 'SUPPORT',
}

export enum TicketStatus {
  /** Waiting for the service side's answer; has a response deadline. */
  OPEN = 'OPEN',
  /** The service side answered; waiting for the requester. */
  ANSWERED = 'ANSWERED',
  /** Settled; a new message from the requester opens it again. */
  CLOSED = 'CLOSED',
}

export enum TicketReason {
  ORDER_STATUS = 'ORDER_STATUS',
  DELIVERY = 'DELIVERY',
  RETURN_EXCHANGE = 'RETURN_EXCHANGE',
  PAYMENT = 'PAYMENT',
  PRODUCT = 'PRODUCT',
  INVOICE = 'INVOICE',
  ACCOUNT = 'ACCOUNT',
  PAYOUT = 'PAYOUT',
  CATALOG = 'CATALOG',
  OTHER = 'OTHER',
}

/** Which side of a ticket wrote a message: the one who asked, or the one who serves. */
export enum TicketSide {
  REQUESTER = 'REQUESTER',
  SERVICE = 'SERVICE',
}

/**
 * A ticket ("chamado") with its protocol number. Search columns (order code, buyer document,
 * delivery postal code) are copied from the order when it is opened, so a search reads one table.
 */
@Entity({ tableName: 'ticket' })
@Index({ name: 'ticket_seller_status', properties: ['kind', 'seller', 'status', 'responseDueAt'] })
@Index({ name: 'ticket_customer', properties: ['customerId', 'createdAt'] })
@Index({ name: 'ticket_order_code', properties: ['orderCode'] })
@Index({ name: 'ticket_buyer_document', properties: ['buyerDocument'] })
@Index({ name: 'ticket_postal_code', properties: ['postalCode'] })
export class Ticket extends BaseEntity {
  /** YYYYMMDD (store time zone) + a store-wide sequence of 6 digits, e.g. 20261204000123. */
  @Property({ type: 'string', length: 20 })
  @Unique({ name: 'ticket_protocol_unique' })
  protocol!: string;

  @Enum({ items: () => TicketKind })
  kind!: TicketKind;

  @Enum({ items: () => TicketStatus })
  status!: TicketStatus;

  @Enum({ items: () => TicketReason })
  reason!: TicketReason;

  @Property({ type: 'string', length: 200 })
  subject!: string;

  /** CUSTOMER: the order's seller (null when not about an order: the operator answers). SUPPORT: the seller asking. */
  @ManyToOne({ entity: () => Seller, ref: true, nullable: true, deleteRule: 'restrict' })
  seller?: Ref<Seller> | null;

  @Property({ type: 'uuid', nullable: true })
  orderId?: string | null;

  @Property({ type: 'string', length: 40, nullable: true })
  orderCode?: string | null;

  /** The customer's account, when the requester has one. */
  @Property({ type: 'uuid', nullable: true })
  customerId?: string | null;

  @Property({ type: 'string', length: 200 })
  requesterName!: string;

  /** Where the requester is e-mailed about answers. */
  @Property({ type: 'string', length: 320 })
  requesterEmail!: string;

  /** The buyer's CPF/CNPJ (digits), from the order or the customer's account. */
  @Property({ type: 'string', length: 14, nullable: true })
  buyerDocument?: string | null;

  /** The order's delivery postal code (8 digits). */
  @Property({ type: 'string', length: 8, nullable: true })
  postalCode?: string | null;

  /** When the service side must answer by (business hours of the store's calendar); null unless OPEN. */
  @Property({ type: 'datetime', nullable: true })
  responseDueAt?: Date | null;

  @Property({ type: 'datetime', nullable: true })
  firstResponseAt?: Date | null;

  @Property({ type: 'datetime', nullable: true })
  closedAt?: Date | null;
}

/** One message of a ticket's thread, with its attachments (stored files). */
@Entity({ tableName: 'ticket_message' })
@Index({ name: 'ticket_message_ticket', properties: ['ticket', 'createdAt'] })
@Index({ name: 'ticket_message_attachments', expression: 'create index "ticket_message_attachments" on "ticket_message" using gin ("attachment_ids" jsonb_path_ops)' })
export class TicketMessage {
  @PrimaryKey({ type: 'uuid' })
  id!: string;

  @ManyToOne({ entity: () => Ticket, ref: true, deleteRule: 'cascade' })
  ticket!: Ref<Ticket>;

  @Enum({ items: () => TicketSide })
  side!: TicketSide;

  /** CUSTOMER, SELLER or OPERATOR: who typed it (staff may write on a customer's behalf). */
  @Property({ type: 'string', length: 20 })
  authorKind!: string;

  @Property({ type: 'uuid', nullable: true })
  authorId?: string | null;

  @Property({ type: 'string', length: 200 })
  authorName!: string;

  @Property({ type: 'text' })
  body!: string;

  /** Ids of stored files (purpose ATTACHMENT). */
  @Property({ type: 'json' })
  attachmentIds: Opt<string[]> = [];

  /** For a service answer: the deadline it answered (on time when createdAt ≤ dueAt); reputation reads it. */
  @Property({ type: 'datetime', nullable: true })
  dueAt?: Date | null;

  @Property({ type: 'datetime' })
  createdAt!: Date;
}

/** The store's service-desk calendar (one row, id 1): deadlines count only these business hours. */
@Entity({ tableName: 'service_calendar' })
@Check({ name: 'service_calendar_single_row', expression: '"id" = 1' })
@Check({ name: 'service_calendar_hours', expression: '"opens_at_minute" >= 0 and "opens_at_minute" < "closes_at_minute" and "closes_at_minute" <= 1440 and "response_business_hours" >= 1 and "response_business_hours" <= 720' })
export class ServiceCalendar {
  @PrimaryKey({ type: 'integer', autoincrement: false })
  id: number = 1;

  /** ISO weekdays (1 = Monday … 7 = Sunday). */
  @Property({ type: 'json' })
  weekdays: Opt<number[]> = [1, 2, 3, 4, 5];

  @Property({ type: 'smallint', default: 540 })
  opensAtMinute: Opt<number> = 540;

  @Property({ type: 'smallint', default: 1080 })
  closesAtMinute: Opt<number> = 1080;

  /** Dates (YYYY-MM-DD) the desk is closed. */
  @Property({ type: 'json' })
  holidays: Opt<string[]> = [];

  /** Business hours the service side has to answer a requester's message. */
  @Property({ type: 'smallint', default: 16 })
  responseBusinessHours: Opt<number> = 16;
}
