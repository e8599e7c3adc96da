import { Arg, Ctx, Query, Resolver } from 'type-graphql';
import type { Context } from '../../shared/runtime/index.js';
import type { FraudAnalysis } from './fraud.entity.js';
import { findAnalysis } from './fraud.service.js';
import { FraudAnalysisType } from './fraud.types.js';

/** The entity as GraphQL shows it: the stored request is summarised, never returned whole. */
export function toFraudAnalysisType(a: FraudAnalysis): FraudAnalysisType {
  return {
    cartNumber: a.cartNumber,
    status: a.status,
    analyzerOutcome: a.analyzerOutcome ?? null,
    score: a.score ?? null,
    reasons: a.reasons,
    provider: a.provider ?? null,
    providerRef: a.providerRef ?? null,
    analyzedAt: a.analyzedAt ?? null,
    decidedAt: a.decidedAt ?? null,
    decisionNote: a.decisionNote ?? null,
    distinctSellers: a.request.distinctSellers,
    items: a.request.items.map((i) => ({
      skuCode: i.skuCode,
      name: i.name,
      quantity: i.quantity,
      unitPrice: i.unitPrice,
      sellerName: i.seller.name,
      sellerConcatenationCode: i.seller.concatenationCode,
      marketplace: i.marketplace,
    })),
  };
}

@Resolver(() => FraudAnalysisType)
export class FraudAnalysisResolver {
  @Query(() => FraudAnalysisType, { nullable: true, description: 'The fraud analysis of a cart, by its cart number.' })
  async fraudAnalysis(@Arg('cartNumber', () => String, { description: 'The cart number (the middle of its order codes).' }) cartNumber: string, @Ctx() ctx: Context) {
    const analysis = await findAnalysis(ctx.em, cartNumber);
    return analysis ? toFraudAnalysisType(analysis) : null;
  }
}
