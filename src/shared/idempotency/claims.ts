import { createHash, randomUUID } from 'node:crypto';
import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import { AppError, ErrorCode, conflict } from '../errors/index.js';
import { sideConnection } from '../db/side-pool.js';

/**
 * Idempotency keys with a lease: the one mechanism every money-moving operation that calls a
 * provider uses (checkout, payment releases for cancellations and refunds; returns' refunds and
 * payouts next). A key is claimed once; the holder has it for a lease and proves it on every
 * write with its fencing token (`holder`); past the lease, whoever comes next — a replay of the
 * key or the recovery pass (recovery.ts) — takes the key over, cleans up what the stopped
 * attempt left and either completes it or releases it.
 *
 * How an operation uses it:
 *
 * ```ts
 * const claimed = await claimKey<Answer>(orm, { scope: 'payout', key, fingerprint: digest(request), leaseMs, payload: request });
 * if ('done' in claimed) return claimed.done;                 // a repeat: the first answer
 * const { lease } = claimed;
 * if (lease.takenOver) await undoWhatTheStoppedAttemptLeft(lease); // e.g. voidAbandonedCalls (payments)
 * try {
 *   await lease.renew();                                        // before each slow step (a provider call)
 *   const ref = await callProvider({ key: `${key}:${lease.attempt}` … });   // journaled (payments: providerCall)
 *   return await em.transactional(async (tx) => {
 *     await lease.hold(tx);                                     // first: fences out a taker
 *     … the operation's rows …
 *     await lease.complete(tx, answer);                         // commits with the rows, or not at all
 *     return answer;
 *   });
 * } catch (err) {
 *   await compensate(); await lease.release();                  // nothing lasting happened: free the key
 *   throw err;
 * }
 * ```
 *
 * Guarantees: two requests with one key never both run (the insert is unique, a take-over is
 * one conditional UPDATE); a holder that was taken over can commit nothing (`hold`/`complete`
 * match its token, or throw LeaseLostError and roll its transaction back); an attempt that
 * stopped — the process killed, the clean-up's connection cut — is taken over after its
 * lease, never answered "still in progress" forever. The lease must outlast the slowest
 * step between two renewals: a few times the longest provider time-out (see each scope).
 */

/** Raised when a holder's lease was taken over (it was too slow): it must stop; its work is someone else's now. */
export class LeaseLostError extends AppError {
  constructor(field: string[]) {
    super(
      ErrorCode.CONFLICT,
      'This request took too long and another request with the same idempotency key took it over; send the same key again for its answer.',
      field,
    );
  }
}

export interface ClaimRequest {
  /** The operation (`checkout`, `payment-release`, `return-refund`, `payout`): keys are unique per scope. */
  scope: string;
  /** The caller's idempotency key, at most 200 characters. */
  key: string;
  /** What the key stands for (any string; digested): the same key for another request is a CONFLICT. */
  fingerprint: string;
  /** How long a holder is presumed alive without renewing. */
  leaseMs: number;
  /** What a recovery needs to finish or undo the operation without its caller (JSON-serialisable). */
  payload?: unknown;
  /** What the operation is about, for operators. */
  subject?: string | null;
  /** Input path of the key, for errors; default ["input", "idempotencyKey"]. */
  field?: string[];
  /** Messages in the operation's words. */
  messages?: { otherRequest?: string; inProgress?: string };
}

/** A repeat of a completed operation (`done`), or the key held by this caller (`lease`). */
export type ClaimOutcome<R> = { done: R } | { lease: Lease };

interface ClaimRow {
  id: string;
  fingerprint: string;
  status: 'IN_PROGRESS' | 'COMPLETED';
  holder: string;
  attempt: number;
  payload: unknown;
  result: unknown;
  /** Seconds left on the lease (negative: expired), computed by the database's clock. */
  lease_left: number | string | null;
}

const digest = (text: string) => createHash('sha256').update(text).digest('hex');
const json = (value: unknown) => (value === undefined ? null : JSON.stringify(value));

