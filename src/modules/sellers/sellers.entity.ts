import { Check, Embeddable, Embedded, Entity, Enum, Index, ManyToOne, PrimaryKey, Property, Unique, type Opt, type Ref } from '@mikro-orm/core';
import { BaseEntity } from '../../shared/db/base.entity.js';
import { CentsType, INSTALLMENTS_LIMIT } from '../../shared/money/index.js';

export enum SellerStatus {
  /** Applied or created; may set up its profile, does not sell. */
  PENDING = 'PENDING',
  ACTIVE = 'ACTIVE',
  /** Products hidden, no new carts; orders in progress continue. */
  SUSPENDED = 'SUSPENDED',
}

export enum DocumentType {
  CNPJ = 'CNPJ',
  CPF = 'CPF',
}

/** When a seller's receivable becomes available (design.md, Finance). */
export enum SettlementBasis {
  /** settlementDays after the delivery is posted. */
  DAYS_AFTER_DELIVERY = 'DAYS_AFTER_DELIVERY',
  /** The day after the return window (returnWindowDays from delivery) closes. */
  AFTER_RETURN_WINDOW = 'AFTER_RETURN_WINDOW',
}

/** How often payouts (repasses) are made; each payout covers what is available up to its period end. */
export enum PayoutFrequency {
  /** Every week on payoutWeekday. */
  WEEKLY = 'WEEKLY',
  /** The 15th and the last day of every month. */
  FORTNIGHTLY = 'FORTNIGHTLY',
  /** Every month on payoutMonthDay (the month's last day when it is shorter). */
  MONTHLY = 'MONTHLY',
}

/** Who a chargeback is debited to. */
export enum ChargebackBearer {
  /** The seller of each order the charged-back payment paid (design.md's default). */
  SELLER = 'SELLER',
  /** The store operator absorbs it (charged against its commission revenue). */
  OPERATOR = 'OPERATOR',
}

export enum BankAccountType {
  CHECKING = 'CHECKING',
  SAVINGS = 'SAVINGS',
  PAYMENT = 'PAYMENT',
}

@Embeddable()
export class BankData {
  /** COMPE/ISPB bank code, e.g. "341". */
  @Property({ type: 'string', length: 8 })
  bankCode!: string;

  @Property({ type: 'string', length: 10 })
  branch!: string;

  @Property({ type: 'string', length: 20 })
  account!: string;

  @Enum({ items: () => BankAccountType })
  accountType!: BankAccountType;

  @Property({ type: 'string', length: 200 })
  holderName!: string;

  @Property({ type: 'string', length: 14 })
  holderDocument!: string;

  @Property({ type: 'string', length: 140, nullable: true })
  pixKey?: string | null;
}

/**
 * A seller of the store. Exactly one row is the admin seller (the operator itself, created by
 * the first migration); the others are guest sellers.
 */
@Entity({ tableName: 'seller' })
@Check({ name: 'seller_concatenation_code_format', expression: `"concatenation_code" ~ '^[A-Z0-9]{2,10}$'` })
@Check({ name: 'seller_handling_days', expression: '"handling_days" >= 0 and "handling_days" <= 30' })
@Index({ name: 'seller_one_admin', expression: 'create unique index "seller_one_admin" on "seller" ("is_admin") where "is_admin"' })
export class Seller extends BaseEntity {
  @Property({ type: 'string', length: 200 })
  name!: string;

  @Property({ type: 'boolean', default: false })
  isAdmin: Opt<boolean> = false;

  /** 2–10 upper-case letters/digits prefixed to the seller's codes. Optional for the admin seller. */
  @Property({ type: 'string', length: 10, nullable: true })
  @Unique({ name: 'seller_concatenation_code_unique' })
  concatenationCode?: string | null;

  @Enum({ items: () => SellerStatus, default: SellerStatus.PENDING })
  status: Opt<SellerStatus> = SellerStatus.PENDING;

  @Enum({ items: () => DocumentType, nullable: true })
  documentType?: DocumentType | null;

  /** CNPJ (numeric or alphanumeric) or CPF, normalised: no mask, upper case. */
  @Property({ type: 'string', length: 14, nullable: true })
  @Unique({ name: 'seller_document_unique' })
  document?: string | null;

  @Property({ type: 'string', length: 200, nullable: true })
  legalName?: string | null;

  @Property({ type: 'string', length: 320, nullable: true })
  email?: string | null;

  @Property({ type: 'string', length: 30, nullable: true })
  phone?: string | null;

  @Property({ type: 'text', nullable: true })
  shippingPolicy?: string | null;

  @Property({ type: 'text', nullable: true })
  returnPolicy?: string | null;

  /** Public notes shown on the seller page. */
  @Property({ type: 'text', nullable: true })
  notes?: string | null;

  /** Days (calendar days, from approval) the seller takes to dispatch an order ("prazo de manuseio"); the dashboard's late shipments are measured against it. */
  @Property({ type: 'smallint', default: 2 })
  handlingDays: Opt<number> = 2;

