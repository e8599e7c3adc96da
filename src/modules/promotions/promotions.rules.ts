import { UserRole, operator } from '../../shared/access/index.js';

/**
 * Promotions are the operator's store-wide rules: owners and admins write them, every
 * operator role (support, agents building assisted sales) reads them. Sellers, customers,
 * integrations and anonymous callers see nothing: an unpublished coupon list is a giveaway.
 * Shoppers learn about promotions only through their cart's evaluation.
 */
const writer = operator(UserRole.OWNER, UserRole.ADMIN);
const reader = operator();

export const promotionRules = {
  Query: {
    promotions: reader,
    promotion: reader,
  },
  Mutation: {
    createPromotion: writer,
    updatePromotion: writer,
    setPromotionActive: writer,
  },
  Promotion: { '*': reader },
};
