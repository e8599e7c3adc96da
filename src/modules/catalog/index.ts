export { Product, Sku, ProductStatus } from './catalog.entity.js';
export { catalogRules, catalogWriter, attributeWriter } from './catalog.rules.js';
import { KitComponentResolver, ProductResolver, SellerCatalogResolver, SkuResolver } from './catalog.resolver.js';
export const catalogResolvers = [ProductResolver, SkuResolver, KitComponentResolver, SellerCatalogResolver] as const;
