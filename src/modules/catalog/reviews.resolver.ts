import { Arg, Args, Ctx, FieldResolver, ID, Mutation, Resolver, Root } from 'type-graphql';
import type { Context } from '../../shared/runtime/index.js';
import { runMutation } from '../../shared/errors/index.js';
import { ConnectionArgs } from '../../shared/pagination/index.js';
import type { Product } from './catalog.entity.js';
import { ProductType } from './catalog.types.js';
import type { ProductQuestion, ProductReview } from './reviews.entity.js';
import * as reviews from './reviews.service.js';
import { AddProductReviewInput, AnswerProductQuestionInput, AskProductQuestionInput, DeleteProductReviewPayload, ProductQuestionConnection, ProductQuestionPayload, ProductQuestionType, ProductRatingType, ProductReviewConnection, ProductReviewPayload, ProductReviewType } from './reviews.types.js';

@Resolver(() => ProductType)
export class ProductReviewsResolver {
  @FieldResolver(() => ProductReviewConnection, {
    description: 'Customer reviews, newest first. They belong to the product: every viewer sees the same ones, whichever seller sells it.',
  })
  reviews(@Root() p: Product, @Args(() => ConnectionArgs) args: ConnectionArgs, @Ctx() ctx: Context) {
    return reviews.productReviews(ctx, p, args);
  }

  @FieldResolver(() => ProductRatingType, { description: 'Summary of the product\'s customer reviews.' })
  rating(@Root() p: Product, @Ctx() ctx: Context) {
    return reviews.productRating(ctx, p);
  }

  @FieldResolver(() => ProductQuestionConnection, { description: "Shoppers' questions and their answers, newest first." })
  questions(@Root() p: Product, @Args(() => ConnectionArgs) args: ConnectionArgs, @Ctx() ctx: Context) {
    return reviews.productQuestions(ctx, p, args);
  }
}

@Resolver(() => ProductReviewType)
export class ProductReviewResolver {
  @FieldResolver(() => String, { description: 'The author\'s first name and last initial ("Maria S."); never the account.' })
  authorName(@Root() r: ProductReview, @Ctx() ctx: Context) {
    return reviews.authorName(ctx, r.author.id);
  }

  @FieldResolver(() => Boolean, { description: 'Whether the signed-in customer wrote it (and so may delete it).' })
  mine(@Root() r: ProductReview, @Ctx() ctx: Context) {
    return reviews.isOwnReview(ctx.viewer, r);
  }

  @Mutation(() => ProductReviewPayload, { description: 'Customers: one review per product on sale.' })
  addProductReview(@Arg('input', () => AddProductReviewInput, { description: 'The product, rating and text.' }) input: AddProductReviewInput, @Ctx() ctx: Context) {
    return runMutation(ctx.em, async (em) => ({ review: await reviews.addReview(ctx, em, input) }));
  }

  @Mutation(() => DeleteProductReviewPayload, { description: 'Store staff (moderation) or the review\'s author. The author may then review again.' })
  deleteProductReview(@Arg('id', () => ID, { description: 'Id of the review to delete.' }) id: string, @Ctx() ctx: Context) {
    return runMutation(ctx.em, async (em) => ({ deletedReviewId: await reviews.deleteReview(ctx, em, id) }));
  }
}

@Resolver(() => ProductQuestionType)
export class ProductQuestionResolver {
  @FieldResolver(() => String, { description: 'The asker\'s first name and last initial; never the account.' })
  authorName(@Root() q: ProductQuestion, @Ctx() ctx: Context) {
    return reviews.authorName(ctx, q.author.id);
  }

  @FieldResolver(() => String, { nullable: true, description: 'Which side answered: "Seller <name>" or "Store", never the person.' })
  answeredBy(@Root() q: ProductQuestion, @Ctx() ctx: Context) {
    return reviews.answeredByLabel(ctx, q);
  }

  @Mutation(() => ProductQuestionPayload, { description: 'Customers: a question about a product on sale.' })
  askProductQuestion(@Arg('input', () => AskProductQuestionInput, { description: 'The product and the question.' }) input: AskProductQuestionInput, @Ctx() ctx: Context) {
    return runMutation(ctx.em, async (em) => ({ question: await reviews.askQuestion(ctx, em, input) }));
  }

  @Mutation(() => ProductQuestionPayload, {
    description:
      "The product's own seller (OWNER, CATALOG, SERVICE) or store staff (OWNER, ADMIN, SUPPORT). Each side may edit its answer; the store may replace the seller's.",
  })
  answerProductQuestion(@Arg('input', () => AnswerProductQuestionInput, { description: 'The question and the answer.' }) input: AnswerProductQuestionInput, @Ctx() ctx: Context) {
    return runMutation(ctx.em, async (em) => ({ question: await reviews.answerQuestion(ctx, em, input) }));
  }
}
