import { Field, ID, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import { MaxChars, POLICY_MAX_CHARS, SEARCH_MAX_CHARS } from '../../shared/validation/index.js';
import { DateTimeResolver, SafeIntResolver } from 'graphql-scalars';
import { UserError } from '../../shared/errors/index.js';
import { ConnectionType } from '../../shared/pagination/index.js';
import { INSTALLMENTS_LIMIT } from '../../shared/money/index.js';
import { BankAccountType, DocumentType, SellerStatus } from './sellers.entity.js';

registerEnumType(SellerStatus, { name: 'SellerStatus' });
registerEnumType(DocumentType, { name: 'DocumentType' });
registerEnumType(BankAccountType, { name: 'BankAccountType' });

/**
 * A seller as GraphQL shows it. Kept apart from the entity so a new column never leaks:
 * public fields (name, code, policies, notes) are readable by anyone; the private ones carry
 * their own shield rules (sellers.rules.ts).
 */
@ObjectType('Seller')
export class SellerType {
  @Field(() => ID)
  id!: string;

  @Field(() => String)
  name!: string;

  @Field(() => Boolean, { description: 'True for the store operator itself.' })
  isAdmin!: boolean;

  @Field(() => String, { nullable: true, description: 'Prefix of this seller\'s product, SKU, order and return codes.' })
  concatenationCode?: string | null;

  @Field(() => SellerStatus)
  status!: SellerStatus;

  @Field(() => String, { nullable: true })
  shippingPolicy?: string | null;

  @Field(() => String, { nullable: true })
  returnPolicy?: string | null;

  @Field(() => String, { nullable: true })
  notes?: string | null;

  // --- private: the seller's own users, its integration and operator staff ---

  @Field(() => DocumentType, { nullable: true })
  documentType?: DocumentType | null;

  @Field(() => String, { nullable: true, description: 'CNPJ or CPF, digits (and letters for alphanumeric CNPJ) only.' })
  document?: string | null;

  @Field(() => String, { nullable: true })
  legalName?: string | null;

  @Field(() => String, { nullable: true })
  email?: string | null;

  @Field(() => String, { nullable: true })
  phone?: string | null;

  @Field(() => String, { nullable: true })
  suspensionReason?: string | null;

  @Field(() => DateTimeResolver, { nullable: true })
  approvedAt?: Date | null;

  @Field(() => DateTimeResolver, { nullable: true })
  suspendedAt?: Date | null;

  @Field(() => DateTimeResolver)
  createdAt!: Date;

  @Field(() => DateTimeResolver)
  updatedAt!: Date;
}

@ObjectType('BankData', { description: 'Where payouts go. Readable by the seller\'s owner and finance users and by operator owners/admins.' })
export class BankDataType {
  @Field(() => String)
  bankCode!: string;

  @Field(() => String)
  branch!: string;

  @Field(() => String)
  account!: string;

  @Field(() => BankAccountType)
  accountType!: BankAccountType;

  @Field(() => String)
  holderName!: string;

  @Field(() => String)
  holderDocument!: string;

  @Field(() => String, { nullable: true })
  pixKey?: string | null;
}

export const SellerConnection = ConnectionType('Seller', SellerType);

@ObjectType('MarketplaceSettings')
export class MarketplaceSettingsType {
  @Field(() => String)
  storeName!: string;

  @Field(() => Boolean, { description: '"Uses marketplace": while off, guest sellers cannot be created and their products are not sold.' })
  usesMarketplace!: boolean;

  @Field(() => String)
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

@InputType()
export class UpdateMarketplaceSettingsInput {
  @Field(() => String, { nullable: true })
  storeName?: string;

  @Field(() => Boolean, { nullable: true })
  usesMarketplace?: boolean;

  @Field(() => Int, { nullable: true })
  defaultCommissionBps?: number;

  @Field(() => Boolean, { nullable: true })
  requireProductReview?: boolean;

  @Field(() => Int, { nullable: true, description: `1 to ${INSTALLMENTS_LIMIT}.` })
  maxInstallments?: number;

  @Field(() => SafeIntResolver, { nullable: true, description: 'Centavos, at least 1.' })
  minInstallmentCents?: number;

  @Field(() => Int, { nullable: true, description: 'Days after delivery during which a return may be opened: 7 (the legal minimum, CDC art. 49) to 365.' })
  returnWindowDays?: number;
}

@ObjectType()
export class UpdateMarketplaceSettingsPayload {
  @Field(() => MarketplaceSettingsType, { nullable: true })
  marketplaceSettings?: MarketplaceSettingsType;

  @Field(() => [UserError])
  userErrors!: UserError[];
}

@InputType()
export class SellerFilter {
  @Field(() => SellerStatus, { nullable: true })
  status?: SellerStatus;

  @MaxChars(SEARCH_MAX_CHARS)
  @Field(() => String, { nullable: true, description: 'Part of the name or concatenation code.' })
  search?: string;
}

@InputType({ description: 'Unset fields are left as they are; an empty string clears an optional field.' })
export class SellerInput {
  @Field(() => String, { nullable: true })
  name?: string;

  @Field(() => String, { nullable: true, description: '2–10 upper-case letters or digits; required for guest sellers.' })
  concatenationCode?: string;

  @Field(() => String, { nullable: true, description: 'CNPJ (numeric or alphanumeric) or CPF, with or without mask.' })
  document?: string;

  @Field(() => String, { nullable: true })
  legalName?: string;

  @Field(() => String, { nullable: true })
  email?: string;

  @Field(() => String, { nullable: true })
  phone?: string;

  @MaxChars(POLICY_MAX_CHARS)
  @Field(() => String, { nullable: true })
  shippingPolicy?: string;

  @MaxChars(POLICY_MAX_CHARS)
  @Field(() => String, { nullable: true })
  returnPolicy?: string;

  @MaxChars(POLICY_MAX_CHARS)
  @Field(() => String, { nullable: true })
  notes?: string;
}

@InputType()
export class BankDataInput {
  @Field(() => String)
  bankCode!: string;

  @Field(() => String)
  branch!: string;

  @Field(() => String)
  account!: string;

  @Field(() => BankAccountType)
  accountType!: BankAccountType;

  @Field(() => String)
  holderName!: string;

  @Field(() => String)
  holderDocument!: string;

  @Field(() => String, { nullable: true })
  pixKey?: string;
}


@ObjectType()
export class SellerPayload {
  @Field(() => SellerType, { nullable: true })
  seller?: SellerType;

  @Field(() => [UserError])
  userErrors!: UserError[];
}
