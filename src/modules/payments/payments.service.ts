import { createHash } from 'node:crypto';
import { LockMode } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Runtime } from '../../shared/runtime/index.js';
import { findById } from '../../shared/db/ids.js';
import { flushPendingOf } from '../../shared/db/together.js';
import { AppError, ErrorCode, conflict, notFound } from '../../shared/errors/index.js';
import { money, type Money } from '../../shared/money/index.js';
import { GiftCard, PaymentOperation, PaymentOperationKind, PaymentPartStatus, PaymentTransaction, PaymentTransactionPart, PaymentTransactionStatus } from './payments.entity.js';
import { PaymentConfigError, ProviderNetworkError, ProviderRejectedError, ProviderTimeoutError, type CardPaymentProvider, type PaymentProviderBase, type RefundResult } from './payments.provider.js';
import { ProviderCallKind, ProviderCallStatus } from './provider-call.entity.js';
import { currentClaimId, journaledCall, movedMoney, unsettledRefunds, voidAuthorization, withClaim } from './provider-calls.js';
import { claimKey } from '../../shared/idempotency/index.js';
import { runtimePaymentSettings } from './payments.settings.js';
import { splitRefund, type PaymentPartMethod } from './payments.split.js';
import { paymentProviders } from './payments.config.js';

/**
 * The cart's payment transaction, as the checkout and the order cancellation use it (step 1,
 * authorize, is in payments.authorize.ts; step 2, record, in payments.record.ts):
 * authorize (network, before the checkout's database transaction) → record (inside it) →
 * capture or release (after it, as fraud decides; later for cancellations and refunds).
 */

export type ReleaseAction = 'VOID' | 'REFUND' | 'REDUCE_CAPTURE' | 'GIFT_CARD_CREDIT' | 'CANCEL_CHARGE';
export interface ReleaseResult {
  parts: { index: number; method: PaymentPartMethod; amount: Money; action: ReleaseAction }[];
}

export const MAX_IDEMPOTENCY_KEY = 200;

/** Provider keys derived from ours: bounded in length whatever the client sent, distinct per part and purpose. */
export function providerKey(idempotencyKey: string, purpose: string, index: number): string {
  return `${purpose}_${createHash('sha256').update(idempotencyKey).digest('hex').slice(0, 40)}_${index}`;
}


// -------------------------------------------------------------------------------------
// Step 3: capture or release

/**
 * Captures every authorized card part for what is still claimed on it (authorized − released).
 * Idempotent: captured parts are skipped, and a capture the provider already made (a retry
 * after a lost answer) is read back from the provider instead of being refused.
 */
export async function captureTransaction(runtime: Runtime, em: EntityManager, transaction: string | LockedTransaction): Promise<PaymentTransaction> {
  // A transaction the caller holds (locked, parts loaded, in its open transaction) is captured
  // in place and written by the caller's flush; an id is locked and captured on its own.
  if (typeof transaction !== 'string') return captureParts(runtime, transaction.locked);
  return em.transactional(async (tx) => captureParts(runtime, await lockTransaction(tx, transaction)));
}

/** A payment transaction the caller locked in its open database transaction, with its parts (lockCartTransaction). */
export interface LockedTransaction {
  locked: PaymentTransaction;
}

async function captureParts(runtime: Runtime, transaction: PaymentTransaction): Promise<PaymentTransaction> {
  if (transaction.status === PaymentTransactionStatus.VOIDED || transaction.status === PaymentTransactionStatus.EXPIRED) {
    throw conflict(`Nothing can be captured: the payment is ${transaction.status.toLowerCase()}.`);
  }
  const now = new Date();
  for (const part of transaction.parts) {
    if (part.method !== 'CARD' || part.status !== PaymentPartStatus.AUTHORIZED) continue;
    const due = part.amountCents - part.releasedCents;
    if (due <= 0) continue;
    part.capturedCents = await captureCard(runtime, part, money(due, transaction.currency));
    part.status = PaymentPartStatus.PAID;
    part.paidAt = now;
  }
  settle(transaction, now);
  return transaction;
}

/**
 * Locks a cart's payment transaction for what settles it (the fraud verdict, a payment event),
 * read afresh with its parts in one statement — only the transaction row is locked; its parts
 * are written only under it. Null when the cart has none.
 */
