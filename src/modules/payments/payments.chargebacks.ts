import type { EntityManager } from '@mikro-orm/postgresql';
import { ServiceKey, type Runtime } from '../../shared/runtime/index.js';
import type { Viewer } from '../../shared/access/index.js';
import { AppError, ErrorCode, conflict, notFound } from '../../shared/errors/index.js';
import { PaymentEventRecord, PaymentPartStatus, PaymentTransaction, type PaymentTransactionPart } from './payments.entity.js';
import { lockTransaction, settle } from './payments.service.js';

/**
 * Chargebacks: the issuer takes a captured payment part back (a card dispute, a Pix MED), and
 * gives it back when the store wins the dispute. The payment figures move here; who bears
 * the loss (ledger, sellers' receivables, payouts) is decided above this module, by the
 * reaction src/app wires into PAYMENT_CHARGEBACKS. Both arrive in the same database
 * transaction, with the payment transaction row locked, so a chargeback is applied once.
 */

export interface ChargebackNotice {
  transaction: PaymentTransaction;
  part: PaymentTransactionPart;
  /** Centavos taken back (chargedBack) or returned (reversed). */
  amount: number;
  /** A provider notification, or operator staff entering what the acquirer reported. */
  source: 'PROVIDER' | 'OPERATOR';
  /** The provider event id or the operator's idempotency key. */
  reference: string;
  reason: string | null;
  /** The staff member, for operator entries. */
  viewer: Viewer | null;
}

/** How the modules above payments hear about chargebacks; src/app fills the slot. */
export interface PaymentChargebacks {
  /** The part was charged back for `amount`; runs in the transaction that recorded it. Throwing rolls it back. */
  chargedBack(runtime: Runtime, em: EntityManager, notice: ChargebackNotice): Promise<void>;
  /** The dispute was won: `amount` (what the chargeback took) is the store's again. */
  reversed(runtime: Runtime, em: EntityManager, notice: ChargebackNotice): Promise<void>;
}

export const PAYMENT_CHARGEBACKS = new ServiceKey<PaymentChargebacks>('payments.chargebacks');

/**
 * Takes the part's unrefunded capture back and tells the wired reaction. Returns what was
 * done, for the event record. A part already charged back, or with nothing captured left,
 * changes nothing.
 */
export async function chargeBackPart(
  runtime: Runtime,
  em: EntityManager,
  transaction: PaymentTransaction,
  part: PaymentTransactionPart,
  opts: { requested: number; source: ChargebackNotice['source']; reference: string; reason?: string | null; viewer?: Viewer | null },
): Promise<string> {
  const label = `part ${part.index + 1} (${part.method})`;
  if (part.status === PaymentPartStatus.CHARGED_BACK) return `${label}: already charged back`;
  const left = part.capturedCents - part.refundedCents;
  const amount = Math.min(Math.max(opts.requested, 0), left);
  if (part.capturedCents === 0 || amount <= 0) return `${label}: chargeback noted, nothing captured to take back`;
  part.refundedCents += amount;
  part.chargedBackCents = amount;
  part.status = PaymentPartStatus.CHARGED_BACK;
  settle(transaction, new Date());
  await runtime.services.get(PAYMENT_CHARGEBACKS).chargedBack(runtime, em, {
    transaction,
    part,
    amount,
    source: opts.source,
    reference: opts.reference,
    reason: opts.reason ?? null,
    viewer: opts.viewer ?? null,
  });
  runtime.logger.warn({ cartNumber: transaction.cartNumber, partIndex: part.index, amount }, 'payment charged back');
  return `${label}: charged back ${amount}`;
}

/** Gives back what a standing chargeback took (the dispute was won) and tells the wired reaction. */
export async function reverseChargebackOfPart(
  runtime: Runtime,
  em: EntityManager,
  transaction: PaymentTransaction,
  part: PaymentTransactionPart,
  opts: { source: ChargebackNotice['source']; reference: string; reason?: string | null; viewer?: Viewer | null },
): Promise<string> {
  const label = `part ${part.index + 1} (${part.method})`;
  if (part.status !== PaymentPartStatus.CHARGED_BACK || part.chargedBackCents <= 0) return `${label}: no standing chargeback to reverse`;
  const amount = part.chargedBackCents;
  part.refundedCents -= amount;
  part.chargedBackCents = 0;
  part.status = part.refundedCents === 0 ? PaymentPartStatus.PAID : part.refundedCents >= part.capturedCents ? PaymentPartStatus.REFUNDED : PaymentPartStatus.PARTIALLY_REFUNDED;
  settle(transaction, new Date());
  await runtime.services.get(PAYMENT_CHARGEBACKS).reversed(runtime, em, {
    transaction,
    part,
    amount,
    source: opts.source,
    reference: opts.reference,
    reason: opts.reason ?? null,
    viewer: opts.viewer ?? null,
  });
  return `${label}: chargeback reversed, ${amount} back`;
}

