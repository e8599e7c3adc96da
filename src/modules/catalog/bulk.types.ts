import { Field, ID, InputType, Int, ObjectType } from 'type-graphql';
import { ErrorCode, UserError } from '../../shared/errors/index.js';
import { ProductStatus } from './catalog.entity.js';
import { ProductImageInput } from './catalog.types.js';

@InputType({ description: 'One change applied to many products of any sellers, in one transaction.' })
export class BulkUpdateProductsInput {
  @Field(() => [ID], { description: 'At most 1,000.' })
  productIds!: string[];

  @Field(() => ProductStatus, {
    nullable: true,
    description: 'DRAFT, PUBLISHED or ARCHIVED. PUBLISHED by operator staff is an approval: it publishes guest products waiting for review at once.',
  })
  setStatus?: ProductStatus | null;

  @Field(() => [ID], { nullable: true, description: 'Tags added to every product (ones it already has are skipped).' })
  addTagIds?: string[] | null;

  @Field(() => [ID], { nullable: true, description: 'Tags removed from every product.' })
  removeTagIds?: string[] | null;

  @Field(() => [ProductImageInput], { nullable: true, description: 'Appended; URLs a product already has are skipped.' })
  addImages?: ProductImageInput[] | null;

  @Field(() => [ProductImageInput], { nullable: true, description: "Replaces the products' images (not with addImages)." })
  replaceImages?: ProductImageInput[] | null;
}

@ObjectType('BulkUpdateError', { description: 'A product the bulk update skipped; the others were updated.' })
export class BulkUpdateErrorType {
  @Field(() => ID, { description: 'Id of the product that was skipped.' })
  productId!: string;

  @Field(() => ErrorCode, { description: 'Why this product was skipped: NOT_FOUND, CATALOG_MANAGED_BY_INTEGRATION or BAD_USER_INPUT.' })
  code!: ErrorCode;

  @Field(() => String, { description: 'Human-readable reason, naming the product.' })
  message!: string;
}

@ObjectType({ description: 'Result of bulkUpdateProducts: how many changed and which were skipped.' })
export class BulkUpdateProductsPayload {
  @Field(() => Int, { nullable: true, description: 'Products whose status, tags or images actually changed.' })
  updatedCount?: number;

  @Field(() => [BulkUpdateErrorType], { nullable: true, description: 'Ids not found (or whose catalog is managed by an integration).' })
  errors?: BulkUpdateErrorType[];

  @Field(() => [UserError], { description: 'Why the whole request was refused (e.g. too many ids, addImages with replaceImages); nothing changed when it is not empty.' })
  userErrors!: UserError[];
}
