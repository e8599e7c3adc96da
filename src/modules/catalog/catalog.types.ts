import { Field, ID, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import { MaxChars, PRODUCT_DESCRIPTION_MAX_CHARS, SEARCH_MAX_CHARS } from '../../shared/validation/index.js';
import { DateTimeResolver, SafeIntResolver } from 'graphql-scalars';
import { UserError } from '../../shared/errors/index.js';
import { ConnectionType, SortDirection } from '../../shared/pagination/index.js';
import { ProductLinkKind, ProductStatus } from './catalog.entity.js';

registerEnumType(ProductStatus, {
  name: 'ProductStatus',
  description: '"Out of stock" is not a status: it is derived from SKU stock (inStock).',
  valuesConfig: {
    ARCHIVED: { description: 'Withdrawn for good; kept for the orders that hold it.' },
    DRAFT: { description: 'Being prepared, or rejected in review (then `rejectionReason` says why); not on sale.' },
    PENDING_REVIEW: { description: 'A guest seller asked to publish it and the store reviews products: waits for operator approval.' },
    PUBLISHED: { description: 'On sale, when its seller sells and it has stock.' },
  },
});
registerEnumType(ProductLinkKind, {
  name: 'ProductLinkKind',
  description: 'How two products are linked on the product page.',
  valuesConfig: {
    BUY_TOGETHER: { description: '"Compre Junto": offered to buy together with this product.' },
    RELATED: { description: 'Shown as a related product.' },
  },
});

export enum ProductOrderField {
  CREATED_AT = 'CREATED_AT',
  NAME = 'NAME',
  PRICE = 'PRICE',
  CODE = 'CODE',
}
registerEnumType(ProductOrderField, {
  name: 'ProductOrderField',
  description: 'What a product list can be sorted by.',
  valuesConfig: {
    CODE: { description: 'The displayed product code, alphabetically.' },
    CREATED_AT: { description: 'When the product was created.' },
    NAME: { description: 'The product\'s name, alphabetically.' },
    PRICE: { description: 'The lowest price among the product\'s active SKUs.' },
  },
});

@ObjectType('ProductImage', { description: 'An image of a product or SKU.' })
export class ProductImageType {
  @Field(() => String, { description: 'Absolute http(s) URL of the image.' })
  url!: string;

  @Field(() => String, { nullable: true, description: 'Alternative text for accessibility. Null when none.' })
  alt?: string | null;
}

@ObjectType('Category', { description: 'A node of the store\'s category tree. Categories belong to the store: operator staff and attribute-permitted integrations manage them.' })
export class CategoryType {
  @Field(() => ID, { description: 'Opaque id of the category.' })
  id!: string;

  @Field(() => String, { description: 'The category\'s name, as the storefront shows it.' })
  name!: string;

  @Field(() => String, { description: 'URL-safe identifier, unique in the store (e.g. `moda-feminina`); the storefront can read a category by it.' })
  slug!: string;

  @Field(() => Int, { description: 'Order among its siblings, ascending.' })
  position!: number;
}

@ObjectType('Brand', { description: 'A product brand. Brands belong to the store: operator staff and attribute-permitted integrations manage them; sellers use them.' })
export class BrandType {
  @Field(() => ID, { description: 'Opaque id of the brand.' })
  id!: string;

  @Field(() => String, { description: 'The brand\'s name, unique in the store.' })
  name!: string;
}

@ObjectType('Color', { description: 'A colour a SKU may come in. Colours belong to the store.' })
export class ColorType {
  @Field(() => ID, { description: 'Opaque id of the colour.' })
  id!: string;

  @Field(() => String, { description: 'The colour\'s name, unique in the store, as the storefront shows it.' })
  name!: string;

  @Field(() => String, { nullable: true, description: 'Swatch colour as `#RRGGBB` (upper case). Null when none was set.' })
  hex?: string | null;
}

@ObjectType('Size', { description: 'A size a SKU may come in. Sizes belong to the store.' })
export class SizeType {
  @Field(() => ID, { description: 'Opaque id of the size.' })
  id!: string;

  @Field(() => String, { description: 'The size\'s label, unique in the store, e.g. `M` or `42`.' })
  name!: string;

  @Field(() => Int, { description: 'Order in size pickers, ascending (P before M before G).' })
  position!: number;
}

@ObjectType('Tag', { description: 'A merchandising tag (e.g. `lançamento`). Tags belong to the store.' })
export class TagType {
  @Field(() => ID, { description: 'Opaque id of the tag.' })
  id!: string;

  @Field(() => String, { description: 'The tag\'s name, unique in the store.' })
  name!: string;
}

@ObjectType('Dimensions', { description: 'Package dimensions in millimetres.' })
export class DimensionsType {
  @Field(() => Int, { nullable: true, description: 'Package height in millimetres. Null when not given.' })
  heightMm?: number | null;

  @Field(() => Int, { nullable: true, description: 'Package width in millimetres. Null when not given.' })
  widthMm?: number | null;

  @Field(() => Int, { nullable: true, description: 'Package length in millimetres. Null when not given.' })
  lengthMm?: number | null;
}

@ObjectType('Sku', { description: 'A sellable variant (colour/size) with its own price, weight and stock.' })
export class SkuType {
  @Field(() => ID, { description: 'Opaque id of the SKU.' })
  id!: string;

  @Field(() => String, {
    description: "Displayed code (`<concat>-<sellerCode>`); an ERP integration reads its own raw code here.",
  })
  code!: string;

  @Field(() => String, { description: "The seller's own (ERP) code." })
  sellerCode!: string;

  @Field(() => Int, { description: 'Package weight in grams, used to quote freight.' })
  weightGrams!: number;

  @Field(() => Boolean, { description: 'False when the seller deactivated the SKU: it is not sold.' })
  active!: boolean;

  @Field(() => [ProductImageType], { description: 'Images of this variant in display order; may be empty (then show the product\'s).' })
  images!: ProductImageType[];
}

@ObjectType('KitComponent', { description: 'One SKU held by a kit (a virtual product of several SKUs of the same seller).' })
export class KitComponentType {
  @Field(() => Int, { description: 'Units of the SKU in one kit.' })
  quantity!: number;
}

@ObjectType('Product', { description: 'A product of one seller, with its SKUs (variants). The storefront sees only published products of sellers on sale; the seller and operator staff see all of the seller\'s.' })
export class ProductType {
  @Field(() => ID, { description: 'Opaque id of the product.' })
  id!: string;

  @Field(() => String, {
    description: "Displayed code (`<concat>-<sellerCode>`), unique in the store; an ERP integration reads its own raw code here.",
  })
  code!: string;

  @Field(() => String, { description: "The seller's own (ERP) code, unique per seller." })
  sellerCode!: string;

  @Field(() => String, { description: 'The product\'s name, as the storefront shows it.' })
  name!: string;

  @Field(() => String, { nullable: true, description: 'Long description, free text as the seller wrote it. Null when none.' })
  description?: string | null;

  @Field(() => ProductStatus, { description: 'Where the product stands in its lifecycle.' })
  status!: ProductStatus;

  @Field(() => String, { nullable: true, description: 'Why an operator sent it back. The seller and operator staff only.' })
  rejectionReason?: string | null;

  @Field(() => [ProductImageType], { description: 'Product images in display order; may be empty (SKUs may carry their own).' })
  images!: ProductImageType[];

  @Field(() => Boolean, { description: 'True for a kit: a virtual product made of other SKUs of the same seller (see kitComponents).' })
  isKit!: boolean;

  @Field(() => Boolean, { description: '"Marketplace out": exported to the external marketplace hub.' })
  marketplaceOut!: boolean;

  @Field(() => DateTimeResolver, { nullable: true, description: 'When the product was first published (ISO 8601, UTC). Null while never published.' })
  publishedAt?: Date | null;

  @Field(() => DateTimeResolver, { description: 'When the product was created (ISO 8601, UTC).' })
  createdAt!: Date;

  @Field(() => DateTimeResolver, { description: 'When the product last changed (ISO 8601, UTC).' })
  updatedAt!: Date;
}

export const ProductConnection = ConnectionType('Product', ProductType);
export const SkuConnection = ConnectionType('Sku', SkuType);
export const CategoryConnection = ConnectionType('Category', CategoryType);
export const BrandConnection = ConnectionType('Brand', BrandType);
export const ColorConnection = ConnectionType('Color', ColorType);
export const SizeConnection = ConnectionType('Size', SizeType);
export const TagConnection = ConnectionType('Tag', TagType);

@InputType({ description: 'Narrows a list of products; all given conditions must hold.' })
export class ProductFilter {
  @Field(() => ID, { nullable: true, description: 'Only products of this seller.' })
  sellerId?: string;

  @Field(() => ID, { nullable: true, description: 'This category and all its descendants.' })
  categoryId?: string;

  @Field(() => ID, { nullable: true, description: 'Only products of this brand.' })
  brandId?: string;

  @Field(() => [ID], { nullable: true, description: 'Products with every one of these tags.' })
  tagIds?: string[];

  @MaxChars(SEARCH_MAX_CHARS)
  @Field(() => String, { nullable: true, description: 'Part of the name or code.' })
  search?: string;

  @Field(() => [ProductStatus], { nullable: true, description: 'Ignored for the storefront, which only sees published products.' })
  status?: ProductStatus[];

  @Field(() => Boolean, { nullable: true, description: 'True: only products with an active SKU in stock; false: only products without.' })
  inStock?: boolean;

  @Field(() => Boolean, { nullable: true, description: 'Only products with (true) or without (false) the "marketplace out" export flag.' })
  marketplaceOut?: boolean;
}

@InputType({ description: 'Sort order of a product list; ties are broken by id.' })
export class ProductOrder {
  @Field(() => ProductOrderField, { description: 'What to sort by.' })
  field!: ProductOrderField;

  @Field(() => SortDirection, { nullable: true, defaultValue: SortDirection.ASC, description: 'Ascending (default) or descending.' })
  direction?: SortDirection;
}

@InputType({ description: 'An image given by its URL; the API stores the URL, not the file.' })
export class ProductImageInput {
  @Field(() => String, { description: 'Absolute http(s) URL of the image.' })
  url!: string;

  @MaxChars(300)
  @Field(() => String, { nullable: true, description: 'Alternative text for accessibility.' })
  alt?: string;
}

@InputType({ description: 'A SKU of a product, matched by `sellerCode` on update.' })
export class SkuInput {
  @Field(() => String, { description: "The seller's own code: letters, digits, '.' and '_', up to 40." })
  sellerCode!: string;

  @Field(() => ID, { nullable: true, description: 'Id of an existing colour.' })
  colorId?: string;

  @Field(() => ID, { nullable: true, description: 'Id of an existing size.' })
  sizeId?: string;

  @Field(() => SafeIntResolver, { description: 'Price in centavos, up to 2000000000 (R$ 20 million) per unit.' })
  price!: number;

  @Field(() => SafeIntResolver, { nullable: true, description: 'List ("de") price in centavos; at least the price.' })
  listPrice?: number;

  @Field(() => Int, { nullable: true, defaultValue: 0, description: 'Package weight in grams, 0 to 1000000 (default 0); used to quote freight.' })
  weightGrams?: number;

  @Field(() => Int, { nullable: true, description: 'Package height in millimetres, 0 to 100000.' })
  heightMm?: number;

  @Field(() => Int, { nullable: true, description: 'Package width in millimetres, 0 to 100000.' })
  widthMm?: number;

  @Field(() => Int, { nullable: true, description: 'Package length in millimetres, 0 to 100000.' })
  lengthMm?: number;

  @Field(() => Int, { nullable: true, description: 'Initial stock (create only; later use setStock).' })
  stock?: number;

  @Field(() => [ProductImageInput], { nullable: true, description: 'Images of this variant, in display order.' })
  images?: ProductImageInput[];

  @Field(() => Boolean, { nullable: true, description: 'False stops selling the SKU; default true.' })
  active?: boolean;
}

@InputType({ description: 'One SKU of a kit and how many units one kit holds.' })
export class KitComponentInput {
  @Field(() => String, { description: 'SKU code (displayed, or raw for an ERP integration) of the kit\'s own seller.' })
  skuCode!: string;

  @Field(() => Int, { nullable: true, defaultValue: 1, description: 'Units of the SKU per kit, 1 to 1000 (default 1).' })
  quantity?: number;
}

@InputType({ description: 'A buy-together or related link from this product to another.' })
export class ProductLinkInput {
  @Field(() => ID, { description: 'Id of the linked product; it may belong to another seller.' })
  productId!: string;

  @Field(() => ProductLinkKind, { description: 'Which kind of link.' })
  kind!: ProductLinkKind;
}

@InputType({ description: 'On update, unset fields stay as they are; given lists replace the old ones.' })
export class ProductInput {
  @Field(() => ID, { nullable: true, description: 'Operator staff: the seller to create for (default: the admin seller). Others: their own.' })
  sellerId?: string;

  @Field(() => String, { nullable: true, description: "The seller's own code (required to create)." })
  sellerCode?: string;

  @Field(() => String, { nullable: true, description: 'The product\'s name; required to create.' })
  name?: string;

  @MaxChars(PRODUCT_DESCRIPTION_MAX_CHARS)
  @Field(() => String, { nullable: true, description: 'Long description, free text.' })
  description?: string;

  @Field(() => ID, { nullable: true, description: 'Id of an existing category; null clears it.' })
  categoryId?: string;

  @Field(() => ID, { nullable: true, description: 'Id of an existing brand; null clears it.' })
  brandId?: string;

  @Field(() => [ID], { nullable: true, description: 'Ids of existing tags; replaces the old list.' })
  tagIds?: string[];

  @Field(() => [ProductImageInput], { nullable: true, description: 'Product images in display order; replaces the old list.' })
  images?: ProductImageInput[];

  @Field(() => Boolean, { nullable: true, description: 'Flags the product for export to the external marketplace hub ("marketplace out").' })
  marketplaceOut?: boolean;

  @Field(() => ProductStatus, {
    nullable: true,
    description: 'DRAFT or PUBLISHED; a guest seller asking for PUBLISHED gets PENDING_REVIEW when the store reviews products.',
  })
  status?: ProductStatus;

  @Field(() => [SkuInput], { nullable: true, description: 'Matched by sellerCode on update: new ones are added, missing ones deactivated.' })
  skus?: SkuInput[];

  @Field(() => [KitComponentInput], { nullable: true, description: 'Makes the product a kit of these SKUs (all of its own seller).' })
  kitComponents?: KitComponentInput[];

  @Field(() => [ProductLinkInput], { nullable: true, description: 'Buy-together and related links; may point at other sellers\' products.' })
  links?: ProductLinkInput[];
}

@ObjectType({ description: 'Result of a mutation on a product.' })
export class ProductPayload {
  @Field(() => ProductType, { nullable: true, description: 'The product as it is after the change. Null when refused.' })
  product?: ProductType;

  @Field(() => [UserError], { description: 'Why the input was refused, with the field at fault; empty on success. Nothing was changed when it is not empty.' })
  userErrors!: UserError[];
}

@ObjectType({ description: 'Result of a mutation on a SKU.' })
export class SkuPayload {
  @Field(() => SkuType, { nullable: true, description: 'The SKU as it is after the change. Null when refused.' })
  sku?: SkuType;

  @Field(() => [UserError], { description: 'Why the input was refused; empty on success. Nothing was changed when it is not empty.' })
  userErrors!: UserError[];
}

