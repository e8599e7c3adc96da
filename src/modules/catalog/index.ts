export { Product, Sku, ProductStatus } from './catalog.entity.js';
export { catalogWriter, attributeWriter } from './catalog.rules.js';
import { productRules } from './catalog.rules.js';
import { KitComponentResolver, ProductResolver, SellerCatalogResolver, SkuResolver } from './catalog.resolver.js';
import { attributeRules } from './attributes.rules.js';
import { AttributeResolver, CategoryResolver } from './attributes.resolver.js';
import { reviewRules } from './reviews.rules.js';
import { ProductQuestionResolver, ProductReviewResolver, ProductReviewsResolver } from './reviews.resolver.js';
import { importRules } from './import.rules.js';
import { ProductImportResolver } from './import.resolver.js';
import { bulkRules } from './bulk.rules.js';
import { BulkProductResolver } from './bulk.resolver.js';

/** Each part of the catalog brings its resolvers and its shield rules. */
export const catalogResolvers = [ProductResolver, SkuResolver, KitComponentResolver, SellerCatalogResolver, CategoryResolver, AttributeResolver, ProductReviewsResolver, ProductReviewResolver, ProductQuestionResolver, ProductImportResolver, BulkProductResolver] as const;
export const catalogRules = [productRules, attributeRules, reviewRules, importRules, bulkRules];
