import { Field, Int, ObjectType, registerEnumType } from 'type-graphql';
import { Money, money } from '../../shared/money/index.js';
import type { ExcludedOption, Quote, QuoteFailure, QuoteOption } from './shipping.types.js';

/*
 * What a freight quote looks like in the API. The cart module exposes these (its quote field
 * returns ShippingQuote); they are built from the plain Quote by `toShippingQuoteType`, so no
 * carrier internals reach a shopper unless a field says so. Failures name carriers and carry
 * their messages: only operator staff read them (shipping.rules.ts).
 */

export enum QuoteSourceEnum {
  TABLE = 'TABLE',
  CARRIER = 'CARRIER',
  CONTINGENCY = 'CONTINGENCY',
  RULE = 'RULE',
}
registerEnumType(QuoteSourceEnum, {
  name: 'QuoteSource',
  description: "Where an option's price came from.",
  valuesConfig: {
    TABLE: { description: "One of the store's shipping tables." },
    CARRIER: { description: 'A live quote from a carrier.' },
    CONTINGENCY: { description: "The store's contingency table: the normal quote failed (no matching row, carrier error or timeout)." },
    RULE: { description: 'A store rule set the price: custom freight for the region, or free shipping.' },
  },
});

export enum ShippingExclusionReason {
  SCHEDULED_DELIVERY_NOT_FOR_MARKETPLACE = 'SCHEDULED_DELIVERY_NOT_FOR_MARKETPLACE',
}
registerEnumType(ShippingExclusionReason, {
  name: 'ShippingExclusionReason',
  valuesConfig: {
    SCHEDULED_DELIVERY_NOT_FOR_MARKETPLACE: { description: "Scheduled delivery is refused for carts holding a guest seller's items." },
  },
  description: 'Why an option that exists for the destination is not offered to a cart.',
});

export enum QuoteFailureReasonEnum {
  NO_MATCHING_ROW = 'NO_MATCHING_ROW',
  NO_SERVICE = 'NO_SERVICE',
  TIMEOUT = 'TIMEOUT',
  HTTP_ERROR = 'HTTP_ERROR',
  NETWORK_ERROR = 'NETWORK_ERROR',
  INVALID_RESPONSE = 'INVALID_RESPONSE',
  ERROR = 'ERROR',
}
registerEnumType(QuoteFailureReasonEnum, {
  name: 'QuoteFailureReason',
  description: 'Why a table or carrier gave no option.',
  valuesConfig: {
    ERROR: { description: 'An unexpected error while asking the carrier; `detail` has its message.' },
    HTTP_ERROR: { description: 'The carrier answered with an HTTP error status.' },
    INVALID_RESPONSE: { description: 'The carrier\'s answer was not in the agreed shape.' },
    NETWORK_ERROR: { description: 'The carrier could not be reached (connection refused or reset, DNS).' },
    NO_MATCHING_ROW: { description: 'The table has no row for this CEP and weight.' },
    NO_SERVICE: { description: 'The carrier refused every service for this destination; `detail` has its messages.' },
    TIMEOUT: { description: 'The carrier did not answer within the store\'s carrier timeout.' },
  },
});

@ObjectType('ShippingOption', { description: 'A way to ship the whole cart. The cart stores the chosen one as (carrier, method).' })
export class ShippingOptionType {
  @Field(() => String, { description: 'The carrier\'s name; with `method` it identifies the option (pass both to selectShippingOption).' })
  carrier!: string;

  @Field(() => String, { description: 'The method name shoppers see, e.g. "PAC" or "Expressa".' })
  method!: string;

  @Field(() => Money, { description: 'What the shopper pays for freight with this option (BRL centavos); 0 when free shipping applies.' })
  price!: Money;

  @Field(() => Int, { description: 'Delivery time in days, as quoted.' })
  days!: number;

  @Field(() => Boolean, { description: 'Delivery on a date the shopper picks.' })
  scheduled!: boolean;

  @Field(() => QuoteSourceEnum, { description: 'Where the price came from.' })
  source!: QuoteSourceEnum;

