import type { EntityManager } from '@mikro-orm/postgresql';
import { LockMode } from '@mikro-orm/core';
import type { Runtime } from '../../shared/runtime/index.js';
import { money } from '../../shared/money/index.js';
import { isId } from '../../shared/db/ids.js';
import { addDays, dateIn } from '../../shared/time/index.js';
import { getSettings } from '../sellers/index.js';
import { conflict } from '../../shared/errors/index.js';
import { recordEvents, systemActor, type EventActor } from '../../shared/events/index.js';
import { LedgerAccount, LedgerEntryKind, postJournal } from '../finance/index.js';
import { Payout, PayoutItem, PayoutStatus, TransferState } from './payouts.entity.js';
import { Receivable, ReceivableStatus } from './receivables.entity.js';
import { TransferRejectedError, transferProvider, type TransferSnapshot } from './transfer.provider.js';
import { lockSellerPayouts } from './receivables.service.js';

/**
 * Transfers of payouts: asking the provider, applying what it answers (now, by webhook or by
 * polling), and the operator's confirmations. A payout is claimed in the database before its
 * transfer is sent (NOT_SENT → UNCERTAIN), so two processes never both send it; a request
 * whose answer was lost stays UNCERTAIN until the transfer is found by looking it up.
 */

const PROVIDER_ACTOR = (name: string) => systemActor(`transfer provider (${name})`);

/**
 * The date a lookup by creation date searches from: the day the payout was made in the store's
 * time zone, one day earlier for margin. Not its UTC date: a payout made in a São Paulo evening
 * is already tomorrow in UTC, while the provider (Asaas) dates the transfer by its own,
 * Brazilian, day — a search from the UTC date would miss it and leave the payout uncertain.
 */
async function lookupFrom(em: EntityManager, payout: Payout): Promise<string> {
  const { timeZone } = await getSettings(em);
  return addDays(dateIn(payout.createdAt, timeZone), -1);
}

/** Sends the payout's transfer if nobody has; applies the answer. Never throws for the provider's refusals. */
export async function submitTransfer(runtime: Runtime, payoutId: string): Promise<void> {
  const provider = transferProvider(runtime);
  const claim = await runtime.orm.em.fork().transactional(async (em) => {
    const rows = await em.execute<{ id: string }[]>(
      `update payout set transfer_state = ?, submitted_at = now(), updated_at = now() where id = ? and status = ? and transfer_state = ? returning id`,
      [TransferState.UNCERTAIN, payoutId, PayoutStatus.PROCESSING, TransferState.NOT_SENT],
    );
    if (!rows.length) return null;
    const payout = await em.findOneOrFail(Payout, { id: payoutId }, { refresh: true });
    return { payout, createdOn: dateIn(payout.createdAt, (await getSettings(em as EntityManager)).timeZone) };
  });
  if (!claim) return;
  const { payout: claimed, createdOn } = claim;
  if (!claimed.destination) {
    await failPayoutNow(runtime, payoutId, 'The seller has no bank data on file: add it, and the amount is paid in the next payout.', PROVIDER_ACTOR(provider.name));
    return;
  }
  let snapshot: TransferSnapshot;
  try {
    // The provider-operation lease (crash recovery of provider calls) belongs around this call.
    snapshot = await provider.send({
      payoutId,
      amount: money(claimed.amountCents, claimed.currency),
      destination: claimed.destination,
      description: `Repasse ${claimed.periodEnd}`,
      createdOn,
    });
  } catch (err) {
    if (err instanceof TransferRejectedError) {
      await failPayoutNow(runtime, payoutId, err.message, PROVIDER_ACTOR(provider.name));
      return;
    }
    // The answer was lost: the transfer may exist. The payout job looks it up; it is never sent again blindly.
    runtime.logger.warn({ err, payoutId }, 'payout transfer outcome unknown; it will be looked up');
    return;
  }
  await runtime.orm.em.fork().transactional((em) => applySnapshot(runtime, em as EntityManager, payoutId, snapshot, PROVIDER_ACTOR(provider.name)));
}

