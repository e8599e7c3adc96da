// What this module adds to the app, and what the cart and the checkout may call.
import { Promotion, PromotionRedemption } from './promotions.entity.js';
import { PromotionResolver } from './promotions.resolver.js';
import { promotionRules } from './promotions.rules.js';

export { promotionRules };
export const promotionResolvers = [PromotionResolver] as const;
export const promotionEntities = [Promotion, PromotionRedemption] as const;

export { evaluatePromotions, checkVoucher, redeemPromotions, type FundedBy, type PaymentChoice, type CartDiscount, type PromotionEvaluation } from './promotions.evaluate.js';

// Used by other modules.
export { FundedByKind, PromotionKind, PromotionPaymentMethod } from './promotions.entity.js';
export { createPromotion } from './promotions.service.js';
