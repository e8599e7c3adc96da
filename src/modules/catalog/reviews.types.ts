import { Field, Float, ID, InputType, Int, ObjectType } from 'type-graphql';
import { DateTimeResolver } from 'graphql-scalars';
import { UserError } from '../../shared/errors/index.js';
import { ConnectionType } from '../../shared/pagination/index.js';

/*
 * Explicit GraphQL types rather than the entities: a review and a question point at the
 * author's user row, and only a public name derived from it may ever reach the storefront.
 */

@ObjectType('ProductReview', { description: 'A customer review. Reviews belong to the product: every viewer sees the same ones.' })
export class ProductReviewType {
  @Field(() => ID, { description: 'Opaque id of the review.' })
  id!: string;

  @Field(() => Int, { description: '1 to 5 stars.' })
  rating!: number;

  @Field(() => String, { nullable: true, description: 'The review\'s headline. Null when none.' })
  title?: string | null;

  @Field(() => String, { description: 'The review\'s text.' })
  body!: string;

  @Field(() => DateTimeResolver, { description: 'When the review was written (ISO 8601, UTC).' })
  createdAt!: Date;
}

@ObjectType('ProductQuestion', { description: "A shopper's question about a product and its public answer." })
export class ProductQuestionType {
  @Field(() => ID, { description: 'Opaque id of the question.' })
  id!: string;

  @Field(() => String, { description: 'The question as the shopper wrote it.' })
  question!: string;

  @Field(() => DateTimeResolver, { description: 'When the question was asked (ISO 8601, UTC).' })
  createdAt!: Date;

  @Field(() => String, { nullable: true, description: 'Null until the seller or the store answers.' })
  answer?: string | null;

  @Field(() => DateTimeResolver, { nullable: true, description: 'When the current answer was written (an edit moves it).' })
  answeredAt?: Date | null;
}

@ObjectType('ProductRating', { description: 'Average and number of a product\'s reviews.' })
export class ProductRatingType {
  @Field(() => Float, { nullable: true, description: 'Mean rating rounded to one decimal; null while there is no review.' })
  average!: number | null;

  @Field(() => Int, { description: 'Number of reviews.' })
  count!: number;
}

export const ProductReviewConnection = ConnectionType('ProductReview', ProductReviewType);
export const ProductQuestionConnection = ConnectionType('ProductQuestion', ProductQuestionType);

@InputType({ description: 'A customer\'s review of a product.' })
export class AddProductReviewInput {
  @Field(() => ID, { description: 'A product on sale in the storefront.' })
  productId!: string;

  @Field(() => Int, { description: '1 to 5 stars.' })
  rating!: number;

  @Field(() => String, { nullable: true, description: 'Up to 200 characters.' })
  title?: string | null;

  @Field(() => String, { description: 'Up to 5000 characters.' })
  body!: string;
}

@InputType({ description: 'A customer\'s question about a product, shown publicly with its answer.' })
export class AskProductQuestionInput {
  @Field(() => ID, { description: 'A product on sale in the storefront.' })
  productId!: string;

  @Field(() => String, { description: 'Up to 2000 characters.' })
  question!: string;
}

@InputType({ description: 'The public answer to a shopper\'s question, by the product\'s seller or by the store.' })
export class AnswerProductQuestionInput {
  @Field(() => ID, { description: 'Id of the question to answer.' })
  questionId!: string;

  @Field(() => String, { description: 'Up to 5000 characters. Replaces an earlier answer of the same side.' })
  answer!: string;
}

@ObjectType({ description: 'Result of addProductReview.' })
export class ProductReviewPayload {
  @Field(() => ProductReviewType, { nullable: true, description: 'The new review. Null when refused.' })
  review?: ProductReviewType;

  @Field(() => [UserError], { description: 'Why the input was refused (a second review of the same product is CONFLICT); empty on success.' })
  userErrors!: UserError[];
}

@ObjectType({ description: 'Result of asking or answering a question.' })
export class ProductQuestionPayload {
  @Field(() => ProductQuestionType, { nullable: true, description: 'The question as it is after the change. Null when refused.' })
  question?: ProductQuestionType;

  @Field(() => [UserError], { description: 'Why the input was refused; empty on success. Nothing was changed when it is not empty.' })
  userErrors!: UserError[];
}

@ObjectType({ description: 'Result of deleteProductReview.' })
export class DeleteProductReviewPayload {
  @Field(() => ID, { nullable: true, description: 'Id of the deleted review; null when the deletion was refused.' })
  deletedReviewId?: string;

  @Field(() => [UserError], { description: 'Why the deletion was refused; empty on success.' })
  userErrors!: UserError[];
}
