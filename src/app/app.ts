import { pino, type Logger } from 'pino';
import type { Config } from '../config.js';
import { migrate } from '../shared/db/orm.js';
import { openAppOrm } from './entities.js';
import { startOutboxWorker, type OutboxWorker } from '../jobs/outbox-worker.js';
import { startPaymentExpiryJob, type PaymentExpiryJob } from '../jobs/payment-expiry.js';
import { fraudResumeSettings, startFraudResumeJob, type FraudResumeJob } from '../jobs/fraud-resume.js';
import { createMailer } from '../shared/outbox/mailer.js';
import type { Runtime, Services } from '../shared/runtime/index.js';
import { wireServices } from './wiring.js';
import { startServer, type AppServer } from './server.js';
import { PAYMENT_SETTINGS, paymentRoutes } from '../modules/payments/index.js';

export interface App {
  runtime: Runtime;
  server: AppServer;
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
  /** Run the outbox worker in this process (default true). */
  worker?: boolean;
  /** Where provider settings (payments, fraud, carriers, job timings) are read from; default process.env. */
  env?: Readonly<Record<string, string | undefined>>;
  /** Service slots to fill with these instead of the configured ones (tests). */
  overrides?: Services;
}

/** Database → migrations → server (→ outbox worker). Shared by `npm start` and the tests. */
export async function startApp(opts: AppOptions): Promise<App> {
  const { config } = opts;
  const logger = opts.logger ?? pino({ level: config.LOG_LEVEL });
  const env = opts.env ?? process.env;
  // Every setting (providers, carriers, timings) is parsed and validated here, before the
  // database is touched or a port is opened: a bad value stops start-up naming the variable.
  const services = wireServices({ env, logger, overrides: opts.overrides });
  const expiry = services.get(PAYMENT_SETTINGS);
  const resume = fraudResumeSettings(env);
  const orm = await openAppOrm({ clientUrl: opts.databaseUrl, schema: opts.schema });
  try {
    const ran = await migrate(orm);
    if (ran.length) logger.info({ migrations: ran }, 'applied migrations');
    const runtime: Runtime = { orm, config, logger, services, routes: [...paymentRoutes] };
    const server = await startServer(runtime, { host: config.HOST, port: config.PORT });
    const worker =
      opts.worker === false ? null : startOutboxWorker(orm, createMailer(config), { pollMs: config.OUTBOX_POLL_MS, logger });
    const paymentExpiry = opts.worker === false ? null : startPaymentExpiryJob(runtime, { pollMs: expiry.PAYMENT_EXPIRY_POLL_MS });
    const fraudResume = opts.worker === false ? null : startFraudResumeJob(runtime, { pollMs: resume.FRAUD_RESUME_POLL_MS, olderThanMs: resume.FRAUD_RESUME_AFTER_MS });
    return {
      runtime,
      server,
      worker,
      paymentExpiry,
      fraudResume,
      // The worker and the server wind down side by side (each bounded); the database goes last.
      stop: async () => {
        await Promise.all([worker?.stop(), paymentExpiry?.stop(), fraudResume?.stop(), server.close()]);
        await orm.close(true);
      },
    };
  } catch (err) {
    await orm.close(true);
    throw err;
  }
}
