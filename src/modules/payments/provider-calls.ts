import { AsyncLocalStorage } from 'node:async_hooks';
import type { Runtime } from '../../shared/runtime/index.js';
import type { Money } from '../../shared/money/index.js';
import { isConnectionError } from '../../shared/db/resilience.js';
import { sideConnection } from '../../shared/db/side-pool.js';
import { ProviderCallKind, ProviderCallStatus } from './provider-call.entity.js';
import { ProviderRejectedError, type CallMemory, type CardPaymentProvider, type ProviderName } from './payments.provider.js';

/**
 * The provider-call journal (issue 18 item 2, issue 13 item 8): every authorization, Pix
 * charge and refund is written to `provider_call` — provider, our reference, amount, the
 * idempotency claim and attempt it belongs to — BEFORE the request goes out, and completed
 * with the provider's answer right after. So whatever happens next (the process killed, the
 * database connection cut, the answer lost to a time-out), PostgreSQL knows what the provider
 * may have done, on every instance:
 *
 * - a repeat of the provider key gets the first answer from the journal, without a call;
 * - a repeat after an unknown outcome tells the adapter to look before posting again
 *   (`CallMemory.uncertain`, with the notes the adapter saved before sending);
 * - the recovery of an abandoned claim finds the authorizations its attempt made and voids
 *   them, once (`voidAbandonedCalls`).
 *
 * Returns refunds and payouts journal their provider calls the same way: `journaledCall` with
 * a kind of their own, inside `withClaim(lease, …)` of their idempotency claim.
 */

export interface CallSpec {
  provider: ProviderName;
  kind: ProviderCallKind;
  /** The idempotency key sent to the provider: one journal row per (provider, kind, key). */
  providerKey: string;
  reference: string;
  amount: Money;
  /** The payment the call is about, when known before it (refunds). */
  providerRef?: string | null;
}

/** What the journal records of an answer. */
export interface CallOutcome {
  status: ProviderCallStatus.DONE | ProviderCallStatus.REFUSED;
  providerRef: string | null;
}

interface JournalRow {
  id: string;
  status: ProviderCallStatus;
  result: unknown;
  notes: Record<string, unknown> | null;
  sends: number;
}

/** The claim whose provider calls are being made (a shared/idempotency Lease fits): set by `withClaim`. */
export interface ActiveClaim {
  id: string;
  attempt: number;
  /** Extends the claim's lease; called before each provider call. Leave it out when the claim row is held by the transaction around the calls (Lease.hold): nobody can take it over then, and a renewal would wait on that lock. */
  renew?(): Promise<void>;
}
const activeClaim = new AsyncLocalStorage<ActiveClaim>();

/** Runs `work` with its provider calls journaled under `claim`, renewing its lease before each. */
export function withClaim<T>(claim: ActiveClaim | null, work: () => Promise<T>): Promise<T> {
  return claim ? activeClaim.run(claim, work) : work();
}

const json = (value: unknown) => JSON.stringify(value ?? null);
const errorText = (err: unknown) => (err instanceof Error ? `${err.name}: ${err.message}` : String(err)).slice(0, 2000);

/** An update that must not be lost to a dropped connection: repeating it is harmless. */
async function write(runtime: Runtime, sql: string, params: unknown[]): Promise<void> {
  try {
    await sideConnection(runtime.orm).execute(sql, params, 'run');
  } catch (err) {
    if (!isConnectionError(err)) throw err;
    await sideConnection(runtime.orm).execute(sql, params, 'run');
  }
}

/**
 * Makes one money-moving provider call through the journal: answered from it when the key was
 * answered before, otherwise recorded as STARTED, sent (`send` gets the CallMemory for its
 * adapter), and recorded with `outcome(result)`. A refusal (ProviderRejectedError) is recorded
 * as REFUSED; a time-out or network failure leaves the row STARTED, so the next attempt looks
 * first. `revive` turns the stored JSON back into the result (dates).
 */
