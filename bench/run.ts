// The checks open what the checkout wrote with the orders module's link signer (writes.ts), whose decorators need it first.
import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { startEmbeddedPostgres, type Database } from '../src/shared/db/database.js';
import { importBench, printImport, printSqlGrowth, sqlByPageSize, type ImportOutcome, type SqlGrowth } from './catalog.js';
import { buildChildren, startChild, type ChildHandle } from './ipc.js';
import { intFromEnv, numberFromEnv } from './harness.js';
import { measureScenario, printProofs, printRows, type Row, type Scenario, type StockProof } from './measure.js';
import { memoryRun, printMemory, type MemoryOutcome } from './memory.js';
import { dashboardScenario, listingScenarios, orderSearchScenario, productScenario, sellersScenario } from './scenarios.js';
import { seedCatalog, seedOrders, seedViewers } from './seed.js';
import { addLineScenario, checkoutScenario, oversellRun, printOversell, seedCheckout, type CheckoutSeed, type OversellOutcome } from './writes.js';

/**
 * `npm run bench`: the API against a raw floor for each measured request, each in its own
 * process, driven by autocannon in a third; see bench/README.md.
 *
 *   DATABASE_URL         a PostgreSQL server (a throw-away schema is used and dropped); else an embedded one
 *   BENCH_ONLY           run only these parts, comma-separated (default all): listing, listing-seller,
 *                        product, sellers, orders, dashboard, add-line, checkout, oversell, import, sql-growth, memory
 *                        (memory mixes the read parts chosen beside it; alone, every read part's requests, unmeasured)
 *   BENCH_PRODUCTS       products to seed (default 20000, ~2 SKUs each)
 *   BENCH_SELLERS        sellers owning them, the admin seller included (default 20)
 *   BENCH_ORDERS         orders to seed for the order search and the dashboard (default 100000)
 *   BENCH_SLICES         slices per scenario and concurrency, half API, half floor (default 6)
 *   BENCH_SLICE_SECONDS  target length of a slice (default 2.5)
 *   BENCH_PRODUCT_PAGES  distinct products the product page rotates over (default 200)
 *   BENCH_OUT            also write every row as JSON to this file
 *   BENCH_LIMIT_MINUTES  hard limit of the whole run (default 20): past it, clean up and exit 1
 * and the write parts' sizes, listed in bench/writes.ts.
 */

const SIZES = {
  products: intFromEnv('BENCH_PRODUCTS', 20_000),
  sellers: intFromEnv('BENCH_SELLERS', 20),
  orders: intFromEnv('BENCH_ORDERS', 100_000),
  slices: intFromEnv('BENCH_SLICES', 6),
  sliceSeconds: numberFromEnv('BENCH_SLICE_SECONDS', 2.5),
  productPages: intFromEnv('BENCH_PRODUCT_PAGES', 200),
};
const CONCURRENCIES = [1, 16];
const HARD_LIMIT_MS = intFromEnv('BENCH_LIMIT_MINUTES', 20) * 60_000;
const PARTS = ['listing', 'listing-seller', 'product', 'sellers', 'orders', 'dashboard', 'add-line', 'checkout', 'oversell', 'import', 'sql-growth', 'memory'] as const;
type Part = (typeof PARTS)[number];
const ONLY = onlyParts(process.env.BENCH_ONLY);

function onlyParts(raw: string | undefined): Set<Part> {
  if (!raw?.trim()) return new Set(PARTS);
  const names = raw.split(',').map((x) => x.trim()).filter(Boolean);
  const unknown = names.filter((n) => !(PARTS as readonly string[]).includes(n));
  if (unknown.length) throw new Error(`BENCH_ONLY: unknown part(s) ${unknown.join(', ')}; use ${PARTS.join(', ')}.`);
  return new Set(names as Part[]);
}

