import type { Runtime } from '../../shared/runtime/index.js';
import { FraudAnalysis, FraudStatus, analyzeCart } from '../fraud/index.js';
import { applyFraudOutcome } from '../orders/index.js';

/**
 * Analyses left PENDING after their cart's orders were committed: the process stopped between
 * the checkout's commit and the verdict, or applying the verdict failed (a capture the provider
 * could not take) and was rolled back with it. Each is analysed again and its verdict applied,
 * exactly as the checkout does; analyzeCart writes only over a still-PENDING row, so a
 * concurrent checkout request or operator decision is never overwritten.
 *
 * `olderThanMs` leaves alone the analyses of checkouts still answering right now.
 */
export async function resumePendingAnalyses(runtime: Runtime, opts: { olderThanMs: number; limit?: number; now?: Date }): Promise<number> {
  const now = opts.now ?? new Date();
  const pending = await runtime.orm.em.fork().find(
    FraudAnalysis,
    { status: FraudStatus.PENDING, createdAt: { $lte: new Date(now.getTime() - opts.olderThanMs) } },
    { orderBy: { createdAt: 'asc' }, limit: opts.limit ?? 20, fields: ['id', 'cartId', 'cartNumber'] },
  );
  let settled = 0;
  for (const analysis of pending) {
    try {
      const verdict = await analyzeCart(runtime, analysis.id, (tx, row) => applyFraudOutcome(runtime, tx, row.cartId, row.status));
      if (verdict) settled += 1;
    } catch (err) {
      runtime.logger.error({ err, cartNumber: analysis.cartNumber }, 'resuming a pending fraud analysis failed; it stays pending');
    }
  }
  return settled;
}
