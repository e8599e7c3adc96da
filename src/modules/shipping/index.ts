export type * from './shipping.types.js';
export { normalizeCep, formatCep, parseDecimalToCents } from './parse.js';
export { matchRow, quoteFromTable, findOverlaps, rowProblems, type RowOverlap } from './table-quote.js';
export { parseShippingTableCsv, type CsvProblem, type ParsedTableCsv, type ParsedTableRow } from './csv.js';
export { CarrierError, HttpFreightCarrier, type FreightCarrier, type HttpFreightCarrierConfig, type CarrierFailureReason } from './carrier.js';
export { quoteCart, splitFreight, NoFreightAvailableError, type FreightSetup, type FreightGroup } from './freight.service.js';
