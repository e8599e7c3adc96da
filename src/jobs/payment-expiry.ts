import type { Runtime } from '../shared/runtime/index.js';
import { expireUnpaidTransactions } from '../modules/payments/index.js';
import { startPeriodic } from './periodic.js';

export interface PaymentExpiryOptions {
  pollMs: number;
  /** How long stop() waits for a pass in progress (a hung provider call must not hold shutdown). */
  stopTimeoutMs?: number;
}

export interface PaymentExpiryJob {
  /** Expires what is due now; returns how many transactions expired. */
  runOnce(): Promise<number>;
  stop(): Promise<void>;
}

/**
 * Every `pollMs`, expires carts whose Pix or bank deposit was not paid in time (their orders
 * are cancelled and stock returned through the payment lifecycle). Several processes may run
 * it: each transaction is claimed with SKIP LOCKED, so none is expired twice.
 */
export function startPaymentExpiryJob(runtime: Runtime, opts: PaymentExpiryOptions): PaymentExpiryJob {
  const stopTimeoutMs = opts.stopTimeoutMs ?? 10_000;
  const job = startPeriodic({
    pollMs: opts.pollMs,
    stopTimeoutMs,
    tick: async () => {
      const n = await expireUnpaidTransactions(runtime);
      if (n) runtime.logger.info({ expired: n }, 'unpaid payment transactions expired');
    },
    onError: (err) => runtime.logger.error({ err }, 'payment expiry pass failed'),
  });
  return {
    runOnce: () => job.track(expireUnpaidTransactions(runtime)),
    stop: async () => {
      if (!(await job.stop())) runtime.logger.warn({ stopTimeoutMs }, 'payment expiry job stopped while a pass was still running');
    },
  };
}
