import type { EntityManager } from '@mikro-orm/postgresql';
import type { Context } from '../../shared/runtime/index.js';
import { assertMay } from '../../shared/access/index.js';
import { AppError, ErrorCode, IDEMPOTENCY_KEY_RE, Validation, conflict, notFound } from '../../shared/errors/index.js';
import { isConnectionError } from '../../shared/db/resilience.js';
import { findById } from '../../shared/db/ids.js';
import { actorOf } from '../../shared/events/index.js';
import { isCalendarDate } from '../../shared/time/index.js';
import { paginate, type ConnectionArgs } from '../../shared/pagination/index.js';
import { enterChargeback, type OperatorChargebackInput } from '../payments/index.js';
import { PAYOUTS_ACCESS } from './payouts.access.js';
import { Payout, PayoutRun, PayoutRunTrigger } from './payouts.entity.js';
import { Chargeback } from './chargebacks.entity.js';
import { runPayouts } from './payout-run.service.js';
import { confirmManualPayout, failPayoutByOperator, refreshPayout } from './transfers.service.js';
import { storeToday } from './scope.js';

/** What operator staff do with payouts and chargebacks through GraphQL: checks first, then the use case. */

const KEY_MESSAGE = 'The idempotency key must be 8 to 200 letters, digits or . _ : -; send a fresh random one for each new request.';
const REFERENCE_RE = /^[A-Za-z0-9._:/-]{1,100}$/;

export async function runPayoutsByOperator(ctx: Context, input: { periodEnd: string; idempotencyKey: string }): Promise<PayoutRun> {
  assertMay(ctx.viewer, PAYOUTS_ACCESS.runPayouts);
  const { today } = await storeToday(ctx);
  const v = new Validation();
  const date = isCalendarDate(input.periodEnd);
  v.check(date, 'The period end is a date written YYYY-MM-DD.', ['input', 'periodEnd']);
  if (date) v.check(input.periodEnd <= today, `The period end cannot be after today (${today}, store time zone): receivables are paid once they are available.`, ['input', 'periodEnd']);
  v.check(IDEMPOTENCY_KEY_RE.test(input.idempotencyKey), KEY_MESSAGE, ['input', 'idempotencyKey']);
  v.throwIfAny();
  return runPayouts(ctx.runtime, {
    periodEnd: input.periodEnd,
    idempotencyKey: input.idempotencyKey,
    trigger: PayoutRunTrigger.OPERATOR,
    requestedById: ctx.viewer.kind === 'OPERATOR' ? ctx.viewer.user.id : null,
    actor: actorOf(ctx.viewer),
  });
}

async function payoutFor(em: EntityManager, id: string): Promise<Payout> {
  const payout = await findById(em, Payout, id);
  if (!payout) throw notFound('No payout has this id.', 'input', 'payoutId');
  return payout;
}

export async function confirmPayout(ctx: Context, em: EntityManager, input: { payoutId: string; endToEndId: string }): Promise<Payout> {
  assertMay(ctx.viewer, PAYOUTS_ACCESS.runPayouts);
  const reference = input.endToEndId.trim();
  const v = new Validation();
  v.check(REFERENCE_RE.test(reference), 'The Pix end-to-end id or bank reference: 1 to 100 letters, digits or . _ : / -.', ['input', 'endToEndId']);
  v.throwIfAny();
  await payoutFor(em, input.payoutId);
  return confirmManualPayout(em, input.payoutId, reference, actorOf(ctx.viewer));
}

export async function failPayout(ctx: Context, em: EntityManager, input: { payoutId: string; reason: string }): Promise<Payout> {
  assertMay(ctx.viewer, PAYOUTS_ACCESS.runPayouts);
  const reason = input.reason.trim();
  const v = new Validation();
  v.check(reason.length >= 3 && reason.length <= 500 && !reason.includes('\u0000'), 'Give a reason of 3 to 500 characters; the seller sees it.', ['input', 'reason']);
  v.throwIfAny();
  await payoutFor(em, input.payoutId);
  return askingProvider(() => failPayoutByOperator(ctx.runtime, em, input.payoutId, reason, actorOf(ctx.viewer)));
}

