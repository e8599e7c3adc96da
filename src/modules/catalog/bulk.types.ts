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

  @Field(() => [ID], { nullable: true })
  addTagIds?: string[] | null;

  @Field(() => [ID], { nullable: true })
  removeTagIds?: string[] | null;

  @Field(() => [ProductImageInput], { nullable: true, description: 'Appended; URLs a product already has are skipped.' })
  addImages?: ProductImageInput[] | null;

  @Field(() => [ProductImageInput], { nullable: true, description: "Replaces the products' images (not with addImages)." })
  replaceImages?: ProductImageInput[] | null;
}

@ObjectType('BulkUpdateError', { description: 'A product the bulk update skipped; the others were updated.' })
export class BulkUpdateErrorType {
  @Field(() => ID)
  productId!: string;

  @Field(() => ErrorCode)
  code!: ErrorCode;

  @Field(() => String)
  message!: string;
}

@ObjectType()
export class BulkUpdateProductsPayload {
  @Field(() => Int, { nullable: true, description: 'Products whose status, tags or images actually changed.' })
  updatedCount?: number;

  @Field(() => [BulkUpdateErrorType], { nullable: true, description: 'Ids not found (or whose catalog is managed by an integration).' })
  errors?: BulkUpdateErrorType[];

  @Field(() => [UserError])
  userErrors!: UserError[];
}
