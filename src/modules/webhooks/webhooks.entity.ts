import { Entity, Enum, Index, ManyToOne, Property, Unique, type Opt, type Ref } from '@mikro-orm/core';
import { BaseEntity } from '../../shared/db/base.entity.js';
import { Seller } from '../sellers/index.js';

export enum WebhookSubscriptionStatus {
  ACTIVE = 'ACTIVE',
  /** Failing deliveries paused it; new events still queue and go out once it is resumed. */
  PAUSED = 'PAUSED',
  /** Deleted by its owner: nothing more is queued or sent; its log stays readable. */
  DISABLED = 'DISABLED',
}

export enum WebhookDeliveryStatus {
  PENDING = 'PENDING',
  SUCCEEDED = 'SUCCEEDED',
  FAILED = 'FAILED',
}

/**
 * An endpoint that receives some event types. `seller` null: a store-wide subscription of
 * operator staff (every seller's events); otherwise only that seller's events reach it.
 */
@Entity({ tableName: 'webhook_subscription' })
export class WebhookSubscription extends BaseEntity {
  @ManyToOne({ entity: () => Seller, ref: true, nullable: true, index: true, deleteRule: 'cascade' })
  seller?: Ref<Seller> | null;

  @Property({ type: 'text' })
  url!: string;

  /** Event types from the catalogue (shared/events EVENT_CATALOGUE). */
  @Property({ type: 'json' })
  eventTypes!: string[];

  @Property({ type: 'string', length: 200, nullable: true })
  description?: string | null;

  /** Who is e-mailed when failures pause it. */
  @Property({ type: 'string', length: 320 })
  contactEmail!: string;

  /** The signing secret, encrypted (shared/crypto sealer, key derived from APP_SECRET); shown in clear once, at creation. */
  @Property({ type: 'text', hidden: true, lazy: true })
  secretSealed!: string;

  @Enum({ items: () => WebhookSubscriptionStatus, default: WebhookSubscriptionStatus.ACTIVE })
  status: Opt<WebhookSubscriptionStatus> = WebhookSubscriptionStatus.ACTIVE;

  /** Deliveries that ended FAILED in a row (a success resets it). */
  @Property({ type: 'integer', default: 0 })
  consecutiveFailures: Opt<number> = 0;

  @Property({ type: 'datetime', nullable: true })
  pausedAt?: Date | null;

  /** Who created it: kind and id of the user or integration. */
  @Property({ type: 'json' })
  createdBy!: Record<string, unknown>;
}

/** One event for one subscription: its attempts, last answer and where it stands. */
@Entity({ tableName: 'webhook_delivery' })
@Unique({ name: 'webhook_delivery_event_unique', properties: ['subscription', 'eventId'] })
@Index({ name: 'webhook_delivery_due', properties: ['status', 'nextAttemptAt'] })
export class WebhookDelivery extends BaseEntity {
  @ManyToOne({ entity: () => WebhookSubscription, ref: true, index: true, deleteRule: 'cascade' })
  subscription!: Ref<WebhookSubscription>;

  /** The domain event's id, sent as webhook-id on every attempt. */
  @Property({ type: 'uuid' })
  eventId!: string;

  @Property({ type: 'string', length: 60 })
  eventType!: string;

  /** The JSON body, fixed when queued so every attempt sends the same bytes. */
  @Property({ type: 'text' })
  body!: string;

  @Enum({ items: () => WebhookDeliveryStatus, default: WebhookDeliveryStatus.PENDING })
  status: Opt<WebhookDeliveryStatus> = WebhookDeliveryStatus.PENDING;

  @Property({ type: 'integer', default: 0 })
  attempts: Opt<number> = 0;

  /** Start of the retry window (the first attempt, or the redelivery request). */
  @Property({ type: 'datetime', nullable: true })
  windowStartedAt?: Date | null;

  @Property({ type: 'datetime' })
  nextAttemptAt!: Date;

  /** While an attempt is in flight: other workers leave the row alone until then. */
  @Property({ type: 'datetime', nullable: true })
  leaseUntil?: Date | null;

  @Property({ type: 'datetime', nullable: true })
  lastAttemptAt?: Date | null;

  @Property({ type: 'integer', nullable: true })
  lastResponseCode?: number | null;

  @Property({ type: 'integer', nullable: true })
  lastLatencyMs?: number | null;

  @Property({ type: 'string', length: 500, nullable: true })
  lastError?: string | null;

  @Property({ type: 'datetime', nullable: true })
  completedAt?: Date | null;
}
