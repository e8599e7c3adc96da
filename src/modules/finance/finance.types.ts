import { ArgsType, Field, ID, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import { DateTimeResolver } from 'graphql-scalars';
import { UserError } from '../../shared/errors/index.js';
import { Money } from '../../shared/money/index.js';
import { ConnectionArgs, ConnectionType } from '../../shared/pagination/index.js';
import { MarketplaceSettingsType } from '../sellers/index.js';
import { LedgerAccount, LedgerEntryKind } from './finance.entity.js';

registerEnumType(LedgerEntryKind, {
  name: 'LedgerEntryKind',
  description: 'The event a journal entry records.',
  valuesConfig: {
    CHECKOUT: { description: 'An order placed: the shopper owes its total; seller, commission and freight credited.' },
    CAPTURE: { description: 'Money taken by the provider or from a gift card, settling what the shopper owes.' },
    CANCELLATION: { description: 'A whole order cancelled: what it still held of its checkout entry reversed.' },
    LINE_CANCELLATION: { description: 'Item unavailable: some units cancelled before shipping, their frozen figures reversed.' },
    EDIT: { description: 'An order edited before shipping: removed units reversed, added lines booked.' },
    REFUND: { description: 'Money given back to the shopper through the provider or onto a gift card.' },
    VOID: { description: 'An authorization given up before capture.' },
    RETURN: { description: 'Returned units (or an exchange\'s difference): their frozen figures reversed.' },
    CHARGEBACK: { description: 'Money the card issuer took back.' },
    PAYOUT: { description: 'Money paid out to a seller.' },
    ADJUSTMENT: { description: 'A correction posted by the store.' },
  },
});
registerEnumType(LedgerAccount, {
  name: 'LedgerAccount',
  description: 'Accounts of the double-entry ledger. SELLER_PAYABLE is kept per seller.',
  valuesConfig: {
    CUSTOMER: { description: 'What shoppers owe for placed orders (asset).' },
    PAYMENT_PROVIDER: { description: 'Money captured and held at the payment provider (asset).' },
    SELLER_PAYABLE: { description: 'What the store owes a seller: its receivables (liability).' },
    COMMISSION_REVENUE: { description: "The operator's commission (revenue)." },
    FREIGHT_REVENUE: { description: "Freight charged to shoppers; the operator's carriers ship (revenue)." },
    GIFT_CARD: { description: 'Stored value used as tender (liability).' },
  },
});

/** The entity's columns made explicit: seller and category come from field resolvers. */
@ObjectType('CommissionRule', { description: 'A commission rate overriding the store default for a seller, a category (and its subcategories), or both.' })
export class CommissionRuleType {
  @Field(() => ID, { description: 'Opaque id of the rule.' })
  id!: string;

  @Field(() => Int, { description: 'Basis points: 1250 = 12.5%.' })
  rateBps!: number;

  @Field(() => DateTimeResolver, { description: 'When the rule was created (ISO 8601, UTC).' })
  createdAt!: Date;

  @Field(() => DateTimeResolver, { description: 'When the rule last changed (ISO 8601, UTC).' })
  updatedAt!: Date;
}

export const CommissionRuleConnection = ConnectionType('CommissionRule', CommissionRuleType);

@InputType({ description: 'On update, unset fields stay as they are; null clears the seller or the category (one of them must remain).' })
export class CommissionRuleInput {
  @Field(() => ID, { nullable: true, description: 'The seller the rate applies to.' })
  sellerId?: string | null;

  @Field(() => ID, { nullable: true, description: 'The category the rate applies to, with all its subcategories.' })
  categoryId?: string | null;

  @Field(() => Int, { nullable: true, description: 'Required to create: basis points, 0 to 10000.' })
  rateBps?: number;
}

@ArgsType()
export class CommissionRuleListArgs extends ConnectionArgs {
  @Field(() => ID, { nullable: true, description: 'Only rules naming this seller.' })
  sellerId?: string;

  @Field(() => ID, { nullable: true, description: 'Only rules naming this category.' })
  categoryId?: string;
}

@ObjectType({ description: 'Result of creating or changing a commission rule.' })
export class CommissionRulePayload {
  @Field(() => CommissionRuleType, { nullable: true, description: 'The rule as it is after the change. Null when refused.' })
  commissionRule?: CommissionRuleType;

  @Field(() => [UserError], { description: 'Why the input was refused; empty on success. Nothing was changed when it is not empty.' })
  userErrors!: UserError[];
}

@ObjectType({ description: 'Result of deleteCommissionRule.' })
export class DeleteCommissionRulePayload {
  @Field(() => CommissionRuleType, { nullable: true, description: 'The rule as it was before deletion; null when refused.' })
  deletedCommissionRule?: CommissionRuleType;

  @Field(() => [UserError], { description: 'Why the deletion was refused; empty on success.' })
  userErrors!: UserError[];
}

@ObjectType({ description: 'Result of setDefaultCommission.' })
export class SetDefaultCommissionPayload {
  @Field(() => MarketplaceSettingsType, { nullable: true, description: 'The settings with the new defaultCommissionBps.' })
  marketplaceSettings?: MarketplaceSettingsType;

  @Field(() => [UserError], { description: 'Why the rate was refused (outside 0 to 10000); empty on success.' })
  userErrors!: UserError[];
}

@ObjectType('SellerCommissionRates', {
  description:
    "The rates that can apply to one seller's sales. Precedence: a rule for the seller in the item's category (or nearest ancestor) > a rule for the seller > a rule for the category (or nearest ancestor) > the store default.",
})
export class SellerCommissionRatesType {
  @Field(() => ID, { description: 'Id of the seller the rates apply to.' })
  sellerId!: string;

  @Field(() => Int, { description: 'Store default, in basis points, used when no rule matches.' })
  defaultRateBps!: number;
}

@ObjectType('LedgerEntry', { description: 'A journal entry: its lines always net to zero.' })
export class LedgerEntryType {
  @Field(() => ID, { description: 'Opaque id of the journal entry.' })
  id!: string;

  @Field(() => LedgerEntryKind, { description: 'The event the entry records.' })
  kind!: LedgerEntryKind;

  @Field(() => String, { description: 'Identity of the event; an event is posted once per kind.' })
  reference!: string;

  @Field(() => ID, { nullable: true, description: 'Id of the cart the event belongs to. Null for entries not tied to a cart (payouts, adjustments).' })
  cartId?: string | null;

  @Field(() => String, { nullable: true, description: 'Number of the cart the event belongs to (the middle of its order codes). Null for entries not tied to a cart.' })
  cartNumber?: string | null;

  @Field(() => ID, { nullable: true, description: 'Id of the order the event concerns. Null for cart-wide events (a capture of the whole cart) and for entries not tied to an order.' })
  orderId?: string | null;

  @Field(() => String, { nullable: true, description: 'A short explanation in words. Null when none.' })
  memo?: string | null;

  @Field(() => DateTimeResolver, { description: 'When the entry was posted (ISO 8601, UTC).' })
  createdAt!: Date;
}

export const LedgerEntryConnection = ConnectionType('LedgerEntry', LedgerEntryType);

@ObjectType('LedgerLine', { description: 'One side of a journal entry: a debit or a credit to one account.' })
export class LedgerLineType {
  @Field(() => ID, { description: 'Opaque id of the line.' })
  id!: string;

  @Field(() => LedgerAccount, { description: 'The ledger account debited or credited.' })
  account!: LedgerAccount;
}

export const LedgerLineConnection = ConnectionType('LedgerLine', LedgerLineType);

@ArgsType()
export class LedgerEntryListArgs extends ConnectionArgs {
  @Field(() => String, { nullable: true, description: 'Only entries of this cart (the middle of its order codes).' })
  cartNumber?: string;

  @Field(() => ID, { nullable: true, description: 'Only entries of this order.' })
  orderId?: string;

  @Field(() => ID, { nullable: true, description: 'Entries with at least one line for this seller.' })
  sellerId?: string;

  @Field(() => LedgerEntryKind, { nullable: true, description: 'Only entries of this kind.' })
  kind?: LedgerEntryKind;
}

@ObjectType('SellerLedgerLine', {
  description: "A movement of one seller's receivable (its SELLER_PAYABLE account): credits are sales, debits cancellations, refunds, chargebacks and payouts.",
})
export class SellerLedgerLineType {
  @Field(() => ID, { description: 'Opaque id of the ledger line.' })
  id!: string;

  @Field(() => LedgerEntryKind, { description: 'The event the movement records.' })
  kind!: LedgerEntryKind;

  @Field(() => String, { nullable: true, description: 'Number of the cart the movement belongs to. Null for payouts and adjustments.' })
  cartNumber?: string | null;

  @Field(() => ID, { nullable: true, description: 'Id of the order the movement concerns. Null for payouts and adjustments not tied to an order.' })
  orderId?: string | null;

  @Field(() => Money, { description: 'What the movement takes from the seller\'s receivable (BRL centavos); 0 on a credit.' })
  debit!: Money;

  @Field(() => Money, { description: 'What the movement adds to the seller\'s receivable (BRL centavos); 0 on a debit.' })
  credit!: Money;

  @Field(() => DateTimeResolver, { description: 'When the movement was posted (ISO 8601, UTC).' })
  createdAt!: Date;
}

export const SellerLedgerLineConnection = ConnectionType('SellerLedgerLine', SellerLedgerLineType);

@ArgsType()
export class SellerLedgerArgs extends ConnectionArgs {
  @Field(() => ID, { nullable: true, description: 'Operator staff name the seller; seller users get their own (another id is FORBIDDEN).' })
  sellerId?: string;

  @Field(() => LedgerEntryKind, { nullable: true, description: 'Only movements of this kind.' })
  kind?: LedgerEntryKind;

  @Field(() => String, { nullable: true, description: 'Only movements of this cart (the middle of its order codes).' })
  cartNumber?: string;

  @Field(() => ID, { nullable: true, description: 'Only movements of this order.' })
  orderId?: string;
}
