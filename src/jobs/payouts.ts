import type { Runtime } from '../shared/runtime/index.js';
import { CALENDAR_ACTOR, PayoutRunTrigger, lastPeriodEnd, payoutCalendarOf, reconcileTransfers, runPayouts, storeSettingsOf } from '../modules/payouts/index.js';
import { dateIn } from '../shared/time/index.js';
import { startPeriodic } from './periodic.js';

export interface PayoutJob {
  /** One pass: the calendar's latest period end is paid (once: its run is keyed by the date), then open transfers are reconciled. */
  runOnce(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Every `pollMs`: runs the payouts of the latest period end of the store's calendar (keyed
 * `calendar:<date>`, so each date runs once whichever instance gets there, and a date missed
 * while the app was down runs on the next pass), then sends transfers never sent and looks
 * up the open ones (a lost answer is settled by lookup, never by sending again).
 */
export function startPayoutJob(runtime: Runtime, opts: { pollMs: number; stopTimeoutMs?: number }): PayoutJob {
  const stopTimeoutMs = opts.stopTimeoutMs ?? 10_000;
  const pass = async () => {
    const settings = await storeSettingsOf(runtime);
    const periodEnd = lastPeriodEnd(dateIn(new Date(), settings.timeZone), payoutCalendarOf(settings));
    await runPayouts(runtime, { periodEnd, idempotencyKey: `calendar:${periodEnd}`, trigger: PayoutRunTrigger.CALENDAR, actor: CALENDAR_ACTOR });
    await reconcileTransfers(runtime);
  };
  const job = startPeriodic({ pollMs: opts.pollMs, stopTimeoutMs, tick: pass, onError: (err) => runtime.logger.error({ err }, 'payout job pass failed') });
  return {
    runOnce: () => job.track(pass()),
    stop: async () => {
      if (!(await job.stop())) runtime.logger.warn({ stopTimeoutMs }, 'payout job stopped while a pass was still running');
    },
  };
}
