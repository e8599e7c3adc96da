import { accessRules } from '../../shared/access/index.js';
import { PROMOTIONS_ACCESS } from './promotions.access.js';

const allowed = accessRules('promotions', PROMOTIONS_ACCESS);

export const promotionRules = {
  Query: {
    promotions: allowed.readPromotions,
    promotion: allowed.readPromotions,
  },
  Mutation: {
    createPromotion: allowed.writePromotions,
    updatePromotion: allowed.writePromotions,
    setPromotionActive: allowed.writePromotions,
  },
  Promotion: { '*': allowed.readPromotions },
};
