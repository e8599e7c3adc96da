import { Field, ID, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import { DateTimeResolver, SafeIntResolver } from 'graphql-scalars';
import { UserError } from '../../shared/errors/index.js';
import { Money, money } from '../../shared/money/index.js';
import { PaymentPartStatus, PaymentTransactionStatus, type GiftCard, type PaymentTransaction, type PaymentTransactionPart } from './payments.entity.js';
import type { PaymentPartMethod } from './payments.split.js';
import { PIX_PROVIDER_NAMES, type PixProviderName } from './providers.js';

registerEnumType(PaymentTransactionStatus, { name: 'PaymentTransactionStatus', description: "A cart's payment, as a whole." });
registerEnumType(PaymentPartStatus, { name: 'PaymentPartStatus' });

/** The tender kinds as a GraphQL enum (the TypeScript type is a string union shared with the provider layer). */
export const PaymentPartMethodEnum = { PIX: 'PIX', CARD: 'CARD', BANK_DEPOSIT: 'BANK_DEPOSIT', VOUCHER: 'VOUCHER' } as const satisfies Record<PaymentPartMethod, PaymentPartMethod>;
registerEnumType(PaymentPartMethodEnum, { name: 'PaymentPartMethod', description: 'VOUCHER is a gift card (stored value), not a discount coupon.' });

/**
 * The GraphQL PixProvider enum, from the registry (providers.ts): one value per provider that
 * takes Pix, its name upper-cased (MERCADOPAGO); the value the resolvers see is the provider name.
 */
export const PixProviderEnum = Object.fromEntries(PIX_PROVIDER_NAMES.map((name) => [name.toUpperCase(), name])) as {
  readonly [N in PixProviderName as Uppercase<N>]: N;
};
registerEnumType(PixProviderEnum, { name: 'PixProvider', description: 'Which provider issues a Pix charge: the store offers "Pix (Mercado Pago)" and "Pix (Cielo)" as configured.' });

/**
 * One part of a payment as shown to the buyer and to staff: no provider references, no
 * authorization codes, no gift-card code — only what a receipt shows.
 */
@ObjectType('PaymentTransactionPart')
export class PaymentTransactionPartType {
  @Field(() => Int, { description: 'Position as the buyer entered it, from 0.' })
  index!: number;

  @Field(() => PaymentPartMethodEnum)
  method!: PaymentPartMethod;

  @Field(() => PaymentPartStatus)
  status!: PaymentPartStatus;

  @Field(() => Money)
  amount!: Money;

  @Field(() => Money)
  captured!: Money;

  @Field(() => Money)
  refunded!: Money;

  @Field(() => Int)
  installments!: number;

  @Field(() => String, { nullable: true })
  cardBrand!: string | null;

  @Field(() => String, { nullable: true })
  cardLast4!: string | null;

  @Field(() => String, { nullable: true, description: 'Pix "copia e cola" code while the Pix waits for payment.' })
  pixQrCode!: string | null;

  @Field(() => DateTimeResolver, { nullable: true, description: 'When an unpaid Pix or deposit stops being accepted.' })
  expiresAt!: Date | null;

  @Field(() => String, { nullable: true, description: 'Bank deposits: the reference to write on the deposit.' })
  depositReference!: string | null;

  @Field(() => String, { nullable: true, description: 'Gift cards: the last four characters of the code.' })
  giftCardLast4!: string | null;
}

@ObjectType('PaymentTransaction', { description: "A cart's single payment, shared by all its orders." })
export class PaymentTransactionType {
  @Field(() => ID)
  id!: string;

  @Field(() => String)
  cartNumber!: string;

  @Field(() => PaymentTransactionStatus)
  status!: PaymentTransactionStatus;

  @Field(() => Money, { description: "The cart's total: the sum of its orders' totals." })
  amount!: Money;

  @Field(() => Money, { description: 'Money received (cards captured, Pix and deposits paid, gift cards debited).' })
  captured!: Money;

  @Field(() => Money, { description: 'Given up before it was captured (orders cancelled before payment).' })
  released!: Money;

  @Field(() => Money, { description: 'Given back after capture, chargebacks included. Never more than captured.' })
  refunded!: Money;

  @Field(() => DateTimeResolver, { nullable: true, description: 'When the unpaid Pix/deposit expires; null once nothing is awaited.' })
  expiresAt!: Date | null;

  @Field(() => DateTimeResolver, { nullable: true })
  paidAt!: Date | null;

  @Field(() => [PaymentTransactionPartType])
  parts!: PaymentTransactionPartType[];
}

/** Maps an entity whose parts are loaded. */
export function toPaymentTransactionType(t: PaymentTransaction): PaymentTransactionType {
  const c = t.currency;
  const awaiting = t.status === PaymentTransactionStatus.PENDING;
  return {
    id: t.id,
    cartNumber: t.cartNumber,
    status: t.status,
    amount: money(t.amountCents, c),
    captured: money(t.capturedCents, c),
    released: money(t.releasedCents, c),
    refunded: money(t.refundedCents, c),
    expiresAt: t.expiresAt ?? null,
    paidAt: t.paidAt ?? null,
    parts: t.parts.getItems().map((p) => toPartType(p, c, awaiting ? (t.expiresAt ?? null) : null)),
  };
}

function toPartType(p: PaymentTransactionPart, currency: string, transactionExpiry: Date | null): PaymentTransactionPartType {
  const pending = p.status === PaymentPartStatus.PENDING;
  return {
    index: p.index,
    method: p.method,
    status: p.status,
    amount: money(p.amountCents, currency),
    captured: money(p.capturedCents, currency),
    refunded: money(p.refundedCents, currency),
    installments: p.installments,
    cardBrand: p.cardBrand ?? null,
    cardLast4: p.cardLast4 ?? null,
    // A QR code that can no longer be paid is not shown: paying it would only start a refund.
    pixQrCode: pending ? (p.pixQrCode ?? null) : null,
    expiresAt: pending ? (p.pixExpiresAt ?? transactionExpiry) : null,
    depositReference: p.depositReference ?? null,
    giftCardLast4: p.giftCard ? (p.giftCard.getEntity().last4 ?? null) : null,
  };
}

@ObjectType('GiftCard', { description: 'Stored value used as tender. The code itself is shown only once, when created.' })
export class GiftCardType {
  @Field(() => ID)
  id!: string;

  @Field(() => String, { description: 'Last four characters of the code, to tell cards apart.' })
  last4!: string;

  @Field(() => Money)
  balance!: Money;

  @Field(() => Money)
  initialValue!: Money;

  @Field(() => Boolean)
  active!: boolean;

  @Field(() => DateTimeResolver)
  createdAt!: Date;
}

export function toGiftCardType(g: GiftCard): GiftCardType {
  return {
    id: g.id,
    last4: g.last4,
    balance: money(g.balanceCents, g.currency),
    initialValue: money(g.initialCents, g.currency),
    active: g.active,
    createdAt: g.createdAt,
  };
}

@ObjectType('IssuedGiftCard', { description: 'A gift card just created, with its code: shown only here, once.' })
export class IssuedGiftCardType {
  @Field(() => String)
  code!: string;

  @Field(() => GiftCardType)
  giftCard!: GiftCardType;
}

@InputType()
export class CreateGiftCardInput {
  @Field(() => String, { nullable: true, description: 'Omit to generate a code (recommended); a chosen code has 12–32 letters or digits.' })
  code?: string;

  @Field(() => SafeIntResolver, { description: 'Value in centavos (BRL).' })
  amount!: number;
}

@ObjectType()
export class CreateGiftCardPayload {
  @Field(() => IssuedGiftCardType, { nullable: true })
  issued?: IssuedGiftCardType;

  @Field(() => [UserError])
  userErrors!: UserError[];
}

@InputType()
export class ConfirmBankDepositInput {
  @Field(() => String)
  cartNumber!: string;

  @Field(() => String, { description: 'Repeating the call with the same key confirms nothing twice.' })
  idempotencyKey!: string;
}

@ObjectType()
export class ConfirmBankDepositPayload {
  @Field(() => PaymentTransactionType, { nullable: true })
  transaction?: PaymentTransactionType;

  @Field(() => [UserError])
  userErrors!: UserError[];
}
