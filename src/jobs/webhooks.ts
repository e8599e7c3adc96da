import type { Runtime } from '../shared/runtime/index.js';
import { deliverDueWebhooks } from '../modules/webhooks/index.js';
import { startPeriodic } from './periodic.js';

const BATCH = 20;

export interface WebhookJob {
  /** Sends what is due now; returns how many attempts were made. */
  runOnce(): Promise<number>;
  stop(): Promise<void>;
}

/**
 * Every `pollMs`, sends the webhook deliveries that are due (first attempts and retries).
 * Several processes may run it: deliveries are claimed with SKIP LOCKED and a lease.
 */
export function startWebhookJob(runtime: Runtime, opts: { pollMs: number; stopTimeoutMs?: number }): WebhookJob {
  const stopTimeoutMs = opts.stopTimeoutMs ?? 15_000;
  const drain = async () => {
    let total = 0;
    for (;;) {
      const n = await deliverDueWebhooks(runtime, BATCH);
      total += n;
      // Another pass only when the batch was full: a retry that falls due meanwhile waits for the next poll.
      if (n < BATCH || job.stopped) return total;
    }
  };
  const job = startPeriodic({ pollMs: opts.pollMs, stopTimeoutMs, tick: drain, onError: (err) => runtime.logger.error({ err }, 'webhook delivery pass failed') });
  return {
    runOnce: () => job.track(drain()),
    stop: async () => {
      if (!(await job.stop())) runtime.logger.warn({ stopTimeoutMs }, 'webhook job stopped while deliveries were in flight');
    },
  };
}
