import { pino, type Logger } from 'pino';
import { OUTBOX_SEAL, sealOutboxOn } from '../shared/outbox/seal.js';
import { AUTH_THROTTLE } from '../modules/auth/index.js';
import type { Config } from '../config.js';
import { migrate } from '../shared/db/orm.js';
import { openAppOrm } from './entities.js';
import { startOutboxWorker, type OutboxWorker } from '../jobs/outbox-worker.js';
import { startPaymentExpiryJob, type PaymentExpiryJob } from '../jobs/payment-expiry.js';
import { fraudResumeSettings, startFraudResumeJob, type FraudResumeJob } from '../jobs/fraud-resume.js';
import { createMailer } from '../shared/outbox/mailer.js';
import type { Runtime, Services } from '../shared/runtime/index.js';
import { claimRecoveries, eventConsumers, wireServices } from './wiring.js';
import { startEventDispatcher, type EventDispatcher } from '../jobs/event-dispatch.js';
import { claimRecoverySettings, startClaimRecoveryJob, type ClaimRecoveryJob } from '../jobs/claim-recovery.js';
import type { MikroORM } from '@mikro-orm/postgresql';
import { resolveAppSecret } from './app-secret.js';
import { Readiness } from './readiness.js';
import { startServer, type AppServer } from './server.js';
import { PAYMENT_SETTINGS, paymentRoutes } from '../modules/payments/index.js';
import { PAYOUT_SETTINGS, payoutRoutes } from '../modules/payouts/index.js';
import { startPayoutJob, type PayoutJob } from '../jobs/payouts.js';
import { startWebhookJob, type WebhookJob } from '../jobs/webhooks.js';
import { WEBHOOKS } from '../modules/webhooks/index.js';
import { fileRoutes } from '../modules/files/index.js';
import { closeSidePool, openSidePool } from '../shared/db/side-pool.js';
import { closeTimedPools } from '../shared/db/timeout.js';

export interface App {
  runtime: Runtime;
  server: AppServer;
  readiness: Readiness;
  worker: OutboxWorker | null;
  /** Expires unpaid Pix/deposit carts; runs where the outbox worker runs. */
  paymentExpiry: PaymentExpiryJob | null;
  fraudResume: FraudResumeJob | null;
  /** Hands committed domain events to their consumers (the buyer's e-mails, receivables following their orders). */
  events: EventDispatcher | null;
  /** Payouts on the store's calendar and the reconciliation of open transfers. */
  payouts: PayoutJob | null;
  /** Recovers idempotency keys whose request stopped mid-way (issue 18). */
  claimRecovery: ClaimRecoveryJob | null;
  /** Sends due webhook deliveries (first attempts and retries). */
  webhooks: WebhookJob | null;
  stop(): Promise<void>;
}

export interface AppOptions {
  config: Config;
  databaseUrl: string;
  /** PostgreSQL schema to use (tests); default public. */
  schema?: string;
  logger?: Logger;
  /** Run the background jobs (outbox worker, payment expiry, fraud resume, key recovery) here; default: JOBS. */
  worker?: boolean;
  /** Called once the server listens, before migrations: /health and /ready answer from then on. */
  onListening?: (url: string) => void;
  /** Runs after the migrations and before the instance reports ready (the first-start seed). */
  prepare?: (runtime: Runtime) => Promise<void>;
  /** Where provider settings (payments, fraud, carriers, job timings) are read from; default process.env. */
  env?: Readonly<Record<string, string | undefined>>;
  /** Where a generated app secret is kept when APP_SECRET is unset (the embedded database's DATA_DIR); unset: one per process. */
  secretDir?: string;
  /** Service slots to fill with these instead of the configured ones (tests). */
  overrides?: Services;
}

/**
 * Database connection → server listening (not ready) → migrations → prepare (seed) → jobs →
 * ready. Shared by `npm start` and the tests; resolves once the instance serves.
 */
