import type { FilterQuery } from '@mikro-orm/postgresql';
import { SellerStatus, type MarketplaceSettings, type Seller } from '../sellers/index.js';
import { ProductStatus, type Product, type Sku } from './catalog.entity.js';

/*
 * "On sale": the one rule for what the storefront sells. The storefront listing and product
 * pages, reviews, the cart and the checkout all ask here, so a new condition (a seller on
 * vacation, a scheduled publication) is added once and every caller obeys it.
 *
 * A product is on sale when it is PUBLISHED and its seller is ACTIVE, and a guest seller's
 * only while the marketplace switch is on. A SKU additionally has to be active. Stock is a
 * separate question each caller asks its own way (the cart per line, the checkout per SKU
 * summed over lines under a row lock), so it is checked only when a quantity is given.
 */

/**
 * Why an item is not on sale, most fundamental first:
 * - UNAVAILABLE: product not PUBLISHED, SKU inactive or seller not ACTIVE;
 * - MARKETPLACE_DISABLED: a guest seller's item while the marketplace switch is off;
 * - OUT_OF_STOCK: fewer units in stock than the quantity asked (only when one is given).
 */
export type SaleProblem = 'UNAVAILABLE' | 'MARKETPLACE_DISABLED' | 'OUT_OF_STOCK';

export interface SaleItem {
  product: Pick<Product, 'status'>;
  seller: Pick<Seller, 'status' | 'isAdmin'>;
  /** Omitted for a product as a whole (listing, product page, reviews). */
  sku?: Pick<Sku, 'active' | 'stock'> | null;
}

/** Why the item (optionally `quantity` units of its SKU) is not on sale, or null when it is. From loaded rows: no query. */
export function saleProblem(item: SaleItem, settings: Pick<MarketplaceSettings, 'usesMarketplace'>, opts: { quantity?: number } = {}): SaleProblem | null {
  const { product, seller, sku } = item;
  if (product.status !== ProductStatus.PUBLISHED || seller.status !== SellerStatus.ACTIVE || (sku && !sku.active)) return 'UNAVAILABLE';
  if (!seller.isAdmin && !settings.usesMarketplace) return 'MARKETPLACE_DISABLED';
  if (sku && opts.quantity != null && opts.quantity > sku.stock) return 'OUT_OF_STOCK';
  return null;
}

/** Whether the storefront may show (and sell) the item, stock aside. */
export function isOnSale(item: SaleItem, settings: Pick<MarketplaceSettings, 'usesMarketplace'>): boolean {
  return saleProblem(item, settings) === null;
}

/**
 * The same rule for products, as a query filter, for listings that must not load what they
 * do not show. Keep it equal to saleProblem without a SKU.
 */
export function onSaleWhere(settings: Pick<MarketplaceSettings, 'usesMarketplace'>): FilterQuery<Product> {
  return {
    status: ProductStatus.PUBLISHED,
    seller: settings.usesMarketplace ? { status: SellerStatus.ACTIVE } : { isAdmin: true, status: SellerStatus.ACTIVE },
  };
}

/**
 * The same rule again, as SQL over the product table's alias `p`, for the plain-row reads
 * (products.rows.ts). The marketplace switch is read by the statement itself, so a listing
 * needs no separate settings query and can never use a stale switch. Keep it equal to
 * saleProblem without a SKU.
 */
export function onSaleSql(p: string): string {
  return `${p}.status = '${ProductStatus.PUBLISHED}' and ${p}.seller_id in (select os.id from seller os where os.status = '${SellerStatus.ACTIVE}'
    and (os.is_admin or (select ms.uses_marketplace from marketplace_settings ms where ms.id = 1)))`;
}
