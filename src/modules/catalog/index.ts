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
import { Brand as BrandEntity, Category as CategoryEntity, Color as ColorEntity, Size as SizeEntity, Tag as TagEntity } from './attributes.entity.js';
import { KitComponent as KitEntity, Product as ProductEntity, ProductLink as LinkEntity, Sku as SkuEntity } from './catalog.entity.js';
import { ProductQuestion as QuestionEntity, ProductReview as ReviewEntity } from './reviews.entity.js';
export const catalogEntities = [CategoryEntity, BrandEntity, ColorEntity, SizeEntity, TagEntity, ProductEntity, SkuEntity, KitEntity, LinkEntity, ReviewEntity, QuestionEntity] as const;

// Used by other modules.
export { Brand, Category, Color, Size, Tag } from './attributes.entity.js';
export { KitComponent, ProductLink } from './catalog.entity.js';
export { categoryById } from './catalog.loaders.js';
export { CategoryType, ProductConnection, ProductType, SkuType } from './catalog.types.js';
export { displayedCode } from './codes.js';
export { createProduct, reviewProduct, sellerHasProducts } from './products.service.js';
export { saleProblem, isOnSale, onSaleWhere, type SaleProblem, type SaleItem } from './on-sale.js';
export { ProductQuestion, ProductReview } from './reviews.entity.js';
export { lockSkusForSale, lockSkusForStock, type LockedSku } from './stock-locks.js';
export { CatalogEventSubscriber } from './catalog.events.js';
