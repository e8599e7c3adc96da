import { AsyncLocalStorage } from 'node:async_hooks';
import { randomBytes } from 'node:crypto';
import { Entity, PrimaryKey, Property } from '@mikro-orm/core';
import type { MikroORM } from '@mikro-orm/postgresql';
import type { PaymentMethod, PaymentState } from './payments.provider.js';
import { outsideRequestCount } from '../../shared/db/sql-scope.js';
import { sideConnection, type SideConnection } from '../../shared/db/side-pool.js';

/**
 * Where the sandbox provider keeps what a real provider keeps on its servers: its payments and
 * the answers it gave per idempotency key. In the app that is PostgreSQL (two tables of the
 * sandbox's own), so a Pix created on one instance is confirmed on another, a capture after a
 * restart finds its authorization, and a repeated key is answered the same everywhere. Unit
 * tests of the provider alone use the in-memory store.
 */

export interface SandboxPayment {
  providerRef: string;
  method: PaymentMethod;
  state: PaymentState;
  reference: string;
  amount: number;
  captured: number;
  refunded: number;
  installments?: number;
  expiresAt?: Date;
}

export interface SandboxStore {
  /**
   * Answers a keyed request once: a key seen with the same `fingerprint` gets its stored
   * result; with another fingerprint `conflict()` is thrown; a new key runs `work` (which may
   * throw, storing nothing) and stores what it returns. One key at a time.
   */
  keyed<T>(key: string, fingerprint: string, conflict: () => Error, work: () => Promise<T>): Promise<T>;
  /** The stored result of a key, if any (a look-up that never runs anything). */
  answered<T>(key: string): Promise<T | undefined>;
  get(providerRef: string): Promise<SandboxPayment | undefined>;
  create(payment: SandboxPayment): Promise<void>;
  /** Read, change and write one payment, atomically; returns what `change` returns. `change` may run again (on fresher data), so it changes nothing but the payment. */
  update<T>(providerRef: string, change: (payment: SandboxPayment | undefined) => T): Promise<T>;
  /** The webhook secret every instance shares (generated once). */
  secret(): Promise<string>;
}

export function memorySandboxStore(): SandboxStore {
  const payments = new Map<string, SandboxPayment>();
  const keys = new Map<string, { fingerprint: string; result: unknown }>();
  const running = new Map<string, Promise<unknown>>();
  const secret = randomBytes(32).toString('hex');
  return {
    async keyed<T>(key: string, fingerprint: string, conflict: () => Error, work: () => Promise<T>): Promise<T> {
      while (running.has(key)) await running.get(key)!.catch(() => undefined);
      const seen = keys.get(key);
      if (seen) {
        if (seen.fingerprint !== fingerprint) throw conflict();
        return seen.result as T;
      }
      const run = work();
      running.set(key, run);
      try {
        const result = await run;
        keys.set(key, { fingerprint, result });
        return result;
      } finally {
        running.delete(key);
      }
    },
    answered: async <T>(key: string) => keys.get(key)?.result as T | undefined,
    get: async (ref) => payments.get(ref),
    create: async (p) => void payments.set(p.providerRef, p),
    update: async (ref, change) => change(payments.get(ref)),
    secret: async () => secret,
  };
}

@Entity({ tableName: 'sandbox_payment' })
export class SandboxPaymentRow {
  @PrimaryKey({ type: 'string', length: 60 })
  providerRef!: string;

  /** The payment as the sandbox provider holds it (SandboxPayment). */
  @Property({ type: 'json' })
  data!: SandboxPayment;

  @Property({ type: 'datetime', defaultRaw: 'now()' })
  createdAt: Date = new Date();
}

@Entity({ tableName: 'sandbox_request' })
export class SandboxRequestRow {
  @PrimaryKey({ type: 'string', length: 200 })
  key!: string;

  @Property({ type: 'text' })
  fingerprint!: string;

  @Property({ type: 'json', nullable: true })
  result?: unknown;

  @Property({ type: 'datetime', defaultRaw: 'now()' })
  createdAt: Date = new Date();
}

const SECRET_KEY = 'sandbox:webhook-secret';

/**
 * The sandbox's own transactions commit without waiting for the WAL flush (PostgreSQL's
 * `synchronous_commit = off` for that transaction alone, set by the statement that writes).
 * What it stores stands for a provider's servers, another system's durability, not the API's:
 * a real provider is an HTTP call, and the bench's floor keeps the same sandbox in memory. The
 * commit is visible to every session at once all the same; only a crash of the PostgreSQL
 * server could lose its last moments. The API's own records of what a provider answered (the
 * provider-call journal, the payment rows) commit as everything else does.
 */