export interface OperatorChargebackInput {
  cartNumber: string;
  /** 0-based position of the part, in the order the buyer entered them. */
  partIndex: number;
  /** What the acquirer took; the part's unrefunded capture when left out (never more). */
  amount?: number | null;
  reason?: string | null;
  idempotencyKey: string;
}

const OPERATOR = 'operator';

/**
 * Operator staff enter a chargeback the acquirer reported outside a notification (or reverse
 * one). The idempotency key is recorded as the event of provider "operator", so a repeat
 * applies nothing and a key reused for another part is a CONFLICT. Returns the transaction.
 */
export async function enterChargeback(runtime: Runtime, em: EntityManager, input: OperatorChargebackInput, viewer: Viewer, reverse = false): Promise<PaymentTransaction> {
  const cartNumber = input.cartNumber.trim();
  const found = cartNumber && cartNumber.length <= 40 ? await em.findOne(PaymentTransaction, { cartNumber }) : null;
  if (!found) throw notFound('No payment transaction has this cart number.', 'input', 'cartNumber');
  const transaction = await lockTransaction(em, found.id);
  const part = transaction.parts.getItems().find((p) => p.index === input.partIndex);
  if (!part) throw notFound(`Cart ${cartNumber} has no payment part ${input.partIndex}.`, 'input', 'partIndex');
  const type = reverse ? 'PAYMENT_CHARGEBACK_REVERSED' : 'PAYMENT_CHARGED_BACK';
  const providerRef = part.providerRef ?? `part:${part.id}`;
  const prior = await em.findOne(PaymentEventRecord, { provider: OPERATOR, eventId: input.idempotencyKey });
  if (prior) {
    if (prior.type !== type || prior.providerRef !== providerRef) throw conflict('This idempotency key was already used for another request.', 'input', 'idempotencyKey');
    return transaction;
  }
  if (part.method !== 'CARD' && part.method !== 'PIX') {
    throw new AppError(ErrorCode.BAD_USER_INPUT, `Part ${input.partIndex} is paid by ${part.method.toLowerCase().replace('_', ' ')}, which cannot be charged back.`, ['input', 'partIndex']);
  }
  if (!reverse) {
    if (input.amount != null && (!Number.isSafeInteger(input.amount) || input.amount <= 0)) throw new AppError(ErrorCode.BAD_USER_INPUT, 'The amount is a positive number of centavos.', ['input', 'amount']);
    if (part.status === PaymentPartStatus.CHARGED_BACK) throw conflict(`Part ${input.partIndex} of cart ${cartNumber} is already charged back.`, 'input', 'partIndex');
    const left = part.capturedCents - part.refundedCents;
    if (left <= 0) throw conflict(`Part ${input.partIndex} of cart ${cartNumber} has nothing captured left to charge back.`, 'input', 'partIndex');
    if (input.amount != null && input.amount > left) throw new AppError(ErrorCode.BAD_USER_INPUT, `At most ${left} centavos of this part are left to charge back.`, ['input', 'amount']);
  } else if (part.status !== PaymentPartStatus.CHARGED_BACK) {
    throw conflict(`Part ${input.partIndex} of cart ${cartNumber} has no standing chargeback.`, 'input', 'partIndex');
  }
  const opts = { source: 'OPERATOR' as const, reference: input.idempotencyKey, reason: input.reason ?? null, viewer };
  const outcome = reverse
    ? await reverseChargebackOfPart(runtime, em, transaction, part, opts)
    : await chargeBackPart(runtime, em, transaction, part, { ...opts, requested: input.amount ?? part.capturedCents - part.refundedCents });
  em.persist(em.create(PaymentEventRecord, { provider: OPERATOR, eventId: input.idempotencyKey, type, providerRef, transaction, outcome }));
  return transaction;
}
