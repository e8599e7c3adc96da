import { ArgsType, Field, ID, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import { DateTimeResolver, SafeIntResolver } from 'graphql-scalars';
import { UserError } from '../../shared/errors/index.js';
import { ConnectionArgs, ConnectionType } from '../../shared/pagination/index.js';
import { FundedByKind, PromotionKind, PromotionPaymentMethod } from './promotions.entity.js';

registerEnumType(PromotionKind, {
  name: 'PromotionKind',
  description: 'What a promotion gives. Every promotion is evaluated once on the whole cart and its discount split over the orders by merchandise value.',
  valuesConfig: {
    FIXED: { description: 'A fixed amount (centavos) off the merchandise, never more than what is left of it.' },
    FREE_SHIPPING: { description: 'The cart\'s freight is waived.' },
    PAYMENT_METHOD: { description: 'Store-wide "à vista" discount: a percentage off when the whole cart is paid with `paymentMethod` alone.' },
    PERCENTAGE: { description: 'A percentage (basis points) off the merchandise, optionally capped by maxDiscount.' },
  },
});
registerEnumType(PromotionPaymentMethod, {
  name: 'PromotionPaymentMethod',
  description: 'The "à vista" ways to pay a PAYMENT_METHOD promotion rewards.',
  valuesConfig: { CARD_ONE_INSTALLMENT: { description: 'A credit card in one installment.' }, BANK_DEPOSIT: { description: 'Bank deposit, confirmed by operator staff.' }, PIX: { description: 'Pix (any Pix provider).' } },
});
registerEnumType(FundedByKind, {
  name: 'FundedBy',
  description: "Who bears a discount's cost. Only the seller-funded part lowers a seller's commission base.",
  valuesConfig: { SHARED: { description: 'The seller bears sellerSharePercent of it, the operator the rest.' }, OPERATOR: { description: 'The operator bears the whole discount (the default); sellers\' receivables are untouched.' }, SELLER: { description: 'The seller of each order bears its share of the discount: it lowers the commission base and the receivable.' } },
});

/**
 * A promotion as operator staff see it. Kept apart from the entity: amounts are Money, and
 * `value` is shown in the unit of its kind.
 */
@ObjectType('Promotion', { description: 'A store-wide promotion: automatic without a code, a coupon with one.' })
export class PromotionType {
  @Field(() => ID, { description: 'Opaque id of the promotion.' })
  id!: string;

  @Field(() => String, { description: 'Its name, shown to shoppers on the cart\'s discounts.' })
  name!: string;

  @Field(() => PromotionKind, { description: 'What the promotion gives.' })
  kind!: PromotionKind;

  @Field(() => PromotionPaymentMethod, { nullable: true, description: 'The method a PAYMENT_METHOD promotion rewards.' })
  paymentMethod?: PromotionPaymentMethod | null;

  @Field(() => String, { nullable: true, description: 'The coupon code (upper-case); null for an automatic promotion.' })
  code?: string | null;

  @Field(() => DateTimeResolver, { nullable: true, description: 'Valid from (inclusive); null: from the start.' })
  startsAt?: Date | null;

  @Field(() => DateTimeResolver, { nullable: true, description: 'Valid until (exclusive); null: no end.' })
  endsAt?: Date | null;

  @Field(() => Int, { nullable: true, description: 'Total redemptions allowed; null: unlimited.' })
  usageLimit?: number | null;

  @Field(() => Int, { nullable: true, description: 'Redemptions allowed per signed-in customer; null: no such limit.' })
  perCustomerLimit?: number | null;

  @Field(() => Int, { description: 'Redemptions at checkout so far.' })
  usageCount!: number;

  @Field(() => Boolean, { description: 'Whether it applies; an inactive promotion never applies, whatever its dates.' })
  active!: boolean;

  @Field(() => FundedByKind, { description: 'Who bears the discount\'s cost.' })
  fundedBy!: FundedByKind;

  @Field(() => DateTimeResolver, { description: 'When it was created (ISO 8601, UTC).' })
  createdAt!: Date;

  @Field(() => DateTimeResolver, { description: 'When it last changed (ISO 8601, UTC).' })
  updatedAt!: Date;
}

export const PromotionConnection = ConnectionType('Promotion', PromotionType);

@ArgsType()
export class PromotionListArgs extends ConnectionArgs {
  @Field(() => Boolean, { nullable: true, description: 'Only active (true) or inactive (false) promotions.' })
  active?: boolean;

  @Field(() => PromotionKind, { nullable: true, description: 'Only promotions of this kind.' })
  kind?: PromotionKind;

  @Field(() => String, { nullable: true, description: 'Only the coupon with this code, ignoring case.' })
  code?: string;
}

/** Fields shared by create and update. On update, unset fields stay as they are and null clears an optional one. */
@InputType('PromotionChangesInput', { description: 'On update, unset fields stay as they are; null clears an optional field.' })
export class PromotionChangesInput {
  @Field(() => String, { nullable: true, description: 'Required to create; 1 to 120 characters.' })
  name?: string;

  @Field(() => SafeIntResolver, {
    nullable: true,
    description: 'Basis points for PERCENTAGE and PAYMENT_METHOD (1000 = 10%, 1 to 10000); centavos for FIXED (> 0); left out for FREE_SHIPPING.',
  })
  value?: number | null;

  @Field(() => PromotionPaymentMethod, { nullable: true, description: 'Required for PAYMENT_METHOD, refused for other kinds.' })
  paymentMethod?: PromotionPaymentMethod | null;

  @Field(() => String, {
    nullable: true,
    description: 'Coupon code: 3 to 40 letters, digits, "_" or "-", unique ignoring case (stored upper-case). Left out: an automatic promotion. Not for PAYMENT_METHOD.',
  })
  code?: string | null;

  @Field(() => SafeIntResolver, { nullable: true, description: '"Purchase above X", in centavos: the merchandise subtotal before vouchers and without freight must reach it.' })
  minMerchandise?: number | null;

  @Field(() => SafeIntResolver, { nullable: true, description: 'Cap of a PERCENTAGE or PAYMENT_METHOD discount, in centavos.' })
  maxDiscount?: number | null;

  @Field(() => DateTimeResolver, { nullable: true, description: 'Valid from this instant (ISO 8601), inclusive; null or left out: no start limit.' })
  startsAt?: Date | null;

  @Field(() => DateTimeResolver, { nullable: true, description: 'After startsAt.' })
  endsAt?: Date | null;

  @Field(() => Int, { nullable: true, description: 'Total redemptions allowed, at least 1; null: unlimited.' })
  usageLimit?: number | null;

  @Field(() => Int, { nullable: true, description: 'Redemptions per signed-in customer, at least 1; anonymous carts cannot use such a promotion.' })
  perCustomerLimit?: number | null;

  @Field(() => FundedByKind, { nullable: true, description: 'OPERATOR when left out on create.' })
  fundedBy?: FundedByKind;

  @Field(() => Int, { nullable: true, description: "The seller's part of a SHARED promotion, 1 to 99 percent; only for SHARED." })
  sellerSharePercent?: number | null;
}

@InputType('CreatePromotionInput', { description: 'A new store-wide promotion or coupon.' })
export class CreatePromotionInput extends PromotionChangesInput {
  @Field(() => PromotionKind, { description: 'Fixed once created.' })
  kind!: PromotionKind;

  @Field(() => Boolean, { nullable: true, defaultValue: true, description: 'Whether it applies at once (default true).' })
  active?: boolean;
}

@ObjectType({ description: 'Result of a mutation on a promotion.' })
export class PromotionPayload {
  @Field(() => PromotionType, { nullable: true, description: 'The promotion as it is after the change. Null when refused.' })
  promotion?: PromotionType;

  @Field(() => [UserError], { description: 'Why the input was refused (e.g. a coupon code already taken is CONFLICT); nothing was changed when it is not empty.' })
  userErrors!: UserError[];
}
