/**
 * Plain data for freight quoting. Nothing here is a GraphQL or database type yet: checkout
 * will decide how tables and rules are stored and which parts of a quote clients see.
 *
 * Conventions used throughout the module:
 * - Money is integer centavos (BRL), the same unit `allocate` works in; never floats.
 * - Postal codes (CEP) inside tables and rules are normalised 8-digit strings ("01310100").
 *   Equal-length digit strings order like the numbers they spell, so ranges compare as strings
 *   and a leading zero ("01…", São Paulo) is never lost the way it would be in a number.
 * - Every range is inclusive at both ends, CEP and weight alike. Weights are whole grams, so
 *   bands written "0–1000, 1001–2000" leave no gap, and a parcel of exactly 1000 g pays the
 *   "até 1 kg" price, which is how Brazilian carriers write their tables. Two rows that share
 *   an edge (…–1000 and 1000–…) therefore overlap, and table validation says so.
 */

/** One line of a shipping table: destinations in a CEP range, parcels in a weight band. */
export interface ShippingTableRow {
  /** First CEP of the range, 8 digits, inclusive. */
  postalCodeFrom: string;
  /** Last CEP of the range, 8 digits, inclusive. */
  postalCodeTo: string;
  /** Lightest parcel of the band, grams, inclusive. */
  weightFromGrams: number;
  /** Heaviest parcel of the band, grams, inclusive. */
  weightToGrams: number;
  priceCents: number;
  /** Delivery time in days, as the carrier quotes it. */
  days: number;
}

/** A carrier's price list for one shipping method (e.g. "PAC" of Correios). */
export interface ShippingTable {
  id: string;
  carrier: string;
  /** The method's name as shoppers see it; together with `carrier` it identifies an option. */
  method: string;
  /** Delivery on a date the shopper picks; refused for carts holding a guest seller's items. */
  scheduled: boolean;
  rows: readonly ShippingTableRow[];
}

/**
 * The store's fallback, used only when the normal quote yields nothing. Same rows as a shipping
 * table; never a scheduled method, since it has to serve every cart, including marketplace ones.
 */
export interface ContingencyTable {
  id: string;
  carrier: string;
  method: string;
  rows: readonly ShippingTableRow[];
}

/** Inclusive range of normalised CEPs. */
export interface PostalCodeRange {
  from: string;
  to: string;
}

/**
 * Free shipping. Every condition given must hold; a rule with no condition makes every cart's
 * freight free. `minMerchandiseCents` compares the cart's merchandise subtotal before vouchers
 * and without freight, and is reached at the threshold itself ("frete grátis a partir de R$ 199").
 */
export interface FreeShippingRule {
  kind: 'FREE_SHIPPING';
  id: string;
  minMerchandiseCents?: number;
  /** The destination must fall in one of these ranges. */
  postalCodeRanges?: readonly PostalCodeRange[];
  /** Method names made free (e.g. only "PAC", not "SEDEX"); omitted means every option. */
  methods?: readonly string[];
}

/**
 * A fixed freight for destinations in a range (e.g. the operator's own delivery in its city).
 * It replaces what tables and carriers would quote for those destinations.
 */
export interface CustomFreightRule {
  kind: 'CUSTOM_FREIGHT';
  id: string;
  postalCodeRanges: readonly PostalCodeRange[];
  carrier: string;
  method: string;
  priceCents: number;
  days: number;
}

export type FreightRule = FreeShippingRule | CustomFreightRule;
export type FreightRuleKind = FreightRule['kind'];

/** What the whole cart needs shipped; all sellers dispatch from the store's single origin. */
export interface QuoteRequest {
  /** The store's origin CEP (with or without the dash). */
  originPostalCode: string;
  /** The buyer's CEP (with or without the dash). */
  destinationPostalCode: string;
  /** Total weight of the cart, grams. */
  weightGrams: number;
  /** Merchandise subtotal before vouchers, without freight, centavos. */
  merchandiseCents: number;
  /** True when any line belongs to a guest seller: scheduled methods are then refused. */
  hasGuestSellerItems: boolean;
}

/** Where an option's price came from. */
export type QuoteSource = 'TABLE' | 'CARRIER' | 'CONTINGENCY' | 'RULE';

/** A shipping option the shopper may choose. */
export interface QuoteOption {
  method: string;
  carrier: string;
  priceCents: number;
  days: number;
  scheduled: boolean;
  source: QuoteSource;
  /** Set when `source` is RULE: the store rule that set the price. */
  rule?: { id: string; kind: FreightRuleKind };
  /**
   * Set when a free-shipping rule waived a price: what the option would have cost and where
   * that figure came from (`ruleId` when it was a custom-freight rule's price). Freight is the
   * operator's revenue, so the waived amount is the operator's cost.
   */
  quoted?: { source: QuoteSource; priceCents: number; ruleId?: string };
}

/** What a carrier adapter returns: an option before the service labels its source. */
export type CarrierOption = Omit<QuoteOption, 'source' | 'rule' | 'quoted'>;

export type QuoteFailureReason =
  /** A table had no row for this destination and weight. */
  | 'NO_MATCHING_ROW'
  /** The carrier answered, but offered no usable service for this destination and weight. */
  | 'NO_SERVICE'
  | 'TIMEOUT'
  /** The carrier answered with a non-2xx status. */
  | 'HTTP_ERROR'
  /** The carrier could not be reached (DNS, refused connection, reset). */
  | 'NETWORK_ERROR'
  /** The carrier answered 2xx with a body that is not the agreed shape. */
  | 'INVALID_RESPONSE'
  /** Anything else a carrier implementation threw. */
  | 'ERROR';

/** A source that contributed nothing to the quote, and why. */
export interface QuoteFailure {
  source: 'TABLE' | 'CARRIER';
  carrier: string;
  reason: QuoteFailureReason;
  /** Human-readable detail for the operator's logs (status code, carrier message, table id). */
  detail: string;
}

export type ExclusionReason = 'SCHEDULED_DELIVERY_NOT_FOR_MARKETPLACE';

/** An option that was quoted but may not be offered to this cart. */
export interface ExcludedOption {
  method: string;
  carrier: string;
  reason: ExclusionReason;
}

export interface Quote {
  /** Cheapest first, then fastest; never empty (an empty quote is NoFreightAvailableError). */
  options: QuoteOption[];
  failures: QuoteFailure[];
  excluded: ExcludedOption[];
}
