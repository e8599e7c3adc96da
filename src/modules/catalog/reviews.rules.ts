import { or } from 'graphql-shield';
import { anyone, customer, operator, sellerUser } from '../../shared/access/index.js';
import { SELLER_ANSWER_ROLES, STORE_STAFF_ROLES } from './reviews.service.js';

const storeStaff = operator(...STORE_STAFF_ROLES);

/**
 * Who may try to answer; the service then confines a seller's users to its own products.
 * ERP integrations do not answer: their tokens carry catalog, stock and orders, and an
 * answer is public text the storefront attributes to the seller, written by a person.
 */
const questionAnswerer = or(storeStaff, sellerUser([...SELLER_ANSWER_ROLES], { write: true }));

/** Reviews and Q&A are public for any product the viewer can see; writing is narrow. */
export const reviewRules = {
  Mutation: {
    addProductReview: customer,
    askProductQuestion: customer,
    answerProductQuestion: questionAnswerer,
    deleteProductReview: or(storeStaff, customer),
  },
  Product: { reviews: anyone, rating: anyone, questions: anyone },
  ProductReview: { '*': anyone },
  ProductQuestion: { '*': anyone },
  ProductRating: { '*': anyone },
};
