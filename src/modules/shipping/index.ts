export type * from './shipping.types.js';
export { normalizeCep, formatCep, parseDecimalToCents } from './parse.js';
export { matchRow, quoteFromTable, findOverlaps, rowProblems, type RowOverlap } from './table-quote.js';
export { parseShippingTableCsv, type CsvProblem, type ParsedTableCsv, type ParsedTableRow } from './csv.js';
export { CarrierError, HttpFreightCarrier, type FreightCarrier, type HttpFreightCarrierConfig, type CarrierFailureReason } from './carrier.js';
export { quoteCart, splitFreight, NoFreightAvailableError, type FreightSetup, type FreightGroup } from './freight.service.js';

// What this module adds to the app: GraphQL resolvers, shield rules, MikroORM entities.
export const shippingResolvers: readonly (abstract new (...args: never[]) => unknown)[] = [];
export const shippingRules: Record<string, Record<string, unknown>> = {};
export const shippingEntities: readonly (abstract new (...args: never[]) => unknown)[] = [];
