import { Field, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import { DateTimeResolver, SafeIntResolver } from 'graphql-scalars';
import { UserError } from '../../shared/errors/index.js';
import { FraudStatus } from './fraud.entity.js';

registerEnumType(FraudStatus, { name: 'FraudStatus', description: 'PENDING until the analyzer answers; REVIEW waits for operator staff.' });

@ObjectType('FraudReason')
export class FraudReasonType {
  @Field(() => String) code!: string;
  @Field(() => String) message!: string;
}

@ObjectType('FraudAnalysisItem', { description: 'One cart line as the analyzer received it.' })
export class FraudAnalysisItemType {
  @Field(() => String) skuCode!: string;
  @Field(() => String) name!: string;
  @Field(() => Int) quantity!: number;
  @Field(() => SafeIntResolver, { description: 'Centavos per unit.' }) unitPrice!: number;
  @Field(() => String) sellerName!: string;
  @Field(() => String, { nullable: true }) sellerConcatenationCode!: string | null;
  @Field(() => Boolean, { description: 'True for a guest seller\'s item.' }) marketplace!: boolean;
}

@ObjectType('FraudAnalysis', { description: 'The single fraud analysis of a cart; its verdict applies to every order of the cart. Operator staff only.' })
export class FraudAnalysisType {
  @Field(() => String) cartNumber!: string;
  @Field(() => FraudStatus) status!: FraudStatus;
  @Field(() => FraudStatus, { nullable: true, description: 'What the analyzer said, before any staff decision.' }) analyzerOutcome!: FraudStatus | null;
  @Field(() => Int, { nullable: true, description: '0–100, higher is riskier.' }) score!: number | null;
  @Field(() => [FraudReasonType]) reasons!: FraudReasonType[];
  @Field(() => String, { nullable: true }) provider!: string | null;
  @Field(() => String, { nullable: true }) providerRef!: string | null;
  @Field(() => DateTimeResolver, { nullable: true }) analyzedAt!: Date | null;
  @Field(() => DateTimeResolver, { nullable: true }) decidedAt!: Date | null;
  @Field(() => String, { nullable: true }) decisionNote!: string | null;
  @Field(() => Int, { description: 'Distinct sellers in the cart.' }) distinctSellers!: number;
  @Field(() => [FraudAnalysisItemType]) items!: FraudAnalysisItemType[];
}

@InputType()
export class DecideFraudAnalysisInput {
  @Field(() => String) cartNumber!: string;
  @Field(() => FraudStatus, { description: 'APPROVED or REJECTED.' }) outcome!: FraudStatus;
  @Field(() => String, { nullable: true }) note?: string;
}

@ObjectType()
export class DecideFraudAnalysisPayload {
  @Field(() => FraudAnalysisType, { nullable: true }) fraudAnalysis?: FraudAnalysisType;
  @Field(() => [UserError]) userErrors!: UserError[];
}
