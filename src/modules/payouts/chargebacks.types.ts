import { ArgsType, Field, ID, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import { DateTimeResolver, SafeIntResolver } from 'graphql-scalars';
import { UserError } from '../../shared/errors/index.js';
import { Money } from '../../shared/money/index.js';
import { ConnectionArgs, ConnectionType } from '../../shared/pagination/index.js';
import { ChargebackBearer } from '../sellers/index.js';
import { ChargebackSource, ChargebackStatus } from './chargebacks.entity.js';

registerEnumType(ChargebackBearer, {
  name: 'ChargebackBearer',
  description: 'Who a chargeback is debited to (store rule).',
  valuesConfig: { SELLER: { description: 'The seller of each order the payment paid (default).' }, OPERATOR: { description: 'The store operator.' } },
});
registerEnumType(ChargebackStatus, {
  name: 'ChargebackStatus',
  description: 'Where a chargeback stands.',
  valuesConfig: { OPEN: { description: 'The issuer holds the money.' }, REVERSED: { description: 'The dispute was won and the amount credited back.' } },
});
registerEnumType(ChargebackSource, {
  name: 'ChargebackSource',
  description: 'Who reported a chargeback.',
  valuesConfig: { PROVIDER: { description: "The card or Pix provider's notification." }, OPERATOR: { description: 'Operator staff, from the acquirer report.' } },
});

@ObjectType('Chargeback', { description: 'A chargeback of one payment part, split over the orders the part paid.' })
export class ChargebackType {
  @Field(() => ID, { description: 'The chargeback id.' })
  id!: string;

  @Field(() => String, { description: 'The cart whose payment was charged back.' })
  cartNumber!: string;

  @Field(() => Int, { description: 'The payment part, 0-based.' })
  partIndex!: number;

  @Field(() => String, { description: 'CARD or PIX.' })
  method!: string;

  @Field(() => String, { nullable: true, description: 'The payment provider.' })
  provider?: string | null;

  @Field(() => ChargebackBearer, { description: 'Who bears it.' })
  bearer!: ChargebackBearer;

  @Field(() => ChargebackStatus, { description: 'OPEN or REVERSED.' })
  status!: ChargebackStatus;

  @Field(() => ChargebackSource, { description: 'PROVIDER or OPERATOR.' })
  source!: ChargebackSource;

  @Field(() => String, { nullable: true, description: 'The reason given.' })
  reason?: string | null;

  @Field(() => DateTimeResolver, { description: 'When it was booked.' })
  createdAt!: Date;

  @Field(() => DateTimeResolver, { nullable: true, description: 'When it was reversed.' })
  reversedAt?: Date | null;
}

export const ChargebackConnection = ConnectionType('Chargeback', ChargebackType);

@ObjectType('ChargebackShare', { description: "One order's share of a chargeback (largest remainder of the orders' unrefunded totals)." })
export class ChargebackShareType {
  @Field(() => ID, { description: 'Id of the order that bears this share.' })
  orderId!: string;

  @Field(() => String, { description: 'Code of the order, `[<concat>-]<cartNumber>-<n>`.' })
  orderCode!: string;

  @Field(() => ID, { description: "The order's seller." })
  sellerId!: string;

  @Field(() => Money, { description: 'This order\'s part of the chargeback (BRL centavos).' })
  amount!: Money;
}

@ArgsType()
export class ChargebackListArgs extends ConnectionArgs {
  @Field(() => String, { nullable: true, description: 'Only chargebacks of this cart.' })
  cartNumber?: string;
}

@InputType({ description: 'A chargeback the acquirer reported, entered by operator staff (providers notify theirs by webhook).' })
export class RecordChargebackInput {
  @Field(() => String, { description: 'The cart whose payment was charged back.' })
  cartNumber!: string;

  @Field(() => Int, { description: 'The payment part, 0-based, in the order the buyer entered them.' })
  partIndex!: number;

  @Field(() => SafeIntResolver, { nullable: true, description: "Centavos taken; the part's unrefunded capture when left out (never more)." })
  amount?: number | null;

  @Field(() => String, { nullable: true, description: 'The reason (dispute code or words), up to 500 characters.' })
  reason?: string | null;

  @Field(() => String, { description: 'The same key enters the chargeback once.' })
  idempotencyKey!: string;
}

@InputType({ description: "A won dispute: the part's chargeback is credited back to whoever bore it." })
export class ReverseChargebackInput {
  @Field(() => String, { description: 'Number of the cart whose payment was charged back (the middle of its order codes).' })
  cartNumber!: string;

  @Field(() => Int, { description: 'The payment part, 0-based.' })
  partIndex!: number;

  @Field(() => String, { nullable: true, description: 'Why, up to 500 characters.' })
  reason?: string | null;

  @Field(() => String, { description: 'The same key reverses it once.' })
  idempotencyKey!: string;
}

@ObjectType({ description: 'The result of entering or reversing a chargeback.' })
export class ChargebackPayload {
  @Field(() => ChargebackType, { nullable: true, description: 'The chargeback as it is now.' })
  chargeback?: ChargebackType;

  @Field(() => [UserError], { description: 'Why it was refused.' })
  userErrors!: UserError[];
}

@ObjectType('SellerAdjustment', { description: 'A credit or debit posted to a seller by operator staff, with a reason the seller sees.' })
export class SellerAdjustmentType {
  @Field(() => ID, { description: 'The adjustment id.' })
  id!: string;

  @Field(() => String, { description: 'Why operator staff posted it, in their words; the seller reads it on its statement.' })
  reason!: string;

  @Field(() => DateTimeResolver, { description: 'When it was posted.' })
  createdAt!: Date;
}

export const SellerAdjustmentConnection = ConnectionType('SellerAdjustment', SellerAdjustmentType);

@ArgsType()
export class SellerAdjustmentListArgs extends ConnectionArgs {
  @Field(() => ID, { nullable: true, description: "Operator staff name a seller (or leave it out for every seller's); sellers get their own." })
  sellerId?: string;
}

@InputType({ description: 'Credits (positive amount) or debits (negative) a seller, with a reason.' })
export class CreateSellerAdjustmentInput {
  @Field(() => ID, { description: 'The guest seller.' })
  sellerId!: string;

  @Field(() => SafeIntResolver, { description: 'Centavos, not zero: positive credits the seller, negative debits it.' })
  amount!: number;

  @Field(() => String, { description: 'Why, 3 to 500 characters; the seller sees it.' })
  reason!: string;

  @Field(() => String, { description: 'The same key posts the adjustment once.' })
  idempotencyKey!: string;
}

@ObjectType({ description: 'The result of createSellerAdjustment.' })
export class SellerAdjustmentPayload {
  @Field(() => SellerAdjustmentType, { nullable: true, description: 'The adjustment as posted. Null when refused.' })
  adjustment?: SellerAdjustmentType;

  @Field(() => [UserError], { description: 'Why it was refused.' })
  userErrors!: UserError[];
}
