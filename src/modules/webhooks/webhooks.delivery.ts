import { LockMode } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Runtime } from '../../shared/runtime/index.js';
import { enqueueEmail } from '../../shared/outbox/outbox.js';
import { WEBHOOKS, type WebhooksConfig } from './webhooks.config.js';
import { WebhookDelivery, WebhookDeliveryStatus, WebhookSubscription, WebhookSubscriptionStatus } from './webhooks.entity.js';
import { sendWebhook, type SendResult } from './webhooks.sender.js';

/**
 * The wait before retry number `attempt` (1 = the first retry): exponential from
 * WEBHOOK_RETRY_BASE_MS, doubling, capped at WEBHOOK_RETRY_MAX_DELAY_MS, with "equal jitter"
 * (a uniform draw in the upper half) so receivers coming back up are not hit in lock-step.
 */
export function retryDelayMs(attempt: number, cfg: Pick<WebhooksConfig, 'WEBHOOK_RETRY_BASE_MS' | 'WEBHOOK_RETRY_MAX_DELAY_MS'>, random: () => number = Math.random): number {
  const ceiling = Math.min(cfg.WEBHOOK_RETRY_MAX_DELAY_MS, cfg.WEBHOOK_RETRY_BASE_MS * 2 ** Math.min(attempt - 1, 40));
  return Math.round(ceiling / 2 + random() * (ceiling / 2));
}

/**
 * Sends the deliveries that are due, at most `batch` per call; returns how many were attempted.
 * Each is claimed with a lease in a short transaction (SKIP LOCKED: several instances share
 * the work), sent with no transaction open, and its outcome recorded under the row's lock.
 * Subscriptions that are paused or deleted are skipped; their deliveries wait.
 */
export async function deliverDueWebhooks(runtime: Runtime, batch = 20): Promise<number> {
  const { config } = runtime.services.get(WEBHOOKS);
  const leaseMs = config.WEBHOOK_TIMEOUT_MS + 30_000;
  const claimed = await runtime.orm.em.fork().transactional(async (em) =>
    (em as EntityManager).execute<{ id: string }[]>(
      `update webhook_delivery set lease_until = now() + (? * interval '1 millisecond')
        where id in (select d.id from webhook_delivery d join webhook_subscription s on s.id = d.subscription_id
                      where d.status = 'PENDING' and d.next_attempt_at <= now() and s.status = 'ACTIVE'
                        and (d.lease_until is null or d.lease_until < now())
                      order by d.next_attempt_at limit ? for update of d skip locked)
        returning id`,
      [leaseMs, batch],
    ),
  );
  await Promise.all(claimed.map((row) => attempt(runtime, row.id)));
  return claimed.length;
}

async function attempt(runtime: Runtime, deliveryId: string): Promise<void> {
  const { config, secrets } = runtime.services.get(WEBHOOKS);
  const em = runtime.orm.em.fork();
  const delivery = await em.findOneOrFail(WebhookDelivery, { id: deliveryId }, { populate: ['subscription'] });
  const [row] = await em.execute<{ secret_sealed: string }[]>('select secret_sealed from webhook_subscription where id = ?', [delivery.subscription.id]);
  const secret = row ? secrets.open(row.secret_sealed) : null;
  const startedAt = new Date();
  const result: SendResult = secret
    ? await sendWebhook({
        url: delivery.subscription.getEntity().url,
        secret,
        message: { id: delivery.eventId, timestamp: startedAt, body: delivery.body },
        timeoutMs: config.WEBHOOK_TIMEOUT_MS,
        allowPrivate: config.WEBHOOK_ALLOW_PRIVATE,
      })
    : { ok: false, status: null, latencyMs: 0, error: 'the signing secret cannot be read (was APP_SECRET changed?): create the subscription again' };
  await runtime.orm.em.fork().transactional((tx) => record(tx as EntityManager, config, deliveryId, startedAt, result));
}

/** The outcome of one attempt: done, retried later, or failed for good (and the subscription paused when it keeps failing). */
async function record(em: EntityManager, config: WebhooksConfig, deliveryId: string, at: Date, result: SendResult): Promise<void> {
  // Lock order: the subscription, then its delivery (redelivery and resumption take them the same way).
  const d0 = await em.findOneOrFail(WebhookDelivery, { id: deliveryId });
  const sub = await em.findOneOrFail(WebhookSubscription, { id: d0.subscription.id }, { lockMode: LockMode.PESSIMISTIC_WRITE });
  const d = await em.findOneOrFail(WebhookDelivery, { id: deliveryId }, { lockMode: LockMode.PESSIMISTIC_WRITE, refresh: true });
  d.attempts += 1;
  d.lastAttemptAt = at;
  d.lastResponseCode = result.status;
  d.lastLatencyMs = result.latencyMs;
  d.lastError = result.error?.slice(0, 500) ?? null;
  d.leaseUntil = null;
  d.windowStartedAt ??= at;
  if (result.ok) {
    d.status = WebhookDeliveryStatus.SUCCEEDED;
    d.completedAt = new Date();
    sub.consecutiveFailures = 0;
    return;
  }
  const next = new Date(Date.now() + retryDelayMs(d.attempts, config));
  if (next.getTime() - d.windowStartedAt.getTime() <= config.WEBHOOK_RETRY_WINDOW_MS) {
    d.nextAttemptAt = next;
    return;
  }
  d.status = WebhookDeliveryStatus.FAILED;
  d.completedAt = new Date();
  sub.consecutiveFailures += 1;
  if (sub.status === WebhookSubscriptionStatus.ACTIVE && sub.consecutiveFailures >= config.WEBHOOK_PAUSE_AFTER_FAILURES) {
    sub.status = WebhookSubscriptionStatus.PAUSED;
    sub.pausedAt = new Date();
    enqueueEmail(em, 'webhook.paused', {
      to: sub.contactEmail,
      subject: 'Webhook paused: deliveries keep failing',
      text: [
        `Your webhook subscription to ${sub.url} was paused after ${sub.consecutiveFailures} deliveries in a row failed.`,
        `Last attempt: ${result.status ? `HTTP ${result.status}` : result.error ?? 'no answer'}.`,
        '',
        'New events keep queueing. Fix the endpoint, then resume the subscription (resumeWebhookSubscription); failed deliveries can be sent again with redeliverWebhook.',
      ].join('\n'),
    });
  }
}
