import { ArgsType, Field, ID, ObjectType, registerEnumType } from 'type-graphql';
import { DateTimeResolver } from 'graphql-scalars';
import { Money } from '../../shared/money/index.js';
import { ConnectionArgs, ConnectionType } from '../../shared/pagination/index.js';
import { ReceivableKind } from './receivables.entity.js';

/** The states a receivable shows (AVAILABLE is SCHEDULED from its available date on). */
export enum ReceivableStateEnum {
  PENDING = 'PENDING',
  SCHEDULED = 'SCHEDULED',
  AVAILABLE = 'AVAILABLE',
  PAID = 'PAID',
  CANCELLED = 'CANCELLED',
}

registerEnumType(ReceivableKind, {
  name: 'ReceivableKind',
  description: 'What a receivable is for.',
  valuesConfig: { ORDER: { description: "One order's net share for its seller." }, ADJUSTMENT: { description: 'A credit or debit posted by operator staff.' } },
});
registerEnumType(ReceivableStateEnum, {
  name: 'ReceivableState',
  description: 'Where a receivable stands: PENDING → SCHEDULED → AVAILABLE → PAID, or CANCELLED.',
  valuesConfig: {
    PENDING: { description: 'The order is not approved yet (payment or fraud review pending).' },
    SCHEDULED: { description: 'Approved; available from availableOn (set when the order ships and when it is delivered).' },
    AVAILABLE: { description: 'Available since availableOn: paid on the next payout.' },
    PAID: { description: 'Paid in a payout. A later return or chargeback shows as a negative outstanding amount, taken from the next payout.' },
    CANCELLED: { description: 'The order was cancelled before anything was paid.' },
  },
});

@ObjectType('Receivable', { description: "What a seller is owed for one order (or one adjustment), from the ledger's SELLER_PAYABLE movements of that order." })
export class ReceivableType {
  @Field(() => ID, { description: 'The receivable id.' })
  id!: string;

  @Field(() => ReceivableKind, { description: 'ORDER or ADJUSTMENT.' })
  kind!: ReceivableKind;

  @Field(() => ReceivableStateEnum, { description: "Its state today (store time zone)." })
  state!: ReceivableStateEnum;

  @Field(() => ID, { description: 'The seller it is owed to.' })
  sellerId!: string;

  @Field(() => ID, { nullable: true, description: 'The order (ORDER receivables).' })
  orderId?: string | null;

  @Field(() => String, { nullable: true, description: 'The order code, e.g. ALFA-100123-2.' })
  orderCode?: string | null;

  @Field(() => String, { nullable: true, description: "The order's cart number." })
  cartNumber?: string | null;

  @Field(() => ID, { nullable: true, description: 'The adjustment (ADJUSTMENT receivables).' })
  adjustmentId?: string | null;

  @Field(() => String, { nullable: true, description: 'The date (YYYY-MM-DD, store time zone) it becomes available; null until the order ships.' })
  availableOn?: string | null;

  @Field(() => Money, { description: 'Net amount: the sale less commission and seller-funded discounts, less cancellations, returns and chargebacks of the order.' })
  amount!: Money;

  @Field(() => Money, { description: 'What payouts have taken of it so far (failed payouts excluded).' })
  settled!: Money;

  @Field(() => Money, { description: 'amount − settled: positive, still to be paid; negative, a debit for the next payout.' })
  outstanding!: Money;

  @Field(() => DateTimeResolver, { description: 'When the receivable was created.' })
  createdAt!: Date;
}

export const ReceivableConnection = ConnectionType('Receivable', ReceivableType);

@ArgsType()
export class ReceivableListArgs extends ConnectionArgs {
  @Field(() => ID, { nullable: true, description: "Operator staff name a seller (or leave it out for every seller's); sellers get their own (another id is FORBIDDEN)." })
  sellerId?: string;

  @Field(() => ReceivableStateEnum, { nullable: true, description: 'Only receivables in this state today.' })
  state?: ReceivableStateEnum;
}

@ObjectType('SellerBalance', {
  description:
    "A seller's balance by receivable state. total is the ledger's SELLER_PAYABLE balance and equals pending + scheduled + available − debits. (Breaking change: sellerBalance used to be one Money.)",
})
export class SellerBalanceType {
  @Field(() => ID, { description: 'Id of the seller the balance is for.' })
  sellerId!: string;

  @Field(() => String, { description: 'The date (store time zone) the states were read for.' })
  asOf!: string;

  @Field(() => Money, { description: 'Orders not approved yet (and ledger movements no receivable carries yet).' })
  pending!: Money;

  @Field(() => Money, { description: 'Approved, not available yet.' })
  scheduled!: Money;

  @Field(() => Money, { description: 'Available: paid on the next payout.' })
  available!: Money;

  @Field(() => Money, { description: 'Debits for the next payout: returns, refunds and chargebacks after a payout, operator debits (a positive amount).' })
  debits!: Money;

  @Field(() => Money, { description: 'What the store owes the seller now, by the ledger.' })
  total!: Money;

  @Field(() => Money, { description: 'Paid out so far (confirmed transfers).' })
  paid!: Money;

  @Field(() => Money, { description: 'In payouts whose transfer is not confirmed yet.' })
  processing!: Money;
}
