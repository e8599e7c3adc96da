export { Product, Sku, ProductStatus } from './catalog.entity.js';
export { catalogWriter, attributeWriter } from './catalog.rules.js';
import { productRules } from './catalog.rules.js';
import { KitComponentResolver, ProductResolver, SellerCatalogResolver, SkuResolver } from './catalog.resolver.js';

/** Each part of the catalog brings its resolvers and its shield rules. */
export const catalogResolvers = [ProductResolver, SkuResolver, KitComponentResolver, SellerCatalogResolver] as const;
export const catalogRules = [productRules];
