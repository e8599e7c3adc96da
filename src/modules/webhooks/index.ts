// Outgoing webhooks: subscriptions, the event consumer that queues deliveries, and their sender.
import { WebhookResolver } from './webhooks.resolver.js';
import { WebhookDelivery as DeliveryEntity, WebhookSubscription as SubscriptionEntity } from './webhooks.entity.js';
export const webhookResolvers = [WebhookResolver] as const;
export const webhookEntities = [SubscriptionEntity, DeliveryEntity] as const;
export { webhookRules } from './webhooks.rules.js';

// Used by the app's assembly and jobs.
export { WEBHOOKS, loadWebhooksConfig, type WebhooksConfig, type WebhooksRuntime } from './webhooks.config.js';
export { webhookConsumer } from './webhooks.consumer.js';
export { deliverDueWebhooks, retryDelayMs } from './webhooks.delivery.js';
export { WebhookSubscription, WebhookDelivery, WebhookDeliveryStatus, WebhookSubscriptionStatus } from './webhooks.entity.js';
