import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import { startApp, type App } from '../src/app/app.js';
import { loadConfig } from '../src/config.js';
import { startEmbeddedPostgres, type Database } from '../src/shared/db/database.js';
import { CATALOG, printCatalog, runCatalogBench, seedCatalog, type CatalogOutcome } from './catalog.js';
import { CHECKOUT, CHECKOUT_WARMUP, printCheckout, runCheckoutBench, seedCheckout, type CheckoutOutcome } from './checkout.js';
import { foundationScenarios, seedFoundation } from './foundation.js';
import { failureSample, intFromEnv, load, printResults, sqlCounter, summarize, type Result } from './harness.js';

/**
 * Benchmarks of the real app (HTTP, Apollo, shield, MikroORM) against PostgreSQL, driven by
 * bounded in-process loops. `npm run bench`; see bench/README.md.
 *
 *   BENCH_SELLERS   guest sellers to seed for the foundation rows (default 500)
 *   BENCH_REQUESTS  measured requests per scenario and concurrency (default 1000)
 *   BENCH_OUT       also write the results as JSON to this file
 *   BENCH_LIMIT_MINUTES  hard limit of the whole run (default 15): past it, clean up and exit 1
 *   BENCH_ONLY      run only these parts, comma-separated: foundation, catalog, checkout (default all)
 *   DATABASE_URL    a PostgreSQL server (a throw-away schema is used); else an embedded one
 * and the catalog and checkout parts' own sizes, listed in bench/catalog.ts and bench/checkout.ts.
 */

const SELLERS = intFromEnv('BENCH_SELLERS', 500);
const REQUESTS = intFromEnv('BENCH_REQUESTS', 1000);
// A listing request costs ~10× a foundation one; 500 keeps the whole run within minutes on 2 CPUs.
const LISTING_REQUESTS = intFromEnv('BENCH_LISTING_REQUESTS', Math.min(500, REQUESTS));
const LISTING_WARMUP = Math.min(100, LISTING_REQUESTS);
const WARMUP = Math.min(200, REQUESTS);
const CONCURRENCIES = [1, 16];
/** The whole run is bounded: a stuck run fails instead of hanging a CI job. */
const HARD_LIMIT_MS = intFromEnv('BENCH_LIMIT_MINUTES', 15) * 60_000;
const PARTS = ['foundation', 'catalog', 'checkout'] as const;
const ONLY = onlyParts(process.env.BENCH_ONLY);

/** BENCH_ONLY=checkout (or catalog,checkout …) skips the other parts, seeding included. */
function onlyParts(raw: string | undefined): Set<(typeof PARTS)[number]> {
  if (!raw?.trim()) return new Set(PARTS);
  const names = raw.split(',').map((x) => x.trim()).filter(Boolean);
  const unknown = names.filter((n) => !(PARTS as readonly string[]).includes(n));
  if (unknown.length) throw new Error(`BENCH_ONLY: unknown part(s) ${unknown.join(', ')}; use ${PARTS.join(', ')}.`);
  return new Set(names as (typeof PARTS)[number][]);
}

