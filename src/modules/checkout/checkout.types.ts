import { Field, InputType, Int, ObjectType } from 'type-graphql';
import { SafeIntResolver } from 'graphql-scalars';
import { UserError } from '../../shared/errors/index.js';
import { INSTALLMENTS_LIMIT } from '../../shared/money/index.js';
import { PaymentPartMethodEnum, PaymentTransactionType, PixProviderEnum } from '../payments/index.js';
import type { PaymentPartMethod, PixProviderName } from '../payments/index.js';
import { FraudStatus } from '../fraud/index.js';
import { OrderType } from '../orders/index.js';

@InputType({ description: 'A card as the provider tokenised it in the browser. Card numbers are never accepted.' })
export class CardTokenInput {
  @Field(() => String, { description: 'The provider\'s token (sandbox: tok_approve, tok_decline_insufficient_funds, …).' })
  token!: string;

  @Field(() => String, { description: 'Visa, Master, Elo, Amex, Hipercard, Diners, JCB, Discover or Aura.' })
  brand!: string;

  @Field(() => String, { nullable: true, description: 'First 6–8 digits, for the fraud analysis.' })
  bin?: string;

  @Field(() => String, { nullable: true, description: 'Last 4 digits of the card, for the fraud analysis and the buyer\'s receipt.' })
  last4?: string;

  @Field(() => String, { nullable: true, description: 'Name printed on the card, for the fraud analysis.' })
  holderName?: string;
}

@InputType({ description: 'One tender. With a single part the amount may be left out: it pays the whole total.' })
export class PaymentPartInput {
  @Field(() => PaymentPartMethodEnum, { description: 'How this part is paid.' })
  method!: PaymentPartMethod;

  @Field(() => SafeIntResolver, { nullable: true, description: 'Centavos. Parts must sum exactly to the cart total.' })
  amount?: number;

  @Field(() => Int, { nullable: true, description: `Cards: 1–${INSTALLMENTS_LIMIT} (store rule).` })
  installments?: number;

  @Field(() => CardTokenInput, { nullable: true, description: 'CARD parts: the tokenised card.' })
  card?: CardTokenInput;

  @Field(() => String, { nullable: true, description: 'VOUCHER parts: the gift card code.' })
  giftCardCode?: string;

  @Field(() => PixProviderEnum, { nullable: true, description: 'PIX parts: one of `pixProviders`; the store default when left out.' })
  pixProvider?: PixProviderName;
}

@InputType({ description: 'The payment of a checkout, in one or more parts.' })
export class CheckoutPaymentInputType {
  @Field(() => [PaymentPartInput], { description: 'Pix, card, Pix + card, Pix + 2 cards, 2 cards, bank deposit or voucher.' })
  parts!: PaymentPartInput[];
}

@InputType('CheckoutInput', { description: 'Everything the checkout needs besides the cart itself.' })
export class CheckoutInputType {
  @Field(() => String, { description: 'The token of the cart to check out.' })
  cartToken!: string;

  @Field(() => CheckoutPaymentInputType, { description: 'How the cart is paid.' })
  payment!: CheckoutPaymentInputType;

  @Field(() => String, { description: 'A fresh random key per checkout. Repeating it returns the same result and creates nothing.' })
  idempotencyKey!: string;

  @Field(() => String, { nullable: true, description: 'Device-fingerprint session id, when the storefront collects one.' })
  deviceSessionId?: string;
}

@ObjectType({ description: 'Result of checkout: the orders, the payment and the fraud status, or why nothing was created.' })
export class CheckoutPayload {
  @Field(() => String, { nullable: true, description: 'The middle of every order code of this cart.' })
  cartNumber?: string;

  @Field(() => [OrderType], { nullable: true, description: 'One order per seller: the admin seller first, then guest sellers by concatenation code.' })
  orders?: unknown[];

  @Field(() => PaymentTransactionType, { nullable: true, description: 'The single payment of the cart (Pix QR codes, deposit instructions).' })
  payment?: PaymentTransactionType;

  @Field(() => FraudStatus, { nullable: true, description: 'The cart\'s fraud analysis status when the checkout answered.' })
  fraudStatus?: FraudStatus;

  @Field(() => [UserError], { description: 'Why the checkout was refused (PRICE_CHANGED, OUT_OF_STOCK, PAYMENT_DECLINED, PAYMENT_UNAVAILABLE, CONFLICT for a reused idempotency key with another cart…); nothing was created when it is not empty.' })
  userErrors!: UserError[];
}
