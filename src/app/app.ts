import { pino, type Logger } from 'pino';
import type { Config } from '../config.js';
import { migrate, openOrm } from '../shared/db/orm.js';
import { startOutboxWorker, type OutboxWorker } from '../jobs/outbox-worker.js';
import { startPaymentExpiryJob, type PaymentExpiryJob } from '../jobs/payment-expiry.js';
import { fraudResumeSettings, startFraudResumeJob, type FraudResumeJob } from '../jobs/fraud-resume.js';
import { createMailer } from '../shared/outbox/mailer.js';
import type { Runtime } from './context.js';
import { Readiness } from './readiness.js';
import { startServer, type AppServer } from './server.js';
import { createPaymentProviders, loadPaymentsConfig, paymentRoutes, paymentSettings } from '../modules/payments/index.js';
import { createFraudAnalyzer, loadFraudConfig } from '../modules/fraud/index.js';

export interface App {
  runtime: Runtime;
  server: AppServer;
  readiness: Readiness;
  worker: OutboxWorker | null;
  /** Expires unpaid Pix/deposit carts; runs where the outbox worker runs. */
  paymentExpiry: PaymentExpiryJob | null;
  fraudResume: FraudResumeJob | null;
  stop(): Promise<void>;
}

export interface AppOptions {
  config: Config;
  databaseUrl: string;
  /** PostgreSQL schema to use (tests); default public. */
  schema?: string;
  logger?: Logger;
  /** Run the background jobs (outbox worker, payment expiry, fraud resume) here; default: JOBS. */
  worker?: boolean;
  /** Called once the server listens, before migrations: /health and /ready answer from then on. */
  onListening?: (url: string) => void;
  /** Runs after the migrations and before the instance reports ready (the first-start seed). */
  prepare?: (runtime: Runtime) => Promise<void>;
  /** Where provider settings (payments, fraud, carriers) are read from; default process.env. */
  env?: Readonly<Record<string, string | undefined>>;
}

/**
 * Database connection → server listening (not ready) → migrations → prepare (seed) → jobs →
 * ready. Shared by `npm start` and the tests; resolves once the instance serves.
 */
export async function startApp(opts: AppOptions): Promise<App> {
  const { config } = opts;
  const logger = opts.logger ?? pino({ level: config.LOG_LEVEL });
  const orm = await openOrm({
    clientUrl: opts.databaseUrl,
    schema: opts.schema,
    poolMax: config.DB_POOL_MAX,
    statementTimeoutMs: config.DB_STATEMENT_TIMEOUT_MS,
    ssl: { mode: config.DB_SSL, ca: config.dbSslCa },
    replicaUrls: config.DB_READ_REPLICA_URLS,
  });
  const readiness = new Readiness(() => orm, logger);
  let server: AppServer | undefined;
  try {
    const env = opts.env ?? process.env;
    // Validated before anything starts listening, like the provider settings below.
    const expiry = paymentSettings(env);
    const resume = fraudResumeSettings(env);
    const runtime: Runtime = {
      orm,
      config,
      logger,
      env,
      payments: createPaymentProviders(loadPaymentsConfig(env as NodeJS.ProcessEnv)),
      fraud: createFraudAnalyzer(loadFraudConfig(env as NodeJS.ProcessEnv), { logger }),
      routes: [...paymentRoutes],
    };
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
    const worker = jobs ? startOutboxWorker(orm, createMailer(config), { pollMs: config.OUTBOX_POLL_MS, logger }) : null;
    const paymentExpiry = jobs ? startPaymentExpiryJob(runtime, { pollMs: expiry.PAYMENT_EXPIRY_POLL_MS }) : null;
    const fraudResume = jobs ? startFraudResumeJob(runtime, { pollMs: resume.FRAUD_RESUME_POLL_MS, olderThanMs: resume.FRAUD_RESUME_AFTER_MS }) : null;
    readiness.set('ready');
    const listening = server;
    return {
      runtime,
      server: listening,
      readiness,
      worker,
      paymentExpiry,
      fraudResume,
      // The jobs and the server wind down side by side (each bounded); the database goes last.
      stop: async () => {
        readiness.set('stopping');
        await Promise.all([worker?.stop(), paymentExpiry?.stop(), fraudResume?.stop(), listening.close()]);
        await orm.close(true);
      },
    };
  } catch (err) {
    readiness.set('stopping');
    await server?.close();
    await orm.close(true);
    throw err;
  }
}
