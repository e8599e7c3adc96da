import { Field, ID, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import { CSV_MAX_CHARS, MaxChars } from '../../shared/validation/index.js';
import { SafeIntResolver } from 'graphql-scalars';
import { ErrorCode, UserError } from '../../shared/errors/index.js';
import { ProductStatus } from './catalog.entity.js';
import { ProductImageInput, ProductType } from './catalog.types.js';

export enum UpsertOutcome {
  CREATED = 'CREATED',
  UPDATED = 'UPDATED',
  UNCHANGED = 'UNCHANGED',
}
registerEnumType(UpsertOutcome, {
  name: 'UpsertOutcome',
  description: 'What an upsert did to one product.',
  valuesConfig: {
    CREATED: { description: 'The seller had no product with that code: it was created.' },
    UNCHANGED: { description: 'The product already was as sent: nothing was written.' },
    UPDATED: { description: 'The product existed and at least one field, SKU or stock changed.' },
  },
});

export enum ImportFormat {
  CSV = 'CSV',
  JSON = 'JSON',
}
registerEnumType(ImportFormat, {
  name: 'ImportFormat',
  description: 'Format of the `data` text of importProducts.',
  valuesConfig: {
    CSV: { description: 'CSV text with a header row (comma or semicolon separated, UTF-8).' },
    JSON: { description: 'A JSON array of row objects, keyed by the same column names as the CSV.' },
  },
});

@InputType({ description: "A SKU by the seller's own (raw) code; attributes by name." })
export class UpsertSkuInput {
  @Field(() => String, { description: "The seller's own SKU code (raw, never prefixed): letters, digits, '.' and '_', up to 40." })
  sellerCode!: string;

  @Field(() => String, { nullable: true, description: 'Name of an existing colour; null or "" clears it.' })
  colorName?: string | null;

  @Field(() => String, { nullable: true, description: 'Name of an existing size; null or "" clears it.' })
  sizeName?: string | null;

  @Field(() => SafeIntResolver, { description: 'Price in centavos, up to 2000000000 (R$ 20 million) per unit.' })
  price!: number;

  @Field(() => SafeIntResolver, { nullable: true, description: 'List ("de") price in centavos; at least the price.' })
  listPrice?: number | null;

  @Field(() => Int, { nullable: true, description: 'Package weight in grams, 0 to 1000000; used to quote freight. Left out: unchanged (0 for a new SKU).' })
  weightGrams?: number | null;

  @Field(() => Int, { nullable: true, description: 'Package height in millimetres, 0 to 100000.' })
  heightMm?: number | null;

  @Field(() => Int, { nullable: true, description: 'Package width in millimetres, 0 to 100000.' })
  widthMm?: number | null;

  @Field(() => Int, { nullable: true, description: 'Package length in millimetres, 0 to 100000.' })
  lengthMm?: number | null;

  @Field(() => Int, {
    nullable: true,
    description: 'Absolute stock: when given, the SKU has exactly this many units afterwards (new or existing SKU). Left out: unchanged (0 for a new SKU).',
  })
  stock?: number | null;

  @Field(() => [ProductImageInput], { nullable: true, description: 'Images of this variant, in display order; replaces the old list.' })
  images?: ProductImageInput[] | null;

  @Field(() => Boolean, { nullable: true, description: 'Default true.' })
  active?: boolean | null;
}

@InputType({ description: 'One SKU of a kit, by the seller\'s raw SKU code.' })
export class UpsertKitComponentInput {
  @Field(() => String, { description: "Raw SKU code of the kit's own seller." })
  skuCode!: string;

  @Field(() => Int, { nullable: true, defaultValue: 1, description: 'Units of the SKU per kit, 1 to 1000 (default 1).' })
  quantity?: number | null;
}

@InputType({
  description:
    "One product by the seller's own (raw) code: created when the seller has no product with that code, updated otherwise. Fields left out keep their values; given lists replace the old ones.",
})
export class UpsertProductInput {
  @Field(() => String, { description: "The seller's own product code (raw, never prefixed)." })
  sellerCode!: string;

  @Field(() => String, { nullable: true, description: 'Required to create.' })
  name?: string | null;

  @Field(() => String, { nullable: true, description: 'Long description, free text.' })
  description?: string | null;

  @Field(() => String, { nullable: true, description: 'Slug of an existing category; null or "" clears it.' })
  categorySlug?: string | null;

  @Field(() => String, { nullable: true, description: 'Name of an existing brand; null or "" clears it.' })
  brandName?: string | null;

  @Field(() => [String], { nullable: true, description: 'Names of existing tags; replaces the product\'s tags.' })
  tagNames?: string[] | null;

  @Field(() => [ProductImageInput], { nullable: true, description: 'Product images in display order; replaces the old list.' })
  images?: ProductImageInput[] | null;

  @Field(() => Boolean, { nullable: true, description: 'Flags the product for export to the external marketplace hub ("marketplace out").' })
  marketplaceOut?: boolean | null;

  @Field(() => ProductStatus, {
    nullable: true,
    description: 'DRAFT or PUBLISHED; a guest seller asking for PUBLISHED gets PENDING_REVIEW when the store reviews products.',
  })
  status?: ProductStatus | null;

  @Field(() => [UpsertSkuInput], { nullable: true, description: 'The full list of SKUs: new codes are added, missing ones deactivated.' })
  skus?: UpsertSkuInput[] | null;

  @Field(() => [UpsertKitComponentInput], { nullable: true, description: 'Makes the product a kit of these SKUs (raw codes, all of its own seller).' })
  kitComponents?: UpsertKitComponentInput[] | null;
}

@InputType({ description: 'A batch of products for an ERP integration, by raw codes; saved all together or not at all.' })
export class UpsertProductsInput {
  @Field(() => ID, { nullable: true, description: 'Operator staff: the seller to write for (default: the admin seller). Integrations: their own.' })
  sellerId?: string | null;

  @Field(() => [UpsertProductInput], { description: 'At most 500; the whole batch is saved in one transaction, or nothing is.' })
  products!: UpsertProductInput[];
}

@ObjectType('UpsertProductResult', { description: 'What upsertProducts did with one product.' })
export class UpsertProductResultType {
  @Field(() => String, { description: 'The raw code sent.' })
  sellerCode!: string;

  @Field(() => UpsertOutcome, { description: 'Whether the product was created, updated or left unchanged.' })
  outcome!: UpsertOutcome;

  @Field(() => ProductType, { description: 'The product as it is after the batch.' })
  product!: ProductType;
}

@ObjectType({ description: 'Result of upsertProducts. When `userErrors` is not empty nothing was saved and the counts are null.' })
export class UpsertProductsPayload {
  @Field(() => Int, { nullable: true, description: 'Products created by the batch.' })
  created?: number;

  @Field(() => Int, { nullable: true, description: 'Existing products the batch changed.' })
  updated?: number;

  @Field(() => Int, { nullable: true, description: 'Products already as sent.' })
  unchanged?: number;

  @Field(() => [UpsertProductResultType], { nullable: true, description: 'One per product sent, in order.' })
  results?: UpsertProductResultType[];

  @Field(() => [UserError], { description: 'Every problem of the batch, with the path of the product and field at fault; nothing was saved when it is not empty.' })
  userErrors!: UserError[];
}

@InputType({ description: 'A file of products and SKUs, one row per SKU, written for one seller.' })
export class ImportProductsInput {
  @Field(() => ID, { nullable: true, description: 'Operator staff: any seller (default: the admin seller). Seller users and integrations: their own.' })
  sellerId?: string | null;

  @Field(() => ImportFormat, { description: 'Whether `data` is CSV or JSON.' })
  format!: ImportFormat;

  @MaxChars(CSV_MAX_CHARS)
  @Field(() => String, {
    description:
      'CSV text with a header row on line 1 (comma or semicolon separated, UTF-8, quoted fields may hold line breaks), or a JSON array of row objects with the same keys. ' +
      'One row per SKU; rows sharing product_code form one product; codes are the seller\'s raw codes. At most 10,000 rows. ' +
      'Columns: product_code, sku_code, price (required); name, description, category_slug, brand, tags (names, "|"-separated), status (DRAFT or PUBLISHED) for the product, ' +
      'on any of its rows; color, size, list_price, weight_grams, height_mm, width_mm, length_mm, stock, image_urls ("|"-separated) for the SKU. ' +
      'Prices are whole centavos (1990 = R$ 19,90; "19.90" is refused). A column left out keeps the stored value; an empty cell clears it, ' +
      'except stock and status (empty = unchanged). stock is absolute. SKUs of a product missing from the file are deactivated. Attributes must exist.',
  })
  data!: string;
}

@ObjectType('ImportRowError', { description: 'A problem in one row; the product of that row was not saved.' })
export class ImportRowErrorType {
  @Field(() => Int, { description: 'CSV: the physical line the row starts on (the header is line 1). JSON: the array index + 1.' })
  line!: number;

  @Field(() => String, { nullable: true, description: 'The column at fault, when there is one.' })
  column?: string | null;

  @Field(() => ErrorCode, { description: 'What went wrong, as a stable code (mostly BAD_USER_INPUT or NOT_FOUND for an attribute that does not exist).' })
  code!: ErrorCode;

  @Field(() => String, { description: 'Human-readable explanation, naming the value at fault.' })
  message!: string;

  @Field(() => String, { nullable: true, description: 'The product_code of the row, when it has a usable one.' })
  productCode?: string | null;
}

@ObjectType({ description: 'Result of importProducts: counts per outcome and every row problem. Products are saved one by one: a failing product does not stop the others.' })
export class ImportProductsPayload {
  @Field(() => Int, { nullable: true, description: 'Products created.' })
  created?: number;

  @Field(() => Int, { nullable: true, description: 'Existing products the file changed.' })
  updated?: number;

  @Field(() => Int, { nullable: true, description: 'Existing products already as the file describes them.' })
  unchanged?: number;

  @Field(() => Int, { nullable: true, description: 'Products not saved because at least one of their rows failed (a row without a usable product_code counts as one).' })
  failed?: number;

  @Field(() => [String], { nullable: true, description: 'The product codes not saved.' })
  failedProductCodes?: string[];

  @Field(() => [ImportRowErrorType], { nullable: true, description: 'Every problem found, by line.' })
  errors?: ImportRowErrorType[];

  @Field(() => [UserError], { description: 'Problems with the whole file (format, header, size); nothing was saved.' })
  userErrors!: UserError[];
}