/** What the provider says about a payout's transfer, applied once (a final payout is left alone). */
export async function applySnapshot(runtime: Runtime, em: EntityManager, payoutId: string, snap: TransferSnapshot, actor: EventActor): Promise<Payout> {
  const payout = await em.findOneOrFail(Payout, { id: payoutId }, { lockMode: LockMode.PESSIMISTIC_WRITE, refresh: true });
  if (payout.status !== PayoutStatus.PROCESSING) {
    if (payout.status === PayoutStatus.FAILED && snap.outcome === 'DONE') {
      runtime.logger.error({ payoutId, transferId: snap.transferId }, 'a transfer of a payout already failed was reported done: reconcile by hand');
    }
    return payout;
  }
  payout.transferState = TransferState.SENT;
  if (snap.transferId) payout.transferId = snap.transferId;
  if (snap.outcome === 'DONE') markPaid(em, payout, snap.endToEndId, actor);
  else if (snap.outcome === 'FAILED') await markFailed(em, payout, snap.failureReason ?? 'The transfer failed.', actor);
  await em.flush();
  return payout;
}

function markPaid(em: EntityManager, payout: Payout, endToEndId: string | null, actor: EventActor): void {
  payout.status = PayoutStatus.PAID;
  payout.paidAt = new Date();
  if (endToEndId) payout.endToEndId = endToEndId;
  recordEvents(em, [{ type: 'payout.paid', aggregate: { type: 'payout', id: payout.id }, sellerId: payout.seller.id, actor, data: { amount: payout.amountCents, endToEndId } }]);
}

/**
 * The transfer failed: the payout's amount goes back to the seller's balance — each
 * receivable gives back what this payout took of it (a receivable it fully paid is AVAILABLE
 * again) and a PAYOUT entry books the money back — with the reason kept for the seller to see.
 */
async function markFailed(em: EntityManager, payout: Payout, reason: string, actor: EventActor): Promise<void> {
  await lockSellerPayouts(em, payout.seller.id);
  const items = await em.find(PayoutItem, { payout: payout.id });
  const receivables = await em.find(Receivable, { id: { $in: items.map((i) => i.receivable.id) } }, { lockMode: LockMode.PESSIMISTIC_WRITE, refresh: true });
  for (const item of items) {
    const r = receivables.find((x) => x.id === item.receivable.id)!;
    r.settledCents -= item.amountCents;
    if (r.status === ReceivableStatus.PAID && r.settledCents === 0) r.status = ReceivableStatus.SCHEDULED;
  }
  payout.status = PayoutStatus.FAILED;
  payout.failedAt = new Date();
  payout.failureReason = reason.slice(0, 2000);
  await em.flush();
  await postJournal(em, {
    kind: LedgerEntryKind.PAYOUT,
    reference: `payout-failed:${payout.id}`,
    memo: `Payout of ${payout.periodEnd} failed: ${reason.slice(0, 500)}`,
    currency: payout.currency,
    lines: [
      { account: LedgerAccount.PAYMENT_PROVIDER, debit: payout.amountCents },
      { account: LedgerAccount.SELLER_PAYABLE, sellerId: payout.seller.id, credit: payout.amountCents },
    ],
  });
  recordEvents(em, [{ type: 'payout.failed', aggregate: { type: 'payout', id: payout.id }, sellerId: payout.seller.id, actor, data: { amount: payout.amountCents, reason } }]);
}

async function failPayoutNow(runtime: Runtime, payoutId: string, reason: string, actor: EventActor): Promise<void> {
  await runtime.orm.em.fork().transactional(async (em) => {
    const payout = await em.findOneOrFail(Payout, { id: payoutId }, { lockMode: LockMode.PESSIMISTIC_WRITE, refresh: true });
    if (payout.status !== PayoutStatus.PROCESSING) return;
    await markFailed(em as EntityManager, payout, reason, actor);
    await em.flush();
  });
  runtime.logger.warn({ payoutId, reason }, 'payout transfer failed; the amount is back in the seller balance');
}

/** Locks a payout for an operator's decision; NOT_FOUND and the status rules are the caller's. */
async function lockPayout(em: EntityManager, payoutId: string): Promise<Payout> {
  return em.findOneOrFail(Payout, { id: payoutId }, { lockMode: LockMode.PESSIMISTIC_WRITE, refresh: true });
}

/** Operator staff confirm a manual payout with the bank's or the Pix end-to-end reference. */
export async function confirmManualPayout(em: EntityManager, payoutId: string, endToEndId: string, actor: EventActor): Promise<Payout> {
  const payout = await lockPayout(em, payoutId);
  if (payout.status === PayoutStatus.PAID) {
    if (payout.endToEndId === endToEndId) return payout;
    throw conflict(`This payout was already confirmed with reference ${payout.endToEndId ?? '(none)'}.`, 'input', 'endToEndId');
  }
  if (payout.status !== PayoutStatus.PROCESSING) throw conflict(`This payout is ${payout.status.toLowerCase().replace('_', ' ')} and cannot be confirmed.`, 'input', 'payoutId');
  if (payout.provider !== 'manual') throw conflict(`This payout is transferred by ${payout.provider}; its outcome comes from the provider.`, 'input', 'payoutId');
  payout.transferState = TransferState.SENT;
  markPaid(em, payout, endToEndId, actor);
  await em.flush();
  return payout;
}