/**
 * Claims `key` for `scope`: a repeat of a completed operation gets its answer; a fresh key, or
 * one whose holder's lease ran out, is handed to this caller as a Lease (`takenOver` when an
 * earlier attempt stopped mid-way). A live holder's key is a CONFLICT ("still being processed",
 * with how long to wait); the same key for another request is a CONFLICT too.
 */
export async function claimKey<R>(orm: MikroORM, req: ClaimRequest): Promise<ClaimOutcome<R>> {
  const field = req.field ?? ['input', 'idempotencyKey'];
  const fingerprint = digest(req.fingerprint);
  const conn = sideConnection(orm);
  for (let round = 0; round < 5; round++) {
    const holder = randomUUID();
    const inserted = await conn.execute<{ id: string }[]>(
      `insert into idempotency_claim (id, created_at, updated_at, scope, key, fingerprint, status, holder, attempt, lease_until, payload, subject)
       values (?, now(), now(), ?, ?, ?, 'IN_PROGRESS', ?, 1, now() + (? * interval '1 millisecond'), ?::jsonb, ?)
       on conflict (scope, key) do nothing returning id`,
      [randomUUID(), req.scope, req.key, fingerprint, holder, req.leaseMs, json(req.payload), req.subject ?? null],
    );
    if (inserted[0]) return { lease: new Lease(orm, { id: inserted[0].id, scope: req.scope, key: req.key, holder, attempt: 1, leaseMs: req.leaseMs, payload: req.payload ?? null, field }) };

    const [row] = await conn.execute<ClaimRow[]>(
      `select id, fingerprint, status, holder, attempt, payload, result, extract(epoch from (lease_until - now())) as lease_left
       from idempotency_claim where scope = ? and key = ?`,
      [req.scope, req.key],
    );
    if (!row) continue; // released meanwhile: claim it afresh
    if (row.fingerprint !== fingerprint) {
      throw conflict(req.messages?.otherRequest ?? 'This idempotency key was already used for another request; send a new key for a new request.', ...field);
    }
    if (row.status === 'COMPLETED') return { done: row.result as R };
    const left = Number(row.lease_left ?? 0);
    if (left > 0) {
      const wait = Math.max(1, Math.ceil(left));
      throw conflict(`${req.messages?.inProgress ?? 'A request with this idempotency key is still being processed.'} Ask again in ${wait} s with the same key.`, ...field);
    }
    const taken = await takeOver(orm, { id: row.id, holder: row.holder, scope: req.scope, key: req.key, leaseMs: req.leaseMs, field });
    if (taken) return { lease: taken };
    // Another replay or the recovery pass took it first (or it completed): look again.
  }
  throw conflict(req.messages?.inProgress ?? 'A request with this idempotency key is still being processed; ask again in a moment.', ...field);
}

/**
 * Takes over an IN_PROGRESS claim whose lease ran out, if `holder` still holds it: one
 * conditional UPDATE, so of two takers exactly one wins. Null when it was not up for taking.
 */
export async function takeOver(
  orm: MikroORM,
  claim: { id: string; holder: string; scope: string; key: string; leaseMs: number; field?: string[] },
): Promise<Lease | null> {
  const holder = randomUUID();
  const [row] = await sideConnection(orm).execute<{ attempt: number; payload: unknown }[]>(
    `update idempotency_claim set holder = ?, attempt = attempt + 1, lease_until = now() + (? * interval '1 millisecond'), updated_at = now()
     where id = ? and holder = ? and status = 'IN_PROGRESS' and lease_until <= now()
     returning attempt, payload`,
    [holder, claim.leaseMs, claim.id, claim.holder],
  );
  if (!row) return null;
  return new Lease(orm, { ...claim, holder, attempt: row.attempt, payload: row.payload, field: claim.field ?? ['input', 'idempotencyKey'] });
}

/**
 * A key held by this caller. Every method is fenced by the holder token: after a take-over
 * they change nothing and throw LeaseLostError (release is the exception: it quietly does
 * nothing, the key being someone else's).
 */
