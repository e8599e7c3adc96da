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
});

@ObjectType('ShippingTableRow', { description: 'Destinations in a CEP range and parcels in a weight band; both ranges are inclusive.' })
export class ShippingTableRowType {
  @Field(() => String, { description: 'First CEP, "01310-100".' })
  postalCodeFrom!: string;

  @Field(() => String, { description: 'Last CEP, inclusive.' })
  postalCodeTo!: string;

  @Field(() => Int)
  weightFromGrams!: number;

  @Field(() => Int, { description: 'Inclusive: a parcel of exactly this weight pays this row.' })
  weightToGrams!: number;

  @Field(() => Money)
  price!: Money;

  @Field(() => Int)
  days!: number;
}

export const ShippingTableRowConnection = ConnectionType('ShippingTableRow', ShippingTableRowType);

@ObjectType('ShippingTable', { description: "A carrier's price list for one method, or the store's contingency table." })
export class ShippingTableType {
  @Field(() => ID)
  id!: string;

  @Field(() => String, { description: "The operator's label." })
  name!: string;

  @Field(() => String)
  carrier!: string;

  @Field(() => String, { description: 'The method name shoppers see; with the carrier it identifies the option.' })
  method!: string;

  @Field(() => Boolean, { description: "Scheduled delivery: never offered to carts holding a guest seller's items." })
  scheduled!: boolean;

  @Field(() => Boolean, { description: 'Inactive tables keep their rows but never quote.' })
  active!: boolean;

  @Field(() => Boolean, { description: 'The store\'s fallback, used when the normal quote yields nothing. At most one; never scheduled.' })
  contingency!: boolean;

  @Field(() => DateTimeResolver)
  createdAt!: Date;

  @Field(() => DateTimeResolver)
  updatedAt!: Date;
}

export const ShippingTableConnection = ConnectionType('ShippingTable', ShippingTableType);

@ArgsType()
export class ShippingTableListArgs extends ConnectionArgs {
  @Field(() => Boolean, { nullable: true, description: 'Only the contingency table (true) or only ordinary tables (false).' })
  contingency?: boolean;

  @Field(() => Boolean, { nullable: true })
  active?: boolean;

  @MaxChars(SEARCH_MAX_CHARS)
  @Field(() => String, { nullable: true, description: 'Part of the name, carrier or method, ignoring case.' })
  search?: string;
}

@InputType({ description: 'CEPs with or without the dash; weights in whole grams; both ranges inclusive.' })
export class ShippingTableRowInput {
  @Field(() => String)
  postalCodeFrom!: string;

  @Field(() => String)
  postalCodeTo!: string;

  @Field(() => Int)
  weightFromGrams!: number;

  @Field(() => Int)
  weightToGrams!: number;

  @Field(() => SafeIntResolver, { description: 'Centavos: 1290 is R$ 12,90.' })
  priceCents!: number;

  @Field(() => Int)
  days!: number;
}

@InputType()
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
  @Field(() => String, { nullable: true })
  name?: string;

  @Field(() => String, { nullable: true })
  carrier?: string;

  @Field(() => String, { nullable: true })
  method?: string;

  @Field(() => Boolean, { nullable: true })
  scheduled?: boolean;

  @Field(() => Boolean, { nullable: true })
  active?: boolean;

  @Field(() => [ShippingTableRowInput], { nullable: true, description: 'Replaces every row.' })
  rows?: ShippingTableRowInput[];
}

@ObjectType()
export class ShippingTablePayload {
  @Field(() => ShippingTableType, { nullable: true })
  shippingTable?: ShippingTableType;

  @Field(() => [UserError])
  userErrors!: UserError[];
}

@ObjectType()
export class ImportShippingTableRowsPayload {
  @Field(() => ShippingTableType, { nullable: true })
  shippingTable?: ShippingTableType;

  @Field(() => [UserError])
  userErrors!: UserError[];
}

@ObjectType()
export class DeleteShippingTablePayload {
  @Field(() => ShippingTableType, { nullable: true, description: 'The table as it was before deletion; null when refused.' })
  deletedShippingTable?: ShippingTableType;

  @Field(() => [UserError])
  userErrors!: UserError[];
}

@ObjectType('PostalCodeRange', { description: 'Inclusive CEP range, "01000-000" to "05999-999".' })
export class PostalCodeRangeType {
  @Field(() => String)
  from!: string;

  @Field(() => String)
  to!: string;
}

@InputType({ description: 'CEPs with or without the dash; inclusive.' })
export class PostalCodeRangeInput {
  @Field(() => String)
  from!: string;

  @Field(() => String)
  to!: string;
}

@ObjectType('FreightRule', { description: 'A store-wide freight rule: free shipping or custom freight.' })
export class FreightRuleType {
  @Field(() => ID)
  id!: string;

  @Field(() => FreightRuleKind)
  kind!: FreightRuleKind;

  @Field(() => String)
  name!: string;

  @Field(() => Boolean)
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

  @Field(() => DateTimeResolver)
  createdAt!: Date;

  @Field(() => DateTimeResolver)
  updatedAt!: Date;
}

export const FreightRuleConnection = ConnectionType('FreightRule', FreightRuleType);

@ArgsType()
export class FreightRuleListArgs extends ConnectionArgs {
  @Field(() => FreightRuleKind, { nullable: true })
  kind?: FreightRuleKind;

  @Field(() => Boolean, { nullable: true })
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

@InputType()
export class CreateFreightRuleInput extends UpdateFreightRuleInput {
  @Field(() => FreightRuleKind, { description: 'Fixed once created.' })
  kind!: FreightRuleKind;
}

@ObjectType()
export class FreightRulePayload {
  @Field(() => FreightRuleType, { nullable: true })
  freightRule?: FreightRuleType;

  @Field(() => [UserError])
  userErrors!: UserError[];
}

@ObjectType()
export class DeleteFreightRulePayload {
  @Field(() => FreightRuleType, { nullable: true, description: 'The rule as it was before deletion; null when refused.' })
  deletedFreightRule?: FreightRuleType;

  @Field(() => [UserError])
  userErrors!: UserError[];
}

@ObjectType('ShippingSettings', { description: 'Every seller dispatches from the store origin; every quote uses it.' })
export class ShippingSettingsType {
  @Field(() => Int, { description: 'The longest a quote waits for any carrier before falling back (tables, then the contingency table).' })
  carrierTimeoutMs!: number;

  @Field(() => DateTimeResolver)
  updatedAt!: Date;
}

@InputType({ description: 'Unset fields stay as they are.' })
export class ShippingSettingsInput {
  @Field(() => String, { nullable: true, description: 'CEP with or without the dash.' })
  originPostalCode?: string;

  @Field(() => Int, { nullable: true, description: '100 to 60000 ms.' })
  carrierTimeoutMs?: number;
}

@ObjectType()
export class ShippingSettingsPayload {
  @Field(() => ShippingSettingsType, { nullable: true })
  shippingSettings?: ShippingSettingsType;

  @Field(() => [UserError])
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
