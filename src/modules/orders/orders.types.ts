import { ArgsType, Field, ID, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import { DateTimeResolver } from 'graphql-scalars';
import { UserError } from '../../shared/errors/index.js';
import { ConnectionArgs, ConnectionType, SortDirection } from '../../shared/pagination/index.js';
import { UserRole } from '../../shared/access/index.js';
import { CancellationReason, OrderStatus } from './orders.entity.js';
import { OrderAction, OrderActorKind } from './order-state.js';

registerEnumType(OrderStatus, {
  name: 'OrderStatus',
  description: 'Where an order stands. Main path PENDING_PAYMENT → APPROVED → INVOICED → SHIPPED → DELIVERED; CANCELLED up to INVOICED.',
  valuesConfig: {
    APPROVED: { description: 'Paid and approved by the fraud analysis: the seller may invoice it.' },
    CANCELLED: { description: 'Cancelled; its stock came back and its total was refunded or voided.' },
    DELIVERED: { description: 'The buyer received it; returns may be opened within the store\'s return window (a partial return leaves it DELIVERED).' },
    INVOICED: { description: 'The seller issued its NF-e.' },
    PENDING_FRAUD_REVIEW: { description: 'The payment is secured and the fraud analysis is pending or under operator review.' },
    PENDING_PAYMENT: { description: 'Waiting for the buyer\'s Pix or bank deposit.' },
    SHIPPED: { description: 'Left with the carrier; tracking events follow.' },
  },
});
registerEnumType(CancellationReason, {
  name: 'CancellationReason',
  description: 'Why an order was cancelled.',
  valuesConfig: {
    FRAUD_REJECTED: { description: 'The fraud analysis rejected the cart: every order of it was cancelled.' },
    OPERATOR_REQUEST: { description: 'Operator staff cancelled it.' },
    PAYMENT_EXPIRED: { description: 'The Pix or deposit was not paid in time: every order of the cart was cancelled.' },
    SELLER_REQUEST: { description: 'The order\'s seller (a user or its ERP integration) cancelled it.' },
    SHOPPER_REQUEST: { description: 'The buyer cancelled it.' },
  },
});
registerEnumType(OrderAction, {
  name: 'OrderAction',
  description: 'What moved an order (a row of the orders module\'s transition table).',
  valuesConfig: {
    PLACE: { description: 'Checkout created the order; the payment waits for the buyer (Pix, bank deposit).' },
    PLACE_AUTHORIZED: { description: 'Checkout created the order with its payment secured (card authorized, gift card taken); it waits for the fraud verdict.' },
    PAY_PENDING_REVIEW: { description: 'The money arrived while the fraud verdict was still pending or under review.' },
    HOLD_FOR_REVIEW: { description: 'The fraud analyzer asked for a review of a cart whose money was already in or authorized.' },
    APPROVE: { description: 'Money in hand and an approving fraud verdict.' },
    CANCEL: { description: 'The whole order was cancelled: stock returned, its total refunded or voided.' },
    INVOICE: { description: 'The seller issued the order\'s NF-e.' },
    SHIP: { description: 'The order left with the carrier.' },
    DELIVER: { description: 'The buyer received the order.' },
    CANCEL_LINES: { description: 'Item unavailable: some units cancelled before shipping and refunded; the status stays.' },
    EDIT: { description: 'Lines swapped, removed or added before shipping; the status stays.' },
    PLACE_REPLACEMENT: { description: 'An exchange created this order, approved, to replace returned items of another order.' },
  },
});
registerEnumType(OrderActorKind, {
  name: 'OrderActorKind',
  description: 'Who moved an order.',
  valuesConfig: {
    ANONYMOUS: { description: 'A shopper without an account, holding the cart token.' },
    CUSTOMER: { description: 'A signed-in customer.' },
    OPERATOR: { description: 'Operator staff.' },
    SELLER: { description: 'A user of the order\'s seller.' },
    INTEGRATION: { description: 'An ERP integration.' },
    SYSTEM: { description: 'One of the store\'s own processes: fraud analyzer, payment provider webhook, payment expiry, or the migration that reconstructed older orders\' history.' },
  },
});

@ObjectType('OrderAddress', { description: 'Where the order goes, frozen at checkout.' })
export class OrderAddressType {
  @Field(() => String, { description: 'Who receives the parcel.' }) recipientName!: string;
  @Field(() => String, { description: 'Street name (logradouro).' }) street!: string;
  @Field(() => String, { description: 'Street number, as written.' }) number!: string;
  @Field(() => String, { nullable: true, description: 'Apartment, block, reference. Null when none.' }) complement!: string | null;
  @Field(() => String, { description: 'District (bairro).' }) district!: string;
  @Field(() => String, { description: 'City (município).' }) city!: string;
  @Field(() => String, { description: 'State (UF), two letters, e.g. `SP`.' }) state!: string;
  @Field(() => String, { description: '8 digits.' }) postalCode!: string;
}

@ObjectType('OrderBuyer', { description: 'The buyer as given at checkout. Operator staff, the buyer and the order\'s seller (it invoices and ships) read it.' })
export class OrderBuyerType {
  @Field(() => String, { description: 'The buyer\'s full name.' }) name!: string;
  @Field(() => String, { description: 'The buyer\'s e-mail; order e-mails go there.' }) email!: string;
  @Field(() => String, { description: 'CPF or CNPJ, for the NF-e: operator staff and the order\'s seller (owner, service, finance, its ERP).' }) document!: string;
  @Field(() => String, { description: 'The document with most digits hidden, for receipts.' }) maskedDocument!: string;
  @Field(() => String, { description: 'The buyer\'s phone, digits only with area code.' }) phone!: string;
}

@ObjectType('OrderShipping', { description: 'The cart\'s freight option; its price is split over the cart\'s orders by weight.' })
export class OrderShippingType {
  @Field(() => String, { description: 'The carrier that ships the order.' }) carrier!: string;
  @Field(() => String, { description: 'The method name the shopper chose.' }) method!: string;
  @Field(() => Int, { description: 'Delivery time in days, as quoted at checkout.' }) days!: number;
  @Field(() => String, { description: 'TABLE, CARRIER, CONTINGENCY or RULE.' }) source!: string;
}

/**
 * The GraphQL face of an order; resolvers map the entity onto it (orders.resolver.ts). Money
 * fields are frozen shares: refunds and payouts use them as they are.
 */
@ObjectType('Order', { description: 'One seller\'s part of a checked-out cart, coded `[<concat>-]<cartNumber>-<n>`.' })
export class OrderType {
  @Field(() => ID, { description: 'Opaque id of the order.' }) id!: string;
  @Field(() => String, { description: 'The order code `[<concat>-]<cartNumber>-<n>`, unique in the store; integrators address orders by it.' }) code!: string;
  @Field(() => String, { description: 'Shared by every order split from the same cart.' }) cartNumber!: string;
  @Field(() => Int, { description: '`n` of the code: 1 for the admin seller, then guest sellers by concatenation code.' }) position!: number;
  @Field(() => OrderStatus, { description: 'Where the order stands; changes go through the orders module\'s transition table (see history).' }) status!: OrderStatus;
  @Field(() => DateTimeResolver, { description: 'When the checkout created the order (ISO 8601, UTC).' }) placedAt!: Date;
  @Field(() => DateTimeResolver, { nullable: true, description: 'When the order was approved (payment in and fraud approved), ISO 8601 UTC. Null until then.' }) approvedAt!: Date | null;
  @Field(() => DateTimeResolver, { nullable: true, description: 'When the order was cancelled (ISO 8601, UTC). Null unless CANCELLED.' }) cancelledAt!: Date | null;
  @Field(() => CancellationReason, { nullable: true, description: 'Why the order was cancelled. Null unless CANCELLED.' }) cancellationReason!: CancellationReason | null;
  @Field(() => Int, { description: 'Weight of the order\'s parcel in grams (all units of all lines); the cart\'s freight was split by it.' }) weightGrams!: number;
}

@ObjectType('OrderStatusChange', { description: 'One change of an order\'s status, recorded with it. Operator staff also read who exactly acted and the note.' })
export class OrderStatusChangeType {
  @Field(() => ID, { description: 'The history row\'s id.' }) id!: string;
  @Field(() => OrderStatus, { nullable: true, description: 'The status before; null for the order\'s creation at checkout.' }) from!: OrderStatus | null;
  @Field(() => OrderStatus, { description: 'The status after.' }) to!: OrderStatus;
  @Field(() => OrderAction, { description: 'What moved the order.' }) action!: OrderAction;
  @Field(() => OrderActorKind, { description: 'Who moved it.' }) actorKind!: OrderActorKind;
  @Field(() => String, { description: 'Who moved it, in words: "shopper", "customer", "store staff", "seller <name>", "<seller name> integration", "fraud analyzer", "payment provider (<provider>)", "payment expiry", or "migration" for history reconstructed from older orders; never a person\'s name.' })
  actorLabel!: string;
  @Field(() => UserRole, { nullable: true, description: 'Operator staff only: the role of the user who acted.' }) actorRole!: UserRole | null;
  @Field(() => ID, { nullable: true, description: 'Operator staff only: the user who acted (customer, staff or seller user).' }) actorUserId!: string | null;
  @Field(() => ID, { nullable: true, description: 'Operator staff only: the integration that acted.' }) actorIntegrationId!: string | null;
  @Field(() => String, {
    nullable: true,
    description: 'Why, as a code: the CancellationReason of a cancellation; PAYMENT_PENDING or PAYMENT_AUTHORIZED at checkout; PAYMENT_CONFIRMED, FRAUD_APPROVED or FRAUD_REVIEW for what arrived (null where a reconstructed history cannot tell).',
  })
  reason!: string | null;
  @Field(() => String, { nullable: true, description: 'Operator staff only: the actor\'s own words (a cancellation note).' }) note!: string | null;
  @Field(() => DateTimeResolver, { description: 'When the status changed.' }) at!: Date;
}

@ObjectType('OrderLine', { description: 'A SKU of the order with its frozen shares.' })
export class OrderLineType {
  @Field(() => ID, { description: 'Opaque id of the line.' }) id!: string;
  @Field(() => Int, { description: '1-based position in the order; cancellations, edits and returns name lines by it.' }) position!: number;
  @Field(() => String, { description: 'Displayed SKU code; an ERP integration reads its own raw code here.' }) skuCode!: string;
  @Field(() => String, { description: 'The product\'s name at checkout.' }) productName!: string;
  @Field(() => Int, { description: 'Units bought (cancelled and returned units included: see cancelledQuantity, returnedQuantity).' }) quantity!: number;
  @Field(() => Int, { description: 'Grams, all units.' }) weightGrams!: number;
  @Field(() => Int, { description: 'Commission rate frozen at checkout, basis points (1500 = 15%).' }) commissionBps!: number;
  @Field(() => Int, { description: 'Units cancelled before shipping (item unavailable, or removed by an edit).' }) cancelledQuantity!: number;
  @Field(() => Int, { description: 'Units refunded or exchanged through a return.' }) returnedQuantity!: number;
  @Field(() => Boolean, { description: 'True for a line an order edit added (discount share 0).' }) addedByEdit!: boolean;
}

export const OrderConnection = ConnectionType('Order', OrderType);

export enum OrderSortField {
  CREATED_AT = 'CREATED_AT',
  UPDATED_AT = 'UPDATED_AT',
  TOTAL = 'TOTAL',
  CODE = 'CODE',
}
registerEnumType(OrderSortField, {
  name: 'OrderSortField',
  description: 'What an order list is sorted by.',
  valuesConfig: {
    CREATED_AT: { description: 'When the order was placed (the default, newest first).' },
    UPDATED_AT: { description: 'When the order last changed.' },
    TOTAL: { description: 'The order total.' },
    CODE: { description: 'The order code.' },
  },
});

@InputType({ description: 'How to sort an order list; ties keep a stable order.' })
export class OrderSort {
  @Field(() => OrderSortField, { description: 'What the orders are sorted by.' })
  field!: OrderSortField;

  @Field(() => SortDirection, { defaultValue: SortDirection.DESC, description: 'The direction (DESC by default).' })
  direction!: SortDirection;
}

@InputType({ description: 'Order search: every field given must match (AND). Seller users, integrations and customers only ever search within what they may see.' })
export class OrderFilter {
  @Field(() => [OrderStatus], { nullable: true, description: 'Any of these statuses.' })
  statuses?: OrderStatus[];

  @Field(() => String, { nullable: true, description: 'The exact order code (with the concatenation code).' })
  code?: string;

  @Field(() => String, { nullable: true, description: 'The buyer\'s CPF or CNPJ, with or without punctuation.' })
  buyerDocument?: string;

  @Field(() => String, { nullable: true, description: 'The buyer\'s e-mail, exactly (case-insensitive).' })
  buyerEmail?: string;

  @Field(() => String, { nullable: true, description: 'The start of the buyer\'s name, case-insensitive (at least 2 characters).' })
  buyerName?: string;

  @Field(() => String, { nullable: true, description: 'The delivery postal code (CEP), with or without the dash.' })
  postalCode?: string;

  @Field(() => DateTimeResolver, { nullable: true, description: 'Placed at or after.' })
  createdFrom?: Date;

  @Field(() => DateTimeResolver, { nullable: true, description: 'Placed before.' })
  createdTo?: Date;

  @Field(() => DateTimeResolver, { nullable: true, description: 'Last changed at or after.' })
  updatedFrom?: Date;

  @Field(() => DateTimeResolver, { nullable: true, description: 'Last changed before.' })
  updatedTo?: Date;

  @Field(() => ID, { nullable: true, description: 'Orders of assisted sales built by this sales agent (operator staff only).' })
  agentId?: string;
}

@ArgsType()
export class OrderListArgs extends ConnectionArgs {
  @Field(() => String, { nullable: true, description: 'The orders of one cart (its shared middle code).' })
  cartNumber?: string;

  @Field(() => OrderStatus, { nullable: true, description: 'Only orders in this status.' })
  status?: OrderStatus;

  @Field(() => ID, { nullable: true, description: 'Operator staff: one seller\'s orders. Others: only their own seller (FORBIDDEN otherwise).' })
  sellerId?: string;

  @Field(() => OrderFilter, { nullable: true, description: 'Search by buyer, code, postal code, dates, statuses or sales agent.' })
  filter?: OrderFilter;

  @Field(() => OrderSort, { nullable: true, description: 'Sort order (default: newest first).' })
  orderBy?: OrderSort;
}

@InputType({ description: 'Cancels one whole order.' })
export class CancelOrderInput {
  @Field(() => String, { description: 'The order\'s full code (with the concatenation code), e.g. `ACME-1042-2`.' })
  orderCode!: string;

  @Field(() => String, { nullable: true, description: 'Why, in words; kept on the order.' })
  note?: string;

  @Field(() => String, { description: 'Same key ⇒ same result; the refund happens once.' })
  idempotencyKey!: string;
}

@ObjectType({ description: 'Result of cancelOrder.' })
export class CancelOrderPayload {
  @Field(() => OrderType, { nullable: true, description: 'The order as it is after the cancellation. Null when refused.' })
  order?: unknown;

  @Field(() => [UserError], { description: 'Why the cancellation was refused (CONFLICT naming the current status once the order is past what the caller may cancel); nothing changed when it is not empty.' })
  userErrors!: UserError[];
}

@InputType('OrderLineUnitsInput', { description: 'Some units of one line of an order, named by the line\'s position (as the order lists its lines).' })
export class OrderLineUnitsInput {
  @Field(() => Int, { description: 'The line\'s position in the order (OrderLine.position).' })
  position!: number;

  @Field(() => Int, { description: 'How many of its units; at most those it still holds.' })
  quantity!: number;
}

@InputType('OrderSkuInput', { description: 'Units of a SKU of the order\'s own seller to add to an order.' })
export class OrderSkuInput {
  @Field(() => String, { description: 'Displayed SKU code (`<concat>-<raw>`); an ERP integration sends its raw code.' })
  skuCode!: string;

  @Field(() => Int, { description: 'Units, 1 to 1000.' })
  quantity!: number;
}

@InputType({ description: 'Item unavailable: units of an order that its seller cannot ship.' })
export class CancelOrderLinesInput {
  @Field(() => String, { description: 'The order\'s full code (with the concatenation code).' })
  orderCode!: string;

  @Field(() => [OrderLineUnitsInput], { description: 'The lines and units to cancel (at most 100 lines).' })
  lines!: OrderLineUnitsInput[];

  @Field(() => String, { nullable: true, description: 'Why, in words; operator staff read it in the history.' })
  note?: string;

  @Field(() => String, { description: 'Same key ⇒ same result; the refund happens once.' })
  idempotencyKey!: string;
}

@InputType({ description: 'An edit of an order before shipping: units removed, lines of the same seller added (a swap is both).' })
export class EditOrderInput {
  @Field(() => String, { description: 'The order\'s full code (with the concatenation code).' })
  orderCode!: string;

  @Field(() => [OrderLineUnitsInput], { nullable: true, description: 'Units to take out, by line position.' })
  remove?: OrderLineUnitsInput[];

  @Field(() => [OrderSkuInput], { nullable: true, description: 'Lines to add: SKUs of the order\'s own seller at today\'s price, discount share 0.' })
  add?: OrderSkuInput[];

  @Field(() => String, { nullable: true, description: 'Why, in words; operator staff read it in the history.' })
  note?: string;

  @Field(() => String, { description: 'Same key ⇒ same result; a refund happens once.' })
  idempotencyKey!: string;
}

@ObjectType({ description: 'The order after some of its units were cancelled (or all of them: then it is cancelled).' })
export class CancelOrderLinesPayload {
  @Field(() => OrderType, { nullable: true, description: 'The order as it is now.' })
  order?: unknown;

  @Field(() => [UserError], { description: 'What was refused; nothing changed when not empty.' })
  userErrors!: UserError[];
}

@ObjectType({ description: 'The order after an edit.' })
export class EditOrderPayload {
  @Field(() => OrderType, { nullable: true, description: 'The order as it is now.' })
  order?: unknown;

  @Field(() => [UserError], { description: 'What was refused; nothing changed when not empty.' })
  userErrors!: UserError[];
}