async function main() {
  let db: Database | undefined;
  let tmp: string | undefined;
  let app: App | undefined;
  // A schema of its own on a shared server, dropped at the end; the embedded server is thrown away whole.
  const schema = `bench_${randomBytes(4).toString('hex')}`;
  let cleaning: Promise<void> | undefined;
  const cleanup = () =>
    (cleaning ??= (async () => {
      if (app) {
        await app.server.close();
        if (!db) await app.runtime.orm.em.getConnection().execute(`drop schema if exists "${schema}" cascade`);
        await app.runtime.orm.close(true);
      }
      await db?.stop();
      if (tmp) rmSync(tmp, { recursive: true, force: true });
    })());

  const hardLimit = setTimeout(() => {
    console.error(`bench: still running after ${HARD_LIMIT_MS / 60_000} min; giving up.`);
    // Still drop the schema / stop the embedded server, but never wait on a stuck one for long.
    const giveUp = setTimeout(() => process.exit(1), 15_000);
    void cleanup().finally(() => {
      clearTimeout(giveUp);
      process.exit(1);
    });
  }, HARD_LIMIT_MS);
  hardLimit.unref();

  let databaseUrl = process.env.DATABASE_URL;
  try {
    if (!databaseUrl) {
      tmp = mkdtempSync(path.join(os.tmpdir(), 'mkt-bench-'));
      chmodSync(tmp, 0o755); // as root, the postgres user must enter it
      db = await startEmbeddedPostgres({ dir: path.join(tmp, 'pg'), persistent: false });
      databaseUrl = db.url;
    }
    const config = loadConfig({ NODE_ENV: 'production', HOST: '127.0.0.1', PORT: '0', LOG_LEVEL: 'silent', SEED: 'false', MAIL_DIR: tmp ?? os.tmpdir() });
    app = await startApp({ config, databaseUrl, schema, logger: pino({ level: 'silent' }), worker: false });
    const url = app.server.url;

    console.log(
      `bench: ${[...ONLY].join(', ')}; ${db ? 'embedded PostgreSQL' : 'DATABASE_URL'}, Node ${process.version}, ${os.cpus().length} CPUs\n`,
    );
    const results: Result[] = [];
    const sql = sqlCounter(app);
    if (ONLY.has('foundation')) {
      const { token } = await seedFoundation(app, SELLERS);
      console.log(`foundation: ${SELLERS} guest sellers, ${REQUESTS} requests per row after ${WARMUP} warm-up\n`);
      for (const s of foundationScenarios(token)) {
        for (const concurrency of CONCURRENCIES) {
          await load(url, s, WARMUP, concurrency);
          const before = sql.read();
          const run = await load(url, s, REQUESTS, concurrency);
          results.push(summarize(s.name, concurrency, [run], sql.read() - before));
        }
      }
      printResults(results);
    }

    // The catalog rows run after the foundation ones, so those stay comparable with older runs.
    let seeded: Awaited<ReturnType<typeof seedCatalog>> | undefined;
    let catalog: CatalogOutcome | undefined;
    if (ONLY.has('catalog')) {
      seeded = await seedCatalog(app);
      console.log(
        `\ncatalog: ${seeded.products} products, ${seeded.skus} SKUs over ${CATALOG.sellers} sellers, seeded in ${(seeded.ms / 1000).toFixed(1)} s; ` +
          `${LISTING_REQUESTS} listing requests per row after ${LISTING_WARMUP} warm-up\n`,
      );
      catalog = await runCatalogBench({
        app,
        sql,
        databaseUrl,
        schema,
        requests: LISTING_REQUESTS,
        warmup: LISTING_WARMUP,
        concurrencies: CONCURRENCIES,
      });
      printCatalog(catalog);
      results.push(...catalog.results);
    }

    // Checkout last: it writes orders, stock and ledger rows the other parts never read.
    let checkout: CheckoutOutcome | undefined;
    if (ONLY.has('checkout')) {
      const seed = await seedCheckout(app);
      console.log(`\ncheckout: ${CHECKOUT.checkouts} measured checkouts per row after ${CHECKOUT_WARMUP} warm-up, each from its own freshly prepared cart\n`);
      checkout = await runCheckoutBench(app, sql, seed);
      printCheckout(checkout);
      results.push(...checkout.latency.map((l) => l.result));
    }
    sql.stop();

    if (process.env.BENCH_OUT) {
      const out = {
        at: new Date().toISOString(),
        parts: [...ONLY],
        ...(ONLY.has('foundation') ? { sellers: SELLERS } : {}),
        ...(seeded ? { catalog: { ...CATALOG, seeded } } : {}),
        node: process.version,
        results,
        ...(catalog
          ? {
              listingVsBaseline: catalog.pairs.map(({ concurrency, api, raw }) => ({ concurrency, rpsRatio: api.rps / raw.rps, p50Ratio: api.p50 / raw.p50 })),
              sqlByPageSize: catalog.sqlByPageSize,
              import: catalog.import,
            }
          : {}),
        ...(checkout
          ? {
              checkout: {
                ...CHECKOUT,
                oversell: checkout.oversell,
                latency: checkout.latency.map(({ result, mean }) => ({ concurrency: result.concurrency, p50: result.p50, p99: result.p99, mean, perSecond: result.rps, sqlPerCheckout: result.sqlPerRequest })),
              },
            }
          : {}),
      };
      writeFileSync(process.env.BENCH_OUT, JSON.stringify(out, null, 2) + '\n');
      console.log(`\nwrote ${process.env.BENCH_OUT}`);
    }
    if (results.some((r) => r.failures > 0)) {
      console.error(`\nbench: some requests failed; the figures above are not valid. First failure:\n${failureSample()}`);
      process.exitCode = 1;
    }
    for (const problem of [...(catalog?.problems ?? []), ...(checkout?.problems ?? [])]) {
      console.error(`\nbench: ${problem}`);
      process.exitCode = 1;
    }
  } finally {
    await cleanup();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
