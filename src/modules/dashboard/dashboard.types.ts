import { Field, Int, ObjectType } from 'type-graphql';
import { DateTimeResolver } from 'graphql-scalars';
import { Money } from '../../shared/money/index.js';

@ObjectType('DashboardDay', { description: "One day of a seller's sales, in the store's time zone." })
export class DashboardDayType {
  @Field(() => String, { description: 'The date, YYYY-MM-DD, in the store time zone.' })
  date!: string;

  @Field(() => Int, { description: 'Orders placed that day and not cancelled.' })
  orders!: number;

  @Field(() => Int, { description: 'Units in those orders, less units declared unavailable.' })
  items!: number;

  @Field(() => Money, { description: 'Merchandise value of those orders, as frozen at checkout.' })
  gross!: Money;

  @Field(() => Money, { description: "The seller's receivable from those orders (merchandise less seller-funded discounts and commission), as frozen at checkout." })
  net!: Money;
}

@ObjectType('DashboardStatusCount', { description: 'How many of the period\'s orders are in one status now.' })
export class DashboardStatusCountType {
  @Field(() => String, { description: 'An OrderStatus value.' })
  status!: string;

  @Field(() => Int, { description: 'Orders placed in the period that are in this status now.' })
  count!: number;
}

@ObjectType('DashboardProducts', { description: "The seller's products now, by status." })
export class DashboardProductsType {
  @Field(() => Int, { description: 'PUBLISHED products.' })
  published!: number;

  @Field(() => Int, { description: 'PUBLISHED products with no stock in any active SKU.' })
  outOfStock!: number;

  @Field(() => Int, { description: 'ARCHIVED products.' })
  archived!: number;

  @Field(() => Int, { description: 'Products waiting for operator review (PENDING_REVIEW).' })
  awaitingReview!: number;

  @Field(() => Int, { description: 'Products the review rejected (a DRAFT with a rejection reason).' })
  rejected!: number;

  @Field(() => Int, { description: 'Other drafts.' })
  drafts!: number;
}

@ObjectType('DashboardTickets', { description: "The seller's customer tickets waiting for an answer." })
export class DashboardTicketsType {
  @Field(() => Int, { description: 'OPEN customer tickets about the seller\'s orders.' })
  open!: number;

  @Field(() => Int, { description: 'Of those, the ones past their response deadline.' })
  overdue!: number;
}

@ObjectType('DashboardReputation', { description: 'The seller\'s last 30 days (up to now): answers, cancellations and shipments.' })
export class DashboardReputationType {
  @Field(() => DateTimeResolver, { description: 'Start of the window (now − 30 days).' })
  from!: Date;

  @Field(() => DateTimeResolver, { description: 'End of the window (now).' })
  to!: Date;

  @Field(() => Int, { description: "The seller's answers to customer tickets that had a deadline." })
  ticketAnswers!: number;

  @Field(() => Int, { description: 'Of those, answers given by their deadline.' })
  ticketAnswersOnTime!: number;

  @Field(() => Int, { description: 'Orders placed in the window.' })
  orders!: number;

  @Field(() => Int, { description: 'Of those, orders the seller cancelled (SELLER_REQUEST).' })
  sellerCancellations!: number;

  @Field(() => Int, { description: 'Orders approved in the window whose dispatch was due: shipped, or past the handling time unshipped.' })
  shipmentsDue!: number;

  @Field(() => Int, { description: "Of those, dispatched after the seller's handling time (or still not dispatched past it)." })
  lateShipments!: number;
}

@ObjectType('DashboardReceivables', { description: "What the seller is owed, by receivable state (the seller balance's figures), and the next payout date." })
export class DashboardReceivablesType {
  @Field(() => Money, { description: 'Not yet approved orders and ledger movements no receivable carries yet.' })
  pending!: Money;

  @Field(() => Money, { description: 'Approved, not yet available (waiting for delivery or the settlement date).' })
  scheduled!: Money;

  @Field(() => Money, { description: 'Available: goes out on the next payout.' })
  available!: Money;

  @Field(() => Money, { description: 'Debits to take from the next payouts (refunds, returns, chargebacks after a payout).' })
  debits!: Money;

  @Field(() => String, { description: "The next payout period end (YYYY-MM-DD) on the store's payout calendar, today included." })
  nextPayoutDate!: string;
}

@ObjectType('SellerDashboard', { description: "A seller's portal dashboard for a period of dates in the store's time zone. Each section is one SQL aggregate, computed only when selected." })
export class SellerDashboardType {
  @Field(() => String, { description: 'The seller it is about.' })
  sellerId!: string;

  @Field(() => String, { description: 'First date of the period (YYYY-MM-DD).' })
  from!: string;

  @Field(() => String, { description: 'Last date of the period (YYYY-MM-DD), included.' })
  to!: string;

  @Field(() => String, { description: 'The time zone the dates are read in (the store\'s).' })
  timeZone!: string;
}
