import type { Logger } from 'pino';
import type { MikroORM } from '@mikro-orm/postgresql';
import { Services, type Runtime, type ServiceKey } from '../shared/runtime/index.js';
import type { ClaimRecovery } from '../shared/idempotency/index.js';
import { PAYMENT_LIFECYCLE, PAYMENT_PROVIDERS, PAYMENT_SETTINGS, createPaymentProviders, loadPaymentsConfig, paymentReleaseRecovery, paymentSettings } from '../modules/payments/index.js';
import { checkoutRecovery } from '../modules/checkout/index.js';
import { FREIGHT_CARRIERS, carriersFromEnv } from '../modules/shipping/index.js';
import { FRAUD_ANALYZER, createFraudAnalyzer, loadFraudConfig } from '../modules/fraud/index.js';
import { orderPaymentLifecycle } from '../modules/orders/index.js';
import { SELLER_CODE_IN_USE } from '../modules/sellers/index.js';
import { sellerHasProducts } from '../modules/catalog/index.js';

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
  provide(PAYMENT_PROVIDERS, () => createPaymentProviders(loadPaymentsConfig(env), { db: opts.db }));
  provide(PAYMENT_SETTINGS, () => paymentSettings(env));
  provide(FREIGHT_CARRIERS, () => carriersFromEnv(env));
  provide(FRAUD_ANALYZER, () => createFraudAnalyzer(loadFraudConfig(env), { logger: opts.logger }));
  provide(PAYMENT_LIFECYCLE, () => orderPaymentLifecycle);
  provide(SELLER_CODE_IN_USE, () => sellerHasProducts);
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
const REQUIRED: readonly ServiceKey<unknown>[] = [PAYMENT_PROVIDERS, PAYMENT_SETTINGS, FREIGHT_CARRIERS, FRAUD_ANALYZER, PAYMENT_LIFECYCLE, SELLER_CODE_IN_USE];
