import { DeadlockException, LockMode } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Runtime } from '../../shared/runtime/index.js';
import { noteFailure, noteSuccess, type AttentionPolicy } from '../../shared/attention/index.js';
import type { Viewer } from '../../shared/access/index.js';
import { AppError, ErrorCode, conflict, notFound } from '../../shared/errors/index.js';
import { money } from '../../shared/money/index.js';
import { notifyExpired, notifyLateRefund, notifyPaid, notifyRefundedOutside } from './payments.lifecycle.js';
import { PaymentEventRecord, PaymentOperation, PaymentOperationKind, PaymentPartStatus, PaymentTransaction, PaymentTransactionPart, PaymentTransactionStatus } from './payments.entity.js';
import type { PaymentEvent } from './payments.provider.js';
import { chargeBackPart, reverseChargebackOfPart } from './payments.chargebacks.js';
import { MAX_IDEMPOTENCY_KEY, leftOf, lockTransaction, providerKey, refundThroughProvider, releaseParts, settle } from './payments.service.js';

/**
 * Money the buyer sends after checkout: Pix confirmed by a signed provider webhook, bank
 * deposits confirmed by the operator, and carts whose payment never came (expiry).
 */

export type ActionableEvent = Exclude<PaymentEvent, { type: 'IGNORED' }>;
export interface EventOutcome {
  result: 'APPLIED' | 'DUPLICATE' | 'IGNORED';
  detail: string;
}

const hasPending = (t: PaymentTransaction) => t.parts.getItems().some((p) => p.status === PaymentPartStatus.PENDING);

/**
 * Applies a verified provider event once: the delivery is recorded (provider, eventId) in
 * the same database transaction as its effect, with the payment transaction row locked, so
 * a redelivery — even a concurrent one — finds the record and changes nothing.
 */
export async function applyPaymentEvent(runtime: Runtime, event: ActionableEvent): Promise<EventOutcome> {
  // The lifecycle hook locks rows of other modules after ours; if another path took them in the
  // opposite order PostgreSQL aborts one side, and this side simply tries again.
  for (let attempt = 1; ; attempt++) {
    try {
      return await applyOnce(runtime, event);
    } catch (err) {
      if (!(err instanceof DeadlockException) || attempt >= 3) throw err;
      runtime.logger.warn({ eventId: event.eventId, attempt }, 'payment event hit a deadlock; retrying');
    }
  }
}

async function applyOnce(runtime: Runtime, event: ActionableEvent): Promise<EventOutcome> {
  return runtime.orm.em.fork().transactional(async (em) => {
    const found = await em.findOne(PaymentTransactionPart, { provider: event.provider, providerRef: event.providerRef });
    // Not ours (another system on the same account) or from an abandoned checkout: acknowledge, or the provider retries for days.
    if (!found) return { result: 'IGNORED', detail: `no payment part has ${event.provider} reference ${event.providerRef}` };
    const transaction = await lockTransaction(em, found.transaction.id);
    if (await em.count(PaymentEventRecord, { provider: event.provider, eventId: event.eventId })) {
      return { result: 'DUPLICATE', detail: `event ${event.eventId} was already applied` };
    }
    const part = transaction.parts.getItems().find((p) => p.id === found.id)!;
    const detail = await applyToPart(runtime, em, transaction, part, event);
    em.persist(
      em.create(PaymentEventRecord, {
        provider: event.provider,
        eventId: event.eventId,
        type: event.type,
        providerRef: event.providerRef,
        transaction,
        outcome: detail,
      }),
    );
    return { result: 'APPLIED', detail };
  });
}

