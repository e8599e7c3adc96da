import type { EntityManager } from '@mikro-orm/postgresql';
import type { Runtime } from '../../app/context.js';
import type { Money } from '../../shared/money/index.js';
import type { PaymentTransaction } from './payments.entity.js';

/**
 * How the orders module hears about payment events it did not cause. Payments cannot import
 * orders (orders import payments to refund), so orders register themselves here once.
 */
export interface PaymentLifecycle {
  /**
   * No part waits for the buyer's money any more: the last Pix was confirmed by its provider
   * or the deposit by the operator. Card parts may still be only authorized (captured when
   * fraud approves). Runs inside the transaction that recorded the payment, with the
   * transaction row locked; throwing rolls the payment back and the provider redelivers.
   */
  paid(runtime: Runtime, em: EntityManager, transaction: PaymentTransaction): Promise<void>;
  /**
   * The transaction expired unpaid. Everything it had secured was already given back
   * (authorizations voided, captured parts refunded, gift cards re-credited), so the hook
   * cancels the orders and returns stock without calling releasePayment. Runs inside the
   * expiring transaction.
   */
  expired(runtime: Runtime, em: EntityManager, transaction: PaymentTransaction): Promise<void>;
  /**
   * Optional: payments gave money back on its own — a Pix paid after (part of) its charge had
   * been released (orders cancelled, fraud rejected, cart expired) is refunded for the
   * released share as it arrives, so that money never waits on anyone. `amount` entered and
   * left in the same database transaction (capturedCents and refundedCents both include it);
   * the ledger may want to record that. Called before `paid` when both apply.
   */
  lateRefund?(runtime: Runtime, em: EntityManager, transaction: PaymentTransaction, amount: Money): Promise<void>;
}

let registered: PaymentLifecycle | null = null;

/** The orders module calls this once at import; a later registration replaces the earlier one (tests use that). */
export function registerPaymentLifecycle(lifecycle: PaymentLifecycle): void {
  registered = lifecycle;
}

export async function notifyPaid(runtime: Runtime, em: EntityManager, transaction: PaymentTransaction): Promise<void> {
  if (!registered) {
    runtime.logger.warn({ transactionId: transaction.id, cartNumber: transaction.cartNumber }, 'payment paid but no payment lifecycle is registered');
    return;
  }
  await registered.paid(runtime, em, transaction);
}

export async function notifyExpired(runtime: Runtime, em: EntityManager, transaction: PaymentTransaction): Promise<void> {
  if (!registered) {
    runtime.logger.warn({ transactionId: transaction.id, cartNumber: transaction.cartNumber }, 'payment expired but no payment lifecycle is registered');
    return;
  }
  await registered.expired(runtime, em, transaction);
}

export async function notifyLateRefund(runtime: Runtime, em: EntityManager, transaction: PaymentTransaction, amount: Money): Promise<void> {
  if (!registered?.lateRefund) {
    runtime.logger.info({ transactionId: transaction.id, amount }, 'late payment refunded; no lifecycle hook records it');
    return;
  }
  await registered.lateRefund(runtime, em, transaction, amount);
}
