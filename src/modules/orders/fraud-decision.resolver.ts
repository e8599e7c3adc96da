import { Arg, Ctx, Mutation, Resolver } from 'type-graphql';
import type { Context } from '../../shared/runtime/index.js';
import { runMutation } from '../../shared/errors/index.js';
import { DecideFraudAnalysisInput, DecideFraudAnalysisPayload, decideAnalysis, toFraudAnalysisType } from '../fraud/index.js';
import { applyFraudOutcome } from './settlement.service.js';

/**
 * Operator staff settle a cart's fraud review. It lives with the orders because the verdict
 * is applied to them in the same transaction (capture and approve, or cancel every order).
 */
@Resolver()
export class FraudDecisionResolver {
  @Mutation(() => DecideFraudAnalysisPayload, {
    description: 'Settles a REVIEW: APPROVED captures the payment and approves every order of the cart; REJECTED cancels them all (stock back, payment voided or refunded).',
  })
  decideFraudAnalysis(@Arg('input', () => DecideFraudAnalysisInput, { description: 'The cart\'s fraud analysis and the verdict.' }) input: DecideFraudAnalysisInput, @Ctx() ctx: Context) {
    return runMutation(ctx.em, async (em) => {
      const analysis = await decideAnalysis(ctx, em, input);
      // The staff member is the actor of the orders' changes (the table grants the fraud reviewers).
      await applyFraudOutcome(ctx.runtime, em, analysis.cartId, analysis.status, { viewer: ctx.viewer });
      return { fraudAnalysis: toFraudAnalysisType(analysis) };
    });
  }
}