/**
 * Operator staff record that a payout's transfer did not happen: a manual one the bank
 * refused, or a provider's whose request never arrived (UNCERTAIN and not found by lookup).
 */
export async function failPayoutByOperator(runtime: Runtime, em: EntityManager, payoutId: string, reason: string, actor: EventActor): Promise<Payout> {
  const payout = await lockPayout(em, payoutId);
  if (payout.status === PayoutStatus.FAILED) return payout;
  if (payout.status !== PayoutStatus.PROCESSING) throw conflict(`This payout is ${payout.status.toLowerCase().replace('_', ' ')} and cannot fail now.`, 'input', 'payoutId');
  if (payout.provider !== 'manual') {
    if (payout.transferState === TransferState.SENT) throw conflict(`${payout.provider} has this transfer; its outcome comes from the provider.`, 'input', 'payoutId');
    if (payout.transferState === TransferState.UNCERTAIN) {
      // Only when the provider confirms it has no such transfer.
      const found = await transferProvider(runtime).lookup({ payoutId, transferId: payout.transferId ?? null, createdOn: await lookupFrom(em, payout) });
      if (found) throw conflict(`${payout.provider} has this transfer (${found.providerStatus}); its outcome comes from the provider.`, 'input', 'payoutId');
    }
  }
  await markFailed(em, payout, reason, actor);
  await em.flush();
  return payout;
}

/** Asks the provider about a payout now (also what the payout job does for every open transfer). */
export async function refreshPayout(runtime: Runtime, payoutId: string): Promise<void> {
  const provider = transferProvider(runtime);
  const em = runtime.orm.em.fork();
  const payout = await em.findOne(Payout, { id: payoutId });
  if (!payout || payout.status !== PayoutStatus.PROCESSING || payout.provider !== provider.name || provider.manual) return;
  if (payout.transferState === TransferState.NOT_SENT) {
    await submitTransfer(runtime, payoutId);
    return;
  }
  const snap = await provider.lookup({ payoutId, transferId: payout.transferId ?? null, createdOn: await lookupFrom(em, payout) });
  if (!snap) {
    if (payout.transferState === TransferState.UNCERTAIN) runtime.logger.warn({ payoutId }, 'payout transfer not found at the provider; an operator may record it as failed');
    return;
  }
  await runtime.orm.em.fork().transactional((em) => applySnapshot(runtime, em as EntityManager, payoutId, snap, PROVIDER_ACTOR(provider.name)));
}

/** The payout job's pass over open transfers: send what was never sent, look up the rest. */
export async function reconcileTransfers(runtime: Runtime): Promise<number> {
  const provider = transferProvider(runtime);
  const open = await runtime.orm.em
    .fork()
    .find(Payout, { status: PayoutStatus.PROCESSING, provider: provider.name }, { fields: ['id', 'transferState'], orderBy: { createdAt: 'asc' }, limit: 500 });
  let looked = 0;
  for (const p of open) {
    if (provider.manual && p.transferState !== TransferState.NOT_SENT) continue;
    try {
      await refreshPayout(runtime, p.id);
      looked += 1;
    } catch (err) {
      runtime.logger.error({ err, payoutId: p.id }, 'could not reconcile a payout transfer; retried on the next pass');
    }
  }
  return looked;
}

/** A provider notification about a transfer: found by its external reference (our payout id) or its transfer id. */
export async function applyTransferNotification(runtime: Runtime, snap: TransferSnapshot): Promise<'APPLIED' | 'IGNORED'> {
  const provider = transferProvider(runtime);
  const em = runtime.orm.em.fork();
  const payout =
    (isId(snap.externalReference) ? await em.findOne(Payout, { id: snap.externalReference }) : null) ??
    (snap.transferId ? await em.findOne(Payout, { transferId: snap.transferId, provider: provider.name }) : null);
  if (!payout || payout.provider !== provider.name) return 'IGNORED';
  await em.transactional((tx) => applySnapshot(runtime, tx as EntityManager, payout.id, snap, PROVIDER_ACTOR(provider.name)));
  return 'APPLIED';
}
