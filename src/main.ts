import 'reflect-metadata';
import { pino } from 'pino';
import { loadConfig } from './config.js';
import { startApp } from './app/app.js';
import { deliverCredentials } from './app/credentials.js';
import { ensureFirstOperator, formatCredentials, seedDemo, type SeedEntry } from './app/seed.js';
import { startDatabase } from './shared/db/database.js';

/**
 * `npm start` (and `node dist/src/main.js`): configuration → database (embedded unless
 * DATABASE_URL) → server listening → migrations → seed → ready.
 */
async function main() {
  const config = loadConfig();
  const logger = pino({ level: config.LOG_LEVEL });
  const startedAt = Date.now();
  // A signal during start-up exits at once; database.ts's exit hook stops an embedded PostgreSQL.
  const early = (signal: NodeJS.Signals) => process.exit(signal === 'SIGINT' ? 130 : 143);
  process.on('SIGINT', early);
  process.on('SIGTERM', early);
  logger.info(
    {
      mode: config.NODE_ENV,
      explorer: config.EXPLORER,
      corsOrigins: config.CORS_ORIGINS.entries,
      seed: config.SEED,
      jobs: config.JOBS,
      readReplicas: config.DB_READ_REPLICA_URLS.length,
    },
    'starting',
  );
  const db = await startDatabase(config, (line) => logger.debug({ postgres: line }));
  logger.info(db.embedded ? `embedded PostgreSQL running, data in ${config.DATA_DIR}/postgres` : 'using DATABASE_URL');
  let seeded: SeedEntry[] | null = null;
  let app;
  try {
    app = await startApp({
      config,
      databaseUrl: db.url,
      logger,
      secretDir: db.embedded ? config.DATA_DIR : undefined,
      onListening: (url) => logger.info(`listening at ${url}; /ready answers 503 until migrations and seeding are done`),
      prepare: async (runtime) => {
        seeded = config.SEED === 'demo' ? await seedDemo(runtime, config) : await ensureFirstOperator(runtime, config);
      },
    });
  } catch (err) {
    await db.stop();
    throw err;
  }
  if (seeded) {
    const heading = config.SEED === 'demo' ? 'Seeded a demo marketplace.' : 'Created the first operator account.';
    deliverCredentials(formatCredentials(seeded, heading), { dataDir: config.DATA_DIR, terminal: process.stdout.isTTY === true, logger });
  }
  logger.info({ ms: Date.now() - startedAt }, `GraphQL API ready at ${app.server.url}`);

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info(`${signal}: shutting down`);
    try {
      await app.stop();
    } finally {
      await db.stop();
      logger.info('stopped');
      process.exit(0);
    }
  };
  process.off('SIGINT', early);
  process.off('SIGTERM', early);
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  if (process.env.NODE_ENV === 'development' && err instanceof Error) console.error(err.stack);
  process.exit(1);
});
