import type { HttpRoute } from '../../shared/runtime/index.js';
import { TransferWebhookError, transferProvider } from './transfer.provider.js';
import { applyTransferNotification } from './transfers.service.js';

export const TRANSFER_WEBHOOK_PREFIX = '/webhooks/transfers/';

/**
 * `POST /webhooks/transfers/<provider>`: the transfer provider's notification (Asaas:
 * TRANSFER_* events with the `asaas-access-token` header). 401 when it is not proven
 * authentic; 200 once applied or when there is nothing of ours to act on; 5xx asks for a
 * redelivery.
 */
const transferWebhook: HttpRoute = {
  path: TRANSFER_WEBHOOK_PREFIX,
  methods: ['POST'],
  async handle(runtime, req, rawBody, url) {
    const name = url.pathname.slice(TRANSFER_WEBHOOK_PREFIX.length);
    const provider = transferProvider(runtime);
    if (name !== provider.name || !provider.parseWebhook) return { status: 404, body: { error: 'No transfer provider by this name is configured.' } };
    const log = runtime.logger.child({ provider: name, route: 'transfer-webhook' });
    let event;
    try {
      event = await provider.parseWebhook({ headers: req.headers, rawBody });
    } catch (err) {
      if (err instanceof TransferWebhookError) {
        log.warn({ reason: err.message }, 'transfer webhook refused');
        return { status: 401, body: { error: 'The notification could not be verified.' } };
      }
      throw err;
    }
    if (event.type === 'IGNORED') return { status: 200, body: { ignored: event.reason } };
    const result = await applyTransferNotification(runtime, event.snapshot);
    log.info({ eventId: event.eventId, transferId: event.snapshot.transferId, status: event.snapshot.providerStatus, result }, 'transfer webhook');
    return { status: 200, body: { result } };
  },
};

export const payoutRoutes: HttpRoute[] = [transferWebhook];