async function applyToPart(runtime: Runtime, em: EntityManager, transaction: PaymentTransaction, part: PaymentTransactionPart, event: ActionableEvent): Promise<string> {
  const now = new Date();
  const label = `part ${part.index + 1} (${part.method})`;
  const log = runtime.logger.child({ transactionId: transaction.id, cartNumber: transaction.cartNumber, partIndex: part.index, event: event.type });
  switch (event.type) {
    case 'PAYMENT_CONFIRMED': {
      // Cards are captured by the checkout, never by a notification.
      if (part.method !== 'PIX') return `${label}: confirmation noted; only Pix is confirmed by its provider`;
      if (part.capturedCents > 0) return `${label}: already paid`;
      if (event.amount.amount !== part.amountCents || event.amount.currency !== transaction.currency) {
        log.error({ paid: event.amount, due: part.amountCents }, 'Pix paid with an amount other than its charge; left for the operator');
        return `${label}: paid ${event.amount.amount} for a charge of ${part.amountCents}; not applied, needs the operator`;
      }
      const wasPending = hasPending(transaction);
      const given = part.releasedCents;
      // The money is here whatever we gave up meanwhile; what we no longer claim goes back at once.
      part.capturedCents = part.amountCents;
      part.releasedCents = 0;
      part.paidAt = now;
      part.status = PaymentPartStatus.PAID;
      if (given > 0) {
        await refundThroughProvider(runtime, part, money(given, transaction.currency), providerKey(`settle:${part.id}`, 'refund', part.index));
        part.refundedCents += given;
        part.status = part.refundedCents >= part.capturedCents ? PaymentPartStatus.REFUNDED : PaymentPartStatus.PARTIALLY_REFUNDED;
        log.info({ refunded: given }, 'Pix paid after (part of) it was released: refunded');
      }
      settle(transaction, now);
      if (given > 0) await notifyLateRefund(runtime, em, transaction, money(given, transaction.currency));
      if (wasPending && !hasPending(transaction) && transaction.status !== PaymentTransactionStatus.EXPIRED) {
        await notifyPaid(runtime, em, transaction, { by: 'PROVIDER', provider: event.provider });
        return `${label}: paid; nothing else awaited`;
      }
      return given > 0 ? `${label}: paid; ${given} no longer owed was refunded` : `${label}: paid`;
    }
    case 'PAYMENT_FAILED':
      // The charge will not be paid; the cart is released by the expiry job at its own time.
      return `${label}: provider reports failure (${event.reason}); the cart expires at its expiry time`;
    case 'PAYMENT_REFUNDED': {
      const reported = Math.min(event.refundedTotal.amount, part.capturedCents);
      if (reported <= part.refundedCents) return `${label}: refund already recorded`;
      // Refunded outside this API (the provider's back office): the figures follow the provider.
      log.warn({ recorded: part.refundedCents, reported }, 'provider reports refunds this API did not make');
      const outside = reported - part.refundedCents;
      part.refundedCents = reported;
      part.status = reported >= part.capturedCents ? PaymentPartStatus.REFUNDED : PaymentPartStatus.PARTIALLY_REFUNDED;
      settle(transaction, now);
      // The money left the provider: the books follow (once per refunded total), or the ledger would still hold it.
      await notifyRefundedOutside(runtime, em, transaction, part, money(outside, transaction.currency), reported);
      return `${label}: refunded total now ${reported}`;
    }
    case 'PAYMENT_CHARGED_BACK':
      // What the issuer took is split over the cart's orders by the wired reaction (payouts).
      return chargeBackPart(runtime, em, transaction, part, { requested: event.amount.amount, source: 'PROVIDER', reference: `${event.provider}:${event.eventId}` });
    case 'PAYMENT_CHARGEBACK_REVERSED':
      return reverseChargebackOfPart(runtime, em, transaction, part, { source: 'PROVIDER', reference: `${event.provider}:${event.eventId}` });
  }
}

/**
 * The operator saw the buyer's deposit: the deposit part is paid for what is still claimed,
 * through the same path as a confirmed Pix (lifecycle.paid once nothing else is awaited).
 * The same idempotency key returns the transaction again without a second confirmation.
 */
export async function confirmBankDeposit(runtime: Runtime, em: EntityManager, input: { cartNumber: string; idempotencyKey: string }, confirmedBy: Viewer): Promise<PaymentTransaction> {
  if (!input.idempotencyKey || input.idempotencyKey.length > MAX_IDEMPOTENCY_KEY) {
    throw new AppError(ErrorCode.BAD_USER_INPUT, `The idempotency key must have 1 to ${MAX_IDEMPOTENCY_KEY} characters.`, ['input', 'idempotencyKey']);
  }
  const cartNumber = input.cartNumber.trim();
  const found = cartNumber && cartNumber.length <= 40 ? await em.findOne(PaymentTransaction, { cartNumber }) : null;
  if (!found) throw notFound('No payment transaction has this cart number.', 'input', 'cartNumber');
  const transaction = await lockTransaction(em, found.id);
  const prior = await em.findOne(PaymentOperation, { idempotencyKey: input.idempotencyKey });
  if (prior) {
    if (prior.kind !== PaymentOperationKind.CONFIRM_DEPOSIT || prior.request !== transaction.id) {
      throw conflict('This idempotency key was already used for another request.', 'input', 'idempotencyKey');
    }
    return transaction;
  }
  const deposits = transaction.parts.getItems().filter((p) => p.method === 'BANK_DEPOSIT');
  if (!deposits.length) throw new AppError(ErrorCode.BAD_USER_INPUT, 'This cart is not paid by bank deposit.', ['input', 'cartNumber']);
  const pending = deposits.filter((p) => p.status === PaymentPartStatus.PENDING);
  if (!pending.length) {
    if (transaction.status === PaymentTransactionStatus.EXPIRED) {
      throw conflict('This cart expired unpaid and its orders were cancelled; return the deposit to the buyer.', 'input', 'cartNumber');
    }
    if (deposits.every((p) => p.capturedCents === 0)) {
      throw conflict('This deposit is no longer awaited: the orders were cancelled; return it to the buyer.', 'input', 'cartNumber');
    }
    throw conflict('This deposit was already confirmed.', 'input', 'cartNumber');
  }
  const now = new Date();
  for (const part of pending) {
    // Orders cancelled before the deposit lowered what is owed; the deposit pays the rest.
    part.capturedCents = part.amountCents - part.releasedCents;
    part.status = PaymentPartStatus.PAID;
    part.paidAt = now;
  }
  settle(transaction, now);
  if (!hasPending(transaction)) await notifyPaid(runtime, em, transaction, { by: 'STAFF', viewer: confirmedBy });
  em.persist(
    em.create(PaymentOperation, {
      idempotencyKey: input.idempotencyKey,
      kind: PaymentOperationKind.CONFIRM_DEPOSIT,
      transaction,
      request: transaction.id,
      result: { transactionId: transaction.id },
    }),
  );
  return transaction;
}

