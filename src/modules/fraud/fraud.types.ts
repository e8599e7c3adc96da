import { Field, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import { DateTimeResolver, SafeIntResolver } from 'graphql-scalars';
import { UserError } from '../../shared/errors/index.js';
import { FraudStatus } from './fraud.entity.js';

registerEnumType(FraudStatus, {
  name: 'FraudStatus',
  description: 'PENDING until the analyzer answers; REVIEW waits for operator staff.',
  valuesConfig: {
    APPROVED: { description: 'Approved: the payment is captured and every order of the cart approved.' },
    PENDING: { description: 'Written at checkout; the analyzer has not answered yet.' },
    REJECTED: { description: 'Rejected: every order of the cart is cancelled, stock returned, payment voided or refunded.' },
    REVIEW: { description: 'Waiting for operator staff to decide (decideFraudAnalysis).' },
  },
});

@ObjectType('FraudReason', { description: 'One reason behind a fraud verdict.' })
export class FraudReasonType {
  @Field(() => String, { description: 'Stable machine-readable code: a rule code of the built-in analyzer (e.g. HIGH_VALUE, DENIED_CARD_BIN), a provider status, or PROVIDER_UNAVAILABLE.' }) code!: string;
  @Field(() => String, { description: 'Human-readable explanation for operator staff.' }) message!: string;
}

@ObjectType('FraudAnalysisItem', { description: 'One cart line as the analyzer received it.' })
export class FraudAnalysisItemType {
  @Field(() => String, { description: 'Displayed SKU code.' }) skuCode!: string;
  @Field(() => String, { description: 'The product\'s name.' }) name!: string;
  @Field(() => Int, { description: 'Units in the cart.' }) quantity!: number;
  @Field(() => SafeIntResolver, { description: 'Centavos per unit.' }) unitPrice!: number;
  @Field(() => String, { description: 'The seller\'s name.' }) sellerName!: string;
  @Field(() => String, { nullable: true, description: 'The seller\'s concatenation code. Null for the admin seller without one.' }) sellerConcatenationCode!: string | null;
  @Field(() => Boolean, { description: 'True for a guest seller\'s item.' }) marketplace!: boolean;
}

@ObjectType('FraudAnalysis', { description: 'The single fraud analysis of a cart; its verdict applies to every order of the cart. Operator staff only.' })
export class FraudAnalysisType {
  @Field(() => String, { description: 'The cart number (the middle of its order codes).' }) cartNumber!: string;
  @Field(() => FraudStatus, { description: 'The verdict that applies to every order of the cart: the analyzer\'s, or operator staff\'s after a review.' }) status!: FraudStatus;
  @Field(() => FraudStatus, { nullable: true, description: 'What the analyzer said, before any staff decision.' }) analyzerOutcome!: FraudStatus | null;
  @Field(() => Int, { nullable: true, description: '0–100, higher is riskier.' }) score!: number | null;
  @Field(() => [FraudReasonType], { description: 'Why the analyzer decided as it did: the rules that fired, or the provider\'s status.' }) reasons!: FraudReasonType[];
  @Field(() => String, { nullable: true, description: 'Which analyzer answered: `rules` (the built-in rule-based analyzer) or `clearsale`. Null while PENDING.' }) provider!: string | null;
  @Field(() => String, { nullable: true, description: 'The provider\'s own reference for this analysis (ClearSale: the order code it knows). Null for the built-in analyzer.' }) providerRef!: string | null;
  @Field(() => DateTimeResolver, { nullable: true, description: 'When the analyzer answered (ISO 8601, UTC). Null while PENDING.' }) analyzedAt!: Date | null;
  @Field(() => DateTimeResolver, { nullable: true, description: 'When operator staff settled a review (ISO 8601, UTC). Null unless decided by staff.' }) decidedAt!: Date | null;
  @Field(() => String, { nullable: true, description: 'The note operator staff gave with their decision. Null when none.' }) decisionNote!: string | null;
  @Field(() => Int, { description: 'Distinct sellers in the cart.' }) distinctSellers!: number;
  @Field(() => [FraudAnalysisItemType], { description: 'Every cart line sent to the analyzer, with its seller and marketplace flag.' }) items!: FraudAnalysisItemType[];
}

@InputType({ description: 'Operator staff\'s verdict on a fraud analysis under REVIEW.' })
export class DecideFraudAnalysisInput {
  @Field(() => String, { description: 'The cart number (the middle of its order codes).' }) cartNumber!: string;
  @Field(() => FraudStatus, { description: 'APPROVED or REJECTED.' }) outcome!: FraudStatus;
  @Field(() => String, { nullable: true, description: 'Why, in words; kept on the analysis as decisionNote.' }) note?: string;
}

@ObjectType({ description: 'Result of decideFraudAnalysis.' })
export class DecideFraudAnalysisPayload {
  @Field(() => FraudAnalysisType, { nullable: true, description: 'The analysis after the decision. Null when refused.' }) fraudAnalysis?: FraudAnalysisType;
  @Field(() => [UserError], { description: 'Why the decision was refused (e.g. CONFLICT when the analysis is not under REVIEW); nothing changed when it is not empty.' }) userErrors!: UserError[];
}
