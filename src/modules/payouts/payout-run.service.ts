import { DeadlockException } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { randomUUID } from 'node:crypto';
import type { Runtime } from '../../shared/runtime/index.js';
import { conflict } from '../../shared/errors/index.js';
import { noteFailure, noteSuccess, type AttentionPolicy } from '../../shared/attention/index.js';
import { recordEvents, systemActor, type EventActor } from '../../shared/events/index.js';
import { LedgerAccount, LedgerEntryKind, postJournal } from '../finance/index.js';
import { Seller, getSettings } from '../sellers/index.js';
import { Payout, PayoutItem, PayoutRun, PayoutRunTrigger, PayoutStatus, TransferState, type PayoutDestination } from './payouts.entity.js';
import { Receivable, ReceivableStatus } from './receivables.entity.js';
import { dueBy, lockSellerPayouts, outstanding, receivableFigures, syncSellerReceivables } from './receivables.service.js';
import { settlementRuleOf } from './settlement.js';
import { submitTransfer } from './transfers.service.js';
import { transferProvider } from './transfer.provider.js';

/**
 * Payout runs. A run (one idempotency key, one period end) looks at every guest seller, each
 * in a database transaction of its own that:
 *   1. takes the seller's payout lock (a transaction-scoped advisory lock): runs, failures and
 *      other instances touching the seller's receivables queue here;
 *   2. stops if the seller already has a payout for this period end (unique in the database);
 *   3. brings the seller's open receivables in line with their orders;
 *   4. takes every receivable whose outstanding amount is due by the period end (credits
 *      available by then; debits whenever they arose) with its row locked, and
 *   5. pays the sum — one payout, its items, the receivables' settled amounts and a ledger
 *      PAYOUT entry — or, when debits exceed credits, records a CARRIED_FORWARD payout that
 *      pays and settles nothing.
 * The transfers are asked for after the transactions commit (transfers.service).
 * Because each receivable's settled amount moves under its row lock and the seller lock, two
 * runs at once — on one instance or two — pay each receivable once.
 */

export interface RunPayoutsInput {
  periodEnd: string;
  idempotencyKey: string;
  trigger: PayoutRunTrigger;
  requestedById?: string | null;
  actor: EventActor;
}

/** Claims the run's key (or finds it); the same key with another period end is a CONFLICT. */
async function claimRun(em: EntityManager, input: RunPayoutsInput): Promise<PayoutRun> {
  await em.execute(
    `insert into payout_run (id, created_at, updated_at, idempotency_key, period_end, trigger, requested_by_id)
     values (?, now(), now(), ?, ?, ?, ?) on conflict (idempotency_key) do nothing`,
    [randomUUID(), input.idempotencyKey, input.periodEnd, input.trigger, input.requestedById ?? null],
  );
  const run = await em.findOneOrFail(PayoutRun, { idempotencyKey: input.idempotencyKey }, { refresh: true });
  if (run.periodEnd !== input.periodEnd) {
    throw conflict(`This idempotency key already ran payouts for ${run.periodEnd}.`, 'input', 'idempotencyKey');
  }
  return run;
}

/** Failures of one seller's payout go on the operators' attention list (attentionItems) under this source. */
export const PAYOUT_RUN_ATTENTION: AttentionPolicy = { source: 'payout-run' };

/** Runs (or finishes, or repeats) the payouts of one period end. Returns the run. */
export async function runPayouts(runtime: Runtime, input: RunPayoutsInput): Promise<PayoutRun> {
  const run = await runtime.orm.em.fork().transactional((em) => claimRun(em as EntityManager, input));
  if (!run.completedAt) {
    const sellers = await runtime.orm.em.fork().find(Seller, { isAdmin: false }, { fields: ['id', 'name'], orderBy: { id: 'asc' } });
    let failed = 0;
    for (const seller of sellers) {
      // One seller's failure (its transaction rolled back) stops neither the others' payouts nor the run.
      try {
        await payOneSeller(runtime, run, seller.id, input.actor);
        await noteSuccess(runtime.orm, PAYOUT_RUN_ATTENTION.source, seller.id);
      } catch (err) {
        failed += 1;
        const note = await noteFailure(runtime.orm, PAYOUT_RUN_ATTENTION, { id: seller.id, label: `Payout of ${seller.name} for ${run.periodEnd}` }, err).catch(() => null);
        runtime.logger.error({ err, sellerId: seller.id, periodEnd: run.periodEnd, failures: note?.failures }, 'payout of a seller failed; the run goes on without it');
      }
    }
    // A run with a failed seller stays open: repeating its key (the calendar job's next pass)
    // tries the sellers without a payout for the period end again, and pays nothing twice.
    if (!failed) {
      await runtime.orm.em.fork().nativeUpdate(PayoutRun, { id: run.id }, { completedAt: new Date() });
      run.completedAt = new Date();
    }
  }
  // Transfers of this run not asked for yet (a repeat finishes what an interrupted run left).
  const waiting = await runtime.orm.em.fork().find(Payout, { run: run.id, status: PayoutStatus.PROCESSING, transferState: TransferState.NOT_SENT }, { fields: ['id'], orderBy: { id: 'asc' } });
  for (const payout of waiting) {
    try {
      await submitTransfer(runtime, payout.id);
    } catch (err) {
      runtime.logger.error({ err, payoutId: payout.id }, 'payout transfer could not be submitted; the payout job retries it');
    }
  }
  return run;
}