export async function journaledCall<T>(
  runtime: Runtime,
  spec: CallSpec,
  send: (memory: CallMemory) => Promise<T>,
  read: { outcome: (result: T) => CallOutcome; revive?: (stored: unknown) => T },
): Promise<T> {
  // The journal commits apart from the caller's transaction, through the side pool (shared/db/side-pool).
  const conn = sideConnection(runtime.orm);
  const claim = activeClaim.getStore() ?? null;
  await conn.execute(
    `insert into provider_call (id, created_at, updated_at, provider, kind, provider_key, reference, amount_cents, currency, claim_id, attempt, provider_ref, status, sends)
     values (gen_random_uuid(), now(), now(), ?, ?, ?, ?, ?, ?, ?, ?, ?, 'STARTED', 0)
     on conflict (provider, kind, provider_key) do nothing`,
    [spec.provider, spec.kind, spec.providerKey, spec.reference.slice(0, 100), spec.amount.amount, spec.amount.currency, claim?.id ?? null, claim?.attempt ?? null, spec.providerRef ?? null],
    'run',
  );
  const [row] = await conn.execute<JournalRow[]>(`select id, status, result, notes, sends from provider_call where provider = ? and kind = ? and provider_key = ?`, [
    spec.provider,
    spec.kind,
    spec.providerKey,
  ]);
  const known = row!;
  if (known.status === ProviderCallStatus.VOIDED || known.status === ProviderCallStatus.LAPSED) {
    // Keys are per attempt: one whose authorization was given back is never sent again.
    throw new Error(`provider key ${spec.providerKey} belongs to an attempt whose ${spec.kind} was given back`);
  }
  const answered = known.status === ProviderCallStatus.DONE || known.status === ProviderCallStatus.REFUSED;
  if (answered && known.result !== null) return read.revive ? read.revive(known.result) : (known.result as T);

  const memory: CallMemory = {
    uncertain: known.status === ProviderCallStatus.STARTED && known.sends > 0,
    notes: known.notes,
    note: (notes) => write(runtime, `update provider_call set notes = ?::jsonb, updated_at = now() where id = ?`, [json(notes), known.id]),
  };
  // The lease must outlast this call (a slow provider): renewed before it goes out.
  await claim?.renew?.();
  await write(runtime, `update provider_call set status = 'STARTED', sends = sends + 1, updated_at = now() where id = ?`, [known.id]);
  let result: T;
  try {
    result = await send(memory);
  } catch (err) {
    const refused = err instanceof ProviderRejectedError;
    await write(runtime, `update provider_call set status = ?, last_error = ?, updated_at = now() where id = ?`, [
      refused ? ProviderCallStatus.REFUSED : ProviderCallStatus.STARTED,
      errorText(err),
      known.id,
    ]).catch(() => undefined);
    throw err;
  }
  const outcome = read.outcome(result);
  // A recovery that took this call's claim over may have voided it meanwhile (this request was
  // slower than its lease): VOIDED stays. ABSENT (looked up before the provider had it) is
  // corrected by the answer.
  await write(runtime, `update provider_call set status = ?, provider_ref = coalesce(?, provider_ref), result = ?::jsonb, last_error = null, updated_at = now() where id = ? and status in ('STARTED', 'ABSENT')`, [
    outcome.status,
    outcome.providerRef,
    json(result),
    known.id,
  ]);
  return result;
}

/** Marks an authorization given back (by the attempt itself, or by the recovery). */
export async function markAuthorizationVoided(runtime: Runtime, provider: string, providerRef: string): Promise<void> {
  await write(runtime, `update provider_call set status = 'VOIDED', updated_at = now() where provider = ? and provider_ref = ? and kind = 'AUTHORIZE_CARD' and status = 'DONE'`, [
    provider,
    providerRef,
  ]);
}

/**
 * Voids an authorization; one the provider already shows as cancelled (an earlier void whose
 * answer was lost) counts as voided.
 */
export async function voidAuthorization(provider: CardPaymentProvider, providerRef: string, amount: Money): Promise<void> {
  try {
    await provider.voidCard({ providerRef, amount });
  } catch (err) {
    if (err instanceof ProviderRejectedError && err.code === 'NOT_VOIDABLE') {
      const snapshot = await provider.getPayment(providerRef);
      if (snapshot.state === 'CANCELLED') return;
    }
    throw err;
  }
}

export interface AbandonedCalls {
  voided: number;
  absent: number;
  lapsed: number;
}

interface AbandonedRow {
  id: string;
  provider: string;
  kind: ProviderCallKind;
  provider_key: string;
  reference: string;
  amount_cents: string | number;
  currency: string;
  provider_ref: string | null;
  status: ProviderCallStatus;
  result: { status?: string; providerRef?: string } | null;
}

/**
 * Gives back what earlier attempts of an idempotency claim obtained and never recorded in a
 * committed operation: their card authorizations are voided through the provider (one whose
 * answer never came is looked up first: `findAuthorization`), their Pix charges — never shown
 * to a buyer — left to lapse. Each journal row moves to VOIDED / ABSENT / LAPSED as it is
 * dealt with, so a second recovery (or a crash half-way) voids nothing twice. Throws when a
 * provider cannot be reached: the claim is then recovered later.
 *
 * `cardProvider(name)` resolves the adapter that holds the authorization.
 */
