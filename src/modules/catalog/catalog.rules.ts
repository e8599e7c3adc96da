import { accessRules, anyone, sellerAccessRule } from '../../shared/access/index.js';
import type { Product, Sku } from './catalog.entity.js';
import { CATALOG_ACCESS } from './catalog.access.js';

/** The catalog's access table as shield rules, for this file and the other *.rules.ts of the module. */
export const allowed = accessRules('catalog', CATALOG_ACCESS);

/** Who writes a seller's catalog: operator owners/admins, the seller's owner/catalog users, its ERP integration. */
export const catalogWriter = allowed.writeCatalog;

/**
 * Store attributes: operator owners/admins, and integrations acting for the admin seller with
 * the attribute-write permission. Guest sellers and their integrations only reference them.
 */
export const attributeWriter = allowed.writeAttributes;

/** A field of a product or SKU that only its seller, its integration and staff read. */
const privateToSeller = sellerAccessRule('catalog.private', CATALOG_ACCESS.readPrivateCatalog, (parent: Product | Sku) => parent.seller.id);

export const productRules = {
  Query: {
    products: anyone,
    product: anyone,
    productsForHub: allowed.readHubFeed,
  },
  Mutation: {
    createProduct: catalogWriter,
    updateProduct: catalogWriter,
    archiveProduct: catalogWriter,
    setStock: catalogWriter,
    approveProduct: allowed.reviewProducts,
    rejectProduct: allowed.reviewProducts,
  },
  Product: { '*': anyone, rejectionReason: privateToSeller },
  Sku: { '*': anyone, stock: privateToSeller },
  KitComponent: { '*': anyone },
  ProductImage: { '*': anyone },
  Dimensions: { '*': anyone },
  Money: { '*': anyone },
  Category: { '*': anyone },
  Brand: { '*': anyone },
  Color: { '*': anyone },
  Size: { '*': anyone },
  Tag: { '*': anyone },
  Seller: { products: anyone },
};
