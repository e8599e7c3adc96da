import { Arg, Args, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { Context } from '../../shared/runtime/index.js';
import { runMutation } from '../../shared/errors/index.js';
import { ConnectionArgs } from '../../shared/pagination/index.js';
import { EVENT_CATALOGUE, type EventTypeInfo } from '../../shared/events/index.js';
import type { WebhookSubscription } from './webhooks.entity.js';
import * as webhooks from './webhooks.service.js';
import {
  CreateWebhookSubscriptionInput,
  CreateWebhookSubscriptionPayload,
  RedeliverWebhookPayload,
  WebhookDeliveryArgs,
  WebhookDeliveryConnection,
  WebhookEventTypeType,
  WebhookSubscriptionConnection,
  WebhookSubscriptionPayload,
  WebhookSubscriptionType,
} from './webhooks.types.js';

@Resolver(() => WebhookSubscriptionType)
export class WebhookResolver {
  @Query(() => WebhookSubscriptionConnection, { description: "Webhook subscriptions: every one for operator staff (or a seller's), your own seller's otherwise." })
  webhookSubscriptions(@Args(() => ConnectionArgs) args: ConnectionArgs, @Arg('sellerId', () => ID, { nullable: true, description: "Operator staff: only this seller's subscriptions." }) sellerId: string | undefined, @Ctx() ctx: Context) {
    return webhooks.listSubscriptions(ctx, sellerId, args);
  }

  @Query(() => [WebhookEventTypeType], { description: 'The event catalogue: every type a webhook can subscribe to, with the keys of its data.' })
  webhookEventTypes(): WebhookEventTypeType[] {
    return Object.entries(EVENT_CATALOGUE as Record<string, EventTypeInfo>)
      .filter(([, info]) => info.webhook)
      .map(([type, info]) => ({ type, description: info.description, fields: [...info.fields], feed: info.feed }));
  }

  @FieldResolver(() => ID, { nullable: true, description: 'The seller whose events it receives; null: a store-wide subscription of operator staff (every seller\'s events).' })
  sellerId(@Root() sub: WebhookSubscription): string | null {
    return sub.seller?.id ?? null;
  }

  @Query(() => WebhookDeliveryConnection, { description: "A subscription's delivery log, oldest first: status, attempts, last response code and latency." })
  webhookDeliveries(@Args(() => WebhookDeliveryArgs) args: WebhookDeliveryArgs, @Ctx() ctx: Context) {
    return webhooks.deliveriesOf(ctx, args.subscriptionId, args, args.status);
  }

  @Mutation(() => CreateWebhookSubscriptionPayload, { description: 'Subscribes an HTTPS endpoint to event types; returns its signing secret, once.' })
  createWebhookSubscription(@Arg('input', () => CreateWebhookSubscriptionInput, { description: 'The endpoint, the event types and whom to tell when it fails.' }) input: CreateWebhookSubscriptionInput, @Ctx() ctx: Context) {
    return runMutation(ctx.em, (em) => webhooks.createSubscription(ctx, em, input));
  }

  @Mutation(() => WebhookSubscriptionPayload, { description: 'Deletes a subscription: nothing more is sent; its delivery log stays readable.' })
  deleteWebhookSubscription(@Arg('id', () => ID, { description: 'The subscription.' }) id: string, @Ctx() ctx: Context) {
    return runMutation(ctx.em, async (em) => ({ subscription: await webhooks.deleteSubscription(ctx, em, id) }));
  }

  @Mutation(() => WebhookSubscriptionPayload, { description: 'Resumes a subscription that failures paused; the deliveries queued meanwhile go out.' })
  resumeWebhookSubscription(@Arg('id', () => ID, { description: 'The subscription.' }) id: string, @Ctx() ctx: Context) {
    return runMutation(ctx.em, async (em) => ({ subscription: await webhooks.resumeSubscription(ctx, em, id) }));
  }

  @Mutation(() => RedeliverWebhookPayload, { description: 'Sends a delivery again: same event id and body, a fresh signature and a new retry window.' })
  redeliverWebhook(@Arg('deliveryId', () => ID, { description: 'The delivery (from the subscription\'s log).' }) deliveryId: string, @Ctx() ctx: Context) {
    return runMutation(ctx.em, async (em) => ({ delivery: await webhooks.redeliver(ctx, em, deliveryId) }));
  }
}