export class Lease {
  readonly id: string;
  readonly scope: string;
  readonly key: string;
  /** The fencing token. */
  readonly holder: string;
  /** 1 for the first holder; more when earlier attempts stopped mid-way. */
  readonly attempt: number;
  readonly leaseMs: number;
  /** The payload stored with the claim. */
  readonly payload: unknown;
  private readonly field: string[];

  constructor(
    private readonly orm: MikroORM,
    init: { id: string; scope: string; key: string; holder: string; attempt: number; leaseMs: number; payload: unknown; field: string[] },
  ) {
    this.id = init.id;
    this.scope = init.scope;
    this.key = init.key;
    this.holder = init.holder;
    this.attempt = init.attempt;
    this.leaseMs = init.leaseMs;
    this.payload = init.payload;
    this.field = init.field;
  }

  /** An earlier attempt held the key and stopped mid-way: what it left must be dealt with first. */
  get takenOver(): boolean {
    return this.attempt > 1;
  }

  /** Renewals, releases and expiries commit at once, apart from the caller's transaction (shared/db/side-pool). */
  private conn() {
    return sideConnection(this.orm);
  }

  /** Extends the lease from now; call it before each slow step. */
  async renew(): Promise<void> {
    const res = await this.conn().execute<{ affectedRows: number }>(
      `update idempotency_claim set lease_until = now() + (? * interval '1 millisecond'), updated_at = now() where id = ? and holder = ? and status = 'IN_PROGRESS'`,
      [this.leaseMs, this.id, this.holder],
      'run',
    );
    if (!res.affectedRows) throw new LeaseLostError(this.field);
  }

  /**
   * Locks the claim row in the caller's transaction (`em` must be in one) while proving the key
   * is still this caller's: call it first in the transaction that completes the operation, so
   * no take-over can happen between here and the commit.
   */
  async hold(em: EntityManager): Promise<void> {
    if (!em.isInTransaction()) throw new Error('Lease.hold runs in the transaction that completes the operation');
    const rows = await em.execute<{ id: string }[]>(`select id from idempotency_claim where id = ? and holder = ? and status = 'IN_PROGRESS' for update`, [this.id, this.holder]);
    if (!rows.length) throw new LeaseLostError(this.field);
  }

  /** Marks the operation done with `result` (what repeats get), in the caller's transaction. */
  async complete(em: EntityManager, result: unknown): Promise<void> {
    if (!em.isInTransaction()) throw new Error('Lease.complete runs in the transaction that completes the operation');
    const res = await em.execute<{ affectedRows: number }>(
      `update idempotency_claim set status = 'COMPLETED', result = ?::jsonb, lease_until = null, completed_at = now(), updated_at = now()
       where id = ? and holder = ? and status = 'IN_PROGRESS'`,
      [json(result), this.id, this.holder],
      'run',
    );
    if (!res.affectedRows) throw new LeaseLostError(this.field);
  }

  /**
   * Frees the key (nothing lasting was done): the next request with it runs afresh. Never
   * throws: deleting is safe to repeat, so a connection error gets one more try, and a key that
   * still could not be freed is taken over once its lease runs out (false tells the caller).
   */
  async release(): Promise<boolean> {
    for (let tries = 0; tries < 2; tries++) {
      try {
        await this.conn().execute(`delete from idempotency_claim where id = ? and holder = ? and status = 'IN_PROGRESS'`, [this.id, this.holder], 'run');
        return true;
      } catch {
        // Tried again once; past that the lease does the rest.
      }
    }
    return false;
  }

  /** Gives the lease up now without freeing the key: the next replay or recovery pass takes over at once. */
  async expire(): Promise<void> {
    await this.conn().execute(`update idempotency_claim set lease_until = now(), updated_at = now() where id = ? and holder = ? and status = 'IN_PROGRESS'`, [this.id, this.holder], 'run');
  }
}