export async function voidAbandonedCalls(runtime: Runtime, claim: { id: string; attempt: number }, cardProvider: (name: string) => CardPaymentProvider): Promise<AbandonedCalls> {
  const done: AbandonedCalls = { voided: 0, absent: 0, lapsed: 0 };
  const rows = await sideConnection(runtime.orm).execute<AbandonedRow[]>(
    `select pc.id, pc.provider, pc.kind, pc.provider_key, pc.reference, pc.amount_cents, pc.currency, pc.provider_ref, pc.status, pc.result
     from provider_call pc
     where pc.claim_id = ? and pc.attempt < ? and pc.status in ('STARTED', 'DONE') and pc.kind in ('AUTHORIZE_CARD', 'CREATE_PIX')
       -- a payment a committed operation recorded is not abandoned, whatever the claim says
       and not exists (select 1 from payment_part pp where pp.provider = pc.provider and pp.provider_ref = pc.provider_ref)
     order by pc.created_at`,
    [claim.id, claim.attempt],
  );
  for (const row of rows) {
    const set = (status: ProviderCallStatus, ref: string | null = null) =>
      write(runtime, `update provider_call set status = ?, provider_ref = coalesce(?, provider_ref), updated_at = now() where id = ?`, [status, ref, row.id]);
    if (row.kind === ProviderCallKind.CREATE_PIX) {
      await set(ProviderCallStatus.LAPSED);
      done.lapsed += 1;
      continue;
    }
    const provider = cardProvider(row.provider);
    let ref = row.status === ProviderCallStatus.DONE && row.result?.status === 'AUTHORIZED' ? (row.result.providerRef ?? row.provider_ref) : null;
    if (row.status === ProviderCallStatus.DONE && !ref) {
      // A decline recorded as DONE is impossible (declines are DONE with status DECLINED): nothing to give back.
      await set(ProviderCallStatus.ABSENT);
      done.absent += 1;
      continue;
    }
    if (row.status === ProviderCallStatus.STARTED) {
      const found = await provider.findAuthorization({ reference: row.reference, idempotencyKey: row.provider_key });
      if (!found || found.status !== 'AUTHORIZED') {
        await set(ProviderCallStatus.ABSENT, found?.providerRef ?? null);
        done.absent += 1;
        continue;
      }
      ref = found.providerRef;
    }
    await voidAuthorization(provider, ref!, { amount: Number(row.amount_cents), currency: row.currency });
    await set(ProviderCallStatus.VOIDED, ref);
    runtime.logger.info({ provider: row.provider, providerRef: ref, reference: row.reference, amount: Number(row.amount_cents) }, 'voided the authorization of an abandoned attempt');
    done.voided += 1;
  }
  return done;
}

/**
 * Refunds of a payment made by an operation that stopped mid-way and was not recovered yet
 * (its claim still IN_PROGRESS, not `exceptClaim`): until it is, our figures do not show that
 * money, and refunding the payment again could give back more than was paid.
 */
export async function unsettledRefunds(runtime: Runtime, provider: string, providerRef: string, exceptClaim: string | null): Promise<number> {
  const [row] = await sideConnection(runtime.orm).execute<{ n: number }[]>(
    `select count(*)::int as n from provider_call pc join idempotency_claim c on c.id = pc.claim_id
     where pc.kind = 'REFUND' and pc.provider = ? and pc.provider_ref = ? and pc.status in ('STARTED', 'DONE')
       and c.status = 'IN_PROGRESS' and c.id is distinct from ?`,
    [provider, providerRef, exceptClaim],
  );
  return row?.n ?? 0;
}

/** The claim of the provider calls being made now, if any (for unsettledRefunds). */
export const currentClaimId = () => activeClaim.getStore()?.id ?? null;

/** Money-moving calls a claim's attempts made that are DONE or may have happened (STARTED). */
export async function movedMoney(runtime: Runtime, claimId: string): Promise<number> {
  const [row] = await sideConnection(runtime.orm)
    .execute<{ n: number }[]>(`select count(*)::int as n from provider_call where claim_id = ? and kind = 'REFUND' and status in ('STARTED', 'DONE')`, [claimId]);
  return row?.n ?? 0;
}

/**
 * Authorizations a claim's attempts obtained (or may have: STARTED) that are neither given
 * back nor recorded by a committed operation: while there are any, the claim must not be
 * released — its recovery voids them first.
 */
export async function unsettledAuthorizations(runtime: Runtime, claimId: string): Promise<number> {
  const [row] = await sideConnection(runtime.orm).execute<{ n: number }[]>(
    `select count(*)::int as n from provider_call pc
     where pc.claim_id = ? and pc.kind = 'AUTHORIZE_CARD' and pc.status in ('STARTED', 'DONE')
       and (pc.status = 'STARTED' or pc.result->>'status' = 'AUTHORIZED')
       and not exists (select 1 from payment_part pp where pp.provider = pc.provider and pp.provider_ref = pc.provider_ref)`,
    [claimId],
  );
  return row?.n ?? 0;
}
