import type { MikroORM } from '@mikro-orm/postgresql';
import type { Logger } from 'pino';
import { runConsumer, type EventConsumer } from '../shared/events/index.js';
import { startPeriodic } from './periodic.js';

export interface EventDispatcher {
  /** Runs every consumer until it has caught up; returns how many events were handled. */
  runOnce(): Promise<number>;
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
  return {
    runOnce: () => job!.track(pass()),
    stop: async () => {
      await job!.stop();
    },
  };
}
