import type { Runtime } from '../../shared/runtime/index.js';
import { noteFailure, noteSuccess, notBackingOffSql, type AttentionPolicy } from '../../shared/attention/index.js';
import { FraudStatus, analyzeCart } from '../fraud/index.js';
import { applyFraudOutcome } from '../orders/index.js';

/** The attention list's source for analyses this pass keeps failing on. */
export const FRAUD_RESUME_SOURCE = 'fraud-resume';

/**
 * Analyses left PENDING after their cart's orders were committed: the process stopped between
 * the checkout's commit and the verdict, or applying the verdict failed (a capture the provider
 * could not take) and was rolled back with it. Each is analysed again and its verdict applied,
 * exactly as the checkout does; analyzeCart writes only over a still-PENDING row, so a
 * concurrent checkout request or operator decision is never overwritten.
 *
 * Several instances may run it: each analysis is taken under a transaction-level advisory
 * lock (`pg_try_advisory_xact_lock`, held by a transaction of its own for as long as the
 * analysis runs, released even if the process dies), so no two instances analyse one cart at
 * once — the other skips it. An analysis that fails pass after pass (a capture the provider
 * no longer knows) backs off and, after a bound, is listed for operators (`attentionItems`)
 * instead of being logged on every pass.
 *
 * `olderThanMs` leaves alone the analyses of checkouts still answering right now.
 */
export async function resumePendingAnalyses(
  runtime: Runtime,
  opts: { olderThanMs: number; limit?: number; now?: Date; attention?: Omit<AttentionPolicy, 'source'> },
): Promise<number> {
  const now = opts.now ?? new Date();
  const skip = notBackingOffSql(FRAUD_RESUME_SOURCE, 'f.id::text');
  const pending = await runtime.orm.em.fork().getConnection().execute<{ id: string; cart_number: string }[]>(
    `select f.id, f.cart_number from fraud_analysis f
     where f.status = ? and f.created_at <= ? and ${skip.sql}
     order by f.created_at limit ?`,
    [FraudStatus.PENDING, new Date(now.getTime() - opts.olderThanMs), ...skip.params, opts.limit ?? 20],
  );
  let settled = 0;
  for (const analysis of pending) {
    try {
      const outcome = await runtime.orm.em.fork().transactional(async (lock) => {
        const [row] = await lock.execute<{ got: boolean }[]>(`select pg_try_advisory_xact_lock(hashtext('fraud-resume'), hashtext(?)) as got`, [analysis.id]);
        if (!row?.got) return 'BUSY' as const;
        const verdict = await analyzeCart(runtime, analysis.id, async (tx, found, locked) => {
          await applyFraudOutcome(runtime, tx, found.cartId, found.status, undefined, { ...locked, analysis: found });
        });
        return verdict ? ('SETTLED' as const) : ('UNCHANGED' as const);
      });
      if (outcome === 'BUSY') continue;
      if (outcome === 'SETTLED') settled += 1;
      await noteSuccess(runtime.orm, FRAUD_RESUME_SOURCE, analysis.id);
    } catch (err) {
      const note = await noteFailure(runtime.orm, { source: FRAUD_RESUME_SOURCE, ...opts.attention }, { id: analysis.id, label: `cart ${analysis.cart_number}` }, err).catch(() => null);
      if (note?.justReachedAttention) runtime.logger.error({ err, cartNumber: analysis.cart_number, failures: note.failures }, 'a pending fraud analysis keeps failing; listed for operators (attentionItems)');
      else if (!note?.needsAttention) runtime.logger.warn({ err, cartNumber: analysis.cart_number, failures: note?.failures }, 'resuming a pending fraud analysis failed; it stays pending and is retried later');
    }
  }
  return settled;
}
