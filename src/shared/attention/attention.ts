import type { MikroORM } from '@mikro-orm/postgresql';

/**
 * Back-off and an operator's list for background passes that fail on the same item pass after
 * pass (issue 18, item 5). A pass asks which of its items are backing off (`backingOff`), tries
 * the others, and reports each outcome: `noteFailure` counts it and schedules the next try
 * (base × 2^(n−1), capped), and once it failed `maxFailures` times the item is marked for
 * operator attention — listed by the `attentionItems` query — and is then tried only at the
 * capped interval, logged once rather than on every pass. `noteSuccess` forgets it.
 *
 * Several instances share it (the row is the state), so a back-off holds for every instance.
 */

export interface AttentionPolicy {
  /** The pass's name, e.g. `fraud-resume`. */
  source: string;
  /** Failures before the item waits for an operator; default 5. */
  maxFailures?: number;
  /** First back-off; default 1 min. */
  baseDelayMs?: number;
  /** Longest back-off (and the retry interval once in attention); default 1 h. */
  maxDelayMs?: number;
}

export const ATTENTION_DEFAULTS = { maxFailures: 5, baseDelayMs: 60_000, maxDelayMs: 3_600_000 } as const;

export interface FailureNote {
  failures: number;
  /** True from the failure that reached the bound on. */
  needsAttention: boolean;
  /** True only for the failure that reached it: log it loudly once. */
  justReachedAttention: boolean;
}

/** The back-off after `failures` failures. */
export function attentionDelayMs(policy: AttentionPolicy, failures: number): number {
  const base = policy.baseDelayMs ?? ATTENTION_DEFAULTS.baseDelayMs;
  const max = policy.maxDelayMs ?? ATTENTION_DEFAULTS.maxDelayMs;
  return Math.min(base * 2 ** Math.max(0, failures - 1), max);
}

const message = (err: unknown) => (err instanceof Error ? `${err.name}: ${err.message}` : String(err)).slice(0, 2000);

/** Counts a failure of `item` and schedules its next try. */
export async function noteFailure(orm: MikroORM, policy: AttentionPolicy, item: { id: string; label: string }, err: unknown): Promise<FailureNote> {
  const max = policy.maxFailures ?? ATTENTION_DEFAULTS.maxFailures;
  const base = policy.baseDelayMs ?? ATTENTION_DEFAULTS.baseDelayMs;
  const cap = policy.maxDelayMs ?? ATTENTION_DEFAULTS.maxDelayMs;
  // One statement, so concurrent failures of one item (two instances) count twice, never once.
  const [row] = await orm.em.fork().getConnection().execute<{ failures: number; attention: boolean }[]>(
    `insert into attention_item (id, created_at, updated_at, source, subject_id, label, failures, last_error, first_failed_at, last_failed_at, next_attempt_at, attention_since)
     values (gen_random_uuid(), now(), now(), ?, ?, ?, 1, ?, now(), now(), now() + (least(?::float8, ?::float8) * interval '1 millisecond'), case when 1 >= ? then now() end)
     on conflict (source, subject_id) do update set
       failures = attention_item.failures + 1, label = excluded.label, last_error = excluded.last_error, last_failed_at = now(), updated_at = now(),
       next_attempt_at = now() + (least(?::float8 * power(2, attention_item.failures), ?::float8) * interval '1 millisecond'),
       attention_since = coalesce(attention_item.attention_since, case when attention_item.failures + 1 >= ? then now() end)
     returning failures, attention_since is not null as attention`,
    [policy.source, item.id, item.label.slice(0, 200), message(err), base, cap, max, base, cap, max],
  );
  const failures = row!.failures;
  return { failures, needsAttention: row!.attention, justReachedAttention: row!.attention && failures === max };
}

/** The item succeeded: its failures are forgotten (and it leaves the operator's list). */
export async function noteSuccess(orm: MikroORM, source: string, id: string): Promise<void> {
  await orm.em.fork().getConnection().execute(`delete from attention_item where source = ? and subject_id = ?`, [source, id], 'run');
}

/** Of `ids`, those still backing off (their next try is later). */
export async function backingOff(orm: MikroORM, source: string, ids: readonly string[]): Promise<Set<string>> {
  if (!ids.length) return new Set();
  const rows = await orm.em
    .fork()
    .getConnection()
    .execute<{ subject_id: string }[]>(`select subject_id from attention_item where source = ? and subject_id = any(?) and next_attempt_at > now()`, [source, [...ids]]);
  return new Set(rows.map((r) => r.subject_id));
}

/** SQL condition (over a column holding the item's id as text) that leaves out items backing off. */
export function notBackingOffSql(source: string, idColumn: string): { sql: string; params: unknown[] } {
  return {
    sql: `not exists (select 1 from attention_item a where a.source = ? and a.subject_id = ${idColumn} and a.next_attempt_at > now())`,
    params: [source],
  };
}
