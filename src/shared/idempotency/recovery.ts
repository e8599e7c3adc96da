import type { MikroORM } from '@mikro-orm/postgresql';
import type { Logger } from 'pino';
import { noteFailure, noteSuccess, type AttentionPolicy } from '../attention/index.js';
import { takeOver, type Lease } from './claims.js';

/**
 * What a scope does with a key whose holder stopped mid-way and nobody replays (a shopper who
 * closed the tab after the crash): undo what the attempt left (void its authorizations) and
 * release the key, or finish it. The recovery pass calls it with the key taken over.
 */
export interface ClaimRecovery {
  scope: string;
  /** The lease the pass takes the key with; as the scope's own. */
  leaseMs: number;
  /**
   * Deals with the abandoned attempt and ends with `lease.release()` or `lease.complete(…)`;
   * throws to be tried again later (with back-off, then listed for operators).
   */
  recover(lease: Lease): Promise<'RELEASED' | 'COMPLETED'>;
}

/**
 * Thrown by a recovery that cannot be finished without a person (or the original caller's
 * replay): the key goes on the operators' list at once instead of being retried blindly.
 */
export class NeedsAttentionError extends Error {
  override readonly name = 'NeedsAttentionError';
}

/** The attention list's source for a scope's claims. */
export const claimAttentionSource = (scope: string) => `claim:${scope}`;

export interface RecoveryPassResult {
  recovered: number;
  failed: number;
}

/**
 * One pass over abandoned claims (IN_PROGRESS past their lease) of the given scopes, oldest
 * first, `limit` per scope. Each is taken over with the same conditional UPDATE a replay
 * uses, so a replay and the pass (or two instances' passes) never both recover one key.
 * Keys that keep failing back off and are listed for operators (shared/attention).
 */
export async function recoverAbandonedClaims(
  orm: MikroORM,
  recoveries: readonly ClaimRecovery[],
  opts: { logger: Logger; limit?: number; attention?: Omit<AttentionPolicy, 'source'> },
): Promise<RecoveryPassResult> {
  const result: RecoveryPassResult = { recovered: 0, failed: 0 };
  // Keys settled since they were listed (a replay completed or released them) leave the list.
  await orm.em
    .fork()
    .getConnection()
    .execute(
      `delete from attention_item a where a.source like 'claim:%'
         and not exists (select 1 from idempotency_claim c where c.id::text = a.subject_id and c.status = 'IN_PROGRESS')`,
      [],
      'run',
    );
  for (const recovery of recoveries) {
    const source = claimAttentionSource(recovery.scope);
    const due = await orm.em.fork().getConnection().execute<{ id: string; holder: string; key: string; subject: string | null }[]>(
      `select c.id, c.holder, c.key, c.subject from idempotency_claim c
       where c.scope = ? and c.status = 'IN_PROGRESS' and c.lease_until <= now()
         and not exists (select 1 from attention_item a where a.source = ? and a.subject_id = c.id::text and a.next_attempt_at > now())
       order by c.lease_until limit ?`,
      [recovery.scope, source, opts.limit ?? 20],
    );
    for (const claim of due) {
      const lease = await takeOver(orm, { ...claim, scope: recovery.scope, leaseMs: recovery.leaseMs });
      if (!lease) continue; // a replay (or another instance) got there first
      const label = `${recovery.scope} key ${claim.key}${claim.subject ? ` (${claim.subject})` : ''}`;
      try {
        const outcome = await recovery.recover(lease);
        await noteSuccess(orm, source, claim.id);
        opts.logger.info({ scope: recovery.scope, key: claim.key, attempt: lease.attempt, outcome }, 'abandoned idempotency key recovered');
        result.recovered += 1;
      } catch (err) {
        result.failed += 1;
        // Let the next pass (after the back-off) or a replay take it again at once.
        await lease.expire().catch(() => undefined);
        const policy = { source, ...opts.attention, ...(err instanceof NeedsAttentionError ? { maxFailures: 1 } : {}) };
        const note = await noteFailure(orm, policy, { id: claim.id, label }, err).catch(() => null);
        if (note?.justReachedAttention) opts.logger.error({ err, scope: recovery.scope, key: claim.key, failures: note.failures }, 'abandoned idempotency key could not be recovered; listed for operators (attentionItems)');
        else if (!note?.needsAttention) opts.logger.warn({ err, scope: recovery.scope, key: claim.key, failures: note?.failures }, 'abandoned idempotency key could not be recovered yet; will retry');
      }
    }
  }
  return result;
}
