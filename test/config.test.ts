import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { loadConfig } from '../src/config.js';
import { originAllowed, parseCorsOrigins } from '../src/app/cors.js';
import { deliverCredentials } from '../src/app/credentials.js';
import { pgSsl } from '../src/shared/db/orm.js';
import { resolveAppSecret } from '../src/app/app-secret.js';

/** Configuration is read once; every bad value stops start-up naming its variable. */

const DB = 'postgres://app:secret@db.internal:5432/shop';
/** With DATABASE_URL in production every instance needs the shared app secret. */
const SECRET = 'k'.repeat(40);

describe('defaults follow where the API runs', () => {
  it('on the embedded database (a local trial): development, explorer, localhost CORS, demo seed', () => {
    const c = loadConfig({});
    expect(c).toMatchObject({ NODE_ENV: 'development', EXPLORER: true, INTROSPECTION: true, SEED: 'demo', JOBS: 'on', CORS_CREDENTIALS: false });
    for (const origin of ['http://localhost:3000', 'http://localhost:5173', 'http://127.0.0.1:8080', 'http://localhost']) {
      expect(originAllowed(c.CORS_ORIGINS, origin)).toBe(true);
    }
    expect(originAllowed(c.CORS_ORIGINS, 'https://evil.example')).toBe(false);
    expect(originAllowed(c.CORS_ORIGINS, 'http://localhost.evil.example:3000')).toBe(false);
  });

  it('with DATABASE_URL: production, no explorer, no introspection, no CORS origin, no demo data', () => {
    const c = loadConfig({ DATABASE_URL: DB, APP_SECRET: SECRET });
    expect(c).toMatchObject({ NODE_ENV: 'production', EXPLORER: false, INTROSPECTION: false, SEED: 'none', DB_SSL: 'disable', DB_POOL_MAX: 10, DB_STATEMENT_TIMEOUT_MS: 30_000 });
    expect(c.CORS_ORIGINS.entries).toEqual([]);
    expect(originAllowed(c.CORS_ORIGINS, 'http://localhost:3000')).toBe(false);
  });

  it('each default can be overridden', () => {
    const c = loadConfig({ DATABASE_URL: DB, APP_SECRET: SECRET, SEED: 'demo', EXPLORER: 'true', JOBS: 'off', CORS_ORIGINS: 'https://shop.example.com', DB_POOL_MAX: '25', DB_STATEMENT_TIMEOUT_MS: '0' });
    expect(c).toMatchObject({ SEED: 'demo', EXPLORER: true, INTROSPECTION: true, JOBS: 'off', DB_POOL_MAX: 25, DB_STATEMENT_TIMEOUT_MS: 0 });
    expect(loadConfig({ EXPLORER: 'true', INTROSPECTION: 'false' }).INTROSPECTION).toBe(false);
  });
});

describe('bad values stop start-up with the variable named', () => {
  const cases: [Record<string, string>, RegExp][] = [
    [{ DATABASE_URL: 'mysql://x@y/z' }, /DATABASE_URL: must be a postgres/],
    [{ DATABASE_URL: `${DB}?sslmode=prefer`, APP_SECRET: SECRET }, /DATABASE_URL: sslmode=prefer is not supported/],
    [{ SEED: 'true' }, /SEED: SEED must be demo or none/],
    [{ JOBS: 'maybe' }, /JOBS: JOBS must be on or off/],
    [{ EXPLORER: 'yes' }, /EXPLORER: EXPLORER must be true or false/],
    [{ CORS_ORIGINS: 'https://shop.example.com/' }, /CORS_ORIGINS: "https:\/\/shop.example.com\/" is not an origin/],
    [{ CORS_ORIGINS: 'shop.example.com' }, /CORS_ORIGINS: "shop.example.com" is not an origin/],
    [{ CORS_ORIGINS: 'https://*.com' }, /CORS_ORIGINS: .* every host of a top-level domain/],
    [{ CORS_ORIGINS: '*', CORS_CREDENTIALS: 'true' }, /CORS_CREDENTIALS: cannot be true while CORS_ORIGINS is "\*"/],
    [{ CORS_MAX_AGE_SECONDS: '-1' }, /CORS_MAX_AGE_SECONDS/],
    [{ DB_POOL_MAX: '1' }, /DB_POOL_MAX/],
    [{ DB_POOL_MAX: 'ten' }, /DB_POOL_MAX/],
    [{ DB_STATEMENT_TIMEOUT_MS: '1.5' }, /DB_STATEMENT_TIMEOUT_MS/],
    [{ DB_SSL: 'on' }, /DB_SSL: DB_SSL must be one of disable, require, verify-full/],
    [{ DATABASE_URL: DB, APP_SECRET: SECRET, DB_SSL: 'require', DB_SSL_CA: '/nonexistent/ca.pem' }, /DB_SSL_CA: is only used with DB_SSL=verify-full/],
    [{ DATABASE_URL: DB, APP_SECRET: SECRET, DB_SSL: 'verify-full', DB_SSL_CA: '/nonexistent/ca.pem' }, /DB_SSL_CA: cannot be read/],
    [{ DB_READ_REPLICA_URLS: 'postgres://r@replica/shop' }, /DB_READ_REPLICA_URLS: needs DATABASE_URL/],
    [{ DATABASE_URL: DB, APP_SECRET: SECRET, DB_READ_REPLICA_URLS: 'replica:5432' }, /DB_READ_REPLICA_URLS: "replica:5432" must be a postgres/],
  ];
  it.each(cases)('%j', (env, message) => {
    expect(() => loadConfig(env)).toThrow(message);
  });
});

