import 'reflect-metadata';
import { pino } from 'pino';
import { loadConfig } from './config.js';
import { startApp } from './app/app.js';
import { ensureFirstOperator, formatCredentials, seedDemo } from './app/seed.js';
import { startDatabase } from './shared/db/database.js';

/** `npm start`: configuration → database (embedded unless DATABASE_URL) → migrations → seed → server. */
async function main() {
  const config = loadConfig();
  const logger = pino({ level: config.LOG_LEVEL });
  const startedAt = Date.now();
  // A signal during start-up exits at once; database.ts's exit hook stops an embedded PostgreSQL.
  const early = (signal: NodeJS.Signals) => process.exit(signal === 'SIGINT' ? 130 : 143);
  process.on('SIGINT', early);
  process.on('SIGTERM', early);
  const db = await startDatabase(config, (line) => logger.debug({ postgres: line }));
  logger.info(db.embedded ? `embedded PostgreSQL running, data in ${config.DATA_DIR}/postgres` : 'using DATABASE_URL');
  let app;
  try {
    app = await startApp({ config, databaseUrl: db.url, logger });
  } catch (err) {
    await db.stop();
    throw err;
  }
  const creds = config.SEED ? await seedDemo(app.runtime, config) : await ensureFirstOperator(app.runtime, config);
  if (creds) process.stdout.write(formatCredentials(creds, config.SEED ? 'Seeded a demo marketplace.' : 'Created the first operator account.') + '\n');
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
