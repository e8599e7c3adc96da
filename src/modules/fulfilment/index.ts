// Invoices, shipments and tracking of orders after checkout: what moves an order from
// APPROVED to DELIVERED (the transitions themselves are the orders module's table).
import { OrderInvoice, OrderShipment, TrackingEvent } from './fulfilment.entity.js';
import { FulfilmentResolver, OrderFulfilmentResolver, OrderShipmentResolver } from './fulfilment.resolver.js';
import { fulfilmentRules as rules } from './fulfilment.rules.js';

export const fulfilmentResolvers = [FulfilmentResolver, OrderFulfilmentResolver, OrderShipmentResolver] as const;
export const fulfilmentRules: Record<string, Record<string, unknown>> = rules;
export const fulfilmentEntities = [OrderInvoice, OrderShipment, TrackingEvent] as const;

export { parseAccessKey, accessKeyCheckDigit, documentInKey, NFE_MODEL, type AccessKey } from './nfe-key.js';
export { OrderInvoice, OrderShipment, TrackingEvent, TrackingStatus } from './fulfilment.entity.js';
