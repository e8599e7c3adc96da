import { ArgsType, Field, ID, InputType, ObjectType, registerEnumType } from 'type-graphql';
import { DateTimeResolver } from 'graphql-scalars';
import { UserError } from '../../shared/errors/index.js';
import { Money } from '../../shared/money/index.js';
import { ConnectionArgs, ConnectionType } from '../../shared/pagination/index.js';
import { ReceivableKind } from './receivables.entity.js';
import { PayoutRunTrigger, PayoutStatus, TransferState } from './payouts.entity.js';

registerEnumType(PayoutStatus, {
  name: 'PayoutStatus',
  description: 'Where a payout (repasse) stands.',
  valuesConfig: {
    PROCESSING: { description: 'Its transfer was asked for, or awaits the operator (manual provider).' },
    PAID: { description: 'The transfer is confirmed.' },
    FAILED: { description: 'The transfer failed; the amount went back to the available balance (failureReason says why).' },
    CARRIED_FORWARD: { description: 'Debits exceeded what was available: nothing was paid, everything carries to the next payout.' },
  },
});
registerEnumType(TransferState, {
  name: 'TransferState',
  description: "Whether the payout's transfer reached the provider.",
  valuesConfig: {
    NOT_SENT: { description: 'Not sent yet.' },
    SENT: { description: 'The provider has it (or, manual, the operator does).' },
    UNCERTAIN: { description: 'Sent without an answer: it is looked up, never sent twice.' },
  },
});
registerEnumType(PayoutRunTrigger, {
  name: 'PayoutRunTrigger',
  description: 'Who started a payout run.',
  valuesConfig: { OPERATOR: { description: 'runPayouts, by operator staff.' }, CALENDAR: { description: "The payout job, on the store's calendar." } },
});

@ObjectType('Payout', { description: "A payout (repasse): one per seller and period end, paying the seller's available receivables up to the period end minus its debits." })
export class PayoutType {
  @Field(() => ID, { description: 'The payout id (also the transfer\'s external reference at the provider).' })
  id!: string;

  @Field(() => String, { description: 'The period end (YYYY-MM-DD, store time zone): receivables available by then are in it.' })
  periodEnd!: string;

  @Field(() => PayoutStatus, { description: 'PROCESSING, PAID, FAILED or CARRIED_FORWARD.' })
  status!: PayoutStatus;

  @Field(() => String, { nullable: true, description: 'The transfer provider (manual, asaas); null when nothing is transferred.' })
  provider?: string | null;

  @Field(() => TransferState, { description: 'Whether the transfer reached the provider.' })
  transferState!: TransferState;

  @Field(() => String, { nullable: true, description: "The provider's transfer id." })
  transferId?: string | null;

  @Field(() => String, { nullable: true, description: 'The Pix end-to-end id or bank reference of the confirmed transfer.' })
  endToEndId?: string | null;

  @Field(() => String, { nullable: true, description: 'Why the transfer failed.' })
  failureReason?: string | null;

  @Field(() => DateTimeResolver, { description: 'When the payout was made.' })
  createdAt!: Date;

  @Field(() => DateTimeResolver, { nullable: true, description: 'When its transfer was asked for.' })
  submittedAt?: Date | null;

  @Field(() => DateTimeResolver, { nullable: true, description: 'When the transfer was confirmed.' })
  paidAt?: Date | null;

  @Field(() => DateTimeResolver, { nullable: true, description: 'When the transfer failed.' })
  failedAt?: Date | null;
}

export const PayoutConnection = ConnectionType('Payout', PayoutType);

@ObjectType('PayoutItem', { description: 'What a payout took of one receivable: its amount, or a later change to it (negative: a debit).' })
export class PayoutItemType {
  @Field(() => ID, { description: 'Id of the receivable this item paid (or debited).' })
  receivableId!: string;

  @Field(() => ReceivableKind, { description: 'ORDER or ADJUSTMENT.' })
  kind!: ReceivableKind;

  @Field(() => String, { nullable: true, description: 'The order code, for ORDER receivables.' })
  orderCode?: string | null;

  @Field(() => Money, { description: 'Positive: paid; negative: a debit taken.' })
  amount!: Money;
}

export const PayoutItemConnection = ConnectionType('PayoutItem', PayoutItemType);

