import { randomBytes } from 'node:crypto';
import { LockMode } from '@mikro-orm/core';
import type { EntityManager, FilterQuery } from '@mikro-orm/postgresql';
import type { Context } from '../../shared/runtime/index.js';
import type { Viewer } from '../../shared/access/index.js';
import { actorOf, webhookTypes } from '../../shared/events/index.js';
import { Validation, conflict, notFound } from '../../shared/errors/index.js';
import { checkEmail, normaliseEmail, checkText } from '../../shared/validation/index.js';
import { findById, isId } from '../../shared/db/ids.js';
import { paginate, type ConnectionArgs } from '../../shared/pagination/index.js';
import { Seller, canSeeSellerPrivate, knownSellerFilter, sellerFilter } from '../sellers/index.js';
import { WEBHOOKS } from './webhooks.config.js';
import { WebhookDelivery, WebhookDeliveryStatus, WebhookSubscription, WebhookSubscriptionStatus } from './webhooks.entity.js';
import { UnsafeUrlError, checkWebhookUrl } from './webhooks.ssrf.js';

/** A seller (or the store) keeps at most this many live subscriptions. */
export const MAX_SUBSCRIPTIONS = 20;

/** Whether the viewer owns the subscription: operator staff any, a seller's people and integrations their own seller's. */
export function ownsSubscription(viewer: Viewer, sub: { seller?: { id: string } | null }): boolean {
  return sub.seller ? canSeeSellerPrivate(viewer, sub.seller.id) : viewer.kind === 'OPERATOR';
}

export async function listSubscriptions(ctx: Context, sellerId: string | null | undefined, args: ConnectionArgs) {
  const scope = await knownSellerFilter(ctx, sellerId, ['sellerId']);
  const where: FilterQuery<WebhookSubscription> = scope ? { seller: scope } : {};
  return paginate(ctx.em, WebhookSubscription, where, args, { createdAt: 'asc' } as never);
}

export interface CreateSubscriptionData {
  url: string;
  eventTypes: string[];
  sellerId?: string | null;
  description?: string | null;
  contactEmail?: string | null;
}

/**
 * Subscribes an endpoint. The signing secret (`whsec_…`, 32 random bytes) is returned here
 * only; it is kept encrypted, because every delivery must sign with it.
 */
export async function createSubscription(ctx: Context, em: EntityManager, input: CreateSubscriptionData): Promise<{ subscription: WebhookSubscription; secret: string }> {
  const { config, secrets } = ctx.runtime.services.get(WEBHOOKS);
  const v = new Validation();
  const known = new Set(webhookTypes());
  const types = [...new Set(input.eventTypes)];
  v.check(types.length > 0, 'Choose at least one event type (webhookEventTypes lists them).', ['input', 'eventTypes']);
  const unknown = types.filter((t) => !known.has(t));
  v.check(!unknown.length, `Unknown event types: ${unknown.join(', ')} (webhookEventTypes lists them).`, ['input', 'eventTypes']);
  checkText(v, input.description, 'description', 200);
  const viewerEmail = ctx.viewer.kind === 'OPERATOR' || ctx.viewer.kind === 'SELLER' ? ctx.viewer.user.email : null;
  const contact = input.contactEmail ?? viewerEmail;
  if (contact) checkEmail(v, contact, ['input', 'contactEmail']);
  else v.check(false, 'Say whom to e-mail if deliveries keep failing.', ['input', 'contactEmail']);
  let url: URL | null = null;
  try {
    url = await checkWebhookUrl(input.url.trim(), config.WEBHOOK_ALLOW_PRIVATE);
  } catch (err) {
    if (!(err instanceof UnsafeUrlError)) throw err;
    v.check(false, err.message, ['input', 'url']);
  }
  // An unknown seller is NOT_FOUND whatever else is wrong (shared/db/ids.ts).
  if (input.sellerId && !isId(input.sellerId)) throw notFound('No seller has this id.', 'input', 'sellerId');
  v.throwIfAny();
  // Operator staff: store-wide unless they name a seller; everyone else: their own seller.
  const scope = sellerFilter(ctx.viewer, input.sellerId);
  const seller = scope ? await em.findOne(Seller, { id: scope }, { lockMode: LockMode.PESSIMISTIC_WRITE }) : null;
  if (scope && !seller) throw notFound('No seller has this id.', 'input', 'sellerId');
  const live = await em.count(WebhookSubscription, { seller: scope, status: { $ne: WebhookSubscriptionStatus.DISABLED } });
  if (live >= MAX_SUBSCRIPTIONS) throw conflict(`At most ${MAX_SUBSCRIPTIONS} subscriptions per seller: delete one first.`, 'input', 'url');
  const secret = `whsec_${randomBytes(32).toString('base64')}`;
  const actor = actorOf(ctx.viewer);
  const subscription = em.create(WebhookSubscription, {
    seller,
    url: url!.toString(),
    eventTypes: types,
    description: input.description?.trim() || null,
    contactEmail: normaliseEmail(contact!),
    secretSealed: secrets.seal(secret),
    createdBy: { kind: actor.kind, id: actor.id ?? null },
  });
  em.persist(subscription);
  return { subscription, secret };
}

