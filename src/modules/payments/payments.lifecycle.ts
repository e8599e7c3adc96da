import type { EntityManager } from '@mikro-orm/postgresql';
import { ServiceKey, type Runtime } from '../../shared/runtime/index.js';
import type { Money } from '../../shared/money/index.js';
import type { Viewer } from '../../shared/access/index.js';
import type { PaymentTransaction, PaymentTransactionPart } from './payments.entity.js';

/**
 * Who told the store the buyer's money arrived: the provider, through a verified webhook, or
 * operator staff confirming a bank deposit. The orders module records it in each order's history.
 */
export type PaymentConfirmation = { by: 'PROVIDER'; provider: string } | { by: 'STAFF'; viewer: Viewer };

/**
 * How the orders module hears about payment events it did not cause.
 */
export interface PaymentLifecycle {
  /**
   * No part waits for the buyer's money any more: the last Pix was confirmed by its provider
   * or the deposit by the operator. Card parts may still be only authorized (captured when
   * fraud approves). Runs inside the transaction that recorded the payment, with the
   * transaction row locked; throwing rolls the payment back and the provider redelivers.
   */
  paid(runtime: Runtime, em: EntityManager, transaction: PaymentTransaction, confirmedBy: PaymentConfirmation): Promise<void>;
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
  /**
   * Optional: the provider reports refunds of a part that this API did not make (done in its
   * back office). `amount` more left the provider for the buyer; the part's refunded total is
   * now `refundedTotal` (a key for booking it once). Runs in the webhook's transaction; the
   * ledger books the money that left.
   */
  refundedOutside?(runtime: Runtime, em: EntityManager, transaction: PaymentTransaction, part: PaymentTransactionPart, amount: Money, refundedTotal: number): Promise<void>;
}

/**
 * The slot src/app fills with the orders module's reactions. Payments cannot import orders
 * (orders import payments to refund), so the app passes them in; start-up fails when they
 * are missing, so a paid Pix can never be recorded with nobody to approve its orders.
 */
export const PAYMENT_LIFECYCLE = new ServiceKey<PaymentLifecycle>('payments.lifecycle');

const lifecycle = (runtime: Runtime) => runtime.services.get(PAYMENT_LIFECYCLE);

export async function notifyPaid(runtime: Runtime, em: EntityManager, transaction: PaymentTransaction, confirmedBy: PaymentConfirmation): Promise<void> {
  await lifecycle(runtime).paid(runtime, em, transaction, confirmedBy);
}

export async function notifyExpired(runtime: Runtime, em: EntityManager, transaction: PaymentTransaction): Promise<void> {
  await lifecycle(runtime).expired(runtime, em, transaction);
}

export async function notifyLateRefund(runtime: Runtime, em: EntityManager, transaction: PaymentTransaction, amount: Money): Promise<void> {
  const hooks = lifecycle(runtime);
  if (!hooks.lateRefund) {
    runtime.logger.info({ transactionId: transaction.id, amount }, 'late payment refunded; no lifecycle hook records it');
    return;
  }
  await hooks.lateRefund(runtime, em, transaction, amount);
}

export async function notifyRefundedOutside(runtime: Runtime, em: EntityManager, transaction: PaymentTransaction, part: PaymentTransactionPart, amount: Money, refundedTotal: number): Promise<void> {
  const hooks = lifecycle(runtime);
  if (!hooks.refundedOutside) {
    runtime.logger.warn({ transactionId: transaction.id, partIndex: part.index, amount }, 'refund made outside this API; no lifecycle hook books it');
    return;
  }
  await hooks.refundedOutside(runtime, em, transaction, part, amount, refundedTotal);
}