export async function lockCartTransaction(em: EntityManager, cartId: string): Promise<PaymentTransaction | null> {
  // By hand: MikroORM reads a populated collection again after a locking read, and would lock the parts too.
  await flushPendingOf(em, PaymentTransaction, PaymentTransactionPart);
  const [row] = await em.execute<(Record<string, unknown> & { _parts: Record<string, unknown>[] })[]>(
    `select t.*, (select coalesce(json_agg(p order by p.index), '[]'::json) from payment_part p where p.transaction_id = t.id) as _parts
       from payment_transaction t where t.cart_id = ? for update of t`,
    [cartId],
  );
  if (!row) return null;
  const { _parts, ...columns } = row;
  const parts = _parts.map((part) => em.map(PaymentTransactionPart, part));
  return em.map(PaymentTransaction, { ...columns, parts });
}

/** The idempotency scope of payment releases (cancellations, item-unavailable refunds, edits). */
export const RELEASE_SCOPE = 'payment-release';

/**
 * Gives `amount` back from the transaction: split over the parts by what each has left
 * (largest remainder), each part the way its state allows — an uncaptured authorization is
 * reduced (voided when nothing is left), a captured one refunded through its provider, an
 * unpaid charge cancelled, a gift card re-credited. Refuses to release more than is left.
 *
 * The key is an idempotency claim with a lease (shared/idempotency): the same key returns the
 * first result and moves nothing again; a release that stopped mid-way (the process killed
 * after a refund, its transaction rolled back) is taken over by the next request with the key
 * once the lease has run out, and re-run — its refunds are answered from the provider-call
 * journal, never sent twice. Runs in the caller's transaction, which commits the claim too.
 */
export async function releasePayment(runtime: Runtime, em: EntityManager, transactionId: string, amount: Money, idempotencyKey: string): Promise<ReleaseResult> {
  if (!idempotencyKey || idempotencyKey.length > MAX_IDEMPOTENCY_KEY) {
    throw new AppError(ErrorCode.BAD_USER_INPUT, `The idempotency key must have 1 to ${MAX_IDEMPOTENCY_KEY} characters.`, ['input', 'idempotencyKey']);
  }
  if (!Number.isSafeInteger(amount.amount) || amount.amount <= 0) throw new AppError(ErrorCode.BAD_USER_INPUT, 'The amount to give back must be a positive number of centavos.');
  const request = `${transactionId}:${amount.amount}:${amount.currency}`;
  const claimed = await claimKey<ReleaseResult>(runtime.orm, {
    scope: RELEASE_SCOPE,
    key: idempotencyKey,
    fingerprint: request,
    leaseMs: runtimePaymentSettings(runtime).leaseMs,
    payload: { transactionId, amount },
    subject: transactionId,
    messages: { otherRequest: 'This idempotency key was already used for another request.', inProgress: 'This idempotency key is being used by another request.' },
  });
  if ('done' in claimed) return claimed.done;
  const { lease } = claimed;
  try {
    // The claim row is held (locked) by the transaction below, so no one can take the key
    // over meanwhile: its provider calls need no lease renewal (which would wait on that lock).
    return await withClaim({ id: lease.id, attempt: lease.attempt }, () =>
      em.transactional(async (tx) => {
        const transaction = await lockTransaction(tx, transactionId);
        await lease.hold(tx);
        // Keys used before releases were claimed are answered from their operation record.
        const prior = await tx.findOne(PaymentOperation, { idempotencyKey });
        if (prior) {
          if (prior.kind !== PaymentOperationKind.RELEASE || prior.request !== request) {
            throw conflict('This idempotency key was already used for another request.', 'input', 'idempotencyKey');
          }
          await lease.complete(tx, prior.result);
          return prior.result as ReleaseResult;
        }
        if (amount.currency !== transaction.currency) throw new AppError(ErrorCode.BAD_USER_INPUT, `The payment is in ${transaction.currency}.`);
        const result = await releaseParts(runtime, tx, transaction, amount, idempotencyKey, { expiring: false });
        tx.persist(tx.create(PaymentOperation, { idempotencyKey, kind: PaymentOperationKind.RELEASE, transaction, request, result }));
        await lease.complete(tx, result);
        return result;
      }),
    );
  } catch (err) {
    // Nothing stands (the caller's transaction rolls back). A refund the provider made stays
    // claimed under the key, for its replay (answered from the journal) or its recovery;
    // otherwise the key is free again.
    if (await movedMoney(runtime, lease.id).catch(() => 1)) await lease.expire().catch(() => undefined);
    else await lease.release();
    throw err;
  }
}

/** Left to give back on a part: neither released before capture nor refunded after it. */
export const leftOf = (p: PaymentTransactionPart) => p.amountCents - p.releasedCents - p.refundedCents;