async function lockOwned(ctx: Context, em: EntityManager, id: string, field: string): Promise<WebhookSubscription> {
  const sub = await findById(em, WebhookSubscription, id, { options: { lockMode: LockMode.PESSIMISTIC_WRITE } });
  // Another seller's subscription is "not found", like one that does not exist.
  if (!sub || !ownsSubscription(ctx.viewer, sub)) throw notFound('No webhook subscription has this id.', field);
  return sub;
}

/** Stops it for good: nothing more is queued or sent; the delivery log stays readable. */
export async function deleteSubscription(ctx: Context, em: EntityManager, id: string): Promise<WebhookSubscription> {
  const sub = await lockOwned(ctx, em, id, 'id');
  if (sub.status === WebhookSubscriptionStatus.DISABLED) throw conflict('The subscription is already deleted.', 'id');
  sub.status = WebhookSubscriptionStatus.DISABLED;
  return sub;
}

/** Resumes a paused subscription: queued deliveries go out again, the failure count starts over. */
export async function resumeSubscription(ctx: Context, em: EntityManager, id: string): Promise<WebhookSubscription> {
  const sub = await lockOwned(ctx, em, id, 'id');
  if (sub.status !== WebhookSubscriptionStatus.PAUSED) throw conflict(`The subscription is ${sub.status}, not paused.`, 'id');
  sub.status = WebhookSubscriptionStatus.ACTIVE;
  sub.pausedAt = null;
  sub.consecutiveFailures = 0;
  return sub;
}

/** Sends a delivery again (same event id and body, fresh signature), with a new retry window. */
export async function redeliver(ctx: Context, em: EntityManager, deliveryId: string): Promise<WebhookDelivery> {
  const found = await findById(em, WebhookDelivery, deliveryId);
  if (!found) throw notFound('No webhook delivery has this id.', 'deliveryId');
  const sub = await lockOwned(ctx, em, found.subscription.id, 'deliveryId');
  if (sub.status === WebhookSubscriptionStatus.DISABLED) throw conflict('The subscription is deleted.', 'deliveryId');
  const d = await em.findOneOrFail(WebhookDelivery, { id: deliveryId }, { lockMode: LockMode.PESSIMISTIC_WRITE, refresh: true });
  if (d.status === WebhookDeliveryStatus.PENDING) throw conflict('The delivery is still being attempted.', 'deliveryId');
  d.status = WebhookDeliveryStatus.PENDING;
  d.windowStartedAt = null;
  d.nextAttemptAt = new Date();
  d.completedAt = null;
  d.leaseUntil = null;
  return d;
}

export async function deliveriesOf(ctx: Context, subscriptionId: string, args: ConnectionArgs, status?: WebhookDeliveryStatus | null) {
  const sub = await findById(ctx.em, WebhookSubscription, subscriptionId);
  if (!sub || !ownsSubscription(ctx.viewer, sub)) throw notFound('No webhook subscription has this id.', 'subscriptionId');
  const where: FilterQuery<WebhookDelivery> = { subscription: sub.id, ...(status ? { status } : {}) };
  return paginate(ctx.em, WebhookDelivery, where, args, { createdAt: 'asc' } as never);
}
