import { Arg, Ctx, Mutation, Query, Resolver } from 'type-graphql';
import type { Context } from '../../app/context.js';
import { runMutation } from '../../shared/errors/index.js';
import { applyFraudOutcome } from '../orders/settlement.service.js';
import type { FraudAnalysis } from './fraud.entity.js';
import { decideAnalysis, findAnalysis } from './fraud.service.js';
import { DecideFraudAnalysisInput, DecideFraudAnalysisPayload, FraudAnalysisType } from './fraud.types.js';

/** The entity as GraphQL shows it: the stored request is summarised, never returned whole. */
function view(a: FraudAnalysis): FraudAnalysisType {
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
  async fraudAnalysis(@Arg('cartNumber', () => String) cartNumber: string, @Ctx() ctx: Context) {
    const analysis = await findAnalysis(ctx.em, cartNumber);
    return analysis ? view(analysis) : null;
  }

  @Mutation(() => DecideFraudAnalysisPayload, {
    description: 'Settles a REVIEW: APPROVED captures the payment and approves every order of the cart; REJECTED cancels them all (stock back, payment voided or refunded).',
  })
  decideFraudAnalysis(@Arg('input', () => DecideFraudAnalysisInput) input: DecideFraudAnalysisInput, @Ctx() ctx: Context) {
    return runMutation(ctx.em, async (em) => {
      const analysis = await decideAnalysis(ctx, em, input);
      await applyFraudOutcome(ctx.runtime, em, analysis.cartId, analysis.status);
      return { fraudAnalysis: view(analysis) };
    });
  }
}
