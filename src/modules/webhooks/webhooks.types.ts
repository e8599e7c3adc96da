import { ArgsType, Field, ID, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import { DateTimeResolver } from 'graphql-scalars';
import { UserError } from '../../shared/errors/index.js';
import { ConnectionArgs, ConnectionType } from '../../shared/pagination/index.js';
import { WebhookDeliveryStatus, WebhookSubscriptionStatus } from './webhooks.entity.js';

registerEnumType(WebhookSubscriptionStatus, {
  name: 'WebhookSubscriptionStatus',
  description: 'Whether a webhook subscription sends deliveries.',
  valuesConfig: {
    ACTIVE: { description: 'Events are delivered as they happen.' },
    PAUSED: { description: 'Deliveries kept failing, so sending stopped (the contact was e-mailed); new events still queue. Resume it once the endpoint works.' },
    DISABLED: { description: 'Deleted: nothing more is queued or sent; the delivery log stays readable.' },
  },
});

registerEnumType(WebhookDeliveryStatus, {
  name: 'WebhookDeliveryStatus',
  description: 'Where one delivery of one event stands.',
  valuesConfig: {
    PENDING: { description: 'Not delivered yet: waiting for its first attempt or for a retry (see nextAttemptAt).' },
    SUCCEEDED: { description: 'The endpoint answered with a 2xx status.' },
    FAILED: { description: 'Every attempt within the retry window failed; ask for a redelivery once the endpoint works.' },
  },
});

@ObjectType('WebhookEventType', { description: 'An event type webhooks can subscribe to, from the store\'s event catalogue.' })
export class WebhookEventTypeType {
  @Field(() => String, { description: 'The type, e.g. `order.shipped`; sent as `type` in the body.' })
  type!: string;

  @Field(() => String, { description: 'What happened.' })
  description!: string;

  @Field(() => [String], { description: 'The keys of `data.changes` in the body (and of `changes` in the change feeds).' })
  fields!: string[];

  @Field(() => String, { nullable: true, description: 'The change feed that carries it too: ORDERS (orderChanges) or CATALOG (catalogChanges); null when none does.' })
  feed!: string | null;
}

@ObjectType('WebhookSubscription', {
  description:
    'An HTTPS endpoint that receives events, signed in the Standard Webhooks format (headers webhook-id, webhook-timestamp, webhook-signature: v1,HMAC-SHA256 with the subscription\'s secret). Body: `{ type, timestamp, data: { id, entity, code, sellerId, position, changes } }`.',
})
export class WebhookSubscriptionType {
  @Field(() => ID, { description: 'The subscription\'s id.' })
  id!: string;

  @Field(() => String, { description: 'Where deliveries are POSTed.' })
  url!: string;

  @Field(() => [String], { description: 'The event types it receives.' })
  eventTypes!: string[];

  @Field(() => String, { nullable: true, description: 'A note of its owner.' })
  description?: string | null;

  @Field(() => String, { description: 'Who is e-mailed when failures pause it.' })
  contactEmail!: string;

  @Field(() => WebhookSubscriptionStatus, { description: 'Whether it sends deliveries.' })
  status!: WebhookSubscriptionStatus;

  @Field(() => Int, { description: 'Deliveries that failed in a row (reset by a success); at WEBHOOK_PAUSE_AFTER_FAILURES it is paused.' })
  consecutiveFailures!: number;

  @Field(() => DateTimeResolver, { nullable: true, description: 'When failures paused it.' })
  pausedAt?: Date | null;

  @Field(() => DateTimeResolver, { description: 'When it was created; events from before are not sent.' })
  createdAt!: Date;
}

@ObjectType('WebhookDelivery', { description: 'One event sent (or being sent) to one subscription: the delivery log.' })
export class WebhookDeliveryType {
  @Field(() => ID, { description: 'The delivery\'s id (pass it to redeliverWebhook).' })
  id!: string;

  @Field(() => ID, { description: 'The event\'s id, sent as webhook-id on every attempt: deduplicate on it.' })
  eventId!: string;

  @Field(() => String, { description: 'What happened, e.g. `order.shipped` (sent as `type` in the body).' })
  eventType!: string;

  @Field(() => WebhookDeliveryStatus, { description: 'Where it stands.' })
  status!: WebhookDeliveryStatus;

  @Field(() => Int, { description: 'Attempts made so far (redeliveries included).' })
  attempts!: number;

  @Field(() => DateTimeResolver, { nullable: true, description: 'When the next attempt is due (PENDING only).' })
  nextAttemptAt?: Date | null;

  @Field(() => DateTimeResolver, { nullable: true, description: 'When the last attempt was made.' })
  lastAttemptAt?: Date | null;

  @Field(() => Int, { nullable: true, description: 'The HTTP status of the last answer; null when none came (refused, timed out).' })
  lastResponseCode?: number | null;

  @Field(() => Int, { nullable: true, description: 'How long the last attempt took, in milliseconds.' })
  lastLatencyMs?: number | null;

  @Field(() => String, { nullable: true, description: 'Why the last attempt failed.' })
  lastError?: string | null;

  @Field(() => DateTimeResolver, { description: 'When the event was queued for this subscription.' })
  createdAt!: Date;

  @Field(() => DateTimeResolver, { nullable: true, description: 'When it succeeded or finally failed.' })
  completedAt?: Date | null;
}

export const WebhookSubscriptionConnection = ConnectionType('WebhookSubscription', WebhookSubscriptionType);
export const WebhookDeliveryConnection = ConnectionType('WebhookDelivery', WebhookDeliveryType);

@ArgsType()
export class WebhookDeliveryArgs extends ConnectionArgs {
  @Field(() => ID, { description: 'The subscription whose deliveries to list (yours, or any for operator staff).' })
  subscriptionId!: string;

  @Field(() => WebhookDeliveryStatus, { nullable: true, description: 'Only deliveries in this state.' })
  status?: WebhookDeliveryStatus | null;
}

@InputType({ description: 'A new webhook subscription.' })
export class CreateWebhookSubscriptionInput {
  @Field(() => String, { description: 'The endpoint: https:// on a public address (private and loopback addresses are refused, at creation and on every delivery).' })
  url!: string;

  @Field(() => [String], { description: 'Event types to receive (webhookEventTypes lists them).' })
  eventTypes!: string[];

  @Field(() => ID, { nullable: true, description: "Operator staff: a seller's events only (omitted: every seller's). Sellers and their integrations always subscribe to their own." })
  sellerId?: string | null;

  @Field(() => String, { nullable: true, description: 'A note for yourself, up to 200 characters.' })
  description?: string | null;

  @Field(() => String, { nullable: true, description: 'Whom to e-mail if failures pause it; defaults to the signed-in user (required for integrations).' })
  contactEmail?: string | null;
}

@ObjectType({ description: 'The new subscription and its signing secret.' })
export class CreateWebhookSubscriptionPayload {
  @Field(() => WebhookSubscriptionType, { nullable: true, description: 'The subscription created.' })
  subscription?: WebhookSubscriptionType;

  @Field(() => String, { nullable: true, description: 'The signing secret (`whsec_…`), shown only here, once: verify every delivery with it (any Standard Webhooks library).' })
  secret?: string;

  @Field(() => [UserError], { description: 'Why nothing was created.' })
  userErrors!: UserError[];
}

@ObjectType({ description: 'A webhook subscription after a change.' })
export class WebhookSubscriptionPayload {
  @Field(() => WebhookSubscriptionType, { nullable: true, description: 'The subscription changed.' })
  subscription?: WebhookSubscriptionType;

  @Field(() => [UserError], { description: 'Why nothing changed.' })
  userErrors!: UserError[];
}

@ObjectType({ description: 'A delivery queued again.' })
export class RedeliverWebhookPayload {
  @Field(() => WebhookDeliveryType, { nullable: true, description: 'The delivery, PENDING again.' })
  delivery?: WebhookDeliveryType;

  @Field(() => [UserError], { description: 'Why it was not queued.' })
  userErrors!: UserError[];
}
