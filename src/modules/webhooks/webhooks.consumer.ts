import type { EventConsumer, StoredEvent } from '../../shared/events/index.js';
import { webhookTypes } from '../../shared/events/index.js';
import { WebhookDelivery, WebhookSubscription, WebhookSubscriptionStatus } from './webhooks.entity.js';

/** The JSON body a receiver gets for an event (Standard Webhooks' `type`, `timestamp`, `data`). */
export function webhookBody(event: StoredEvent): string {
  return JSON.stringify({
    type: event.type,
    timestamp: event.occurredAt.toISOString(),
    data: {
      id: event.aggregateId,
      entity: event.aggregateType,
      code: event.aggregateCode,
      sellerId: event.sellerId,
      position: event.position,
      changes: event.data,
    },
  });
}

/**
 * Queues one delivery per matching subscription for each committed event (an EventConsumer:
 * the deliveries and the consumer's cursor commit together, so each event is queued once).
 * A seller's subscription matches only that seller's events; a store-wide one every event.
 * Events from before a subscription existed are not sent to it.
 */
export const webhookConsumer: EventConsumer = {
  name: 'webhooks',
  types: webhookTypes(),
  handle: async (em, event) => {
    const subscriptions = await em.find(WebhookSubscription, {
      status: { $in: [WebhookSubscriptionStatus.ACTIVE, WebhookSubscriptionStatus.PAUSED] },
      ...(event.sellerId ? { $or: [{ seller: null }, { seller: event.sellerId }] } : { seller: null }),
      createdAt: { $lte: event.occurredAt },
    });
    for (const s of subscriptions) {
      if (!s.eventTypes.includes(event.type)) continue;
      em.persist(
        em.create(WebhookDelivery, {
          subscription: s,
          eventId: event.id,
          eventType: event.type,
          body: webhookBody(event),
          nextAttemptAt: new Date(),
        }),
      );
    }
  },
};
