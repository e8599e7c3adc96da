import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { generateCnpj } from '@brazilian-utils/brazilian-utils';
import { pino } from 'pino';
import { startApp, type App } from '../src/app/app.js';
import { loadConfig } from '../src/config.js';
import { Session, User, UserRole } from '../src/modules/auth/auth.entity.js';
import { hashToken, newToken } from '../src/modules/auth/crypto.js';
import { DocumentType, MarketplaceSettings, Seller, SellerStatus } from '../src/modules/sellers/sellers.entity.js';
import { startEmbeddedPostgres, type Database } from '../src/shared/db/database.js';

/**
 * Foundation benchmark: the real app (HTTP, Apollo, shield, MikroORM) against PostgreSQL,
 * driven by a bounded in-process loop. `npm run bench`; see bench/README.md.
 *
 *   BENCH_SELLERS   guest sellers to seed (default 500)
 *   BENCH_REQUESTS  measured requests per scenario and concurrency (default 1000)
 *   BENCH_OUT       also write the results as JSON to this file
 *   DATABASE_URL    a PostgreSQL server (a throw-away schema is used); else an embedded one
 */

const SELLERS = intFromEnv('BENCH_SELLERS', 500);
const REQUESTS = intFromEnv('BENCH_REQUESTS', 1000);
const WARMUP = Math.min(200, REQUESTS);
const CONCURRENCIES = [1, 16];
/** The whole run is bounded: a stuck run fails instead of hanging a CI job. */
const HARD_LIMIT_MS = 10 * 60_000;

function intFromEnv(name: string, fallback: number): number {
  const raw = process.env[name];
  if (!raw) return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1) throw new Error(`${name} must be a positive integer, got "${raw}".`);
  return n;
}

interface Scenario {
  name: string;
  query: string;
  token?: string;
  /** Checks one response body, so a benchmark of errors is never mistaken for a fast API. */
  check(body: { data?: Record<string, unknown> | null; errors?: unknown[] }): boolean;
}

interface Result {
  scenario: string;
  concurrency: number;
  requests: number;
  failures: number;
  rps: number;
  p50: number;
  p99: number;
  max: number;
  sqlPerRequest: number;
}

const STOREFRONT_SELLERS = `query StorefrontSellers {
  sellers(first: 24) {
    totalCount
    edges { cursor node { id name concatenationCode status shippingPolicy returnPolicy } }
    pageInfo { hasNextPage endCursor }
  }
}`;

const VIEWER = `query Viewer {
  viewer { kind role user { id email name role } seller { id name concatenationCode status document } }
}`;

/** Counts every SQL statement the ORM sends, through knex's `query` event. */
function sqlCounter(app: App) {
  let count = 0;
  const knex = app.runtime.orm.em.getKnex();
  const listener = () => {
    count += 1;
  };
  knex.on('query', listener);
  return { read: () => count, stop: () => knex.off('query', listener) };
}

async function seed(app: App): Promise<{ token: string }> {
  const em = app.runtime.orm.em.fork();
  await em.nativeUpdate(MarketplaceSettings, { id: 1 }, { usesMarketplace: true });
  const sellers: Seller[] = [];
  for (let i = 0; i < SELLERS; i++) {
    const seller = em.create(Seller, {
      name: `Bench Seller ${String(i).padStart(5, '0')}`,
      concatenationCode: `B${i.toString(36).toUpperCase().padStart(4, '0')}`,
      status: i % 10 === 9 ? SellerStatus.SUSPENDED : SellerStatus.ACTIVE,
      // The branch block makes every generated CNPJ distinct.
      document: generateCnpj({ branch: (i % 9999) + 1 }),
      documentType: DocumentType.CNPJ,
      shippingPolicy: 'Dispatches within 2 business days from the store warehouse.',
      returnPolicy: 'Returns accepted within 7 days of delivery.',
      notes: 'Benchmark seller.',
    });
    sellers.push(seller);
  }
  const owner = em.create(User, { email: 'owner@bench.example', name: 'Bench owner', seller: sellers[0]!, role: UserRole.OWNER });
  const token = newToken('mks');
  em.create(Session, { user: owner, tokenHash: hashToken(token), expiresAt: new Date(Date.now() + 3600_000) });
  await em.flush();
  return { token };
}

