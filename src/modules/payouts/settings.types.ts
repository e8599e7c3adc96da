import { Field, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import { UserError } from '../../shared/errors/index.js';
import { ChargebackBearer, PayoutFrequency, SettlementBasis } from '../sellers/index.js';

registerEnumType(SettlementBasis, {
  name: 'SettlementBasis',
  description: "When a seller's receivable becomes available.",
  valuesConfig: {
    DAYS_AFTER_DELIVERY: { description: 'settlementDays after the delivery date.' },
    AFTER_RETURN_WINDOW: { description: 'The day after the return window (returnWindowDays from delivery) closes.' },
  },
});

registerEnumType(PayoutFrequency, {
  name: 'PayoutFrequency',
  description: 'How often payouts are made.',
  valuesConfig: {
    WEEKLY: { description: 'Every week on payoutWeekday.' },
    FORTNIGHTLY: { description: 'On the 15th and the last day of every month.' },
    MONTHLY: { description: 'Every month on payoutMonthDay (a shorter month pays on its last day).' },
  },
});

@ObjectType('PayoutSettings', {
  description:
    "The store's settlement rule and payout calendar. A receivable is available settlementDays after delivery (or the day after the return window closes); when no delivery is posted, settlementFallbackDays after shipping; with both, the earlier date.",
})
export class PayoutSettingsType {
  @Field(() => SettlementBasis, { description: 'DAYS_AFTER_DELIVERY or AFTER_RETURN_WINDOW.' })
  settlementBasis!: SettlementBasis;

  @Field(() => Int, { description: 'N: days after delivery.' })
  settlementDays!: number;

  @Field(() => Int, { description: 'M: days after shipping when no delivery is posted.' })
  settlementFallbackDays!: number;

  @Field(() => Int, { description: 'Days after delivery a return may be opened.' })
  returnWindowDays!: number;

  @Field(() => PayoutFrequency, { description: 'WEEKLY, FORTNIGHTLY or MONTHLY.' })
  payoutFrequency!: PayoutFrequency;

  @Field(() => Int, { description: 'ISO weekday of WEEKLY payouts (1 = Monday … 7 = Sunday).' })
  payoutWeekday!: number;

  @Field(() => Int, { description: 'Day of MONTHLY payouts (1–31; a shorter month pays on its last day).' })
  payoutMonthDay!: number;

  @Field(() => String, { description: 'IANA time zone of the store dates and periods.' })
  timeZone!: string;

  @Field(() => ChargebackBearer, { description: 'Who bears chargebacks.' })
  chargebackBearer!: ChargebackBearer;
}

@InputType({ description: 'Unset fields stay as they are. Receivables already dated keep their dates.' })
export class UpdatePayoutSettingsInput {
  @Field(() => SettlementBasis, { nullable: true, description: 'DAYS_AFTER_DELIVERY or AFTER_RETURN_WINDOW.' })
  settlementBasis?: SettlementBasis;

  @Field(() => Int, { nullable: true, description: '0 to 365.' })
  settlementDays?: number;

  @Field(() => Int, { nullable: true, description: '0 to 365.' })
  settlementFallbackDays?: number;

  @Field(() => Int, { nullable: true, description: '0 to 365.' })
  returnWindowDays?: number;

  @Field(() => PayoutFrequency, { nullable: true, description: 'WEEKLY, FORTNIGHTLY or MONTHLY.' })
  payoutFrequency?: PayoutFrequency;

  @Field(() => Int, { nullable: true, description: '1 (Monday) to 7 (Sunday).' })
  payoutWeekday?: number;

  @Field(() => Int, { nullable: true, description: '1 to 31.' })
  payoutMonthDay?: number;

  @Field(() => String, { nullable: true, description: 'An IANA time zone, e.g. America/Sao_Paulo.' })
  timeZone?: string;

  @Field(() => ChargebackBearer, { nullable: true, description: 'SELLER or OPERATOR.' })
  chargebackBearer?: ChargebackBearer;
}

@ObjectType({ description: 'The result of updatePayoutSettings.' })
export class PayoutSettingsPayload {
  @Field(() => PayoutSettingsType, { nullable: true, description: 'The settings now.' })
  payoutSettings?: PayoutSettingsType;

  @Field(() => [UserError], { description: 'Why the change was refused.' })
  userErrors!: UserError[];
}
