import { Check, Collection, Entity, Enum, Index, ManyToMany, ManyToOne, OneToMany, Property, Unique, type Opt, type Ref } from '@mikro-orm/core';
import { BaseEntity } from '../../shared/db/base.entity.js';
import { Seller } from '../sellers/index.js';
import { Brand, Category, Color, Size, Tag } from './attributes.entity.js';

export enum ProductStatus {
  DRAFT = 'DRAFT',
  PENDING_REVIEW = 'PENDING_REVIEW',
  PUBLISHED = 'PUBLISHED',
  ARCHIVED = 'ARCHIVED',
}

export interface ProductImage {
  url: string;
  alt?: string | null;
}

/**
 * A product of exactly one seller. `sellerCode` is the seller's own (ERP) code, unique per
 * seller; `code` is the displayed code, `<concat>-<sellerCode>` for a seller with a
 * concatenation code, unique store-wide so `product(code)` is never ambiguous.
 */
@Entity({ tableName: 'product' })
@Unique({ name: 'product_seller_code_unique', properties: ['seller', 'sellerCode'] })
@Index({ name: 'product_listing', properties: ['status', 'createdAt'] })
// A seller page's newest products, and each seller's page of a nested list (products.rows.ts), read from the index's first rows.
@Index({ name: 'product_seller_listing', properties: ['seller', 'createdAt'] })
// The storefront's totalCount: an index-only count of published products per seller (200,000 products:
// ~36-150 ms on a loaded 2-CPU machine, against 600-1,000 ms for the table scan it replaces).
@Index({ name: 'product_status_seller', properties: ['status', 'seller'] })
export class Product extends BaseEntity {
  @ManyToOne({ entity: () => Seller, ref: true, index: true, deleteRule: 'restrict' })
  seller!: Ref<Seller>;

  @Property({ type: 'string', length: 40 })
  sellerCode!: string;

  @Property({ type: 'string', length: 51 })
  @Unique({ name: 'product_code_unique' })
  code!: string;

  @Property({ type: 'string', length: 200 })
  name!: string;

  @Property({ type: 'text', nullable: true })
  description?: string | null;

  @Enum({ items: () => ProductStatus, default: ProductStatus.DRAFT })
  status: Opt<ProductStatus> = ProductStatus.DRAFT;

  /** Why an operator sent the product back (rejectProduct). */
  @Property({ type: 'text', nullable: true })
  rejectionReason?: string | null;

  @ManyToOne({ entity: () => Category, nullable: true, ref: true, index: true, deleteRule: 'set null' })
  category?: Ref<Category> | null;

  @ManyToOne({ entity: () => Brand, nullable: true, ref: true, index: true, deleteRule: 'set null' })
  brand?: Ref<Brand> | null;

  @ManyToMany({ entity: () => Tag, pivotTable: 'product_tag', joinColumn: 'product_id', inverseJoinColumn: 'tag_id' })
  tags = new Collection<Tag>(this);

  @Property({ type: 'json' })
  images: Opt<ProductImage[]> = [];

  /** A kit is a virtual product made of SKUs of its own seller. */
  @Property({ type: 'boolean', default: false })
  isKit: Opt<boolean> = false;

  /** "Marketplace out": export to an external marketplace hub, whichever seller owns it. */
  @Property({ type: 'boolean', default: false })
  @Index({ name: 'product_marketplace_out', expression: 'create index "product_marketplace_out" on "product" ("updated_at", "id") where "marketplace_out"' })
  marketplaceOut: Opt<boolean> = false;

  @Property({ type: 'datetime', nullable: true })
  publishedAt?: Date | null;

  /**
   * Lowest price among its active SKUs, kept by the catalog service so listings sort by price.
   * `integer` on purpose: a unit price, at most MAX_UNIT_PRICE_CENTS (shared/money).
   */
  @Property({ type: 'integer', nullable: true })
  minPriceCents?: number | null;

  @OneToMany({ entity: () => Sku, mappedBy: 'product', orderBy: { position: 'asc', id: 'asc' } })
  skus = new Collection<Sku>(this);
}