/**
 * The release itself, on a locked transaction. `expiring` releases pending charges as
 * EXPIRED rather than VOIDED. Provider calls use keys derived from `key` and the part, so
 * a retry after a failure half-way repeats nothing the provider already did.
 */
export async function releaseParts(
  runtime: Runtime,
  em: EntityManager,
  transaction: PaymentTransaction,
  amount: Money,
  key: string,
  opts: { expiring: boolean },
): Promise<ReleaseResult> {
  const parts = transaction.parts.getItems();
  const left = parts.reduce((acc, p) => acc + leftOf(p), 0);
  if (amount.amount > left) {
    throw conflict(`Only ${left} centavos of this payment are left to give back; ${amount.amount} were asked.`);
  }
  const shares = splitRefund(amount, parts.map((p) => money(leftOf(p), transaction.currency)));
  const now = new Date();
  const result: ReleaseResult = { parts: [] };
  for (const [i, part] of parts.entries()) {
    const share = shares[i]!.amount;
    if (share === 0) continue;
    const action = await releasePart(runtime, em, part, share, transaction.currency, key, opts);
    result.parts.push({ index: part.index, method: part.method, amount: money(share, transaction.currency), action });
  }
  settle(transaction, now);
  return result;
}

async function releasePart(
  runtime: Runtime,
  em: EntityManager,
  part: PaymentTransactionPart,
  share: number,
  currency: string,
  key: string,
  opts: { expiring: boolean },
): Promise<ReleaseAction> {
  const captured = part.capturedCents > 0;
  if (part.method === 'VOUCHER') {
    const card = await em.findOneOrFail(GiftCard, { id: part.giftCard!.id }, { lockMode: LockMode.PESSIMISTIC_WRITE, refresh: true });
    card.balanceCents += share;
    addRefund(part, share);
    return 'GIFT_CARD_CREDIT';
  }
  if (captured) {
    if (part.method !== 'BANK_DEPOSIT') {
      await refundThroughProvider(runtime, part, money(share, currency), providerKey(key, 'refund', part.index));
    } else {
      // Deposits have no provider: the operator returns the money by bank transfer; the record says what is owed.
      runtime.logger.info({ partId: part.id, amount: share }, 'bank deposit refund recorded; the operator returns it by transfer');
    }
    addRefund(part, share);
    return 'REFUND';
  }
  // Nothing captured yet: give up the claim instead of moving money.
  part.releasedCents += share;
  const whole = part.releasedCents === part.amountCents;
  if (part.method === 'CARD') {
    if (!whole) return 'REDUCE_CAPTURE';
    await voidOrFail(runtime, part, currency);
    part.status = PaymentPartStatus.VOIDED;
    return 'VOID';
  }
  // Pix and deposits waiting for the buyer. A Pix QR code cannot change its amount: if it is
  // paid anyway, the released part is refunded when the payment arrives (see applyPaymentEvent).
  if (!whole) return 'REDUCE_CAPTURE';
  part.status = opts.expiring ? PaymentPartStatus.EXPIRED : PaymentPartStatus.VOIDED;
  return 'CANCEL_CHARGE';
}

function addRefund(part: PaymentTransactionPart, amount: number): void {
  part.refundedCents += amount;
  part.status = part.refundedCents >= part.capturedCents ? PaymentPartStatus.REFUNDED : PaymentPartStatus.PARTIALLY_REFUNDED;
}

// -------------------------------------------------------------------------------------
// Shared by the webhook, deposit confirmation and expiry paths

/** The transaction row locked FOR UPDATE, re-read, with its parts; NOT_FOUND for an unknown or malformed id. */
export async function lockTransaction(em: EntityManager, id: string): Promise<PaymentTransaction> {
  const transaction = await findById(em, PaymentTransaction, id, { options: { lockMode: LockMode.PESSIMISTIC_WRITE, refresh: true } });
  if (!transaction) throw notFound('No payment transaction has this id.');
  await transaction.parts.init({ refresh: true, orderBy: { index: 'asc' } });
  return transaction;
}

