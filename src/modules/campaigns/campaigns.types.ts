import { ArgsType, Field, ID, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import { DateTimeResolver, SafeIntResolver } from 'graphql-scalars';
import { UserError } from '../../shared/errors/index.js';
import { Money } from '../../shared/money/index.js';
import { ConnectionArgs, ConnectionType } from '../../shared/pagination/index.js';
import { CampaignDiscountType, CampaignFunding, CampaignKind, CampaignPaymentMethod } from './campaigns.entity.js';
import { CampaignStatus } from './campaigns.service.js';

registerEnumType(CampaignKind, {
  name: 'CampaignKind',
  description: 'What a campaign discounts. The payment condition is always the operator\'s; a seller only joins.',
  valuesConfig: {
    PRICE: { description: 'The price of the joined SKUs, however the cart is paid.' },
    CASH_PRICE: { description: 'The cash ("à vista") price: only when the whole cart is paid at once — Pix, bank deposit, cards in one installment, alone or combined.' },
    PAYMENT_METHOD: { description: 'The price, only when the whole cart is paid by the campaign\'s paymentMethod.' },
    FREIGHT: { description: "The freight of the joining seller's order when it holds a joined SKU; the seller funds it and the operator's freight revenue stays whole." },
  },
});
registerEnumType(CampaignDiscountType, {
  name: 'CampaignDiscountType',
  description: 'How discounts and bounds are measured.',
  valuesConfig: {
    PERCENTAGE: { description: 'Basis points of the unit price (of the freight for FREIGHT): 1000 = 10%, rounded down to the centavo.' },
    FIXED: { description: 'Centavos off each unit (off the order\'s freight for FREIGHT), never more than the price.' },
  },
});
registerEnumType(CampaignPaymentMethod, {
  name: 'CampaignPaymentMethod',
  description: 'The method a PAYMENT_METHOD campaign is tied to: every part of the payment must use it.',
  valuesConfig: { PIX: { description: 'Pix, any provider.' }, BANK_DEPOSIT: { description: 'Paid by bank deposit (boleto-like transfer the operator confirms).' }, CARD: { description: 'Credit card, any number of installments.' } },
});
registerEnumType(CampaignFunding, {
  name: 'CampaignFunding',
  description: "Who bears a campaign's discount. The seller-funded part lowers the seller's commission base and receivable.",
  valuesConfig: { SELLER: { description: 'The joining seller bears all of it.' }, SHARED: { description: 'The operator bears operatorSharePercent, the seller the rest (split per line by the largest remainder).' } },
});
registerEnumType(CampaignStatus, {
  name: 'CampaignStatus',
  description: 'The phase of a campaign, from its period and the clock.',
  valuesConfig: {
    DRAFT: { description: 'Being prepared by the operator; only drafts change.' },
    OPEN: { description: 'Open for joining: sellers join, change and leave until the start.' },
    RUNNING: { description: 'Inside its period: joined SKUs sell with the campaign discount.' },
    ENDED: { description: 'After its end: prices are back to list price.' },
  },
});

@ObjectType('Campaign', { description: 'An operator-run campaign that guest sellers opt into with their own SKUs.' })
export class CampaignType {
  @Field(() => ID, { description: "The campaign's id." })
  id!: string;

  @Field(() => String, { description: 'Shown to sellers and shoppers, e.g. "Black Friday 2026".' })
  name!: string;

  @Field(() => CampaignKind, { description: 'What it discounts.' })
  kind!: CampaignKind;

  @Field(() => CampaignPaymentMethod, { nullable: true, description: 'PAYMENT_METHOD campaigns: the method the whole cart must be paid with.' })
  paymentMethod?: CampaignPaymentMethod | null;

  @Field(() => CampaignDiscountType, { description: 'The unit of minDiscount, maxDiscount and each seller\'s discount.' })
  discountType!: CampaignDiscountType;

  @Field(() => SafeIntResolver, { description: 'The smallest discount a seller may choose (basis points or centavos, as discountType says).' })
  minDiscount!: number;

  @Field(() => SafeIntResolver, { description: 'The largest discount a seller may choose (basis points or centavos, as discountType says).' })
  maxDiscount!: number;

  @Field(() => CampaignFunding, { description: 'Who bears the discount.' })
  funding!: CampaignFunding;

  @Field(() => Int, { nullable: true, description: "SHARED: the operator's part of each discount, in percent (1–99)." })
  operatorSharePercent?: number | null;

  @Field(() => DateTimeResolver, { description: 'Start of the period (inclusive).' })
  startsAt!: Date;

  @Field(() => DateTimeResolver, { description: 'End of the period (exclusive): a checkout at or after it pays list price.' })
  endsAt!: Date;

  @Field(() => [ID], { description: 'Categories whose products may join (sub-categories included); empty: any.' })
  categoryIds!: string[];

  @Field(() => Int, { nullable: true, description: 'How many SKUs one seller may join with; null: the store-wide bound of 1000.' })
  maxSkusPerSeller?: number | null;

  @Field(() => DateTimeResolver, { nullable: true, description: 'When the operator opened it for joining; null for a draft.' })
  publishedAt?: Date | null;

  @Field(() => DateTimeResolver, { description: 'When the operator created it.' })
  createdAt!: Date;
}

export const CampaignConnection = ConnectionType('Campaign', CampaignType);

@ObjectType('CampaignSku', { description: 'A SKU a seller joined a campaign with, and the discount it chose.' })
export class CampaignSkuType {
  @Field(() => String, { description: 'Displayed SKU code (an ERP integration reads its raw code here).' })
  skuCode!: string;

  @Field(() => SafeIntResolver, { description: 'The chosen discount: basis points or centavos per unit, as the campaign\'s discountType says.' })
  discount!: number;

  @Field(() => Money, { description: 'The SKU\'s list price now.' })
  listPrice!: Money;

  @Field(() => Money, { description: 'What one unit sells for while the campaign runs (for payment-conditioned kinds: when the condition is met; for FREIGHT: the list price).' })
  campaignPrice!: Money;
}

@ObjectType('CampaignPayload', { description: 'A campaign after a change, or why the change was refused.' })
export class CampaignPayload {
  @Field(() => CampaignType, { nullable: true, description: 'The campaign; null when refused.' })
  campaign?: CampaignType;

  @Field(() => [UserError], { description: 'Why the change was refused; empty on success.' })
  userErrors!: UserError[];
}

@ObjectType('CampaignParticipationPayload', { description: "A seller's SKUs in a campaign after joining, or why joining was refused." })
export class CampaignParticipationPayload {
  @Field(() => CampaignType, { nullable: true, description: 'The campaign joined; null when refused.' })
  campaign?: CampaignType;

  @Field(() => [CampaignSkuType], { nullable: true, description: "The seller's SKUs in the campaign now; null when refused." })
  skus?: CampaignSkuType[];

  @Field(() => [UserError], { description: 'Why joining was refused (BAD_USER_INPUT for another seller\'s SKU or a discount outside the bounds…; a campaign not open to the seller is a top-level FORBIDDEN); empty on success.' })
  userErrors!: UserError[];
}

@InputType('CampaignChangesInput', { description: 'A campaign\'s terms. On update (drafts only), unset fields stay as they are; null clears an optional one.' })
export class CampaignChangesInput {
  @Field(() => String, { nullable: true, description: 'Required to create; 1 to 120 characters.' })
  name?: string;

  @Field(() => CampaignPaymentMethod, { nullable: true, description: 'Required for PAYMENT_METHOD campaigns, refused for the other kinds.' })
  paymentMethod?: CampaignPaymentMethod | null;

  @Field(() => CampaignDiscountType, { nullable: true, description: 'Required to create: the unit of the bounds and of the sellers\' discounts.' })
  discountType?: CampaignDiscountType;

  @Field(() => SafeIntResolver, { nullable: true, description: 'Required to create: the smallest discount a seller may choose (basis points 1–10000, or centavos ≥ 1).' })
  minDiscount?: number;

  @Field(() => SafeIntResolver, { nullable: true, description: 'Required to create: the largest discount a seller may choose, at least minDiscount.' })
  maxDiscount?: number;

  @Field(() => CampaignFunding, { nullable: true, description: 'SELLER when left out on create; FREIGHT campaigns are always SELLER.' })
  funding?: CampaignFunding;

  @Field(() => Int, { nullable: true, description: "SHARED only: the operator's part of each discount, 1 to 99 percent." })
  operatorSharePercent?: number | null;

  @Field(() => DateTimeResolver, { nullable: true, description: 'Required to create: start of the period (inclusive).' })
  startsAt?: Date;

  @Field(() => DateTimeResolver, { nullable: true, description: 'Required to create: end of the period (exclusive), after startsAt.' })
  endsAt?: Date;

  @Field(() => [ID], { nullable: true, description: 'Guest sellers invited; empty or left out: every guest seller.' })
  sellerIds?: string[] | null;

  @Field(() => [ID], { nullable: true, description: 'Categories whose products may join (sub-categories included); empty or left out: any.' })
  categoryIds?: string[] | null;

  @Field(() => Int, { nullable: true, description: 'How many SKUs one seller may join with (1–1000); null: 1000.' })
  maxSkusPerSeller?: number | null;
}

@InputType('CreateCampaignInput', { description: 'A new campaign, created as a DRAFT.' })
export class CreateCampaignInput extends CampaignChangesInput {
  @Field(() => CampaignKind, { description: 'What it discounts; fixed once created.' })
  kind!: CampaignKind;
}

@InputType('JoinCampaignInput', { description: 'A seller joining a campaign (or changing what it joined with) before the campaign starts.' })
export class JoinCampaignInput {
  @Field(() => ID, { description: 'The campaign, OPEN for joining.' })
  campaignId!: string;

  @Field(() => ID, { nullable: true, description: 'Operator staff acting for a seller: which one. Seller users and integrations may leave it out (their own); another seller is FORBIDDEN.' })
  seller?: string | null;

  @Field(() => [String], { description: "The seller's own SKUs (displayed codes, or its raw codes), 1 to 1000; replaces the SKUs joined before." })
  skuCodes!: string[];

  @Field(() => SafeIntResolver, { description: "The discount, within the campaign's bounds: basis points or centavos per unit, as its discountType says." })
  discount!: number;
}

@ArgsType()
export class CampaignListArgs extends ConnectionArgs {
  @Field(() => CampaignStatus, { nullable: true, description: 'Only campaigns in this phase.' })
  status?: CampaignStatus;
}

@ObjectType('CampaignResults', { description: "A campaign's results from the frozen order figures (cancelled orders left out), computed by SQL aggregates." })
export class CampaignResultsType {
  @Field(() => ID, { nullable: true, description: 'The seller these results are for; null: the whole campaign.' })
  sellerId?: string | null;

  @Field(() => Int, { description: 'Orders with at least one campaign-discounted line (or a campaign freight discount).' })
  orders!: number;

  @Field(() => Int, { description: 'Units sold with the campaign discount at checkout.' })
  units!: number;

  @Field(() => Money, { description: 'Those units at list price (the SKU price frozen on the order line).' })
  gross!: Money;

  @Field(() => Money, { description: 'The campaign discount given (line discounts plus freight discounts).' })
  discount!: Money;

  @Field(() => Money, { description: 'The part of the discount the sellers bore.' })
  sellerBorne!: Money;

  @Field(() => Money, { description: 'The part of the discount the operator bore (SHARED campaigns).' })
  operatorBorne!: Money;
}

@ObjectType('CampaignReport', { description: "A campaign's results: the total and one row per seller that sold in it (a seller sees only its own)." })
export class CampaignReportType {
  @Field(() => CampaignResultsType, { description: 'The sum of the rows below.' })
  total!: CampaignResultsType;

  @Field(() => [CampaignResultsType], { description: 'One row per seller, by seller id.' })
  sellers!: CampaignResultsType[];
}
