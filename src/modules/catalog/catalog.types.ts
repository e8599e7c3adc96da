import { Field, ID, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import { MaxChars, PRODUCT_DESCRIPTION_MAX_CHARS, SEARCH_MAX_CHARS } from '../../shared/validation/index.js';
import { DateTimeResolver, SafeIntResolver } from 'graphql-scalars';
import { UserError } from '../../shared/errors/index.js';
import { ConnectionType, SortDirection } from '../../shared/pagination/index.js';
import { ProductLinkKind, ProductStatus } from './catalog.entity.js';

registerEnumType(ProductStatus, { name: 'ProductStatus', description: '"Out of stock" is not a status: it is derived from SKU stock (inStock).' });
registerEnumType(ProductLinkKind, { name: 'ProductLinkKind' });

export enum ProductOrderField {
  CREATED_AT = 'CREATED_AT',
  NAME = 'NAME',
  PRICE = 'PRICE',
  CODE = 'CODE',
}
registerEnumType(ProductOrderField, { name: 'ProductOrderField' });

@ObjectType('ProductImage')
export class ProductImageType {
  @Field(() => String)
  url!: string;

  @Field(() => String, { nullable: true })
  alt?: string | null;
}

@ObjectType('Category')
export class CategoryType {
  @Field(() => ID)
  id!: string;

  @Field(() => String)
  name!: string;

  @Field(() => String)
  slug!: string;

  @Field(() => Int)
  position!: number;
}

@ObjectType('Brand')
export class BrandType {
  @Field(() => ID)
  id!: string;

  @Field(() => String)
  name!: string;
}

@ObjectType('Color')
export class ColorType {
  @Field(() => ID)
  id!: string;

  @Field(() => String)
  name!: string;

  @Field(() => String, { nullable: true })
  hex?: string | null;
}

@ObjectType('Size')
export class SizeType {
  @Field(() => ID)
  id!: string;

  @Field(() => String)
  name!: string;

  @Field(() => Int)
  position!: number;
}

@ObjectType('Tag')
export class TagType {
  @Field(() => ID)
  id!: string;

  @Field(() => String)
  name!: string;
}

@ObjectType('Dimensions', { description: 'Package dimensions in millimetres.' })
export class DimensionsType {
  @Field(() => Int, { nullable: true })
  heightMm?: number | null;

  @Field(() => Int, { nullable: true })
  widthMm?: number | null;

  @Field(() => Int, { nullable: true })
  lengthMm?: number | null;
}

@ObjectType('Sku', { description: 'A sellable variant (colour/size) with its own price, weight and stock.' })
export class SkuType {
  @Field(() => ID)
  id!: string;

  @Field(() => String, {
    description: "Displayed code (`<concat>-<sellerCode>`); an ERP integration reads its own raw code here.",
  })
  code!: string;

  @Field(() => String, { description: "The seller's own (ERP) code." })
  sellerCode!: string;

  @Field(() => Int)
  weightGrams!: number;

  @Field(() => Boolean)
  active!: boolean;

  @Field(() => [ProductImageType])
  images!: ProductImageType[];
}

@ObjectType('KitComponent')
export class KitComponentType {
  @Field(() => Int)
  quantity!: number;
}

@ObjectType('Product')
export class ProductType {
  @Field(() => ID)
  id!: string;

  @Field(() => String, {
    description: "Displayed code (`<concat>-<sellerCode>`), unique in the store; an ERP integration reads its own raw code here.",
  })
  code!: string;

  @Field(() => String, { description: "The seller's own (ERP) code, unique per seller." })
  sellerCode!: string;

  @Field(() => String)
  name!: string;

  @Field(() => String, { nullable: true })
  description?: string | null;

  @Field(() => ProductStatus)
  status!: ProductStatus;

  @Field(() => String, { nullable: true, description: 'Why an operator sent it back. The seller and operator staff only.' })
  rejectionReason?: string | null;

  @Field(() => [ProductImageType])
  images!: ProductImageType[];

  @Field(() => Boolean)
  isKit!: boolean;

  @Field(() => Boolean, { description: '"Marketplace out": exported to the external marketplace hub.' })
  marketplaceOut!: boolean;

  @Field(() => DateTimeResolver, { nullable: true })
  publishedAt?: Date | null;

  @Field(() => DateTimeResolver)
  createdAt!: Date;

  @Field(() => DateTimeResolver)
  updatedAt!: Date;
}

export const ProductConnection = ConnectionType('Product', ProductType);
export const SkuConnection = ConnectionType('Sku', SkuType);
export const CategoryConnection = ConnectionType('Category', CategoryType);
export const BrandConnection = ConnectionType('Brand', BrandType);
export const ColorConnection = ConnectionType('Color', ColorType);
export const SizeConnection = ConnectionType('Size', SizeType);
export const TagConnection = ConnectionType('Tag', TagType);

@InputType()
export class ProductFilter {
  @Field(() => ID, { nullable: true })
  sellerId?: string;

  @Field(() => ID, { nullable: true, description: 'This category and all its descendants.' })
  categoryId?: string;

  @Field(() => ID, { nullable: true })
  brandId?: string;

  @Field(() => [ID], { nullable: true, description: 'Products with every one of these tags.' })
  tagIds?: string[];

  @MaxChars(SEARCH_MAX_CHARS)
  @Field(() => String, { nullable: true, description: 'Part of the name or code.' })
  search?: string;

  @Field(() => [ProductStatus], { nullable: true, description: 'Ignored for the storefront, which only sees published products.' })
  status?: ProductStatus[];

  @Field(() => Boolean, { nullable: true })
  inStock?: boolean;

  @Field(() => Boolean, { nullable: true })
  marketplaceOut?: boolean;
}

@InputType()
export class ProductOrder {
  @Field(() => ProductOrderField)
  field!: ProductOrderField;

  @Field(() => SortDirection, { nullable: true, defaultValue: SortDirection.ASC })
  direction?: SortDirection;
}

@InputType()
export class ProductImageInput {
  @Field(() => String)
  url!: string;

  @MaxChars(300)
  @Field(() => String, { nullable: true })
  alt?: string;
}

@InputType()
export class SkuInput {
  @Field(() => String, { description: "The seller's own code: letters, digits, '.' and '_', up to 40." })
  sellerCode!: string;

  @Field(() => ID, { nullable: true })
  colorId?: string;

  @Field(() => ID, { nullable: true })
  sizeId?: string;

  @Field(() => SafeIntResolver, { description: 'Price in centavos, up to 2000000000 (R$ 20 million) per unit.' })
  price!: number;

  @Field(() => SafeIntResolver, { nullable: true, description: 'List ("de") price in centavos; at least the price.' })
  listPrice?: number;

  @Field(() => Int, { nullable: true, defaultValue: 0 })
  weightGrams?: number;

  @Field(() => Int, { nullable: true })
  heightMm?: number;

  @Field(() => Int, { nullable: true })
  widthMm?: number;

  @Field(() => Int, { nullable: true })
  lengthMm?: number;

  @Field(() => Int, { nullable: true, description: 'Initial stock (create only; later use setStock).' })
  stock?: number;

  @Field(() => [ProductImageInput], { nullable: true })
  images?: ProductImageInput[];

  @Field(() => Boolean, { nullable: true })
  active?: boolean;
}

@InputType()
export class KitComponentInput {
  @Field(() => String, { description: 'SKU code (displayed, or raw for an ERP integration) of the kit\'s own seller.' })
  skuCode!: string;

  @Field(() => Int, { nullable: true, defaultValue: 1 })
  quantity?: number;
}

@InputType()
export class ProductLinkInput {
  @Field(() => ID)
  productId!: string;

  @Field(() => ProductLinkKind)
  kind!: ProductLinkKind;
}

@InputType({ description: 'On update, unset fields stay as they are; given lists replace the old ones.' })
export class ProductInput {
  @Field(() => ID, { nullable: true, description: 'Operator staff: the seller to create for (default: the admin seller). Others: their own.' })
  sellerId?: string;

  @Field(() => String, { nullable: true, description: "The seller's own code (required to create)." })
  sellerCode?: string;

  @Field(() => String, { nullable: true })
  name?: string;

  @MaxChars(PRODUCT_DESCRIPTION_MAX_CHARS)
  @Field(() => String, { nullable: true })
  description?: string;

  @Field(() => ID, { nullable: true })
  categoryId?: string;

  @Field(() => ID, { nullable: true })
  brandId?: string;

  @Field(() => [ID], { nullable: true })
  tagIds?: string[];

  @Field(() => [ProductImageInput], { nullable: true })
  images?: ProductImageInput[];

  @Field(() => Boolean, { nullable: true })
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

@ObjectType()
export class ProductPayload {
  @Field(() => ProductType, { nullable: true })
  product?: ProductType;

  @Field(() => [UserError])
  userErrors!: UserError[];
}

@ObjectType()
export class SkuPayload {
  @Field(() => SkuType, { nullable: true })
  sku?: SkuType;

  @Field(() => [UserError])
  userErrors!: UserError[];
}

