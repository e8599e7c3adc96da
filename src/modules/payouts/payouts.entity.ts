import { Check, Entity, Enum, Index, ManyToOne, Property, Unique, type Opt, type Ref } from '@mikro-orm/core';
import { BaseEntity } from '../../shared/db/base.entity.js';
import { CentsType } from '../../shared/money/index.js';
import { Seller } from '../sellers/index.js';
import { Receivable } from './receivables.entity.js';

export enum PayoutRunTrigger {
  /** runPayouts, by operator staff. */
  OPERATOR = 'OPERATOR',
  /** The payout job, on the store's calendar. */
  CALENDAR = 'CALENDAR',
}

/**
 * One call of runPayouts (or one calendar date of the job): the idempotency key names it, so
 * the same key returns the same payouts; a run interrupted half-way completes when called
 * again with its key.
 */
@Entity({ tableName: 'payout_run' })
export class PayoutRun extends BaseEntity {
  @Property({ type: 'string', length: 200 })
  @Unique({ name: 'payout_run_key_unique' })
  idempotencyKey!: string;

  /** Receivables available up to this date (store time zone) are paid. */
  @Property({ type: 'date' })
  periodEnd!: string;

  @Enum({ items: () => PayoutRunTrigger })
  trigger!: PayoutRunTrigger;

  @Property({ type: 'uuid', nullable: true })
  requestedById?: string | null;

  /** Set once every seller was looked at. */
  @Property({ type: 'datetime', nullable: true })
  completedAt?: Date | null;
}

export enum PayoutStatus {
  /** The transfer was asked for (or awaits the operator's confirmation with the manual provider). */
  PROCESSING = 'PROCESSING',
  /** The transfer is confirmed: the money reached the seller. */
  PAID = 'PAID',
  /** The transfer failed: its amount went back to the seller's available balance. */
  FAILED = 'FAILED',
  /** Debits exceeded what was available: nothing was paid; everything carries to the next payout. */
  CARRIED_FORWARD = 'CARRIED_FORWARD',
}

export enum TransferState {
  /** Not sent to the provider yet. */
  NOT_SENT = 'NOT_SENT',
  /** The provider acknowledged it (its transfer id is known). */
  SENT = 'SENT',
  /** The request went out and no answer came back: it is looked up, never sent again blindly. */
  UNCERTAIN = 'UNCERTAIN',
}

/** Where a transfer goes: a snapshot of the seller's bank data when the payout was made. */
export interface PayoutDestination {
  pixKey: string | null;
  bankCode: string;
  branch: string;
  account: string;
  accountType: string;
  holderName: string;
  holderDocument: string;
}

/**
 * A payout (repasse): one per seller and period end (unique in the database), paying the
 * seller's available receivables up to the period end minus its debits. Booked as a ledger
 * PAYOUT entry when made; a failure books the way back.
 */
@Entity({ tableName: 'payout' })
@Unique({ name: 'payout_seller_period_unique', properties: ['seller', 'periodEnd'] })
@Check({ name: 'payout_amount_sign', expression: `("status" = 'CARRIED_FORWARD' and "amount_cents" <= 0) or ("status" <> 'CARRIED_FORWARD' and "amount_cents" > 0)` })
@Index({ name: 'payout_status_transfer', properties: ['status', 'transferState'] })
export class Payout extends BaseEntity {
  @ManyToOne({ entity: () => Seller, ref: true, deleteRule: 'restrict' })
  seller!: Ref<Seller>;

  @ManyToOne({ entity: () => PayoutRun, ref: true, index: true, deleteRule: 'restrict' })
  run!: Ref<PayoutRun>;

  @Property({ type: 'date' })
  periodEnd!: string;

  @Enum({ items: () => PayoutStatus })
  status!: PayoutStatus;

  /** What is transferred; for CARRIED_FORWARD, the (non-positive) result that was not paid. */
  @Property({ type: new CentsType() })
  amountCents!: number;

  @Property({ type: 'string', length: 3 })
  currency!: string;

  /** The transfer provider chosen at the time (manual, asaas); null when nothing is transferred. */
  @Property({ type: 'string', length: 20, nullable: true })
  provider?: string | null;

  @Property({ type: 'json', nullable: true })
  destination?: PayoutDestination | null;

  @Enum({ items: () => TransferState, default: TransferState.NOT_SENT })
  transferState: Opt<TransferState> = TransferState.NOT_SENT;

  /** The provider's transfer id. */
  @Property({ type: 'string', length: 100, nullable: true })
  transferId?: string | null;

  /** The Pix end-to-end id or bank reference proving the money arrived. */
  @Property({ type: 'string', length: 100, nullable: true })
  endToEndId?: string | null;

  @Property({ type: 'datetime', nullable: true })
  submittedAt?: Date | null;

  @Property({ type: 'datetime', nullable: true })
  paidAt?: Date | null;

  @Property({ type: 'datetime', nullable: true })
  failedAt?: Date | null;

  @Property({ type: 'text', nullable: true })
  failureReason?: string | null;
}

/** What one payout took of one receivable (its amount then, or a later change to it). */
@Entity({ tableName: 'payout_item' })
@Unique({ name: 'payout_item_unique', properties: ['payout', 'receivable'] })
export class PayoutItem extends BaseEntity {
  @ManyToOne({ entity: () => Payout, ref: true, index: true, deleteRule: 'cascade' })
  payout!: Ref<Payout>;

  @ManyToOne({ entity: () => Receivable, ref: true, index: true, deleteRule: 'restrict' })
  receivable!: Ref<Receivable>;

  /** Positive: a credit paid; negative: a debit taken. */
  @Property({ type: new CentsType() })
  amountCents!: number;
}
