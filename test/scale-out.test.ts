import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import pg from 'pg';
import { startTestApp, type TestApp } from './helpers/app.js';
import { Factory } from './helpers/factories.js';
import { capturingLogger } from './helpers/logs.js';
import { CATALOG_QUERY_FIELDS } from '../src/app/replica-reads.js';
import { buildBareSchema } from '../src/app/schema.js';

/**
 * What lets the API run on several machines: jobs that can be switched off per instance, and
 * storefront catalog reads that go to a read replica while writes, and reads of what a viewer
 * has just written, stay on the primary. The "replica" here is the same server reached as a
 * read-only role, so a write routed to it would fail and its sessions can be seen.
 */

const REPLICA_ROLE = 'mkt_test_replica_ro';
const REPLICA_PASSWORD = 'replica-ro-password';

async function admin<T>(work: (c: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: inject('databaseUrl') });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

describe('JOBS=off', () => {
  it('starts no background job in this instance', async () => {
    const t = await startTestApp({ JOBS: 'off' });
    try {
      expect([t.app.worker, t.app.paymentExpiry, t.app.fraudResume, t.app.claimRecovery]).toEqual([null, null, null, null]);
    } finally {
      await t.stop();
    }
  });
});

describe('read replicas', () => {
  let t: TestApp;
  const logs = capturingLogger();

  beforeAll(async () => {
    await admin(async (c) => {
      await c.query(`do $$ begin
        if not exists (select from pg_roles where rolname = '${REPLICA_ROLE}') then create role ${REPLICA_ROLE} login; end if;
      end $$`);
      await c.query(`alter role ${REPLICA_ROLE} password '${REPLICA_PASSWORD}'`);
      await c.query(`alter role ${REPLICA_ROLE} set default_transaction_read_only = on`);
    });
    const primary = new URL(inject('databaseUrl'));
    const replica = new URL(primary);
    replica.username = REPLICA_ROLE;
    replica.password = REPLICA_PASSWORD;
    t = await startTestApp({ DATABASE_URL: primary.href, DB_READ_REPLICA_URLS: replica.href }, { logger: logs.logger });
    await admin(async (c) => {
      await c.query(`grant usage on schema "${t.schema}" to ${REPLICA_ROLE}`);
      await c.query(`grant select on all tables in schema "${t.schema}" to ${REPLICA_ROLE}`);
    });
  });

  afterAll(async () => {
    await t?.stop();
  });

  async function logged(query: string, token?: string) {
    const id = `replica-${Math.random().toString(36).slice(2)}`;
    const res = await fetch(t.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-request-id': id, ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify({ query }),
    });
    const body = (await res.json()) as { data?: Record<string, unknown>; errors?: unknown[] };
    expect(body.errors).toBeUndefined();
    const line = logs.lines().find((l) => l.reqId === id && l.msg === 'request completed')!;
    return { data: body.data!, sql: line.sql as number, sqlReplica: (line.sqlReplica as number | undefined) ?? 0 };
  }

  it('serve a shopper browsing the catalog', async () => {
    const browse = await logged('query Browse { products(first: 5) { totalCount } sellers(first: 5) { totalCount } }');
    expect(browse.sqlReplica).toBeGreaterThan(0);
    const sessions = await admin((c) => c.query(`select count(*)::int as n from pg_stat_activity where usename = $1 and application_name = 'marketplace-api'`, [REPLICA_ROLE]));
    expect(sessions.rows[0].n).toBeGreaterThan(0);
  });

  it('never serve writes, cart reads, or staff', async () => {
    const created = await logged('mutation { createCart { token userErrors { code } } }');
    expect(created.sqlReplica).toBe(0);
    const token = (created.data.createCart as { token: string }).token;
    // Read right after the write: on the primary, so it is there whatever the replica's lag.
    const cart = await logged(`query { cart(token: "${token}") { id lines { skuCode } } }`);
    expect(cart.sqlReplica).toBe(0);
    expect(cart.sql).toBeGreaterThan(0);
    // A catalog field next to a cart in one query: the whole request stays on the primary.
    expect((await logged(`query { products(first: 1) { totalCount } cart(token: "${token}") { id } }`)).sqlReplica).toBe(0);

    const { token: staff } = await new Factory(t).operator();
    const staffBrowse = await logged('query { products(first: 5) { totalCount } }', staff);
    expect(staffBrowse.sqlReplica).toBe(0);
    expect(staffBrowse.sql).toBeGreaterThan(0);
  });

  it('route only root fields that exist in the schema', async () => {
    const schema = await buildBareSchema();
    const fields = Object.keys(schema.getQueryType()!.getFields());
    for (const name of CATALOG_QUERY_FIELDS) expect(fields, name).toContain(name);
  });
});
