import type { Runtime } from '../app/context.js';
import { expireUnpaidTransactions } from '../modules/payments/index.js';

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
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  const inFlight = new Set<Promise<unknown>>();

  function track<T>(p: Promise<T>): Promise<T> {
    inFlight.add(p);
    const done = () => inFlight.delete(p);
    p.then(done, done);
    return p;
  }

  const runOnce = () => track(expireUnpaidTransactions(runtime));

  function schedule() {
    if (stopped) return;
    timer = setTimeout(() => {
      void runOnce()
        .then((n) => n && runtime.logger.info({ expired: n }, 'unpaid payment transactions expired'))
        .catch((err) => runtime.logger.error({ err }, 'payment expiry pass failed'))
        .finally(schedule);
    }, opts.pollMs);
    timer.unref();
  }
  schedule();

  return {
    runOnce,
    stop: async () => {
      stopped = true;
      if (timer) clearTimeout(timer);
      let timeout: NodeJS.Timeout | undefined;
      const waited = await Promise.race([
        Promise.allSettled([...inFlight]).then(() => true),
        new Promise<boolean>((resolve) => (timeout = setTimeout(() => resolve(false), stopTimeoutMs))),
      ]);
      clearTimeout(timeout);
      if (!waited) runtime.logger.warn({ stopTimeoutMs }, 'payment expiry job stopped while a pass was still running');
    },
  };
}