async function post(url: string, s: Scenario): Promise<boolean> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(s.token ? { authorization: `Bearer ${s.token}` } : {}) },
    body: JSON.stringify({ query: s.query }),
  });
  const body = (await res.json()) as { data?: Record<string, unknown> | null; errors?: unknown[] };
  const ok = res.status === 200 && !body.errors && s.check(body);
  if (!ok && !firstFailure) firstFailure = `${s.name}: HTTP ${res.status} ${JSON.stringify(body).slice(0, 500)}`;
  return ok;
}

/** The first failed response, shown when a run has failures. */
let firstFailure: string | undefined;

/** `requests` requests spread over `concurrency` workers; per-request latency in ms. */
async function load(url: string, s: Scenario, requests: number, concurrency: number) {
  const latencies: number[] = [];
  let next = 0;
  let failures = 0;
  const worker = async () => {
    while (next < requests) {
      next += 1;
      const t0 = performance.now();
      const ok = await post(url, s).catch(() => false);
      latencies.push(performance.now() - t0);
      if (!ok) failures += 1;
    }
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: concurrency }, worker));
  return { latencies, failures, wallMs: performance.now() - started };
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

function printTable(results: Result[]) {
  const header = ['scenario', 'conc', 'requests', 'fail', 'req/s', 'p50 ms', 'p99 ms', 'max ms', 'SQL/req'];
  const rows = results.map((r) => [
    r.scenario,
    String(r.concurrency),
    String(r.requests),
    String(r.failures),
    r.rps.toFixed(0),
    r.p50.toFixed(2),
    r.p99.toFixed(2),
    r.max.toFixed(2),
    r.sqlPerRequest.toFixed(2),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  console.log(line(header));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const row of rows) console.log(line(row));
}

async function main() {
  const hardLimit = setTimeout(() => {
    console.error(`bench: still running after ${HARD_LIMIT_MS / 60_000} min; giving up.`);
    process.exit(1);
  }, HARD_LIMIT_MS);
  hardLimit.unref();

  let db: Database | undefined;
  let tmp: string | undefined;
  let app: App | undefined;
  // A schema of its own on a shared server, dropped at the end; the embedded server is thrown away whole.
  const schema = `bench_${randomBytes(4).toString('hex')}`;
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
    const { token } = await seed(app);
    const url = app.server.url;

    const scenarios: Scenario[] = [
      {
        name: 'storefront sellers(first: 24)',
        query: STOREFRONT_SELLERS,
        check: (b) => (b.data?.sellers as { edges: unknown[] } | undefined)?.edges.length === 24,
      },
      {
        name: 'viewer (seller owner)',
        query: VIEWER,
        token,
        check: (b) => (b.data?.viewer as { kind: string } | undefined)?.kind === 'SELLER',
      },
    ];

    console.log(
      `bench: ${SELLERS} guest sellers, ${REQUESTS} requests per row after ${WARMUP} warm-up, ` +
        `${db ? 'embedded PostgreSQL' : 'DATABASE_URL'}, Node ${process.version}, ${os.cpus().length} CPUs\n`,
    );
    const results: Result[] = [];
    const sql = sqlCounter(app);
    for (const s of scenarios) {
      for (const concurrency of CONCURRENCIES) {
        await load(url, s, WARMUP, concurrency);
        const before = sql.read();
        const run = await load(url, s, REQUESTS, concurrency);
        const statements = sql.read() - before;
        const sorted = run.latencies.sort((a, b) => a - b);
        results.push({
          scenario: s.name,
          concurrency,
          requests: REQUESTS,
          failures: run.failures,
          rps: REQUESTS / (run.wallMs / 1000),
          p50: percentile(sorted, 50),
          p99: percentile(sorted, 99),
          max: sorted.at(-1)!,
          sqlPerRequest: statements / REQUESTS,
        });
      }
    }
    sql.stop();
    printTable(results);
    if (process.env.BENCH_OUT) {
      writeFileSync(process.env.BENCH_OUT, JSON.stringify({ at: new Date().toISOString(), sellers: SELLERS, node: process.version, results }, null, 2) + '\n');
      console.log(`\nwrote ${process.env.BENCH_OUT}`);
    }
    if (results.some((r) => r.failures > 0)) {
      console.error(`\nbench: some requests failed; the figures above are not valid. First failure:\n${firstFailure}`);
      process.exitCode = 1;
    }
  } finally {
    if (app) {
      await app.server.close();
      if (!db) await app.runtime.orm.em.getConnection().execute(`drop schema if exists "${schema}" cascade`);
      await app.runtime.orm.close(true);
    }
    await db?.stop();
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
