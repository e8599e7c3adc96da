import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { pino } from 'pino';
import { loadConfig } from '../src/config.js';
import { startApp, type App } from '../src/app/app.js';
import { startEmbeddedPostgres } from '../src/shared/db/database.js';
import { startTestApp, type TestApp } from './helpers/app.js';
import { Factory } from './helpers/factories.js';
import { capturingLogger } from './helpers/logs.js';
import { dropSchema } from '../src/shared/db/orm.js';

/** Request logs (one line per request, request id, no secrets) and liveness versus readiness. */

const testConfig = (env: Record<string, string> = {}) =>
  loadConfig({ NODE_ENV: 'test', HOST: '127.0.0.1', PORT: '0', LOG_LEVEL: 'silent', MAIL_DIR: path.join(os.tmpdir(), 'mkt-obs-mail'), ...env });

const post = (url: string, body: unknown, headers: Record<string, string> = {}) =>
  fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });

describe('request logs', () => {
  let t: TestApp;
  const logs = capturingLogger('debug');
  beforeAll(async () => {
    t = await startTestApp({}, { logger: logs.logger });
  });
  afterAll(async () => t?.stop());

  const lineOf = (reqId: string) => logs.lines().filter((l) => l.reqId === reqId && (l.msg === 'request completed' || l.msg === 'request failed'));

  it('writes one line per request: its id, operation, viewer kind, status, duration and SQL count — no token, no personal data', async () => {
    const f = new Factory(t);
    const { token, user } = await f.operator();
    const res = await post(t.url, { query: 'query WhoAmI { viewer { kind user { email } } }' }, { authorization: `Bearer ${token}`, 'x-request-id': 'trace-42.a' });
    expect(res.status).toBe(200);
    expect(res.headers.get('x-request-id')).toBe('trace-42.a');
    expect(((await res.json()) as { data: { viewer: { kind: string } } }).data.viewer.kind).toBe('OPERATOR');

    const lines = lineOf('trace-42.a');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({
      level: 30,
      reqId: 'trace-42.a',
      req: { method: 'POST', path: '/graphql' },
      res: { statusCode: 200 },
      operation: 'WhoAmI',
      operationType: 'query',
      fields: ['viewer'],
      viewer: 'OPERATOR',
      msg: 'request completed',
    });
    expect(lines[0]!.responseTime).toEqual(expect.any(Number));
    expect(lines[0]!.sql).toBeGreaterThan(0);
    const all = JSON.stringify(logs.lines());
    expect(all).not.toContain(token);
    expect(all).not.toContain(user.email);
    expect(all).not.toMatch(/authorization/i);
  });

  it('makes a request id when the caller sends none or one that is not a plain token', async () => {
    for (const given of [undefined, 'x'.repeat(200), 'a b', '"},{"admin":true']) {
      const res = await post(t.url, { query: '{ viewer { kind } }' }, given === undefined ? {} : { 'x-request-id': given });
      const id = res.headers.get('x-request-id')!;
      expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
      expect(lineOf(id)).toHaveLength(1);
    }
  });

  it("logs an internal error with the request's id and operation; the client sees neither its details nor a stack", async () => {
    // A missing table stands for an outage in the middle of an operation.
    await t.app.runtime.orm.em.getConnection().execute(`alter table "${t.schema}"."brand" rename to "brand_gone"`);
    try {
      const res = await post(t.url, { query: 'query ListBrands { brands(first: 5) { totalCount } }' }, { 'x-request-id': 'broken-1' });
      const body = (await res.json()) as { errors: { message: string; extensions: Record<string, unknown> }[] };
      expect(body.errors).toEqual([expect.objectContaining({ message: 'Internal server error.', extensions: { code: 'INTERNAL_SERVER_ERROR' } })]);
      const errorLine = logs.lines().find((l) => l.msg === 'unexpected error' && l.reqId === 'broken-1');
      expect(errorLine).toMatchObject({ level: 50, reqId: 'broken-1', operation: 'ListBrands', path: ['brands'] });
      expect(JSON.stringify(errorLine!.err)).toMatch(/brand/);
      expect(lineOf('broken-1')[0]).toMatchObject({ operation: 'ListBrands', errorCodes: ['INTERNAL_SERVER_ERROR'] });
    } finally {
      await t.app.runtime.orm.em.getConnection().execute(`alter table "${t.schema}"."brand_gone" rename to "brand"`);
    }
  });

  it('logs health probes at debug only, so they do not drown the requests', async () => {
    const res = await fetch(t.url.replace('/graphql', '/health'), { headers: { 'x-request-id': 'probe-1' } });
    expect(res.status).toBe(200);
    expect(lineOf('probe-1')).toEqual([expect.objectContaining({ level: 20, req: { method: 'GET', path: '/health' } })]);
  });
});