@ObjectType('PayoutDestination', { description: "Where the transfer went: the seller's bank data when the payout was made. Seller owners/finance and operator owners/admins only." })
export class PayoutDestinationType {
  @Field(() => String, { nullable: true, description: 'The Pix key used, when there was one.' })
  pixKey?: string | null;

  @Field(() => String, { description: 'Bank code (COMPE).' })
  bankCode!: string;

  @Field(() => String, { description: 'Branch (agência) number, with its check digit when it has one.' })
  branch!: string;

  @Field(() => String, { description: 'Account number with its check digit.' })
  account!: string;

  @Field(() => String, { description: 'CHECKING, SAVINGS or PAYMENT.' })
  accountType!: string;

  @Field(() => String, { description: "The account holder's name." })
  holderName!: string;
}

@ObjectType('PayoutRun', { description: 'One call of runPayouts (or one date of the payout calendar): its idempotency key names it.' })
export class PayoutRunType {
  @Field(() => ID, { description: 'The run id.' })
  id!: string;

  @Field(() => String, { description: 'The period end it paid up to (YYYY-MM-DD).' })
  periodEnd!: string;

  @Field(() => PayoutRunTrigger, { description: 'OPERATOR or CALENDAR.' })
  trigger!: PayoutRunTrigger;

  @Field(() => DateTimeResolver, { description: 'When it started.' })
  createdAt!: Date;

  @Field(() => DateTimeResolver, { nullable: true, description: "When every seller had been looked at; null while it runs, or while a seller's payout failed (listed in attentionItems as payout-run): repeating the run's key tries that seller again." })
  completedAt?: Date | null;
}

@ArgsType()
export class PayoutListArgs extends ConnectionArgs {
  @Field(() => ID, { nullable: true, description: "Operator staff name a seller (or leave it out for every seller's); sellers get their own." })
  sellerId?: string;

  @Field(() => PayoutStatus, { nullable: true, description: 'Only payouts in this status.' })
  status?: PayoutStatus;

  @Field(() => String, { nullable: true, description: 'Only payouts of this period end (YYYY-MM-DD).' })
  periodEnd?: string;
}

@InputType({ description: 'Pays every guest seller its receivables available up to periodEnd, minus its debits.' })
export class RunPayoutsInput {
  @Field(() => String, { description: 'The period end, YYYY-MM-DD in the store time zone; not after today.' })
  periodEnd!: string;

  @Field(() => String, { description: 'The same key returns the same run and pays nothing again.' })
  idempotencyKey!: string;
}

@InputType({ description: 'Confirms a manual payout with the reference of the transfer made at the bank.' })
export class ConfirmPayoutInput {
  @Field(() => ID, { description: 'Id of the PROCESSING payout whose transfer the bank confirmed.' })
  payoutId!: string;

  @Field(() => String, { description: 'The Pix end-to-end id (E…) or the bank transfer reference.' })
  endToEndId!: string;
}

@InputType({ description: 'Records that a payout\'s transfer did not happen; its amount returns to the available balance.' })
export class FailPayoutInput {
  @Field(() => ID, { description: 'Id of the PROCESSING payout whose transfer failed.' })
  payoutId!: string;

  @Field(() => String, { description: 'Why, 3 to 500 characters; the seller sees it.' })
  reason!: string;
}

@InputType({ description: 'Asks the transfer provider about a payout now.' })
export class RefreshPayoutInput {
  @Field(() => ID, { description: 'Id of the PROCESSING payout to ask the transfer provider about again.' })
  payoutId!: string;
}

@ObjectType({ description: 'The result of runPayouts.' })
export class RunPayoutsPayload {
  @Field(() => PayoutRunType, { nullable: true, description: 'The run, with the payouts it made.' })
  run?: PayoutRunType;

  @Field(() => [UserError], { description: 'Why the run was refused.' })
  userErrors!: UserError[];
}

@ObjectType({ description: 'The result of a change to one payout.' })
export class PayoutPayload {
  @Field(() => PayoutType, { nullable: true, description: 'The payout as it is now.' })
  payout?: PayoutType;

  @Field(() => [UserError], { description: 'Why the change was refused.' })
  userErrors!: UserError[];
}