const ASYNC_COMMIT = `with async_commit as (select set_config('synchronous_commit', 'off', true))`;
const revive = (p: SandboxPayment): SandboxPayment => ({ ...p, ...(p.expiresAt ? { expiresAt: new Date(p.expiresAt) } : {}) });

/**
 * The app's store: PostgreSQL, reached through `db` once the database is open, on the side pool
 * (shared/db/side-pool): a real provider is another system, so the sandbox must not draw on the
 * connections the API's own transactions hold while they wait for it. What runs inside a keyed
 * request (the payment it creates or changes) joins that request's transaction, so one call
 * holds one connection at most.
 */
export function pgSandboxStore(db: () => MikroORM): SandboxStore {
  const current = new AsyncLocalStorage<SideConnection>();
  const conn = () => current.getStore() ?? sideConnection(db());
  const store: SandboxStore = {
    async keyed<T>(key: string, fingerprint: string, conflict: () => Error, work: () => Promise<T>): Promise<T> {
      // One key at a time, across instances: the key's row is inserted first, without its
      // answer, and stays this transaction's until it commits — another request with the key
      // waits on that insert, then finds the answer (or, after a rollback, inserts it itself).
      // The work writes payments of its own, in the same transaction.
      return conn().transaction((tx) =>
        current.run(tx, async () => {
          const [mine] = await tx.execute<unknown[]>(
            `${ASYNC_COMMIT} insert into sandbox_request (key, fingerprint, result, created_at) select ?, ?, null, now() from async_commit on conflict (key) do nothing returning 1`,
            [key, fingerprint],
          );
          if (!mine) {
            const [seen] = await tx.execute<{ fingerprint: string; result: T }[]>(`select fingerprint, result from sandbox_request where key = ?`, [key]);
            if (seen!.fingerprint !== fingerprint) throw conflict();
            return seen!.result;
          }
          const result = await work();
          await tx.execute(`update sandbox_request set result = ?::jsonb where key = ?`, [JSON.stringify(result ?? null), key], 'run');
          return result;
        }),
      );
    },
    async answered<T>(key: string) {
      const rows = await conn().execute<{ result: T }[]>(`select result from sandbox_request where key = ?`, [key]);
      return rows[0]?.result;
    },
    async get(ref) {
      const rows = await conn().execute<{ data: SandboxPayment }[]>(`select data from sandbox_payment where provider_ref = ?`, [ref]);
      return rows[0] ? revive(rows[0].data) : undefined;
    },
    async create(p) {
      await conn().execute(`insert into sandbox_payment (provider_ref, data, created_at) values (?, ?::jsonb, now()) on conflict (provider_ref) do nothing`, [p.providerRef, JSON.stringify(p)], 'run');
    },
    async update(ref, change) {
      // Read, change, and write back only what was read (compare-and-set on the stored
      // document): two statements, no transaction of its own. When another call changed the
      // payment in between, `change` runs again on what that call left (it is a pure function
      // of the payment); when it throws, nothing is written.
      for (;;) {
        const rows = await conn().execute<{ data: SandboxPayment }[]>(`select data from sandbox_payment where provider_ref = ?`, [ref]);
        const payment = rows[0] ? revive(rows[0].data) : undefined;
        const result = change(payment);
        if (!payment) return result;
        const written = await conn().execute<{ affectedRows: number }>(
          `${ASYNC_COMMIT} update sandbox_payment set data = ?::jsonb from async_commit where provider_ref = ? and data = ?::jsonb`,
          [JSON.stringify(payment), ref, JSON.stringify(rows[0]!.data)],
          'run',
        );
        if (written.affectedRows) return result;
      }
    },
    async secret() {
      const c = conn();
      await c.execute(`insert into sandbox_request (key, fingerprint, result, created_at) values (?, 'secret', ?::jsonb, now()) on conflict (key) do nothing`, [
        SECRET_KEY,
        JSON.stringify(randomBytes(32).toString('hex')),
      ]);
      const rows = await c.execute<{ result: string }[]>(`select result from sandbox_request where key = ?`, [SECRET_KEY]);
      return rows[0]!.result;
    },
  };
  // The gateway's own bookkeeping is not the API's work: a request's statement count (its log
  // line, the bench) leaves it out, as it would leave out an HTTP call to a real provider.
  const uncounted = {} as Record<string, unknown>;
  for (const [name, fn] of Object.entries(store)) uncounted[name] = (...args: unknown[]) => outsideRequestCount(() => (fn as (...a: unknown[]) => unknown)(...args));
  return uncounted as unknown as SandboxStore;
}