describe('CORS origins', () => {
  it('match exact origins, subdomain and port wildcards, and nothing more', () => {
    const o = parseCorsOrigins('https://Shop.Example.com:443, https://*.example.org, http://localhost:*');
    const allowed = ['https://shop.example.com', 'https://a.example.org', 'https://a.b.example.org', 'http://localhost:3000', 'http://localhost'];
    const refused = ['http://shop.example.com', 'https://shop.example.com:8443', 'https://example.org', 'https://a.example.org.evil.net', 'https://evilexample.org', 'http://localhost.evil:3000', 'null'];
    for (const origin of allowed) expect(originAllowed(o, origin), origin).toBe(true);
    for (const origin of refused) expect(originAllowed(o, origin), origin).toBe(false);
    expect(originAllowed(parseCorsOrigins('*'), 'https://anything.example')).toBe(true);
  });
});

describe('database TLS', () => {
  it('maps the modes onto node-postgres: require encrypts, verify-full also checks the certificate', () => {
    expect(pgSsl({ mode: 'disable' })).toBe(false);
    expect(pgSsl({ mode: 'require' })).toEqual({ rejectUnauthorized: false });
    expect(pgSsl({ mode: 'verify-full', ca: 'PEM' })).toEqual({ rejectUnauthorized: true, ca: 'PEM' });
    expect(loadConfig({ DATABASE_URL: `${DB}?sslmode=verify-full`, APP_SECRET: SECRET }).DB_SSL).toBe('verify-full');
    // DB_SSL wins over the URL.
    expect(loadConfig({ DATABASE_URL: `${DB}?sslmode=require`, APP_SECRET: SECRET, DB_SSL: 'disable' }).DB_SSL).toBe('disable');
  });

  it('reads the CA file once at start', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'mkt-ca-'));
    try {
      const ca = path.join(dir, 'ca.pem');
      writeFileSync(ca, '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n');
      expect(loadConfig({ DATABASE_URL: DB, APP_SECRET: SECRET, DB_SSL: 'verify-full', DB_SSL_CA: ca }).dbSslCa).toContain('BEGIN CERTIFICATE');
      writeFileSync(ca, 'not a certificate');
      expect(() => loadConfig({ DATABASE_URL: DB, APP_SECRET: SECRET, DB_SSL: 'verify-full', DB_SSL_CA: ca })).toThrow(/DB_SSL_CA: is not a PEM certificate file/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('first-start credentials', () => {
  it('off a terminal, go to an owner-only file that replaces any earlier one, and the log only says where', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'mkt-creds-'));
    const lines: string[] = [];
    const logger = pino({ level: 'info' }, { write: (l: string) => lines.push(l) });
    try {
      const file = path.join(dir, 'first-start-credentials.txt');
      writeFileSync(file, 'old', { mode: 0o644 });
      expect(deliverCredentials('password: s3cret', { dataDir: dir, terminal: false, logger })).toBe(file);
      expect(readFileSync(file, 'utf8')).toBe('password: s3cret\n');
      expect(statSync(file).mode & 0o777).toBe(0o600);
      expect(lines.join('')).toContain(file);
      expect(lines.join('')).not.toContain('s3cret');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('the app secret', () => {
  it('is required to start the API on DATABASE_URL in production, and must be long enough', () => {
    expect(() => resolveAppSecret(loadConfig({ DATABASE_URL: DB }))).toThrow(/APP_SECRET: is required with DATABASE_URL in production/);
    expect(() => loadConfig({ DATABASE_URL: DB, APP_SECRET: 'short' })).toThrow(/APP_SECRET: needs at least 32 characters/);
    expect(resolveAppSecret(loadConfig({ DATABASE_URL: DB, APP_SECRET: SECRET })).toString()).toBe(SECRET);
    // Development makes one per process; the embedded database keeps one beside its data, owner-only.
    expect(resolveAppSecret(loadConfig({ DATABASE_URL: DB, NODE_ENV: 'development' }))).toHaveLength(48);
    const dir = mkdtempSync(path.join(os.tmpdir(), 'secret-'));
    try {
      const first = resolveAppSecret(loadConfig({}), { dataDir: dir });
      expect(resolveAppSecret(loadConfig({}), { dataDir: dir }).equals(first)).toBe(true);
      expect(statSync(path.join(dir, 'app-secret')).mode & 0o777).toBe(0o600);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
