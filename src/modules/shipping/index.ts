export type { ShippingTable, FreightRule, FreightRuleKind, QuoteSource, QuoteOption, QuoteFailureReason, Quote } from './shipping.types.js';
export { normalizeCep, formatCep, parseDecimalToCents } from './parse.js';
export { matchRow, quoteFromTable, findOverlaps, rowProblems, type RowOverlap } from './table-quote.js';
export { parseShippingTableCsv, type CsvProblem, type ParsedTableCsv, type ParsedTableRow } from './csv.js';
export { CarrierError, HttpFreightCarrier, type FreightCarrier, type HttpFreightCarrierConfig, type CarrierFailureReason } from './carrier.js';
export { quoteCart, splitFreight, NoFreightAvailableError, type FreightSetup, type FreightGroup } from './freight.service.js';

// For the cart and checkout: one quote for the whole cart, and its GraphQL shape.
export { quoteForCart, loadFreightSetup, type CartQuoteRequest } from './quote.service.js';
export { ShippingOptionType, ShippingQuoteType, ExcludedShippingOptionType, QuoteSourceEnum, toShippingQuoteType, toShippingOptionType, shippingOptionKey, findShippingOption, type ShippingChoice } from './quote.types.js';
export { carriersFromEnv, FreightConfigError, FREIGHT_CARRIERS } from './shipping.config.js';

import { FreightRuleResolver, ShippingSettingsResolver, ShippingTableResolver } from './shipping.resolver.js';
import { FreightRuleEntity, ShippingSettings, ShippingTableEntity } from './shipping.entity.js';
import { shippingRules as rules } from './shipping.rules.js';

// What this module adds to the app: GraphQL resolvers, shield rules, MikroORM entities.
export const shippingResolvers = [ShippingTableResolver, FreightRuleResolver, ShippingSettingsResolver] as const;
export const shippingRules: Record<string, Record<string, unknown>> = rules;
export const shippingEntities = [ShippingTableEntity, FreightRuleEntity, ShippingSettings] as const;

// Used by other modules.
export { createShippingTable } from './tables.service.js';
