import { Field, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import { DateTimeResolver, SafeIntResolver } from 'graphql-scalars';
import { UserError } from '../../shared/errors/index.js';
import { Money } from '../../shared/money/index.js';
import { OrderStatus, OrderType } from '../orders/index.js';
import { TrackingStatus } from './fulfilment.entity.js';
import { FULFILMENT_COLUMNS, FulfilmentAction } from './bulk.service.js';

registerEnumType(TrackingStatus, {
  name: 'TrackingStatus',
  description: 'Where a parcel is, as its carrier reports it.',
  valuesConfig: {
    POSTED: { description: 'Handed to the carrier.' },
    IN_TRANSIT: { description: 'Moving between the carrier\'s facilities.' },
    OUT_FOR_DELIVERY: { description: 'With the courier for delivery today.' },
    DELIVERY_FAILED: { description: 'A delivery attempt failed; the carrier will try again or hold it.' },
    DELIVERED: { description: 'Delivered to the buyer: the order becomes DELIVERED at the event\'s time.' },
    RETURNED_TO_SENDER: { description: 'Going back to the seller.' },
    EXCEPTION: { description: 'Held by the carrier for another reason (customs, damage, address problem).' },
  },
});
registerEnumType(FulfilmentAction, {
  name: 'FulfilmentAction',
  description: 'What a bulk fulfilment row does to its order.',
  valuesConfig: {
    INVOICE: { description: 'APPROVED → INVOICED with the NF-e fields of the row.' },
    SHIP: { description: 'INVOICED → SHIPPED with the carrier and tracking of the row.' },
    DELIVER: { description: 'SHIPPED → DELIVERED at deliveredAt (now when empty).' },
  },
});

@ObjectType('OrderInvoice', { description: 'The NF-e the order\'s seller issued for it.' })
export class OrderInvoiceType {
  @Field(() => String, { description: 'NF-e number (nNF).' }) number!: string;
  @Field(() => Int, { description: 'NF-e series.' }) series!: number;
  @Field(() => DateTimeResolver, { description: 'When the NF-e was issued.' }) issuedAt!: Date;
  @Field(() => Money, { description: 'The invoiced amount (the order total unless amountReason says otherwise).' }) amount!: Money;
  @Field(() => String, { nullable: true, description: 'Why the amount differs from the order total.' }) amountReason!: string | null;
  @Field(() => String, { description: 'The 44-character access key (chave de acesso).' }) accessKey!: string;
  @Field(() => String, { nullable: true, description: 'Link to the NF-e XML.' }) xmlUrl!: string | null;
  @Field(() => String, { nullable: true, description: 'Link to the DANFE (PDF).' }) pdfUrl!: string | null;
  @Field(() => Boolean, { description: 'True when the order was cancelled after it was invoiced: the seller cancels the NF-e with the tax authority.' }) cancelled!: boolean;
}

@ObjectType('TrackingEvent', { description: 'One carrier event of a shipped order.' })
export class TrackingEventType {
  @Field(() => TrackingStatus, { description: 'What happened.' }) status!: TrackingStatus;
  @Field(() => String, { nullable: true, description: 'The carrier\'s words.' }) description!: string | null;
  @Field(() => String, { nullable: true, description: 'Where (city, facility).' }) location!: string | null;
  @Field(() => DateTimeResolver, { description: 'When it happened.' }) occurredAt!: Date;
}

@ObjectType('OrderShipment', { description: 'How the order travels: carrier, tracking code and the carrier\'s events.' })
export class OrderShipmentType {
  @Field(() => String, { description: 'The carrier (e.g. Correios, Jadlog).' }) carrier!: string;
  @Field(() => String, { description: 'The carrier\'s tracking code.' }) trackingCode!: string;
  @Field(() => String, { nullable: true, description: 'A page where the buyer can follow the parcel.' }) trackingUrl!: string | null;
  @Field(() => DateTimeResolver, { description: 'When it left.' }) shippedAt!: Date;
  @Field(() => DateTimeResolver, { nullable: true, description: 'When it was delivered, once it was.' }) deliveredAt!: Date | null;
  /** Filled by the field resolver. */
  orderId!: string;
}

@InputType({ description: 'The order\'s NF-e. The access key must be of model 55, issued by the order\'s seller (its CNPJ — numeric or alphanumeric — or its CPF), with this number, series and month.' })
export class InvoiceOrderInput {
  @Field(() => String, { description: 'The order\'s full code, concatenation code included (ALFA-1042-2).' }) orderCode!: string;
  @Field(() => String, { description: 'NF-e number, 1 to 9 digits.' }) number!: string;
  @Field(() => Int, { description: 'NF-e series, 0 to 999.' }) series!: number;
  @Field(() => DateTimeResolver, { description: 'When the NF-e was issued.' }) issuedAt!: Date;
  @Field(() => SafeIntResolver, { description: 'Invoiced amount in centavos: the order total unless amountReason is given.' }) amount!: number;
  @Field(() => String, { nullable: true, description: 'Why the amount differs from the order total (≤ 500 characters).' }) amountReason?: string | null;
  @Field(() => String, { description: 'The 44-character access key; spaces and dots are ignored.' }) accessKey!: string;
  @Field(() => String, { nullable: true, description: 'http(s) link to the NF-e XML.' }) xmlUrl?: string | null;
  @Field(() => String, { nullable: true, description: 'http(s) link to the DANFE (PDF).' }) pdfUrl?: string | null;
}

@ObjectType({ description: 'The invoiced order, or why it was refused.' })
export class InvoiceOrderPayload {
  @Field(() => OrderType, { nullable: true, description: 'The order, now INVOICED.' }) order?: unknown;
  @Field(() => OrderInvoiceType, { nullable: true, description: 'The invoice as stored (the first one when the same invoice is sent again).' }) invoice?: OrderInvoiceType;
  @Field(() => [UserError], { description: 'Why nothing changed.' }) userErrors!: UserError[];
}

@InputType({ description: 'The order leaves with a carrier.' })
export class ShipOrderInput {
  @Field(() => String, { description: 'The order\'s full code.' }) orderCode!: string;
  @Field(() => String, { description: 'The carrier (≤ 100 characters).' }) carrier!: string;
  @Field(() => String, { description: 'The tracking code (≤ 100 letters, digits, spaces or . _ / -).' }) trackingCode!: string;
  @Field(() => String, { nullable: true, description: 'http(s) link where the parcel can be followed.' }) trackingUrl?: string | null;
  @Field(() => DateTimeResolver, { nullable: true, description: 'When it left; now when left out.' }) shippedAt?: Date | null;
}

@ObjectType({ description: 'The shipped order, or why it was refused.' })
export class ShipOrderPayload {
  @Field(() => OrderType, { nullable: true, description: 'The order, now SHIPPED.' }) order?: unknown;
  @Field(() => OrderShipmentType, { nullable: true, description: 'The shipment as stored.' }) shipment?: OrderShipmentType;
  @Field(() => [UserError], { description: 'Why nothing changed.' }) userErrors!: UserError[];
}

@InputType({ description: 'A carrier event for a shipped order. The same event sent twice is kept once.' })
export class AddTrackingEventInput {
  @Field(() => String, { description: 'The order\'s full code.' }) orderCode!: string;
  @Field(() => TrackingStatus, { description: 'What happened; DELIVERED delivers the order.' }) status!: TrackingStatus;
  @Field(() => String, { nullable: true, description: 'The carrier\'s words (≤ 500 characters).' }) description?: string | null;
  @Field(() => String, { nullable: true, description: 'Where (≤ 200 characters).' }) location?: string | null;
  @Field(() => DateTimeResolver, { description: 'When it happened.' }) occurredAt!: Date;
  @Field(() => String, { nullable: true, description: 'Your own id for the event (≤ 100 characters); without it, status and time identify it.' }) eventId?: string | null;
}

@ObjectType({ description: 'The order and the event as stored.' })
export class AddTrackingEventPayload {
  @Field(() => OrderType, { nullable: true, description: 'The order (DELIVERED after a DELIVERED event).' }) order?: unknown;
  @Field(() => TrackingEventType, { nullable: true, description: 'The event (the first one when it was sent before).' }) trackingEvent?: TrackingEventType;
  @Field(() => [UserError], { description: 'Why nothing changed.' }) userErrors!: UserError[];
}

@InputType({ description: 'The buyer received the order.' })
export class MarkDeliveredInput {
  @Field(() => String, { description: 'The order\'s full code.' }) orderCode!: string;
  @Field(() => DateTimeResolver, { nullable: true, description: 'When; now when left out.' }) deliveredAt?: Date | null;
}

@ObjectType({ description: 'The delivered order, or why it was refused.' })
export class MarkDeliveredPayload {
  @Field(() => OrderType, { nullable: true, description: 'The order, now DELIVERED.' }) order?: unknown;
  @Field(() => [UserError], { description: 'Why nothing changed.' }) userErrors!: UserError[];
}

@InputType({ description: 'One order to invoice, ship or deliver; the fields the action needs, as in the single-order mutations.' })
export class FulfilmentRowInput {
  @Field(() => String, { description: 'The order\'s full code.' }) orderCode!: string;
  @Field(() => FulfilmentAction, { description: 'What to do.' }) action!: FulfilmentAction;
  @Field(() => String, { nullable: true, description: 'INVOICE: NF-e number.' }) nfeNumber?: string | null;
  @Field(() => Int, { nullable: true, description: 'INVOICE: NF-e series.' }) nfeSeries?: number | null;
  @Field(() => DateTimeResolver, { nullable: true, description: 'INVOICE: issue time.' }) nfeIssuedAt?: Date | null;
  @Field(() => SafeIntResolver, { nullable: true, description: 'INVOICE: amount in centavos.' }) nfeAmount?: number | null;
  @Field(() => String, { nullable: true, description: 'INVOICE: why the amount differs from the order total.' }) nfeAmountReason?: string | null;
  @Field(() => String, { nullable: true, description: 'INVOICE: the access key.' }) nfeAccessKey?: string | null;
  @Field(() => String, { nullable: true, description: 'INVOICE: link to the XML.' }) nfeXmlUrl?: string | null;
  @Field(() => String, { nullable: true, description: 'INVOICE: link to the DANFE.' }) nfePdfUrl?: string | null;
  @Field(() => String, { nullable: true, description: 'SHIP: the carrier.' }) carrier?: string | null;
  @Field(() => String, { nullable: true, description: 'SHIP: the tracking code.' }) trackingCode?: string | null;
  @Field(() => String, { nullable: true, description: 'SHIP: the tracking link.' }) trackingUrl?: string | null;
  @Field(() => DateTimeResolver, { nullable: true, description: 'SHIP: when it left (now when empty).' }) shippedAt?: Date | null;
  @Field(() => DateTimeResolver, { nullable: true, description: 'DELIVER: when (now when empty).' }) deliveredAt?: Date | null;
}

@InputType({ description: 'Many orders at once; each row is applied on its own.' })
export class FulfilOrdersInput {
  @Field(() => [FulfilmentRowInput], { description: 'Up to 1,000 rows.' }) rows!: FulfilmentRowInput[];
}

@InputType({ description: 'A fulfilment CSV file as text.' })
export class ImportFulfilmentInput {
  @Field(() => String, {
    description: `The file: a header line, then one order per line (up to 1,000), ',' or ';' separated, quotes as spreadsheets write them. Columns, in any order: ${FULFILMENT_COLUMNS.join(', ')}. order_code and action (INVOICE, SHIP, DELIVER) are required; the others as the action needs (INVOICE: nfe_number, nfe_series, nfe_issued_at, nfe_amount in centavos, nfe_access_key, optionally nfe_amount_reason, nfe_xml_url, nfe_pdf_url; SHIP: carrier, tracking_code, optionally tracking_url, shipped_at; DELIVER: optionally delivered_at). Times are ISO 8601 (2026-12-06T14:30:00-03:00).`,
  })
  csv!: string;
}

@ObjectType('FulfilmentRowResult', { description: 'What happened to one row.' })
export class FulfilmentRowResultType {
  @Field(() => Int, { description: 'The file\'s physical line (CSV) or the row\'s position from 1 (list).' }) line!: number;
  @Field(() => String, { description: 'The order code as given.' }) orderCode!: string;
  @Field(() => FulfilmentAction, { nullable: true, description: 'The action, when it could be read.' }) action!: FulfilmentAction | null;
  @Field(() => Boolean, { description: 'True when the row was applied (or was already applied with the same data).' }) ok!: boolean;
  @Field(() => OrderStatus, { nullable: true, description: 'The order\'s status after the row, when applied.' }) status!: OrderStatus | null;
  @Field(() => [UserError], { description: 'Why the row was refused; empty when ok.' }) errors!: UserError[];
}

@ObjectType({ description: 'Per-row results of a bulk fulfilment.' })
export class FulfilOrdersPayload {
  @Field(() => [FulfilmentRowResultType], { nullable: true, description: 'One result per row, in order; null when the whole call was refused.' }) results?: FulfilmentRowResultType[];
  @Field(() => Int, { nullable: true, description: 'Rows applied; null when the whole call was refused.' }) appliedCount?: number;
  @Field(() => Int, { nullable: true, description: 'Rows refused; null when the whole call was refused.' }) failedCount?: number;
  @Field(() => [UserError], { description: 'Why the whole call was refused (an unreadable file); rows are reported in results.' }) userErrors!: UserError[];
}

