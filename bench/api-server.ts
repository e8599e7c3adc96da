import 'reflect-metadata';
import path from 'node:path';
import { writeHeapSnapshot } from 'node:v8';
import { pino } from 'pino';
import { startApp } from '../src/app/app.js';
import { loadConfig } from '../src/config.js';
import { sidePoolKnex } from '../src/shared/db/side-pool.js';
import { sqlScope } from '../src/shared/db/sql-scope.js';
import { serveIpc } from './ipc.js';
import { BENCH_LINKS, benchAppSecret } from './harness.js';

/**
 * The API under test, in a process of its own: the app's real start-up (startApp: ORM,
 * migrations, Apollo, shield) as `npm start` runs it, compiled by tsc, on a free port, in the bench's
 * schema. Only what a bench needs is added: the count of SQL statements the requests send
 * (knex's `query` event fires once per statement, BEGIN and COMMIT included; counted inside a
 * request's statement scope, as its log line counts them), read between slices.
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
const config = loadConfig({
  NODE_ENV: 'production',
  HOST: '127.0.0.1',
  PORT: '0',
  LOG_LEVEL: 'silent',
  SEED: 'none',
  MAIL_DIR: mailDir,
  QUERY_COST_PER_SECOND: '1000000000',
  APP_SECRET: benchAppSecret(),
  ORDER_LINK_URL: BENCH_LINKS.url,
  ORDER_LINK_TTL_DAYS: String(BENCH_LINKS.ttlDays),
});
// Request logs on, as in production: pino at its default level (info: one JSON line per request,
// with its responseTime and sql), written synchronously as pino writes to standard output,
// here to a file of the run's temporary directory rather than over the bench's own output.
const logFile = path.join(path.dirname(mailDir), 'api.log');
const app = await startApp({ config, databaseUrl, schema, logger: pino({ level: process.env.BENCH_API_LOG ?? 'info' }, pino.destination({ dest: logFile, sync: true })), worker: false });

let statements = 0;
// The statements of a request, as its log line counts them, through either pool (the side pool
// carries the idempotency claims and the provider-call journal): not the sandbox gateway's own
// state (outsideRequestCount), which stands in for an HTTP provider's and which the floor keeps in memory.
for (const knex of [app.runtime.orm.em.getKnex(), sidePoolKnex(app.runtime.orm)]) {
  knex?.on('query', () => {
    if (sqlScope.getStore()) statements += 1;
  });
}

serveIpc(
  {
    stats: () => ({ statements }),
    // The memory run (bench/memory.ts): the heap after a full collection (--expose-gc, ipc.ts), so
    // what is retained is told apart from what V8 has not collected or given back yet.
    memory: () => {
      const gc = (globalThis as { gc?: () => void }).gc;
      gc?.();
      gc?.();
      const m = process.memoryUsage();
      return { collected: Boolean(gc), rss: m.rss, heapUsed: m.heapUsed, heapTotal: m.heapTotal, external: m.external, arrayBuffers: m.arrayBuffers };
    },
    // BENCH_HEAP_SNAPSHOT_DIR: a V8 heap snapshot (writeHeapSnapshot collects first), for bench/heap-diff.ts.
    heapSnapshot: (file: string) => writeHeapSnapshot(file),
    stop: async () => {
      await app.stop();
      setTimeout(() => process.exit(0), 10);
    },
  },
  { url: app.server.url },
);
