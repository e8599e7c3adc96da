import 'reflect-metadata';
import { pino } from 'pino';
import { startApp } from '../src/app/app.js';
import { loadConfig } from '../src/config.js';
import { sidePoolKnex } from '../src/shared/db/side-pool.js';
import { serveIpc } from './ipc.js';

/**
 * The API under test, in a process of its own: the app's real start-up (startApp: ORM,
 * migrations, Apollo, shield) as `npm start` runs it under tsx, on a free port, in the bench's
 * schema. Only what a bench needs is added: the count of SQL statements the ORM sends (knex's
 * `query` event fires once per statement, BEGIN and COMMIT included), read between slices.
 *
 *   argv: <databaseUrl> <schema> <mailDir>
 *
 * Background jobs (outbox worker, payment expiry, fraud resume) are off, as in the tests: the
 * bench measures requests, and the floors have no background work either.
 */

const [databaseUrl, schema, mailDir] = process.argv.slice(2);
if (!databaseUrl || !schema || !mailDir) throw new Error('usage: api-server.ts <databaseUrl> <schema> <mailDir>');

// The query-cost limiter stays on (every request is costed and checked against its client's
// budget, as in production), with a budget one load generator on one address cannot spend: it
// stands for many shoppers, whom production tells apart by address (TRUST_PROXY).
const config = loadConfig({ NODE_ENV: 'production', HOST: '127.0.0.1', PORT: '0', LOG_LEVEL: 'silent', SEED: 'none', MAIL_DIR: mailDir, QUERY_COST_PER_SECOND: '1000000000' });
const app = await startApp({ config, databaseUrl, schema, logger: pino({ level: 'silent' }), worker: false });

let statements = 0;
// The side pool's statements too (idempotency claims, the provider-call journal, the sandbox's state).
for (const knex of [app.runtime.orm.em.getKnex(), sidePoolKnex(app.runtime.orm)]) {
  knex?.on('query', () => {
    statements += 1;
  });
}

serveIpc(
  {
    stats: () => ({ statements }),
    stop: async () => {
      await app.stop();
      setTimeout(() => process.exit(0), 10);
    },
  },
  { url: app.server.url },
);