/**
 * An operator's action that asks the transfer provider: whatever the adapter throws (a time-out,
 * an answer it cannot read) is a typed PAYMENT_UNAVAILABLE with nothing changed, never a 500.
 */
async function askingProvider<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (err) {
    if (err instanceof AppError || isConnectionError(err)) throw err;
    throw new AppError(ErrorCode.PAYMENT_UNAVAILABLE, `The transfer provider could not be asked about this payout (${err instanceof Error ? err.message.slice(0, 200) : 'no answer'}); nothing changed, try again later.`, ['input', 'payoutId']);
  }
}

export async function refreshPayoutByOperator(ctx: Context, input: { payoutId: string }): Promise<Payout> {
  assertMay(ctx.viewer, PAYOUTS_ACCESS.runPayouts);
  await payoutFor(ctx.em, input.payoutId);
  await askingProvider(() => refreshPayout(ctx.runtime, input.payoutId));
  return ctx.em.fork().findOneOrFail(Payout, { id: input.payoutId });
}

export type ChargebackInput = OperatorChargebackInput;

function checkChargebackInput(input: ChargebackInput): void {
  const v = new Validation();
  v.check(Number.isInteger(input.partIndex) && input.partIndex >= 0 && input.partIndex < 10, 'The payment part, 0-based, in the order the buyer entered them.', ['input', 'partIndex']);
  if (input.reason != null) v.check(input.reason.length <= 500 && !input.reason.includes('\u0000'), 'At most 500 characters.', ['input', 'reason']);
  v.check(IDEMPOTENCY_KEY_RE.test(input.idempotencyKey), KEY_MESSAGE, ['input', 'idempotencyKey']);
  v.throwIfAny();
}

async function chargebackOf(em: EntityManager, cartNumber: string, partIndex: number): Promise<Chargeback> {
  // The part's latest: a part charged back again after a won dispute has one per chargeback.
  const chargeback = await em.findOne(Chargeback, { cartNumber: cartNumber.trim(), partIndex }, { orderBy: { createdAt: 'desc', id: 'desc' } });
  // A part charged back before chargebacks were booked has payment figures but no chargeback record.
  if (!chargeback) throw conflict('This payment part has no chargeback on record.', 'input', 'partIndex');
  return chargeback;
}

/** Operator staff enter a chargeback the acquirer reported: the same path as a provider's notification. */
export async function recordChargeback(ctx: Context, em: EntityManager, input: ChargebackInput): Promise<Chargeback> {
  assertMay(ctx.viewer, PAYOUTS_ACCESS.manageChargebacks);
  checkChargebackInput(input);
  await enterChargeback(ctx.runtime, em, input, ctx.viewer);
  await em.flush();
  return chargebackOf(em, input.cartNumber, input.partIndex);
}

/** The dispute was won: what the chargeback took is credited back to whoever bore it. */
export async function reverseChargeback(ctx: Context, em: EntityManager, input: ChargebackInput): Promise<Chargeback> {
  assertMay(ctx.viewer, PAYOUTS_ACCESS.manageChargebacks);
  checkChargebackInput(input);
  await enterChargeback(ctx.runtime, em, input, ctx.viewer, true);
  await em.flush();
  return chargebackOf(em, input.cartNumber, input.partIndex);
}

export async function listChargebacks(ctx: Context, filter: { cartNumber?: string | null }, args: ConnectionArgs) {
  assertMay(ctx.viewer, PAYOUTS_ACCESS.readChargebacks);
  return paginate(ctx.em, Chargeback, filter.cartNumber ? { cartNumber: filter.cartNumber.trim() } : {}, args, { createdAt: 'asc' });
}