/** Most transactions one call expires; the job calls again on its next tick. */
const MAX_EXPIRED_PER_RUN = 200;

/** The attention list's source for transactions the expiry keeps failing on. */
export const PAYMENT_EXPIRY_SOURCE = 'payment-expiry';

/**
 * Expires transactions still waiting for the buyer past `expiresAt`: each is claimed with
 * FOR UPDATE SKIP LOCKED in a database transaction of its own (several workers never take
 * the same one, and one failure does not hold back the others), everything it secured is
 * given back, it is marked EXPIRED and lifecycle.expired cancels its orders. Returns how
 * many expired.
 */
export async function expireUnpaidTransactions(runtime: Runtime, now: Date = new Date(), attention: Omit<AttentionPolicy, 'source'> = {}): Promise<number> {
  let expired = 0;
  // Ones that failed on earlier passes wait out their back-off (shared/attention).
  const failed: string[] = await backingOffAll(runtime, PAYMENT_EXPIRY_SOURCE);
  const skipped = failed.length;
  while (expired + failed.length - skipped < MAX_EXPIRED_PER_RUN) {
    let claimedId: string | null = null;
    try {
      const done = await runtime.orm.em.fork().transactional(async (em) => {
        const [claimed] = await em.find(
          PaymentTransaction,
          { status: PaymentTransactionStatus.PENDING, expiresAt: { $lte: now }, ...(failed.length ? { id: { $nin: failed } } : {}) },
          { lockMode: LockMode.PESSIMISTIC_PARTIAL_WRITE, limit: 1, orderBy: { expiresAt: 'asc', id: 'asc' } },
        );
        if (!claimed) return false;
        claimedId = claimed.id;
        const transaction = await lockTransaction(em, claimed.id);
        transaction.status = PaymentTransactionStatus.EXPIRED;
        transaction.expiredAt = now;
        const left = transaction.parts.getItems().reduce((acc, p) => acc + leftOf(p), 0);
        if (left > 0) await releaseParts(runtime, em, transaction, money(left, transaction.currency), `expire:${transaction.id}`, { expiring: true });
        else settle(transaction, now);
        await notifyExpired(runtime, em, transaction);
        return true;
      });
      if (!done) break;
      expired += 1;
      await noteSuccess(runtime.orm, PAYMENT_EXPIRY_SOURCE, claimedId!);
    } catch (err) {
      if (!claimedId) throw err;
      const id: string = claimedId;
      failed.push(id);
      // Retried after a back-off (provider calls use stable keys, so nothing is done twice);
      // one that keeps failing is listed for operators and logged once, not on every pass.
      const note = await noteFailure(runtime.orm, { source: PAYMENT_EXPIRY_SOURCE, ...attention }, { id, label: `payment transaction ${id}` }, err).catch(() => null);
      if (note?.justReachedAttention) runtime.logger.error({ err, transactionId: id, failures: note.failures }, 'an unpaid payment transaction keeps failing to expire; listed for operators (attentionItems)');
      else if (!note?.needsAttention) runtime.logger.warn({ err, transactionId: id, failures: note?.failures }, 'could not expire an unpaid payment transaction; retried later');
    }
  }
  return expired;
}

/** Every item of `source` still backing off (a short list: only items that failed). */
async function backingOffAll(runtime: Runtime, source: string): Promise<string[]> {
  const rows = await runtime.orm.em
    .fork()
    .getConnection()
    .execute<{ subject_id: string }[]>(`select subject_id from attention_item where source = ? and next_attempt_at > now()`, [source]);
  return rows.map((r) => r.subject_id);
}
