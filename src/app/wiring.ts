import type { Logger } from 'pino';
import { Redis } from 'ioredis';
import { AUTH_THROTTLE, AuthThrottle } from '../modules/auth/index.js';
import { OUTBOX_SEAL, OutboxSeal } from '../shared/outbox/seal.js';
import type { MikroORM } from '@mikro-orm/postgresql';
import { Services, type Runtime, type ServiceKey } from '../shared/runtime/index.js';
import type { EventConsumer } from '../shared/events/index.js';
import type { ClaimRecovery } from '../shared/idempotency/index.js';
import { CLOCK, systemClock } from '../shared/time/index.js';
import { orderEmails } from '../modules/notifications/index.js';
import { returnEmailConsumer } from '../modules/returns/index.js';
import { ticketEmailConsumer } from '../modules/tickets/index.js';
import { PAYMENT_CHARGEBACKS, PAYMENT_LIFECYCLE, PAYMENT_PROVIDERS, PAYMENT_SETTINGS, createPaymentProviders, loadPaymentsConfig, paymentReleaseRecovery, paymentSettings } from '../modules/payments/index.js';
import { checkoutRecovery } from '../modules/checkout/index.js';
import { FREIGHT_CARRIERS, carriersFromEnv } from '../modules/shipping/index.js';
import { FRAUD_ANALYZER, createFraudAnalyzer, loadFraudConfig } from '../modules/fraud/index.js';
import type { Config } from '../config.js';
import { ORDER_LINKS, createOrderLinks, orderPaymentLifecycle } from '../modules/orders/index.js';
import { SELLER_CODE_IN_USE } from '../modules/sellers/index.js';
import { sellerHasProducts } from '../modules/catalog/index.js';
import { WEBHOOKS, loadWebhooksConfig, webhookConsumer } from '../modules/webhooks/index.js';
import { createSealer } from '../shared/crypto/index.js';
import { PAYOUT_SETTINGS, TRANSFER_PROVIDER, createTransferProvider, loadPayoutsConfig, payoutChargebacks, receivablesConsumer } from '../modules/payouts/index.js';

/**
 * Where the modules are put together: every implementation chosen by configuration and every
 * call a lower module makes into a higher one (payments → orders) is passed in here, once,
 * at start-up. A module only declares the slot it needs (a ServiceKey); nothing registers
 * itself by being imported. Configuration is parsed here too, so a bad provider setting stops
 * start-up naming the variable.
 */
export function wireServices(opts: {
  env: Readonly<Record<string, string | undefined>>;
  logger: Logger;
  config: Config;
  /** The signing secret (app-secret.ts). */
  appSecret: Buffer;
  /** Slots filled by the caller instead (tests pass a recording payment lifecycle). */
  overrides?: Services;
  /** The database once it is open (providers are built before it): the sandbox provider keeps its payments there. */
  db?: () => MikroORM;
}): Services {
  const services = new Services();
  const provide = <T>(key: ServiceKey<T>, make: () => T) => {
    services.set(key, opts.overrides?.has(key) ? opts.overrides.get(key) : make());
  };
  const env = opts.env as NodeJS.ProcessEnv;
  provide(CLOCK, () => systemClock);
  provide(PAYMENT_PROVIDERS, () => createPaymentProviders(loadPaymentsConfig(env), { db: opts.db }));
  provide(PAYMENT_SETTINGS, () => paymentSettings(env));
  provide(FREIGHT_CARRIERS, () => carriersFromEnv(env));
  provide(FRAUD_ANALYZER, () => createFraudAnalyzer(loadFraudConfig(env), { logger: opts.logger }));
  provide(PAYMENT_LIFECYCLE, () => orderPaymentLifecycle);
  provide(SELLER_CODE_IN_USE, () => sellerHasProducts);
  const payouts = loadPayoutsConfig(env);
  provide(PAYOUT_SETTINGS, () => payouts);
  provide(TRANSFER_PROVIDER, () => createTransferProvider(payouts));
  provide(PAYMENT_CHARGEBACKS, () => payoutChargebacks);
  provide(ORDER_LINKS, () => createOrderLinks(opts.appSecret, opts.config.ORDER_LINK_TTL_DAYS * 24 * 3600_000));
  provide(OUTBOX_SEAL, () => new OutboxSeal(opts.appSecret));
  provide(AUTH_THROTTLE, () => {
    // Counters every instance shares: Redis when configured, else the app's PostgreSQL.
    const redis = opts.config.RATE_LIMIT_REDIS_URL ? new Redis(opts.config.RATE_LIMIT_REDIS_URL, { maxRetriesPerRequest: 1, enableOfflineQueue: false }) : null;
    if (!opts.db && !redis) throw new Error('the auth throttle needs the database or RATE_LIMIT_REDIS_URL');
    return new AuthThrottle(redis ? { kind: 'redis', client: redis } : { kind: 'postgres', orm: opts.db! }, opts.config, async () => void (await redis?.quit()));
  });
  // Webhook signing secrets are kept encrypted under a key derived from the app secret (README: APP_SECRET).
  provide(WEBHOOKS, () => ({ config: loadWebhooksConfig(env), secrets: createSealer(opts.appSecret, 'webhook-secrets') }));
  services.requireAll(REQUIRED);
  return services;
}

/**
 * Every scope of idempotency claims (shared/idempotency) and what recovers its keys when the
 * request holding one stopped mid-way and nobody replays it. A new money-moving operation that
 * claims keys (returns' refunds, payouts) adds its recovery here; the recovery job runs them all.
 */
export function claimRecoveries(runtime: Runtime): ClaimRecovery[] {
  return [checkoutRecovery(runtime), paymentReleaseRecovery(runtime)];
}

/** Every slot a module declares; start-up fails when one is empty. */
const REQUIRED: readonly ServiceKey<unknown>[] = [CLOCK, PAYMENT_PROVIDERS, PAYMENT_SETTINGS, FREIGHT_CARRIERS, FRAUD_ANALYZER, PAYMENT_LIFECYCLE, SELLER_CODE_IN_USE, ORDER_LINKS, PAYMENT_CHARGEBACKS, TRANSFER_PROVIDER, PAYOUT_SETTINGS, WEBHOOKS, OUTBOX_SEAL, AUTH_THROTTLE];

/**
 * What reacts to committed domain events, each with a cursor of its own (src/jobs/event-dispatch.ts
 * runs them where jobs run): the buyer's order and return e-mails, receivables following their orders,
 * ticket e-mails to the other side, and the webhook deliveries queued for each subscription.
 */
export function eventConsumers(runtime: Runtime): EventConsumer[] {
  return [orderEmails(runtime), returnEmailConsumer, receivablesConsumer, ticketEmailConsumer, webhookConsumer];
}