  @Field(() => Money, { nullable: true, description: 'Set when a free-shipping rule waived the price: what the option would have cost.' })
  priceBeforeFreeShipping?: Money | null;
}

@ObjectType('ExcludedShippingOption', { description: 'An option that exists for this destination but may not be offered to this cart.' })
export class ExcludedShippingOptionType {
  @Field(() => String, { description: 'Carrier of the excluded option.' })
  carrier!: string;

  @Field(() => String, { description: 'Method name of the excluded option.' })
  method!: string;

  @Field(() => ShippingExclusionReason, { description: 'Why the option is not offered to this cart.' })
  reason!: ShippingExclusionReason;
}

@ObjectType('ShippingQuoteFailure', { description: 'A table or carrier that contributed nothing to the quote. Operator staff only.' })
export class ShippingQuoteFailureType {
  @Field(() => QuoteSourceEnum, { description: 'TABLE or CARRIER.' })
  source!: QuoteSourceEnum;

  @Field(() => String, { description: 'The table\'s or carrier\'s carrier name.' })
  carrier!: string;

  @Field(() => QuoteFailureReasonEnum, { description: 'Why it gave no option.' })
  reason!: QuoteFailureReasonEnum;

  @Field(() => String, { description: "The table id or the carrier's status and message." })
  detail!: string;
}

@ObjectType('ShippingQuote', { description: "One quote for the whole cart's weight, from the store's single origin." })
export class ShippingQuoteType {
  @Field(() => [ShippingOptionType], { description: 'Cheapest first, then fastest; never empty.' })
  options!: ShippingOptionType[];

  @Field(() => [ExcludedShippingOptionType], { description: 'Options that exist for this destination but may not be offered to this cart, with the reason.' })
  excluded!: ExcludedShippingOptionType[];

  @Field(() => [ShippingQuoteFailureType], { description: 'Operator staff only: why tables or carriers gave nothing.' })
  failures!: ShippingQuoteFailureType[];
}

export function toShippingOptionType(option: QuoteOption, currency = 'BRL'): ShippingOptionType {
  return {
    carrier: option.carrier,
    method: option.method,
    price: money(option.priceCents, currency),
    days: option.days,
    scheduled: option.scheduled,
    source: option.source as QuoteSourceEnum,
    priceBeforeFreeShipping: option.quoted && option.priceCents === 0 ? money(option.quoted.priceCents, currency) : null,
  };
}

const toExcluded = (e: ExcludedOption): ExcludedShippingOptionType => ({
  carrier: e.carrier,
  method: e.method,
  reason: e.reason as ShippingExclusionReason,
});

const toFailure = (f: QuoteFailure): ShippingQuoteFailureType => ({
  source: f.source as QuoteSourceEnum,
  carrier: f.carrier,
  reason: f.reason as QuoteFailureReasonEnum,
  detail: f.detail,
});

/** The GraphQL shape of a quote, for the cart's quote field. */
export function toShippingQuoteType(quote: Quote, currency = 'BRL'): ShippingQuoteType {
  return {
    options: quote.options.map((o) => toShippingOptionType(o, currency)),
    excluded: quote.excluded.map(toExcluded),
    failures: quote.failures.map(toFailure),
  };
}

/** What identifies a shipping option across quotes: the cart stores these two and re-quotes. */
export interface ShippingChoice {
  carrier: string;
  method: string;
}

/**
 * A stable string key for an option's (carrier, method), for maps and comparisons. JSON keeps
 * the two parts apart whatever characters the names hold ("A|B" + "C" vs "A" + "B|C").
 */
export function shippingOptionKey(option: ShippingChoice): string {
  return JSON.stringify([option.carrier, option.method]);
}

/** The option of a fresh quote matching a stored choice, or undefined when it is no longer offered. */
export function findShippingOption(quote: Quote, choice: ShippingChoice): QuoteOption | undefined {
  const key = shippingOptionKey(choice);
  return quote.options.find((o) => shippingOptionKey(o) === key);
}
