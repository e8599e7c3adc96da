import type { MikroORM } from '@mikro-orm/postgresql';
import type { Logger } from 'pino';
import { runConsumer, unhandledCount, type EventConsumer } from '../shared/events/index.js';
import { startPeriodic } from './periodic.js';

export interface EventDispatcher {
  /** Runs every consumer until it has caught up; returns how many events were handled. */
  runOnce(): Promise<number>;
  /**
   * Runs passes until every committed event is handled, or `timeoutMs` passes (events behind a
   * transaction still running elsewhere on the server wait for it). Returns whether it caught up.
   */
  drain(timeoutMs: number): Promise<boolean>;
  stop(): Promise<void>;
}

/**
 * Feeds committed domain events to their consumers (e-mails today; webhooks later) every
 * `pollMs`. Consumers are independent: one that fails is retried on the next pass and does
 * not hold the others back.
 */
export function startEventDispatcher(orm: MikroORM, consumers: readonly EventConsumer[], opts: { pollMs: number; logger: Logger; batchSize?: number }): EventDispatcher {
  const batchSize = opts.batchSize ?? 100;
  let job: ReturnType<typeof startPeriodic> | undefined;

  async function pass(): Promise<number> {
    let handled = 0;
    for (const consumer of consumers) {
      try {
        for (;;) {
          const n = await runConsumer(orm, consumer, batchSize);
          handled += n;
          if (n < batchSize || job?.stopped) break;
        }
      } catch (err) {
        opts.logger.error({ err, consumer: consumer.name }, 'event consumer failed; it will retry');
      }
    }
    return handled;
  }

  job = startPeriodic({ pollMs: opts.pollMs, stopTimeoutMs: 10_000, tick: pass, onError: (err) => opts.logger.error({ err }, 'event dispatch failed') });
  const caughtUp = async () => {
    for (const consumer of consumers) if ((await unhandledCount(orm, consumer)) > 0) return false;
    return true;
  };

  return {
    runOnce: () => job!.track(pass()),
    drain: async (timeoutMs) => {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        await job!.track(pass());
        if (await caughtUp()) return true;
        if (Date.now() > deadline) return false;
        await new Promise((r) => setTimeout(r, 20));
      }
    },
    stop: async () => {
      await job!.stop();
    },
  };
}