  /** Where the seller's portal e-mails go (tickets, support answers); the seller's e-mail when unset. */
  @Property({ type: 'string', length: 320, nullable: true })
  notificationEmail?: string | null;

  /** The seller's logo (a stored_file of purpose LOGO); served at /files/<id>. */
  @Property({ type: 'uuid', nullable: true })
  logoFileId?: string | null;

  @Embedded({ entity: () => BankData, nullable: true, prefix: 'bank_' })
  bankData?: BankData | null;

  @Property({ type: 'text', nullable: true })
  suspensionReason?: string | null;

  @Property({ type: 'datetime', nullable: true })
  approvedAt?: Date | null;

  @Property({ type: 'datetime', nullable: true })
  suspendedAt?: Date | null;
}

/** Store-wide settings: a single row (id 1), created by the first migration. */
@Entity({ tableName: 'marketplace_settings' })
@Check({ name: 'marketplace_settings_single_row', expression: '"id" = 1' })
@Check({
  name: 'marketplace_settings_payout_calendar',
  expression:
    '"payout_weekday" >= 1 and "payout_weekday" <= 7 and "payout_month_day" >= 1 and "payout_month_day" <= 31 and "settlement_days" >= 0 and "settlement_days" <= 365 and "settlement_fallback_days" >= 0 and "settlement_fallback_days" <= 365 and "return_window_days" >= 0 and "return_window_days" <= 365',
})
export class MarketplaceSettings {
  @PrimaryKey({ type: 'integer', autoincrement: false })
  id: number = 1;

  @Property({ type: 'string', length: 200, default: 'Loja' })
  storeName: Opt<string> = 'Loja';

  /** "Uses marketplace": while off, guest sellers cannot be created and do not sell. */
  @Property({ type: 'boolean', default: false })
  usesMarketplace: Opt<boolean> = false;

  @Property({ type: 'string', length: 3, default: 'BRL' })
  currency: Opt<string> = 'BRL';

  /** Default commission in basis points (1500 = 15%). */
  @Property({ type: 'integer', default: 1500 })
  defaultCommissionBps: Opt<number> = 1500;

  /** Card installments the store offers: 1 to this (at most INSTALLMENTS_LIMIT). The checkout passes it to the payment split. */
  @Property({ type: 'integer', default: INSTALLMENTS_LIMIT })
  maxInstallments: Opt<number> = INSTALLMENTS_LIMIT;

  /** Smallest installment the store accepts, in centavos ("parcela mínima"). */
  @Property({ type: new CentsType(), default: 500 })
  minInstallmentCents: Opt<number> = 500;

  /** Whether guest sellers' new products wait for operator review before publishing. */
  @Property({ type: 'boolean', default: true })
  requireProductReview: Opt<boolean> = true;

  // --- Settlement and payouts (the payouts module reads and validates these) ---

  @Enum({ items: () => SettlementBasis, default: SettlementBasis.DAYS_AFTER_DELIVERY })
  settlementBasis: Opt<SettlementBasis> = SettlementBasis.DAYS_AFTER_DELIVERY;

  /** N: days after delivery before a receivable is available (DAYS_AFTER_DELIVERY). */
  @Property({ type: 'integer', default: 14 })
  settlementDays: Opt<number> = 14;

  /** M: days after shipping when no delivery is posted (design.md's fallback). */
  @Property({ type: 'integer', default: 30 })
  settlementFallbackDays: Opt<number> = 30;

  /**
   * Days after delivery during which a return may be opened (design.md: the store's return
   * window; 7 by default, the consumer's right of withdrawal of CDC art. 49). The settlement
   * waits for it with AFTER_RETURN_WINDOW.
   */
  @Property({ type: 'integer', default: 7 })
  returnWindowDays: Opt<number> = 7;

  @Enum({ items: () => PayoutFrequency, default: PayoutFrequency.WEEKLY })
  payoutFrequency: Opt<PayoutFrequency> = PayoutFrequency.WEEKLY;

  /** ISO weekday of WEEKLY payouts: 1 = Monday … 7 = Sunday. */
  @Property({ type: 'smallint', default: 3 })
  payoutWeekday: Opt<number> = 3;

  /** Day of MONTHLY payouts, 1–31 (a shorter month pays on its last day). */
  @Property({ type: 'smallint', default: 1 })
  payoutMonthDay: Opt<number> = 1;

  /** IANA time zone of the store's dates and periods. */
  @Property({ type: 'string', length: 64, default: 'America/Sao_Paulo' })
  timeZone: Opt<string> = 'America/Sao_Paulo';

  @Enum({ items: () => ChargebackBearer, default: ChargebackBearer.SELLER })
  chargebackBearer: Opt<ChargebackBearer> = ChargebackBearer.SELLER;

  /** Set once the demo data has been seeded, so restarts never seed twice. */
  @Property({ type: 'datetime', nullable: true })
  seededAt?: Date | null;

  @Property({ type: 'datetime', defaultRaw: 'now()', onUpdate: () => new Date() })
  updatedAt: Opt<Date> = new Date();
}