/** Recomputes the transaction's totals from its parts and its status from theirs (EXPIRED stays EXPIRED). */
export function settle(transaction: PaymentTransaction, now: Date): void {
  const parts = transaction.parts.getItems();
  const total = (f: (p: PaymentTransactionPart) => number) => parts.reduce((acc, p) => acc + f(p), 0);
  transaction.capturedCents = total((p) => p.capturedCents);
  transaction.releasedCents = total((p) => p.releasedCents);
  transaction.refundedCents = total((p) => p.refundedCents);
  transaction.chargedBackCents = total((p) => p.chargedBackCents);
  if (transaction.status === PaymentTransactionStatus.EXPIRED) return;
  const S = PaymentTransactionStatus;
  let status: PaymentTransactionStatus;
  if (parts.some((p) => p.status === PaymentPartStatus.PENDING)) status = S.PENDING;
  else if (parts.some((p) => p.status === PaymentPartStatus.AUTHORIZED)) status = S.AUTHORIZED;
  else if (transaction.capturedCents === 0) status = S.VOIDED;
  else if (transaction.refundedCents === 0) status = S.PAID;
  else if (transaction.refundedCents >= transaction.capturedCents) status = S.REFUNDED;
  else status = S.PARTIALLY_REFUNDED;
  transaction.status = status;
  if (status !== S.PENDING) transaction.expiresAt = null;
  if (status === S.PAID && !transaction.paidAt) transaction.paidAt = now;
}

export function providerFor(runtime: Runtime, name: string): PaymentProviderBase {
  const provider = paymentProviders(runtime).forWebhook(name);
  if (!provider) throw new PaymentConfigError(`payment provider "${name}" holds a payment but is not configured in this process`);
  return provider;
}

export function cardProviderFor(runtime: Runtime, name: string): CardPaymentProvider {
  const provider = providerFor(runtime, name);
  if (!('captureCard' in provider && 'voidCard' in provider)) throw new PaymentConfigError(`payment provider "${name}" does not take cards`);
  return provider as CardPaymentProvider;
}

/** Provider trouble while moving money after checkout: retrying with the same key is safe. */
function unavailable(runtime: Runtime, err: unknown, what: string): never {
  if (err instanceof AppError) throw err;
  if (err instanceof ProviderTimeoutError || err instanceof ProviderNetworkError) {
    runtime.logger.warn({ err }, `payment provider unavailable: ${what}`);
    throw new AppError(ErrorCode.PAYMENT_UNAVAILABLE, `The payment provider did not answer (${what}); nothing was recorded. Try again with the same idempotency key.`);
  }
  if (err instanceof ProviderRejectedError) {
    runtime.logger.error({ err }, `payment provider refused: ${what}`);
    throw conflict(`The payment provider refused to ${what}: ${err.message}`);
  }
  throw err;
}

async function captureCard(runtime: Runtime, part: PaymentTransactionPart, amount: Money): Promise<number> {
  const provider = cardProviderFor(runtime, part.provider!);
  try {
    return (await provider.captureCard({ providerRef: part.providerRef!, amount })).amount.amount;
  } catch (err) {
    if (err instanceof ProviderRejectedError && err.code === 'ALREADY_CAPTURED') {
      // A previous attempt captured and its answer was lost (or its transaction rolled back).
      return (await provider.getPayment(part.providerRef!)).captured.amount;
    }
    return unavailable(runtime, err, `capture card part ${part.index + 1}`);
  }
}

/**
 * Refunds through the part's provider, journaled (provider-calls.ts): a repeat of `key` — a
 * retry after a crash, on any instance — gets the first answer instead of a second refund.
 */
export async function refundThroughProvider(runtime: Runtime, part: PaymentTransactionPart, amount: Money, key: string): Promise<void> {
  const provider = providerFor(runtime, part.provider!);
  if (await unsettledRefunds(runtime, provider.name, part.providerRef!, currentClaimId())) {
    throw conflict(`An earlier refund of payment part ${part.index + 1} stopped mid-way and is not settled yet; it is being recovered. Try again in a few minutes.`);
  }
  try {
    await journaledCall(
      runtime,
      { provider: provider.name, kind: ProviderCallKind.REFUND, providerKey: key, reference: `part:${part.id}`, amount, providerRef: part.providerRef! },
      (memory) => provider.refund({ providerRef: part.providerRef!, method: part.method === 'CARD' ? 'CARD' : 'PIX', amount, idempotencyKey: key, memory }),
      { outcome: (r: RefundResult) => ({ status: ProviderCallStatus.DONE, providerRef: r.providerRef }) },
    );
  } catch (err) {
    unavailable(runtime, err, `refund part ${part.index + 1}`);
  }
}

/** Void errors surface like the others once reconciliation could not explain them. */
export async function voidOrFail(runtime: Runtime, part: PaymentTransactionPart, currency: string): Promise<void> {
  try {
    await voidAuthorization(cardProviderFor(runtime, part.provider!), part.providerRef!, money(part.amountCents, currency));
  } catch (err) {
    unavailable(runtime, err, `void card part ${part.index + 1}`);
  }
}