/** One seller's payout in a transaction of its own, tried again if PostgreSQL broke a deadlock against it. */
async function payOneSeller(runtime: Runtime, run: PayoutRun, sellerId: string, actor: EventActor): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await runtime.orm.em.fork().transactional((em) => paySeller(runtime, em as EntityManager, run, sellerId, actor));
      return;
    } catch (err) {
      if (!(err instanceof DeadlockException) || attempt >= 3) throw err;
      runtime.logger.warn({ sellerId, attempt }, 'payout of a seller hit a deadlock; retrying');
    }
  }
}

async function paySeller(runtime: Runtime, em: EntityManager, run: PayoutRun, sellerId: string, actor: EventActor): Promise<void> {
  await lockSellerPayouts(em, sellerId);
  if (await em.count(Payout, { seller: sellerId, periodEnd: run.periodEnd })) return;
  const settings = await getSettings(em);
  await syncSellerReceivables(em, sellerId, settlementRuleOf(settings));
  const figures = await receivableFigures(em, 'r.seller_id = ?', [sellerId], { forUpdate: true });
  const due = figures.filter((r) => dueBy(r, run.periodEnd));
  if (!due.length) return;
  const total = due.reduce((s, r) => s + outstanding(r), 0);
  const seller = await em.findOneOrFail(Seller, { id: sellerId });
  const payout = em.create(Payout, {
    seller,
    run: em.getReference(PayoutRun, run.id),
    periodEnd: run.periodEnd,
    status: total > 0 ? PayoutStatus.PROCESSING : PayoutStatus.CARRIED_FORWARD,
    amountCents: total,
    currency: settings.currency,
    provider: total > 0 ? transferProvider(runtime).name : null,
    destination: total > 0 ? destinationOf(seller) : null,
  });
  em.persist(payout);
  if (total > 0) {
    const byId = new Map((await em.find(Receivable, { id: { $in: figures.map((r) => r.id) } })).map((r) => [r.id, r]));
    for (const r of due) {
      const out = outstanding(r);
      const row = byId.get(r.id)!;
      em.persist(em.create(PayoutItem, { payout, receivable: row, amountCents: out }));
      row.settledCents += out;
      if (out > 0) row.status = ReceivableStatus.PAID;
    }
    // A receivable whose debit was taken early is paid off once it comes due with nothing left.
    for (const r of figures) {
      if (r.status === ReceivableStatus.SCHEDULED && r.availableOn && r.availableOn <= run.periodEnd && outstanding(r) === 0 && r.settled !== 0) byId.get(r.id)!.status = ReceivableStatus.PAID;
    }
    await em.flush();
    await postJournal(em, {
      kind: LedgerEntryKind.PAYOUT,
      reference: `payout:${payout.id}`,
      memo: `Payout to ${seller.name} for the period ending ${run.periodEnd}.`,
      currency: settings.currency,
      lines: [
        { account: LedgerAccount.SELLER_PAYABLE, sellerId, debit: total },
        { account: LedgerAccount.PAYMENT_PROVIDER, credit: total },
      ],
    });
  }
  recordEvents(em, [
    {
      type: total > 0 ? 'payout.created' : 'payout.carried_forward',
      aggregate: { type: 'payout', id: payout.id },
      sellerId,
      actor,
      data: { periodEnd: run.periodEnd, amount: total, currency: settings.currency, runId: run.id },
    },
  ]);
  await em.flush();
}

/** Where the transfer goes: the seller's bank data as it is now (null: nowhere to send it). */
function destinationOf(seller: Seller): PayoutDestination | null {
  const b = seller.bankData;
  if (!b) return null;
  return { pixKey: b.pixKey ?? null, bankCode: b.bankCode, branch: b.branch, account: b.account, accountType: b.accountType, holderName: b.holderName, holderDocument: b.holderDocument };
}

export const CALENDAR_ACTOR = systemActor('payout calendar');