/**
 * A sellable variant (colour/size) with its own price, weight and stock. Its codes follow the
 * product's rules; `seller` is repeated from the product so codes are unique per seller with a
 * plain index and seller scoping needs no join.
 */
@Entity({ tableName: 'sku' })
@Unique({ name: 'sku_seller_code_unique', properties: ['seller', 'sellerCode'] })
@Check({ name: 'sku_stock_not_negative', expression: '"stock" >= 0' })
@Check({ name: 'sku_price_not_negative', expression: '"price_cents" >= 0' })
export class Sku extends BaseEntity {
  @ManyToOne({ entity: () => Product, ref: true, index: true, deleteRule: 'cascade' })
  product!: Ref<Product>;

  @ManyToOne({ entity: () => Seller, ref: true, index: true, deleteRule: 'restrict' })
  seller!: Ref<Seller>;

  @Property({ type: 'string', length: 40 })
  sellerCode!: string;

  @Property({ type: 'string', length: 51 })
  @Unique({ name: 'sku_code_unique' })
  code!: string;

  @ManyToOne({ entity: () => Color, nullable: true, ref: true, deleteRule: 'restrict' })
  color?: Ref<Color> | null;

  @ManyToOne({ entity: () => Size, nullable: true, ref: true, deleteRule: 'restrict' })
  size?: Ref<Size> | null;

  /**
   * Price in centavos of the store currency. `integer` on purpose: one unit's price, which the
   * catalog bounds by MAX_UNIT_PRICE_CENTS (shared/money); totals that multiply it are bigint.
   */
  @Property({ type: 'integer' })
  priceCents!: number;

  /** "De" price shown struck through, in centavos; bounded like the price (hence `integer`). */
  @Property({ type: 'integer', nullable: true })
  listPriceCents?: number | null;

  @Property({ type: 'integer', default: 0 })
  weightGrams: Opt<number> = 0;

  @Property({ type: 'integer', nullable: true })
  heightMm?: number | null;

  @Property({ type: 'integer', nullable: true })
  widthMm?: number | null;

  @Property({ type: 'integer', nullable: true })
  lengthMm?: number | null;

  @Property({ type: 'integer', default: 0 })
  stock: Opt<number> = 0;

  @Property({ type: 'json' })
  images: Opt<ProductImage[]> = [];

  @Property({ type: 'integer', default: 0 })
  position: Opt<number> = 0;

  @Property({ type: 'boolean', default: true })
  active: Opt<boolean> = true;
}

/** One SKU inside a kit product, with how many units the kit holds. */
@Entity({ tableName: 'kit_component' })
@Unique({ name: 'kit_component_unique', properties: ['kit', 'sku'] })
@Check({ name: 'kit_component_quantity_positive', expression: '"quantity" > 0' })
export class KitComponent extends BaseEntity {
  @ManyToOne({ entity: () => Product, ref: true, index: true, deleteRule: 'cascade' })
  kit!: Ref<Product>;

  @ManyToOne({ entity: () => Sku, ref: true, index: true, deleteRule: 'restrict' })
  sku!: Ref<Sku>;

  @Property({ type: 'integer', default: 1 })
  quantity: Opt<number> = 1;

  /** Order given by the seller; rows of one kit share a timestamp, so it cannot come from that. */
  @Property({ type: 'integer', default: 0 })
  position: Opt<number> = 0;
}

export enum ProductLinkKind {
  BUY_TOGETHER = 'BUY_TOGETHER',
  RELATED = 'RELATED',
}

/** "Compre Junto" and related-product links; they may cross sellers. */
@Entity({ tableName: 'product_link' })
@Unique({ name: 'product_link_unique', properties: ['product', 'linked', 'kind'] })
export class ProductLink extends BaseEntity {
  @ManyToOne({ entity: () => Product, ref: true, index: true, deleteRule: 'cascade' })
  product!: Ref<Product>;

  @ManyToOne({ entity: () => Product, ref: true, deleteRule: 'cascade' })
  linked!: Ref<Product>;

  @Enum({ items: () => ProductLinkKind })
  kind!: ProductLinkKind;

  @Property({ type: 'integer', default: 0 })
  position: Opt<number> = 0;
}
