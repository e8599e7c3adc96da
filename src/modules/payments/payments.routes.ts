import type { HttpRoute } from '../../shared/runtime/index.js';
import { applyPaymentEvent } from './confirmation.service.js';
import { WebhookVerificationError } from './payments.provider.js';
import { paymentProviders } from './payments.config.js';

export const WEBHOOK_PREFIX = '/webhooks/payments/';

/**
 * `POST /webhooks/payments/<provider>`: the provider's notification, verified over the exact
 * bytes received, applied once. Status codes are for the provider's retry logic: 2xx stops
 * retries (applied, duplicate, or nothing of ours to act on), 401 says the notification is
 * not proven authentic, 5xx asks for a redelivery (we could not read the payment or apply it).
 */
const webhookRoute: HttpRoute = {
  path: WEBHOOK_PREFIX,
  methods: ['POST'],
  async handle(runtime, req, rawBody, url) {
    const name = url.pathname.slice(WEBHOOK_PREFIX.length);
    const provider = paymentProviders(runtime).forWebhook(name);
    if (!provider) return { status: 404, body: { error: 'No payment provider by this name is configured.' } };
    const log = runtime.logger.child({ provider: name, route: 'payment-webhook' });
    let event;
    try {
      event = await provider.parseWebhook({ headers: req.headers, rawBody, query: Object.fromEntries(url.searchParams) });
    } catch (err) {
      if (err instanceof WebhookVerificationError) {
        log.warn({ reason: err.reason }, 'payment webhook refused');
        return { status: 401, body: { error: 'The notification could not be verified.' } };
      }
      // Reading the payment back from the provider failed: ask for a redelivery.
      log.error({ err }, 'payment webhook could not be read');
      return { status: 503, body: { error: 'Try again later.' } };
    }
    if (event.type === 'IGNORED') return { status: 200, body: { ignored: event.reason } };
    const outcome = await applyPaymentEvent(runtime, event);
    log.info({ eventId: event.eventId, providerRef: event.providerRef, ...outcome }, 'payment webhook');
    if (outcome.result === 'IGNORED') return { status: 200, body: { ignored: outcome.detail } };
    return { status: 200, body: { result: outcome.result, detail: outcome.detail } };
  },
};

export const paymentRoutes: HttpRoute[] = [webhookRoute];