// The scenarios whose requests only read; the memory run mixes them.
const READ_PARTS: Part[] = ['listing', 'listing-seller', 'product', 'sellers', 'orders', 'dashboard'];
// BENCH_ONLY=memory alone: the memory run over every read scenario's requests, none of them measured.
const MEMORY_ALONE = ONLY.has('memory') && !READ_PARTS.some((p) => ONLY.has(p));

const load = () => os.loadavg().map((x) => x.toFixed(2)).join(', ');

async function main() {
  let embedded: Database | undefined;
  let tmp: string | undefined;
  let db: pg.Pool | undefined;
  let api: ChildHandle<{ url: string }> | undefined;
  let loadgen: ChildHandle<Record<string, never>> | undefined;
  // A schema of its own on a shared server, dropped at the end; the embedded server is thrown away whole.
  const schema = `bench_${randomBytes(4).toString('hex')}`;
  let cleaning: Promise<void> | undefined;
  const cleanup = () =>
    (cleaning ??= (async () => {
      await loadgen?.stop().catch(() => {});
      await api?.stop().catch(() => {});
      if (db && !embedded) await db.query(`drop schema if exists "${schema}" cascade`).catch((err: unknown) => console.error(`bench: could not drop schema ${schema}:`, err));
      await db?.end().catch(() => {});
      await embedded?.stop();
      if (tmp) rmSync(tmp, { recursive: true, force: true });
    })());

  const hardLimit = setTimeout(() => {
    console.error(`bench: still running after ${HARD_LIMIT_MS / 60_000} min; giving up.`);
    const giveUp = setTimeout(() => process.exit(1), 30_000);
    void cleanup().finally(() => {
      clearTimeout(giveUp);
      process.exit(1);
    });
  }, HARD_LIMIT_MS);
  hardLimit.unref();

  const started = Date.now();
  const problems: string[] = [];
  const proofs: StockProof[] = [];
  const rows: Row[] = [];
  try {
    tmp = mkdtempSync(path.join(os.tmpdir(), 'mkt-bench-'));
    chmodSync(tmp, 0o755); // as root, the embedded server's postgres user must enter it
    let databaseUrl = process.env.DATABASE_URL;
    if (!databaseUrl) {
      embedded = await startEmbeddedPostgres({ dir: path.join(tmp, 'pg'), persistent: false });
      databaseUrl = embedded.url;
    }
    console.log(
      `bench: ${embedded ? 'embedded PostgreSQL' : 'DATABASE_URL'}, schema ${schema}; Node ${process.version}, ${os.cpus().length} CPUs; load average ${load()}\n`,
    );

    // The run's app secret, inherited by every child (harness.ts BENCH_LINKS).
    process.env.BENCH_APP_SECRET = randomBytes(48).toString('base64');
    console.log(`children built (tsc, as npm start builds the app) in ${(buildChildren() / 1000).toFixed(1)} s`);
    // The API migrates the schema as it starts, so it starts first.
    api = await startChild<{ url: string }>('API', 'api-server.ts', [databaseUrl, schema, path.join(tmp, 'mail')]);
    db = new pg.Pool({ connectionString: databaseUrl, max: 4, options: `-c search_path="${schema}"` });

    const catalog = await seedCatalog(db, { products: SIZES.products, sellers: SIZES.sellers });
    console.log(
      `catalog: ${catalog.products} products (${catalog.visible} on sale), ${catalog.skus} SKUs, ${SIZES.sellers} sellers; seeded in ${(catalog.ms / 1000).toFixed(1)} s`,
    );
    const viewers = await seedViewers(db);
    if (ONLY.has('orders') || ONLY.has('dashboard') || MEMORY_ALONE) {
      const orders = await seedOrders(db, SIZES.orders);
      console.log(`orders: ${orders.orders} orders, ${orders.lines} lines; seeded in ${(orders.ms / 1000).toFixed(1)} s`);
    }

    loadgen = await startChild<Record<string, never>>('load generator', 'loadgen.ts', []);
    const ctx = { db, viewers, apiUrl: api.ready.url };
    const scenarios: Scenario[] = [];
    for (const s of await listingScenarios(ctx)) if (ONLY.has(s.key as Part)) scenarios.push(s);
    if (ONLY.has('product')) scenarios.push(await productScenario(ctx, SIZES.productPages));
    if (ONLY.has('sellers')) scenarios.push(sellersScenario());
    if (ONLY.has('orders')) scenarios.push(await orderSearchScenario(ctx));
    if (ONLY.has('dashboard')) scenarios.push(dashboardScenario(ctx));
    if (ONLY.has('add-line')) scenarios.push(await addLineScenario(ctx));
    let checkoutSeed: CheckoutSeed | undefined;
    if (ONLY.has('checkout') || ONLY.has('oversell')) checkoutSeed = await seedCheckout(ctx);
    if (ONLY.has('checkout')) scenarios.push(checkoutScenario(ctx, checkoutSeed!));

    if (scenarios.length) console.log(
      `\n${SIZES.slices} slices per scenario and concurrency (API and floor alternating A-B-B-A), ~${SIZES.sliceSeconds} s each, after a warm-up of each\n`,
    );
    const options = { api, loadgen, databaseUrl, schema, concurrencies: CONCURRENCIES, slices: SIZES.slices, sliceSeconds: SIZES.sliceSeconds, problems, proofs };
    for (const s of scenarios) {
      const t0 = Date.now();
      try {
        rows.push(...(await measureScenario(s, options)));
      } catch (err) {
        problems.push(`${s.name}: ${err instanceof Error ? err.message : String(err)}`);
      }
      console.log(`  ${s.name}: ${((Date.now() - t0) / 1000).toFixed(0)} s`);
    }

    if (scenarios.length) {
      console.log(`\nAPI vs floor (load average now ${load()}):\n`);
      printRows(rows);
      printProofs(proofs);
    }

    // Item 5 of issue 14: RSS over many mixed reads, after the measured slices (warm JIT and pools).
    let memory: MemoryOutcome | undefined;
    const readScenarios = MEMORY_ALONE
      ? [...(await listingScenarios(ctx)), await productScenario(ctx, SIZES.productPages), sellersScenario(), await orderSearchScenario(ctx), dashboardScenario(ctx)]
      : scenarios;
    const readLists = readScenarios.filter((x) => x.reads && !x.write).map((x) => x.reads!);
    if (ONLY.has('memory') && readLists.length) {
      memory = await memoryRun(api, loadgen, readLists, problems);
      printMemory(memory);
      console.log(`load average now ${load()}`);
    }

    // API-only guards kept from the earlier bench: no floor, compared with older runs of the API.
    let sqlGrowth: SqlGrowth[] | undefined;
    if (ONLY.has('sql-growth')) {
      sqlGrowth = await sqlByPageSize(api, problems);
      printSqlGrowth(sqlGrowth);
    }
    let imported: ImportOutcome | undefined;
    if (ONLY.has('import')) {
      imported = await importBench(api, db, problems);
      printImport(imported);
    }

    // Last: it sells out a SKU, and its burst of 500 requests would disturb any slice after it.
    let oversell: OversellOutcome | undefined;
    if (ONLY.has('oversell')) {
      oversell = await oversellRun(ctx, checkoutSeed!, problems);
      printOversell(oversell);
    }

    if (process.env.BENCH_OUT) {
      writeFileSync(process.env.BENCH_OUT, JSON.stringify({ at: new Date().toISOString(), node: process.version, sizes: SIZES, catalog, rows, proofs, memory, sqlGrowth, imported, oversell, problems }, null, 2) + '\n');
      console.log(`\nwrote ${process.env.BENCH_OUT}`);
    }
  } catch (err) {
    problems.push(err instanceof Error ? (err.stack ?? err.message) : String(err));
  } finally {
    await cleanup();
  }
  console.log(`\nbench: ${((Date.now() - started) / 1000).toFixed(0)} s`);
  for (const problem of problems) {
    console.error(`\nbench: ${problem}`);
    process.exitCode = 1;
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
