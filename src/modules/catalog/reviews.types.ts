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
  @Field(() => ID)
  id!: string;

  @Field(() => Int, { description: '1 to 5 stars.' })
  rating!: number;

  @Field(() => String, { nullable: true })
  title?: string | null;

  @Field(() => String)
  body!: string;

  @Field(() => DateTimeResolver)
  createdAt!: Date;
}

@ObjectType('ProductQuestion', { description: "A shopper's question about a product and its public answer." })
export class ProductQuestionType {
  @Field(() => ID)
  id!: string;

  @Field(() => String)
  question!: string;

  @Field(() => DateTimeResolver)
  createdAt!: Date;

  @Field(() => String, { nullable: true, description: 'Null until the seller or the store answers.' })
  answer?: string | null;

  @Field(() => DateTimeResolver, { nullable: true, description: 'When the current answer was written (an edit moves it).' })
  answeredAt?: Date | null;
}

@ObjectType('ProductRating')
export class ProductRatingType {
  @Field(() => Float, { nullable: true, description: 'Mean rating rounded to one decimal; null while there is no review.' })
  average!: number | null;

  @Field(() => Int, { description: 'Number of reviews.' })
  count!: number;
}

export const ProductReviewConnection = ConnectionType('ProductReview', ProductReviewType);
export const ProductQuestionConnection = ConnectionType('ProductQuestion', ProductQuestionType);

@InputType()
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

@InputType()
export class AskProductQuestionInput {
  @Field(() => ID, { description: 'A product on sale in the storefront.' })
  productId!: string;

  @Field(() => String, { description: 'Up to 2000 characters.' })
  question!: string;
}

@InputType()
export class AnswerProductQuestionInput {
  @Field(() => ID)
  questionId!: string;

  @Field(() => String, { description: 'Up to 5000 characters. Replaces an earlier answer of the same side.' })
  answer!: string;
}

@ObjectType()
export class ProductReviewPayload {
  @Field(() => ProductReviewType, { nullable: true })
  review?: ProductReviewType;

  @Field(() => [UserError])
  userErrors!: UserError[];
}

@ObjectType()
export class ProductQuestionPayload {
  @Field(() => ProductQuestionType, { nullable: true })
  question?: ProductQuestionType;

  @Field(() => [UserError])
  userErrors!: UserError[];
}

@ObjectType()
export class DeleteProductReviewPayload {
  @Field(() => ID, { nullable: true })
  deletedReviewId?: string;

  @Field(() => [UserError])
  userErrors!: UserError[];
}
