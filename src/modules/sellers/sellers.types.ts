import { Field, ID, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import { MaxChars, POLICY_MAX_CHARS, SEARCH_MAX_CHARS } from '../../shared/validation/index.js';
import { DateTimeResolver, SafeIntResolver } from 'graphql-scalars';
import { UserError } from '../../shared/errors/index.js';
import { ConnectionType } from '../../shared/pagination/index.js';
import { INSTALLMENTS_LIMIT } from '../../shared/money/index.js';
import { BankAccountType, DocumentType, SellerStatus } from './sellers.entity.js';

registerEnumType(SellerStatus, {
  name: 'SellerStatus',
  description: 'Lifecycle of a guest seller. The admin seller is always ACTIVE.',
  valuesConfig: {
    ACTIVE: { description: 'Approved and selling (while the marketplace switch is on).' },
    PENDING: { description: 'Applied or created, not yet approved: its products are not sold.' },
    SUSPENDED: { description: 'Suspended by operator staff: products hidden, no new carts; orders in progress continue.' },
  },
});
registerEnumType(DocumentType, {
  name: 'DocumentType',
  description: 'Which Brazilian taxpayer document a seller has.',
  valuesConfig: {
    CNPJ: { description: 'Company taxpayer number, numeric or alphanumeric (issued since July 2026).' },
    CPF: { description: 'Individual taxpayer number, for sellers that are people.' },
  },
});
registerEnumType(BankAccountType, {
  name: 'BankAccountType',
  description: 'Kind of the Brazilian bank account payouts go to.',
  valuesConfig: {
    CHECKING: { description: 'Checking account (conta corrente).' },
    PAYMENT: { description: 'Payment account (conta de pagamento) at a payment institution.' },
    SAVINGS: { description: 'Savings account (conta poupança).' },
  },
});

/**
 * A seller as GraphQL shows it. Kept apart from the entity so a new column never leaks:
 * public fields (name, code, policies, notes) are readable by anyone; the private ones carry
 * their own shield rules (sellers.rules.ts).
 */
@ObjectType('Seller', { description: 'A seller: the admin seller (the store operator itself) or a guest seller selling in the marketplace. Public fields are readable by anyone; documentType, document, legalName, email, phone, suspension data and approval date only by operator staff and the seller\'s own users and integration; bankData only by its owner/finance users and operator owners/admins.' })
export class SellerType {
  @Field(() => ID, { description: 'Opaque id of the seller.' })
  id!: string;

  @Field(() => String, { description: 'Trading name, as the storefront shows it.' })
  name!: string;

  @Field(() => Boolean, { description: 'True for the store operator itself.' })
  isAdmin!: boolean;

  @Field(() => String, { nullable: true, description: 'Prefix of this seller\'s product, SKU, order and return codes.' })
  concatenationCode?: string | null;

  @Field(() => SellerStatus, { description: 'Where the seller stands: only ACTIVE sellers sell.' })
  status!: SellerStatus;

  @Field(() => String, { nullable: true, description: 'The seller\'s shipping policy, as shown on its page. Null when none.' })
  shippingPolicy?: string | null;

  @Field(() => String, { nullable: true, description: 'The seller\'s return policy, as shown on its page. Null when none.' })
  returnPolicy?: string | null;

  @Field(() => String, { nullable: true, description: 'Free text the seller shows on its page (about the seller, opening hours…). Null when none.' })
  notes?: string | null;

  @Field(() => Int, { description: 'Handling time: days from approval the seller takes to dispatch an order; later shipments count as late in its reputation.' })
  handlingDays!: number;

  @Field(() => String, { nullable: true, description: "URL of the seller's logo (PNG, JPEG or WebP); the URL changes when the logo does, so it is cached for good." })
  logoUrl?: string | null;

  // --- private: the seller's own users, its integration and operator staff ---

  @Field(() => String, { nullable: true, description: "Where the seller's portal e-mails (customer tickets, support answers) go; null: the seller's e-mail." })
  notificationEmail?: string | null;

  @Field(() => DocumentType, { nullable: true, description: 'Whether `document` is a CNPJ or a CPF. Private to the seller and operator staff.' })
  documentType?: DocumentType | null;

  @Field(() => String, { nullable: true, description: 'CNPJ or CPF, digits (and letters for alphanumeric CNPJ) only.' })
  document?: string | null;

  @Field(() => String, { nullable: true, description: 'Registered legal name (razão social). Private to the seller and operator staff.' })
  legalName?: string | null;

  @Field(() => String, { nullable: true, description: 'Contact e-mail of the seller, lower-cased. Private to the seller and operator staff.' })
  email?: string | null;

  @Field(() => String, { nullable: true, description: 'Contact phone, as entered. Private to the seller and operator staff.' })
  phone?: string | null;

  @Field(() => String, { nullable: true, description: 'Why operator staff suspended the seller. Null unless SUSPENDED. Private to the seller and operator staff.' })
  suspensionReason?: string | null;

  @Field(() => DateTimeResolver, { nullable: true, description: 'When operator staff last approved the seller (ISO 8601, UTC). Null until approved. Private to the seller and operator staff.' })
  approvedAt?: Date | null;

  @Field(() => DateTimeResolver, { nullable: true, description: 'When the seller was suspended (ISO 8601, UTC). Null unless SUSPENDED. Private to the seller and operator staff.' })
  suspendedAt?: Date | null;

  @Field(() => DateTimeResolver, { description: 'When the seller was created or applied (ISO 8601, UTC).' })
  createdAt!: Date;

  @Field(() => DateTimeResolver, { description: 'When the seller\'s record last changed (ISO 8601, UTC).' })
  updatedAt!: Date;
}

@ObjectType('BankData', { description: 'Where payouts go. Readable by the seller\'s owner and finance users and by operator owners/admins.' })
export class BankDataType {
  @Field(() => String, { description: 'Brazilian bank code (COMPE/ISPB), digits only, e.g. `341`.' })
  bankCode!: string;

  @Field(() => String, { description: 'Branch (agência) number, optionally with its check digit.' })
  branch!: string;

  @Field(() => String, { description: 'Account number with its check digit, as entered (upper-cased), e.g. `12345-6`.' })
  account!: string;

  @Field(() => BankAccountType, { description: 'Kind of account.' })
  accountType!: BankAccountType;

  @Field(() => String, { description: 'Name of the account holder as the bank knows it.' })
  holderName!: string;

  @Field(() => String, { description: 'CPF or CNPJ of the account holder, digits (and letters for an alphanumeric CNPJ) only.' })
  holderDocument!: string;

  @Field(() => String, { nullable: true, description: 'Pix key payouts may be sent to, normalised (CPF/CNPJ digits, lower-case e-mail, phone as +55…, or a random key). Null when none was given.' })
  pixKey?: string | null;
}

export const SellerConnection = ConnectionType('Seller', SellerType);

@ObjectType('MarketplaceSettings', { description: 'Store-wide settings of the marketplace. Public, except the fields that say operator staff only.' })
export class MarketplaceSettingsType {
  @Field(() => String, { description: 'The store\'s name, as the storefront shows it.' })
  storeName!: string;

  @Field(() => Boolean, { description: '"Uses marketplace": while off, guest sellers cannot be created and their products are not sold.' })
  usesMarketplace!: boolean;

  @Field(() => String, { description: 'ISO 4217 currency of every amount in the store; always `BRL`.' })
  currency!: string;

  @Field(() => Int, { nullable: true, description: 'Default commission in basis points (1500 = 15%). Operator staff only.' })
  defaultCommissionBps!: number;

  @Field(() => Boolean, { nullable: true, description: 'Whether guest sellers\' new products wait for operator review. Operator staff only.' })
  requireProductReview!: boolean;

  @Field(() => Int, { description: `Card installments offered: 1 up to this (store rule, at most ${INSTALLMENTS_LIMIT}).` })
  maxInstallments!: number;

  @Field(() => SafeIntResolver, { description: 'Smallest installment accepted, in centavos: a card part of R$ 100,00 with a R$ 25,00 minimum pays in at most 4.' })
  minInstallmentCents!: number;

  @Field(() => Int, { description: 'Days after delivery during which a return may be opened (7 by default, CDC art. 49).' })
  returnWindowDays!: number;
}

@InputType({ description: 'Changes to the store-wide settings; unset fields stay as they are.' })
export class UpdateMarketplaceSettingsInput {
  @Field(() => String, { nullable: true, description: 'The store\'s name; not empty.' })
  storeName?: string;

  @Field(() => Boolean, { nullable: true, description: 'The "uses marketplace" switch. Off: guest sellers cannot be created and their products are not sold.' })
  usesMarketplace?: boolean;

  @Field(() => Int, { nullable: true, description: 'Default commission rate in basis points, 0 to 10000 (1500 = 15 %), used where no seller or category rule applies. Frozen on each order line at checkout, so a change affects new orders only.' })
  defaultCommissionBps?: number;

  @Field(() => Boolean, { nullable: true, description: 'When true, guest sellers\' new products wait for operator review before they are published.' })
  requireProductReview?: boolean;

  @Field(() => Int, { nullable: true, description: `1 to ${INSTALLMENTS_LIMIT}.` })
  maxInstallments?: number;

  @Field(() => SafeIntResolver, { nullable: true, description: 'Centavos, at least 1.' })
  minInstallmentCents?: number;

  @Field(() => Int, { nullable: true, description: 'Days after delivery during which a return may be opened: 7 (the legal minimum, CDC art. 49) to 365.' })
  returnWindowDays?: number;
}

@ObjectType({ description: 'Result of updateMarketplaceSettings.' })
export class UpdateMarketplaceSettingsPayload {
  @Field(() => MarketplaceSettingsType, { nullable: true, description: 'The settings as they are after the change. Null when the mutation was refused.' })
  marketplaceSettings?: MarketplaceSettingsType;

  @Field(() => [UserError], { description: 'Why the input was refused; empty on success. Nothing was changed when it is not empty.' })
  userErrors!: UserError[];
}

@InputType({ description: 'Narrows a list of sellers. Whatever the filter, callers other than operator staff see only the storefront\'s sellers (the admin seller, and ACTIVE guest sellers while the marketplace switch is on) and, for seller users and integrations, their own seller.' })
export class SellerFilter {
  @Field(() => SellerStatus, { nullable: true, description: 'Only sellers in this status.' })
  status?: SellerStatus;

  @MaxChars(SEARCH_MAX_CHARS)
  @Field(() => String, { nullable: true, description: 'Part of the name or concatenation code.' })
  search?: string;
}

@InputType({ description: 'Unset fields are left as they are; an empty string clears an optional field.' })
export class SellerInput {
  @Field(() => String, { nullable: true, description: 'Trading name, as the storefront shows it. Required when creating.' })
  name?: string;

  @Field(() => String, { nullable: true, description: '2–10 upper-case letters or digits; required for guest sellers.' })
  concatenationCode?: string;

  @Field(() => String, { nullable: true, description: 'CNPJ (numeric or alphanumeric) or CPF, with or without mask.' })
  document?: string;

  @Field(() => String, { nullable: true, description: 'Registered legal name (razão social).' })
  legalName?: string;

  @Field(() => String, { nullable: true, description: 'Contact e-mail; stored lower-cased.' })
  email?: string;

  @Field(() => String, { nullable: true, description: 'Contact phone, free format.' })
  phone?: string;

  @MaxChars(POLICY_MAX_CHARS)
  @Field(() => String, { nullable: true, description: 'The seller\'s shipping policy, shown on its page.' })
  shippingPolicy?: string;

  @MaxChars(POLICY_MAX_CHARS)
  @Field(() => String, { nullable: true, description: 'The seller\'s return policy, shown on its page.' })
  returnPolicy?: string;

  @MaxChars(POLICY_MAX_CHARS)
  @Field(() => String, { nullable: true, description: 'Free text shown on the seller\'s page.' })
  notes?: string;

  @Field(() => Int, { nullable: true, description: 'Handling time: days from approval to dispatch, 0–30 (the seller may change it).' })
  handlingDays?: number;

  @Field(() => String, { nullable: true, description: "E-mail address for the seller's portal notifications; empty clears it (the seller's e-mail is used)." })
  notificationEmail?: string;
}

@InputType({ description: 'Where a seller\'s payouts go. The whole record is replaced on each update.' })
export class BankDataInput {
  @Field(() => String, { description: 'Brazilian bank code, 3 to 8 digits, e.g. `341`.' })
  bankCode!: string;

  @Field(() => String, { description: 'Branch (agência), up to 6 digits, optionally followed by its check digit (a digit or X).' })
  branch!: string;

  @Field(() => String, { description: 'Account number, up to 18 digits, optionally followed by its check digit (a digit or X), with or without a hyphen.' })
  account!: string;

  @Field(() => BankAccountType, { description: 'Kind of account.' })
  accountType!: BankAccountType;

  @Field(() => String, { description: 'Name of the account holder, as the bank knows it. Required.' })
  holderName!: string;

  @Field(() => String, { description: 'CPF or CNPJ of the account holder (numeric or alphanumeric), with or without mask; check digits are verified.' })
  holderDocument!: string;

  @Field(() => String, { nullable: true, description: 'Optional Pix key: a CPF, a CNPJ, an e-mail, a phone (+55…) or a random key. Null or empty for none.' })
  pixKey?: string;
}


@ObjectType({ description: 'Result of a mutation on a seller.' })
export class SellerPayload {
  @Field(() => SellerType, { nullable: true, description: 'The seller as it is after the change. Null when the mutation was refused.' })
  seller?: SellerType;

  @Field(() => [UserError], { description: 'Why the input was refused; empty on success. Nothing was changed when it is not empty.' })
  userErrors!: UserError[];
}
