import { rule } from 'graphql-shield';
import { accessCheck, accessRules, forbiddenError, unauthenticatedError } from '../../shared/access/index.js';
import type { Context } from '../../shared/runtime/index.js';
import { WEBHOOKS_ACCESS } from './webhooks.access.js';
import type { WebhookSubscription } from './webhooks.entity.js';

const allowed = accessRules('webhooks', WEBHOOKS_ACCESS);

/** A subscription's fields: its owner only (a store-wide one: operator staff). Services scope every path too. */
const owner = rule('webhooks.owner', { cache: 'no_cache' })((parent: WebhookSubscription, _args, ctx: Context) => {
  if (ctx.viewer.kind === 'ANONYMOUS') return unauthenticatedError();
  const sellerId = parent.seller?.id;
  const ok = sellerId ? accessCheck(ctx.viewer, WEBHOOKS_ACCESS.readWebhooks, sellerId) : ctx.viewer.kind === 'OPERATOR' && accessCheck(ctx.viewer, WEBHOOKS_ACCESS.readWebhooks);
  return ok === true || forbiddenError();
});

export const webhookRules = {
  Query: { webhookSubscriptions: allowed.readWebhooks, webhookDeliveries: allowed.readWebhooks, webhookEventTypes: allowed.readWebhooks },
  Mutation: {
    createWebhookSubscription: allowed.manageWebhooks,
    deleteWebhookSubscription: allowed.manageWebhooks,
    resumeWebhookSubscription: allowed.manageWebhooks,
    redeliverWebhook: allowed.manageWebhooks,
  },
  WebhookSubscription: { '*': owner },
  // Reached only through webhookDeliveries or redeliverWebhook, which check the subscription's owner.
  WebhookDelivery: { '*': allowed.readWebhooks },
  WebhookEventType: { '*': allowed.readWebhooks },
};
