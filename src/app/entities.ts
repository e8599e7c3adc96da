import { sellerEntities } from '../modules/sellers/index.js';
import { RateLimitBucket } from '../shared/ratelimit/index.js';
import { authEntities } from '../modules/auth/index.js';
import { integrationEntities } from '../modules/integrations/index.js';
import { BaseEntity } from '../shared/db/base.entity.js';
import { CatalogEventSubscriber, catalogEntities } from '../modules/catalog/index.js';
import { cartEntities } from '../modules/carts/index.js';
import { shippingEntities } from '../modules/shipping/index.js';
import { campaignEntities } from '../modules/campaigns/index.js';
import { promotionEntities } from '../modules/promotions/index.js';
import { financeEntities } from '../modules/finance/index.js';
import { paymentEntities } from '../modules/payments/index.js';
import { fraudEntities } from '../modules/fraud/index.js';
import { orderEntities } from '../modules/orders/index.js';
import { checkoutEntities } from '../modules/checkout/index.js';
import { fulfilmentEntities } from '../modules/fulfilment/index.js';
import { payoutEntities } from '../modules/payouts/index.js';
import { returnEntities } from '../modules/returns/index.js';
import { operationsEntities } from '../modules/operations/index.js';
import { webhookEntities } from '../modules/webhooks/index.js';
import { ticketEntities } from '../modules/tickets/index.js';
import { helpEntities } from '../modules/help/index.js';
import { StoredFile } from '../shared/files/index.js';
import { OutboxMessage } from '../shared/outbox/outbox.entity.js';
import { DomainEvent, EventConsumerState } from '../shared/events/index.js';
import { IdempotencyClaim } from '../shared/idempotency/index.js';
import { AttentionItem } from '../shared/attention/index.js';
import { openOrm, type OrmOptions } from '../shared/db/orm.js';
import { AuditEntry, AuditSubscriber } from '../shared/audit/index.js';
import { AUDITED } from './audit.js';

/** Every entity of the app; MikroORM discovers exactly these. */
export const entities = [BaseEntity, OutboxMessage, RateLimitBucket, AuditEntry, DomainEvent, EventConsumerState, IdempotencyClaim, AttentionItem, ...sellerEntities, ...authEntities, ...integrationEntities, ...catalogEntities,
  ...cartEntities, ...shippingEntities, ...promotionEntities, ...campaignEntities, ...financeEntities, ...paymentEntities, ...fraudEntities, ...orderEntities, ...checkoutEntities, ...fulfilmentEntities, ...payoutEntities, ...returnEntities, ...operationsEntities, ...webhookEntities, ...ticketEntities, ...helpEntities, StoredFile];

/**
 * What runs inside every flush: the catalog's derived events (stock, prices, reviews) and the
 * audit log, both written in the flush's own transaction.
 */
export const flushSubscribers = () => [new CatalogEventSubscriber(), new AuditSubscriber(AUDITED)];

/** The ORM over this app's entities. */
export function openAppOrm(opts: Omit<OrmOptions, 'entities'>) {
  return openOrm({ ...opts, entities, subscribers: flushSubscribers() });
}
