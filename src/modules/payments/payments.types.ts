import { Field, ID, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import { DateTimeResolver, SafeIntResolver } from 'graphql-scalars';
import { UserError } from '../../shared/errors/index.js';
import { Money, money } from '../../shared/money/index.js';
import { PaymentPartStatus, PaymentTransactionStatus, type GiftCard, type PaymentTransaction, type PaymentTransactionPart } from './payments.entity.js';
import type { PaymentPartMethod } from './payments.split.js';
import { PIX_PROVIDER_NAMES, type PixProviderName } from './providers.js';

registerEnumType(PaymentTransactionStatus, {
  name: 'PaymentTransactionStatus',
  description: "A cart's payment, as a whole.",
  valuesConfig: {
    AUTHORIZED: { description: 'Nothing waits for the buyer; some card authorization is not captured yet.' },
    EXPIRED: { description: 'Unpaid when its time ran out; whatever had been secured was given back and the orders cancelled.' },
    PAID: { description: 'The whole amount was received.' },
    PARTIALLY_REFUNDED: { description: 'Received, and part of it given back (e.g. one of the cart\'s orders cancelled).' },
    PENDING: { description: 'Some part waits for the buyer\'s money (Pix, bank deposit).' },
    REFUNDED: { description: 'Everything received was given back.' },
    VOIDED: { description: 'Everything was given up before any money was captured.' },
  },
});
registerEnumType(PaymentPartStatus, {
  name: 'PaymentPartStatus',
  description: 'Where one part of a payment stands with its provider.',
  valuesConfig: {
    AUTHORIZED: { description: 'Card authorized, not yet captured (waiting for the fraud verdict).' },
    CHARGED_BACK: { description: 'The issuer took the money back (card dispute, Pix MED).' },
    EXPIRED: { description: 'Not paid in time; nothing was received.' },
    PAID: { description: 'Money received (card captured, Pix or deposit confirmed, gift card debited).' },
    PARTIALLY_REFUNDED: { description: 'Part of the received money was given back.' },
    PENDING: { description: 'Waiting for the buyer\'s money (Pix, bank deposit).' },
    REFUNDED: { description: 'All the received money was given back.' },
    VOIDED: { description: 'Given up before any money was captured (authorization voided).' },
  },
});

/** The tender kinds as a GraphQL enum (the TypeScript type is a string union shared with the provider layer). */
export const PaymentPartMethodEnum = { PIX: 'PIX', CARD: 'CARD', BANK_DEPOSIT: 'BANK_DEPOSIT', VOUCHER: 'VOUCHER' } as const satisfies Record<PaymentPartMethod, PaymentPartMethod>;
registerEnumType(PaymentPartMethodEnum, {
  name: 'PaymentPartMethod',
  description: 'VOUCHER is a gift card (stored value), not a discount coupon.',
  valuesConfig: {
    BANK_DEPOSIT: { description: 'Bank deposit: pending until operator staff confirm it arrived.' },
    CARD: { description: 'Credit card (Cielo), 1 to the store\'s installment limit; authorized at checkout, captured when the fraud analysis approves.' },
    PIX: { description: 'Pix: pending until the provider confirms the payment.' },
    VOUCHER: { description: 'Gift card (stored value), debited at checkout. Not a discount coupon.' },
  },
});

/**
 * The GraphQL PixProvider enum, from the registry (providers.ts): one value per provider that
 * takes Pix, its name upper-cased (MERCADOPAGO); the value the resolvers see is the provider name.
 */
export const PixProviderEnum = Object.fromEntries(PIX_PROVIDER_NAMES.map((name) => [name.toUpperCase(), name])) as {
  readonly [N in PixProviderName as Uppercase<N>]: N;
};
registerEnumType(PixProviderEnum, {
  name: 'PixProvider',
  description: 'Which provider issues a Pix charge: the store offers "Pix (Mercado Pago)" and "Pix (Cielo)" as configured.',
  valuesConfig: {
    CIELO: { description: 'Pix issued by Cielo.' },
    MERCADOPAGO: { description: 'Pix issued by Mercado Pago.' },
    SANDBOX: { description: 'The built-in sandbox provider, for development and tests: no real money moves.' },
  },
});

/**
 * One part of a payment as shown to the buyer and to staff: no provider references, no
 * authorization codes, no gift-card code — only what a receipt shows.
 */
@ObjectType('PaymentTransactionPart', { description: 'One tender of a payment, as a receipt shows it (no provider references or card data beyond brand and last digits).' })
export class PaymentTransactionPartType {
  @Field(() => Int, { description: 'Position as the buyer entered it, from 0.' })
  index!: number;

  @Field(() => PaymentPartMethodEnum, { description: 'How this part is paid.' })
  method!: PaymentPartMethod;

  @Field(() => PaymentPartStatus, { description: 'Where this part stands with its provider.' })
  status!: PaymentPartStatus;

  @Field(() => Money, { description: 'What this part pays (BRL centavos).' })
  amount!: Money;

  @Field(() => Money, { description: 'Money this part actually received (BRL centavos).' })
  captured!: Money;

  @Field(() => Money, { description: 'Money given back from this part, chargebacks included (BRL centavos); never more than captured.' })
  refunded!: Money;

  @Field(() => Int, { description: 'Card installments (1 = à vista); 1 for other methods.' })
  installments!: number;

  @Field(() => String, { nullable: true, description: 'Cards: the brand, e.g. "Visa". Null for other methods.' })
  cardBrand!: string | null;

  @Field(() => String, { nullable: true, description: 'Cards: the last four digits. Null for other methods.' })
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
  @Field(() => ID, { description: 'Opaque id of the payment transaction.' })
  id!: string;

  @Field(() => String, { description: 'The cart number: the middle of every order code of the cart.' })
  cartNumber!: string;

  @Field(() => PaymentTransactionStatus, { description: 'Where the payment stands, over all its parts.' })
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

  @Field(() => DateTimeResolver, { nullable: true, description: 'When the whole amount was received (ISO 8601, UTC). Null until then.' })
  paidAt!: Date | null;

  @Field(() => [PaymentTransactionPartType], { description: 'The tenders, in the order the buyer entered them; their amounts sum to `amount`.' })
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
  @Field(() => ID, { description: 'Opaque id of the gift card.' })
  id!: string;

  @Field(() => String, { description: 'Last four characters of the code, to tell cards apart.' })
  last4!: string;

  @Field(() => Money, { description: 'Value left to spend (BRL centavos).' })
  balance!: Money;

  @Field(() => Money, { description: 'Value the card was created with (BRL centavos).' })
  initialValue!: Money;

  @Field(() => Boolean, { description: 'False when the card was deactivated; it can no longer pay.' })
  active!: boolean;

  @Field(() => DateTimeResolver, { description: 'When the card was created (ISO 8601, UTC).' })
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
  @Field(() => String, { description: 'The gift card\'s code, to give to the buyer. Shown only here: the store keeps only a hash and the last four characters.' })
  code!: string;

  @Field(() => GiftCardType, { description: 'The new gift card\'s record: balance, initial value and last four characters.' })
  giftCard!: GiftCardType;
}

@InputType({ description: 'A new gift card.' })
export class CreateGiftCardInput {
  @Field(() => String, { nullable: true, description: 'Omit to generate a code (recommended); a chosen code has 12–32 letters or digits.' })
  code?: string;

  @Field(() => SafeIntResolver, { description: 'Value in centavos (BRL).' })
  amount!: number;
}

@ObjectType({ description: 'Result of createGiftCard.' })
export class CreateGiftCardPayload {
  @Field(() => IssuedGiftCardType, { nullable: true, description: 'The new gift card with its code, shown only here. Null when refused.' })
  issued?: IssuedGiftCardType;

  @Field(() => [UserError], { description: 'Why the input was refused (e.g. a chosen code already taken is CONFLICT); empty on success.' })
  userErrors!: UserError[];
}

@InputType({ description: 'Confirms that the buyer\'s bank deposit for a cart arrived.' })
export class ConfirmBankDepositInput {
  @Field(() => String, { description: 'The cart number (the middle of the cart\'s order codes), as written in the deposit reference.' })
  cartNumber!: string;

  @Field(() => String, { description: 'Repeating the call with the same key confirms nothing twice.' })
  idempotencyKey!: string;
}

@ObjectType({ description: 'Result of confirmBankDeposit.' })
export class ConfirmBankDepositPayload {
  @Field(() => PaymentTransactionType, { nullable: true, description: 'The cart\'s payment after the confirmation. Null when refused.' })
  transaction?: PaymentTransactionType;

  @Field(() => [UserError], { description: 'Why the confirmation was refused (NOT_FOUND for an unknown cart number, BAD_USER_INPUT when the cart is not paid by deposit, CONFLICT when the deposit is no longer awaited or was already confirmed); empty on success.' })
  userErrors!: UserError[];
}
