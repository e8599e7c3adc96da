import { accessRules, anyone } from '../../shared/access/index.js';
import { SHIPPING_ACCESS } from './shipping.access.js';

/** Operator owners and admins change the store's shipping; every operator role reads it. */
const { writeShipping: writer, readShipping: staff } = accessRules('shipping', SHIPPING_ACCESS);

/**
 * Shipping configuration is the operator's: tables, rules and settings are never shown to
 * sellers, customers or the storefront (the services repeat the check). Quotes are the
 * shopper's: the cart exposes ShippingQuote, whose options and exclusions anybody who may
 * see that cart reads, while failures (carrier names, status codes, messages) stay with staff.
 */
export const shippingRules = {
  Query: {
    shippingTables: staff,
    shippingTable: staff,
    contingencyShippingTable: staff,
    freightRules: staff,
    freightRule: staff,
    shippingSettings: staff,
    shippingQuotePreview: staff,
  },
  Mutation: {
    createShippingTable: writer,
    updateShippingTable: writer,
    deleteShippingTable: writer,
    importShippingTableRows: writer,
    createFreightRule: writer,
    updateFreightRule: writer,
    deleteFreightRule: writer,
    updateShippingSettings: writer,
  },
  ShippingTable: { '*': staff },
  ShippingTableRow: { '*': staff },
  FreightRule: { '*': staff },
  PostalCodeRange: { '*': staff },
  ShippingSettings: { '*': staff },
  ShippingQuote: { options: anyone, excluded: anyone, failures: staff },
  ShippingOption: { '*': anyone },
  ExcludedShippingOption: { '*': anyone },
  ShippingQuoteFailure: { '*': staff },
};
