import { ArgsType, Field, ID, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import { MaxChars, SEARCH_MAX_CHARS } from '../../shared/validation/index.js';
import { DateTimeResolver, SafeIntResolver } from 'graphql-scalars';
import { UserError } from '../../shared/errors/index.js';
import { Money } from '../../shared/money/index.js';
import { ConnectionArgs, ConnectionType } from '../../shared/pagination/index.js';
import { FreightRuleKind } from './shipping.entity.js';

/*
 * The operator's side of shipping: tables (and the contingency table), freight rules and the
 * shipping settings. Object types are resolved from the entities through field resolvers
 * (shipping.resolver.ts) so CEPs come out formatted and prices as Money.
 */

registerEnumType(FreightRuleKind, {
  name: 'FreightRuleKind',
  valuesConfig: {
    FREE_SHIPPING: { description: 'Makes matching options free; conditions: minimum merchandise, CEP ranges, method names.' },
    CUSTOM_FREIGHT: { description: 'A fixed option (carrier, method, price, days) for destinations in the CEP ranges; tables and carriers are not asked.' },
  },
  description: 'What a freight rule does.',
});

export enum ShippingRowsImportMode {
  REPLACE = 'REPLACE',
  APPEND = 'APPEND',
}
registerEnumType(ShippingRowsImportMode, {
  name: 'ShippingRowsImportMode',
  valuesConfig: {
    REPLACE: { description: "The file's rows become the table's rows." },
    APPEND: { description: "The file's rows are added; any overlap with a row already there refuses the whole file." },
  },
  description: 'What importShippingTableRows does with the rows already in the table.',
});

@ObjectType('ShippingTableRow', { description: 'Destinations in a CEP range and parcels in a weight band; both ranges are inclusive.' })
export class ShippingTableRowType {
  @Field(() => String, { description: 'First CEP, "01310-100".' })
  postalCodeFrom!: string;

  @Field(() => String, { description: 'Last CEP, inclusive.' })
  postalCodeTo!: string;

  @Field(() => Int, { description: 'Lightest parcel this row prices, in grams, inclusive.' })
  weightFromGrams!: number;

  @Field(() => Int, { description: 'Inclusive: a parcel of exactly this weight pays this row.' })
  weightToGrams!: number;

  @Field(() => Money, { description: 'Freight for a parcel in this row (BRL centavos).' })
  price!: Money;

  @Field(() => Int, { description: 'Delivery time in days.' })
  days!: number;
}

export const ShippingTableRowConnection = ConnectionType('ShippingTableRow', ShippingTableRowType);

@ObjectType('ShippingTable', { description: "A carrier's price list for one method, or the store's contingency table." })
export class ShippingTableType {
  @Field(() => ID, { description: 'Opaque id of the table.' })
  id!: string;

  @Field(() => String, { description: "The operator's label." })
  name!: string;

  @Field(() => String, { description: 'The carrier that ships with this table, e.g. "Correios".' })
  carrier!: string;

  @Field(() => String, { description: 'The method name shoppers see; with the carrier it identifies the option.' })
  method!: string;

  @Field(() => Boolean, { description: "Scheduled delivery: never offered to carts holding a guest seller's items." })
  scheduled!: boolean;

  @Field(() => Boolean, { description: 'Inactive tables keep their rows but never quote.' })
  active!: boolean;

  @Field(() => Boolean, { description: 'The store\'s fallback, used when the normal quote yields nothing. At most one; never scheduled.' })
  contingency!: boolean;

  @Field(() => DateTimeResolver, { description: 'When the table was created (ISO 8601, UTC).' })
  createdAt!: Date;

  @Field(() => DateTimeResolver, { description: 'When the table or its rows last changed (ISO 8601, UTC).' })
  updatedAt!: Date;
}

export const ShippingTableConnection = ConnectionType('ShippingTable', ShippingTableType);

@ArgsType()
export class ShippingTableListArgs extends ConnectionArgs {
  @Field(() => Boolean, { nullable: true, description: 'Only the contingency table (true) or only ordinary tables (false).' })
  contingency?: boolean;

  @Field(() => Boolean, { nullable: true, description: 'Only active (true) or inactive (false) tables.' })
  active?: boolean;

  @MaxChars(SEARCH_MAX_CHARS)
  @Field(() => String, { nullable: true, description: 'Part of the name, carrier or method, ignoring case.' })
  search?: string;
}

@InputType({ description: 'CEPs with or without the dash; weights in whole grams; both ranges inclusive.' })
export class ShippingTableRowInput {
  @Field(() => String, { description: 'First CEP of the range.' })
  postalCodeFrom!: string;

  @Field(() => String, { description: 'Last CEP of the range, inclusive.' })
  postalCodeTo!: string;

  @Field(() => Int, { description: 'Lightest parcel, in grams, inclusive.' })
  weightFromGrams!: number;

  @Field(() => Int, { description: 'Heaviest parcel, in grams, inclusive; not below weightFromGrams.' })
  weightToGrams!: number;

  @Field(() => SafeIntResolver, { description: 'Centavos: 1290 is R$ 12,90.' })
  priceCents!: number;

  @Field(() => Int, { description: 'Delivery time in days.' })
  days!: number;
}

@InputType({ description: 'A new shipping table (or the contingency table) with its rows.' })
export class CreateShippingTableInput {
  @Field(() => String, { description: 'Up to 120 characters.' })
  name!: string;

  @Field(() => String, { description: 'Up to 80 characters.' })
  carrier!: string;

  @Field(() => String, { description: 'Up to 80 characters; unique per carrier among ordinary tables.' })
  method!: string;

  @Field(() => Boolean, { nullable: true, description: 'Default false.' })
  scheduled?: boolean;

  @Field(() => Boolean, { nullable: true, description: 'Default true.' })
  active?: boolean;

  @Field(() => Boolean, { nullable: true, description: 'Creates the contingency table (default false). CONFLICT when the store has one.' })
  contingency?: boolean;

  @Field(() => [ShippingTableRowInput], { nullable: true, description: 'May be left empty and imported from CSV later.' })
  rows?: ShippingTableRowInput[];
}

@InputType({ description: 'Unset fields stay as they are. Whether a table is the contingency table is fixed when it is created.' })
export class UpdateShippingTableInput {
  @Field(() => String, { nullable: true, description: 'The operator\'s label.' })
  name?: string;

  @Field(() => String, { nullable: true, description: 'The carrier\'s name.' })
  carrier?: string;

  @Field(() => String, { nullable: true, description: 'The method name shoppers see; unique per carrier among ordinary tables.' })
  method?: string;

  @Field(() => Boolean, { nullable: true, description: 'Scheduled delivery (never offered to carts holding a guest seller\'s items).' })
  scheduled?: boolean;

  @Field(() => Boolean, { nullable: true, description: 'Inactive tables keep their rows but never quote.' })
  active?: boolean;

  @Field(() => [ShippingTableRowInput], { nullable: true, description: 'Replaces every row.' })
  rows?: ShippingTableRowInput[];
}

@ObjectType({ description: 'Result of creating or changing a shipping table.' })
export class ShippingTablePayload {
  @Field(() => ShippingTableType, { nullable: true, description: 'The table as it is after the change. Null when refused.' })
  shippingTable?: ShippingTableType;

  @Field(() => [UserError], { description: 'Why the input was refused (e.g. overlapping rows, a second contingency table); empty on success. Nothing was changed when it is not empty.' })
  userErrors!: UserError[];
}

@ObjectType({ description: 'Result of importShippingTableRows.' })
export class ImportShippingTableRowsPayload {
  @Field(() => ShippingTableType, { nullable: true, description: 'The table with its rows after the import. Null when refused.' })
  shippingTable?: ShippingTableType;

  @Field(() => [UserError], { description: 'Every problem of the file, one per line and column; nothing changed when it is not empty.' })
  userErrors!: UserError[];
}

@ObjectType({ description: 'Result of deleteShippingTable.' })
export class DeleteShippingTablePayload {
  @Field(() => ShippingTableType, { nullable: true, description: 'The table as it was before deletion; null when refused.' })
  deletedShippingTable?: ShippingTableType;

  @Field(() => [UserError], { description: 'Why the deletion was refused; empty on success.' })
  userErrors!: UserError[];
}

@ObjectType('PostalCodeRange', { description: 'Inclusive CEP range, "01000-000" to "05999-999".' })
export class PostalCodeRangeType {
  @Field(() => String, { description: 'First CEP of the range, formatted "01000-000".' })
  from!: string;

  @Field(() => String, { description: 'Last CEP of the range, inclusive, formatted "05999-999".' })
  to!: string;
}

@InputType({ description: 'CEPs with or without the dash; inclusive.' })
export class PostalCodeRangeInput {
  @Field(() => String, { description: 'First CEP of the range, 8 digits, with or without the dash.' })
  from!: string;

  @Field(() => String, { description: 'Last CEP of the range, inclusive; not before `from`.' })
  to!: string;
}

@ObjectType('FreightRule', { description: 'A store-wide freight rule: free shipping or custom freight.' })
export class FreightRuleType {
  @Field(() => ID, { description: 'Opaque id of the rule.' })
  id!: string;

  @Field(() => FreightRuleKind, { description: 'Free shipping or custom freight.' })
  kind!: FreightRuleKind;

  @Field(() => String, { description: 'The rule\'s name; a free-shipping rule\'s name is shown to shoppers on the cart.' })
  name!: string;

  @Field(() => Boolean, { description: 'Inactive rules are kept but never applied.' })
  active!: boolean;

  @Field(() => Int, { description: 'Rules apply in this order (0 first); the first free-shipping rule covering an option is recorded on it.' })
  position!: number;

  @Field(() => [String], { nullable: true, description: 'FREE_SHIPPING: the method names made free; null means every option.' })
  methods?: string[] | null;

  @Field(() => String, { nullable: true, description: 'CUSTOM_FREIGHT: the carrier of the option offered.' })
  carrier?: string | null;

  @Field(() => String, { nullable: true, description: 'CUSTOM_FREIGHT: the method name shoppers see.' })
  method?: string | null;

  @Field(() => Int, { nullable: true, description: 'CUSTOM_FREIGHT: delivery time in days.' })
  days?: number | null;

  @Field(() => DateTimeResolver, { description: 'When the rule was created (ISO 8601, UTC).' })
  createdAt!: Date;

  @Field(() => DateTimeResolver, { description: 'When the rule last changed (ISO 8601, UTC).' })
  updatedAt!: Date;
}

export const FreightRuleConnection = ConnectionType('FreightRule', FreightRuleType);

@ArgsType()
export class FreightRuleListArgs extends ConnectionArgs {
  @Field(() => FreightRuleKind, { nullable: true, description: 'Only rules of this kind.' })
  kind?: FreightRuleKind;

  @Field(() => Boolean, { nullable: true, description: 'Only active (true) or inactive (false) rules.' })
  active?: boolean;
}

@InputType({ description: 'On update, unset fields stay as they are and null clears an optional condition.' })
export class UpdateFreightRuleInput {
  @Field(() => String, { nullable: true, description: 'Required to create; up to 120 characters.' })
  name?: string;

  @Field(() => Boolean, { nullable: true, description: 'Default true.' })
  active?: boolean;

  @Field(() => Int, { nullable: true, description: 'Default 0.' })
  position?: number;

  @Field(() => SafeIntResolver, { nullable: true, description: 'FREE_SHIPPING: merchandise subtotal (centavos, before vouchers, without freight) from which it applies, inclusive.' })
  minMerchandiseCents?: number | null;

  @Field(() => [PostalCodeRangeInput], {
    nullable: true,
    description: 'Destinations it covers. Required for CUSTOM_FREIGHT; for FREE_SHIPPING, null means every destination.',
  })
  postalCodeRanges?: PostalCodeRangeInput[] | null;

  @Field(() => [String], { nullable: true, description: 'FREE_SHIPPING: only these method names ship free; null means every option.' })
  methods?: string[] | null;

  @Field(() => String, { nullable: true, description: 'CUSTOM_FREIGHT: the carrier of the option offered.' })
  carrier?: string | null;

  @Field(() => String, { nullable: true, description: 'CUSTOM_FREIGHT: the method name shoppers see.' })
  method?: string | null;

  @Field(() => SafeIntResolver, { nullable: true, description: 'CUSTOM_FREIGHT: the price in centavos.' })
  priceCents?: number | null;

  @Field(() => Int, { nullable: true, description: 'CUSTOM_FREIGHT: delivery time in days.' })
  days?: number | null;
}

@InputType({ description: 'A new store-wide freight rule.' })
export class CreateFreightRuleInput extends UpdateFreightRuleInput {
  @Field(() => FreightRuleKind, { description: 'Fixed once created.' })
  kind!: FreightRuleKind;
}

@ObjectType({ description: 'Result of creating or changing a freight rule.' })
export class FreightRulePayload {
  @Field(() => FreightRuleType, { nullable: true, description: 'The rule as it is after the change. Null when refused.' })
  freightRule?: FreightRuleType;

  @Field(() => [UserError], { description: 'Why the input was refused; empty on success. Nothing was changed when it is not empty.' })
  userErrors!: UserError[];
}

@ObjectType({ description: 'Result of deleteFreightRule.' })
export class DeleteFreightRulePayload {
  @Field(() => FreightRuleType, { nullable: true, description: 'The rule as it was before deletion; null when refused.' })
  deletedFreightRule?: FreightRuleType;

  @Field(() => [UserError], { description: 'Why the deletion was refused; empty on success.' })
  userErrors!: UserError[];
}

@ObjectType('ShippingSettings', { description: 'Every seller dispatches from the store origin; every quote uses it.' })
export class ShippingSettingsType {
  @Field(() => Int, { description: 'The longest a quote waits for any carrier before falling back (tables, then the contingency table).' })
  carrierTimeoutMs!: number;

  @Field(() => DateTimeResolver, { description: 'When the settings last changed (ISO 8601, UTC).' })
  updatedAt!: Date;
}

@InputType({ description: 'Unset fields stay as they are.' })
export class ShippingSettingsInput {
  @Field(() => String, { nullable: true, description: 'CEP with or without the dash.' })
  originPostalCode?: string;

  @Field(() => Int, { nullable: true, description: '100 to 60000 ms.' })
  carrierTimeoutMs?: number;
}

@ObjectType({ description: 'Result of updateShippingSettings.' })
export class ShippingSettingsPayload {
  @Field(() => ShippingSettingsType, { nullable: true, description: 'The settings as they are after the change. Null when refused.' })
  shippingSettings?: ShippingSettingsType;

  @Field(() => [UserError], { description: 'Why the input was refused; empty on success. Nothing was changed when it is not empty.' })
  userErrors!: UserError[];
}

@InputType({ description: "A cart as the quote sees it: the operator's way to check tables and rules before shoppers do." })
export class ShippingQuotePreviewInput {
  @Field(() => String, { description: 'Delivery CEP, with or without the dash.' })
  destinationPostalCode!: string;

  @Field(() => Int, { description: "The whole cart's weight in grams." })
  weightGrams!: number;

  @Field(() => SafeIntResolver, { nullable: true, description: 'Merchandise subtotal in centavos, before vouchers (free-shipping thresholds); default 0.' })
  merchandiseCents?: number;

  @Field(() => Boolean, { nullable: true, description: "Whether the cart holds a guest seller's items (scheduled methods are then refused); default false." })
  hasGuestSellerItems?: boolean;
}
