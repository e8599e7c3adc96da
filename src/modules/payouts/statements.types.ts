import { Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { DateTimeResolver } from 'graphql-scalars';
import { Money } from '../../shared/money/index.js';
import { ConnectionType } from '../../shared/pagination/index.js';
import { PayoutFrequency } from '../sellers/index.js';
import { MovementType } from './statements.service.js';

registerEnumType(MovementType, {
  name: 'StatementMovementType',
  description: "A movement of a seller's statement.",
  valuesConfig: {
    SALE: { description: "An order's merchandise (credit)." },
    DISCOUNT: { description: 'The part of a discount the seller funds (debit).' },
    COMMISSION: { description: "The marketplace's commission (debit)." },
    FREIGHT: { description: 'Freight the seller bears, e.g. a seller-funded free-shipping campaign (debit).' },
    REFUND: { description: "An order cancelled or lines refunded: the seller's share reversed (debit)." },
    RETURN: { description: "Returned items: the seller's share reversed (debit)." },
    CHARGEBACK: { description: "A chargeback borne by the seller (debit)." },
    CHARGEBACK_REVERSAL: { description: 'A chargeback reversed after a won dispute (credit).' },
    ADJUSTMENT: { description: 'A credit or debit posted by operator staff, with its reason.' },
    PAYOUT: { description: 'A payout transferred to the seller (debit).' },
    PAYOUT_RETURNED: { description: 'A failed payout returned to the balance (credit).' },
    OTHER: { description: 'Any other ledger movement of the seller.' },
  },
});

@ObjectType('StatementMovement', { description: 'One movement of a seller statement, with the balance after it.' })
export class StatementMovementType {
  @Field(() => ID, { description: 'The ledger line (with a suffix for the parts of a sale).' })
  id!: string;

  @Field(() => ID, { description: 'Id of the seller whose receivable moved.' })
  sellerId!: string;

  @Field(() => MovementType, { description: 'What kind of movement.' })
  type!: MovementType;

  @Field(() => DateTimeResolver, { description: 'When it was booked.' })
  at!: Date;

  @Field(() => ID, { nullable: true, description: 'The order it belongs to, if any.' })
  orderId?: string | null;

  @Field(() => String, { nullable: true, description: 'The order code, if any.' })
  orderCode?: string | null;

  @Field(() => String, { nullable: true, description: 'The cart number, if any.' })
  cartNumber?: string | null;

  @Field(() => String, { description: 'What happened, in words.' })
  description!: string;

  @Field(() => Money, { description: 'Credits positive, debits negative.' })
  amount!: Money;

  @Field(() => Money, { description: 'The balance after this movement.' })
  balance!: Money;
}

export const StatementMovementConnection = ConnectionType('StatementMovement', StatementMovementType);

@ObjectType('StatementTotal', { description: "The sum of one type of movement in a statement's period." })
export class StatementTotalType {
  @Field(() => MovementType, { description: 'The kind of movement summed.' })
  type!: MovementType;

  @Field(() => Int, { description: 'How many movements.' })
  count!: number;

  @Field(() => Money, { description: 'Their sum (signed).' })
  amount!: Money;
}

@ObjectType('SellerStatement', { description: "A seller's statement (demonstrativo) for a period of the store's calendar: every movement with its running balance." })
export class SellerStatementType {
  @Field(() => ID, { description: 'Id of the seller the statement is for.' })
  sellerId!: string;

  @Field(() => String, { description: 'First day (YYYY-MM-DD, store time zone).' })
  from!: string;

  @Field(() => String, { description: 'Last day, included.' })
  to!: string;

  @Field(() => String, { description: 'The time zone the days are in.' })
  timeZone!: string;

  @Field(() => Money, { description: 'The balance before the first day.' })
  openingBalance!: Money;

  @Field(() => Money, { description: 'The balance after the last day: opening + credits − debits.' })
  closingBalance!: Money;

  @Field(() => Money, { description: 'Sum of the credits of the period.' })
  credits!: Money;

  @Field(() => Money, { description: 'Sum of the debits of the period (positive).' })
  debits!: Money;
}

@ObjectType('PayoutForecast', { description: 'A coming payout date with the amount expected from the receivables as they stand.' })
export class PayoutForecastType {
  @Field(() => String, { description: 'The period end (YYYY-MM-DD).' })
  periodEnd!: string;

  @Field(() => Money, { description: 'Credits due by this date (the first date also takes everything already available).' })
  credits!: Money;

  @Field(() => Money, { description: 'Debits taken on this date (positive).' })
  debits!: Money;

  @Field(() => Money, { description: 'A negative result of the dates before, carried into this one (zero or negative).' })
  carriedIn!: Money;

  @Field(() => Money, { description: 'Expected transfer: 0 when debits win and the result carries forward.' })
  expected!: Money;
}

@ObjectType('PayoutCalendar', { description: "A seller's next payout dates on the store's calendar." })
export class PayoutCalendarType {
  @Field(() => ID, { description: 'Id of the seller the calendar is for.' })
  sellerId!: string;

  @Field(() => PayoutFrequency, { description: "The store's payout frequency." })
  frequency!: PayoutFrequency;

  @Field(() => String, { description: 'Today, in the store time zone.' })
  today!: string;

  @Field(() => Money, { description: 'Approved receivables without a date yet (their orders have not shipped).' })
  undated!: Money;
}