export async function startApp(opts: AppOptions): Promise<App> {
  const { config } = opts;
  const logger = opts.logger ?? pino({ level: config.LOG_LEVEL });
  const env = opts.env ?? process.env;
  // Every setting (providers, carriers, timings) is parsed and validated here, before the
  // database is touched or a port is opened: a bad value stops start-up naming the variable.
  let opened: MikroORM | undefined;
  const db = () => {
    if (!opened) throw new Error('the database is not open yet');
    return opened;
  };
  const services = wireServices({ env, logger, config, appSecret: resolveAppSecret(config, { dataDir: opts.secretDir }), overrides: opts.overrides, db });
  const expiry = services.get(PAYMENT_SETTINGS);
  const resume = fraudResumeSettings(env);
  const recovery = claimRecoverySettings(env);
  const orm = await openAppOrm({
    clientUrl: opts.databaseUrl,
    schema: opts.schema,
    poolMax: config.DB_POOL_MAX,
    statementTimeoutMs: config.DB_STATEMENT_TIMEOUT_MS,
    ssl: { mode: config.DB_SSL, ca: config.dbSslCa },
    replicaUrls: config.DB_READ_REPLICA_URLS,
    applicationName: config.DB_APPLICATION_NAME,
  });
  opened = orm;
  openSidePool(orm, config.DB_SIDE_POOL_MAX);
  sealOutboxOn(orm, services.get(OUTBOX_SEAL));
  const readiness = new Readiness(() => orm, logger);
  let server: AppServer | undefined;
  try {
    const runtime: Runtime = { orm, config, logger, services, routes: [...paymentRoutes, ...payoutRoutes, ...fileRoutes] };
    server = await startServer(runtime, { host: config.HOST, port: config.PORT, readiness });
    opts.onListening?.(server.url);
    readiness.set('migrating');
    const ran = await migrate(orm);
    if (ran.length) logger.info({ migrations: ran }, 'applied migrations');
    if (opts.prepare) {
      readiness.set('seeding');
      await opts.prepare(runtime);
    }
    const jobs = opts.worker ?? config.JOBS === 'on';
    const worker = jobs ? startOutboxWorker(orm, createMailer(config), { pollMs: config.OUTBOX_POLL_MS, logger, seal: services.get(OUTBOX_SEAL) }) : null;
    const paymentExpiry = jobs ? startPaymentExpiryJob(runtime, { pollMs: expiry.PAYMENT_EXPIRY_POLL_MS }) : null;
    const fraudResume = jobs ? startFraudResumeJob(runtime, { pollMs: resume.FRAUD_RESUME_POLL_MS, olderThanMs: resume.FRAUD_RESUME_AFTER_MS }) : null;
    const payoutSettings = services.get(PAYOUT_SETTINGS);
    const events = jobs ? startEventDispatcher(orm, eventConsumers(runtime), { pollMs: config.EVENTS_POLL_MS, logger }) : null;
    const payouts = jobs ? startPayoutJob(runtime, { pollMs: payoutSettings.PAYOUT_JOB_POLL_MS }) : null;
    const claimRecovery = jobs ? startClaimRecoveryJob(runtime, claimRecoveries(runtime), { pollMs: recovery.CLAIM_RECOVERY_POLL_MS }) : null;
    const webhooks = jobs ? startWebhookJob(runtime, { pollMs: services.get(WEBHOOKS).config.WEBHOOK_POLL_MS }) : null;
    readiness.set('ready');
    const listening = server;
    return {
      runtime,
      server: listening,
      readiness,
      worker,
      paymentExpiry,
      fraudResume,
      events,
      payouts,
      claimRecovery,
      webhooks,
      // The jobs and the server wind down side by side (each bounded); the database goes last.
      stop: async () => {
        readiness.set('stopping');
        await Promise.all([worker?.stop(), paymentExpiry?.stop(), fraudResume?.stop(), events?.stop(), payouts?.stop(), claimRecovery?.stop(), webhooks?.stop(), listening.close()]);
        await services.get(AUTH_THROTTLE).close();
        await closeSidePool(orm);
        await closeTimedPools(orm);
        await orm.close(true);
      },
    };
  } catch (err) {
    readiness.set('stopping');
    await server?.close();
    await closeSidePool(orm);
    await orm.close(true);
    throw err;
  }
}
