import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import pg from 'pg';
import { startTestApp, type TestApp } from './helpers/app.js';
import { Factory } from './helpers/factories.js';
import { startTcpProxy, type TcpProxy } from './doubles/tcp-proxy.js';

/**
 * Issue 18, "dead pooled connections": after PostgreSQL drops the pool's connections, no
 * request fails because it drew a dead one, and while the database is really away callers get
 * SERVICE_UNAVAILABLE (retryable), never INTERNAL_SERVER_ERROR.
 */

const APP_NAME = `mkt-outage-${process.pid}`;
const READ = '{ brands(first: 5) { totalCount } sellers(first: 5) { totalCount } }';

async function admin<T>(work: (c: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: inject('databaseUrl') });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** Terminates every backend of the app (its whole pool); returns how many there were. */
const terminateAll = (name: string) =>
  admin(async (c) => (await c.query(`select pg_terminate_backend(pid) from pg_stat_activity where application_name = $1`, [name])).rowCount ?? 0);

describe('connections terminated by the server', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ DB_APPLICATION_NAME: APP_NAME, DB_POOL_MAX: '6' });
  });
  afterAll(async () => {
    await t?.stop();
  });

  it('fail no read under load, terminated five times mid-traffic', async () => {
    let stop = false;
    const failures: string[] = [];
    let reads = 0;
    const loops = Array.from({ length: 6 }, async () => {
      while (!stop) {
        const res = await t.raw({ query: READ });
        reads++;
        if (res.errors || res.status !== 200) failures.push(JSON.stringify(res.errors ?? res.status));
      }
    });
    let terminated = 0;
    for (let i = 0; i < 5; i++) {
      await new Promise((r) => setTimeout(r, 150));
      terminated += await terminateAll(APP_NAME);
    }
    stop = true;
    await Promise.all(loops);
    console.info(`[db-outage] under load: ${reads} reads, ${terminated} backends terminated in 5 passes, ${failures.length} failures`);
    expect(terminated).toBeGreaterThanOrEqual(5);
    expect(failures).toEqual([]);
  });

  it('never fail the next read: the pool replaces them', async () => {
    let terminated = 0;
    for (let round = 0; round < 5; round++) {
      // A warm pool: several idle connections, all about to die.
      const warm = await Promise.all(Array.from({ length: 6 }, () => t.raw({ query: READ })));
      for (const res of warm) expect(res.errors).toBeUndefined();
      terminated += await terminateAll(APP_NAME);
      const after = await Promise.all(Array.from({ length: 6 }, () => t.raw({ query: READ })));
      for (const res of after) {
        expect(res.status).toBe(200);
        expect(res.errors).toBeUndefined();
      }
    }
    // The figure of the run, for the closing note.
    console.info(`[db-outage] reads after termination: 5 rounds × 6 reads, ${terminated} backends terminated, 0 failures`);
    expect(terminated).toBeGreaterThanOrEqual(5);
  });

  it('never fail the next write either: a dead connection is not drawn for BEGIN', async () => {
    const f = new Factory(t);
    const { token } = await f.operator();
    for (let round = 0; round < 3; round++) {
      await t.raw({ query: READ }, token);
      await terminateAll(APP_NAME);
      const res = await t.raw({ query: `mutation { createBrand(input: { name: "Brand ${round} ${Date.now()}" }) { brand { id } userErrors { code } } }` }, token);
      expect(res.errors).toBeUndefined();
    }
  });
});

describe('a database that is away', () => {
  let t: TestApp;
  let proxy: TcpProxy;
  beforeAll(async () => {
    const target = new URL(inject('databaseUrl'));
    proxy = await startTcpProxy(target.hostname, Number(target.port || 5432));
    t = await startTestApp({ DB_APPLICATION_NAME: `${APP_NAME}-proxy` }, { databaseUrl: proxy.url(target.href) });
  });
  afterAll(async () => {
    proxy?.up();
    await t?.stop();
    await proxy?.close();
  });

  it('answers SERVICE_UNAVAILABLE, then serves again once it is back', async () => {
    const f = new Factory(t);
    const { token } = await f.operator();
    expect((await t.raw({ query: READ }, token)).errors).toBeUndefined();
    proxy.down();
    const read = await t.raw({ query: READ });
    expect(read.errors?.map((e) => e.extensions?.code)).toContain('SERVICE_UNAVAILABLE');
    expect(JSON.stringify(read)).not.toContain('INTERNAL_SERVER_ERROR');
    // A signed-in caller: the token cannot even be checked, so the whole request is 503.
    const write = await t.raw({ query: 'mutation { createBrand(input: { name: "While away" }) { brand { id } userErrors { code } } }' }, token);
    expect(write.status).toBe(503);
    expect(write.errors?.map((e) => e.extensions?.code)).toEqual(['SERVICE_UNAVAILABLE']);
    proxy.up();
    const back = await t.raw({ query: READ }, token);
    expect(back.errors).toBeUndefined();
  });
});
