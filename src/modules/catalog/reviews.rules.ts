import { anyone } from '../../shared/access/index.js';
import { allowed } from './catalog.rules.js';

/** Reviews and Q&A are public for any product the viewer can see; writing is narrow. */
export const reviewRules = {
  Mutation: {
    addProductReview: allowed.writeReviews,
    askProductQuestion: allowed.writeReviews,
    // Who may try to answer; the service then confines a seller's users to its own products.
    answerProductQuestion: allowed.answerQuestions,
    deleteProductReview: allowed.deleteReviews,
  },
  Product: { reviews: anyone, rating: anyone, questions: anyone },
  ProductReview: { '*': anyone },
  ProductQuestion: { '*': anyone },
  ProductRating: { '*': anyone },
};