describe('readiness', () => {
  const schema = `t_ready_${randomBytes(4).toString('hex')}`;
  let app: App | undefined;

  afterAll(async () => {
    await (app && dropSchema(app.runtime.orm, schema));
    await app?.stop();
  });

  it('/ready and GraphQL answer 503 until migrations and the seed are done; /health answers all along', async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    let listening!: (url: string) => void;
    const url = new Promise<string>((r) => (listening = r));
    const starting = startApp({
      config: testConfig(),
      databaseUrl: inject('databaseUrl'),
      schema,
      logger: pino({ level: 'silent' }),
      worker: false,
      onListening: listening,
      prepare: () => gate,
    });
    const api = await url;
    const base = api.replace('/graphql', '');

    expect((await fetch(`${base}/health`)).status).toBe(200);
    // Migrations (or already the seed) are under way: not ready.
    let ready = await fetch(`${base}/ready`);
    expect(ready.status).toBe(503);
    expect(['migrating', 'seeding']).toContain(((await ready.json()) as { phase: string }).phase);
    const early = await post(api, { query: '{ viewer { kind } }' });
    expect(early.status).toBe(503);
    expect(early.headers.get('retry-after')).toBe('5');
    expect(await early.json()).toEqual({ errors: [{ message: 'The API is starting.', extensions: { code: 'SERVICE_UNAVAILABLE' } }] });

    release();
    app = await starting;
    ready = await fetch(`${base}/ready`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ ready: true, phase: 'ready', checks: { database: 'ok', migrations: 'ok' } });
    expect((await post(api, { query: '{ viewer { kind } }' })).status).toBe(200);

    // Shutting down (close() starts by saying so): taken out of the load balancer, no new work.
    app.readiness.set('stopping');
    expect((await fetch(`${base}/ready`)).status).toBe(503);
    const late = await post(api, { query: '{ viewer { kind } }' });
    expect(late.status).toBe(503);
    expect(((await late.json()) as { errors: { message: string }[] }).errors[0]!.message).toBe('The API is shutting down.');
    expect((await fetch(`${base}/health`)).status).toBe(200);
  });

  it('/ready answers 503 while the database refuses connections; /health stays 200', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'mkt-ready-'));
    chmodSync(dir, 0o755);
    const db = await startEmbeddedPostgres({ dir: path.join(dir, 'pg'), persistent: false });
    let own: App | undefined;
    try {
      own = await startApp({ config: testConfig(), databaseUrl: db.url, logger: pino({ level: 'silent' }), worker: false });
      const base = own.server.url.replace('/graphql', '');
      expect((await fetch(`${base}/ready`)).status).toBe(200);
      await db.stop();
      const ready = await fetch(`${base}/ready`);
      expect(ready.status).toBe(503);
      expect(await ready.json()).toMatchObject({ ready: false, phase: 'ready', checks: { database: 'unreachable' } });
      expect((await fetch(`${base}/health`)).status).toBe(200);
    } finally {
      await own?.stop();
      await db.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
