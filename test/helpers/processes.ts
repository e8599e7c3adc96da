import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { inject } from 'vitest';
import pg from 'pg';
import { print } from 'graphql';
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import type { MikroORM } from '@mikro-orm/postgresql';
import { freePort } from '../../src/shared/db/database.js';
import { openAppOrm } from '../../src/app/entities.js';
import type { GraphQLResponse } from './app.js';

/**
 * The app as separate processes (`node --import tsx src/main.ts`, the production entry point
 * on the TypeScript sources) on a database of their own: for tests that kill an instance with
 * SIGKILL mid-request, restart it, or run several instances on one database.
 */

const root = path.resolve(import.meta.dirname, '../..');

export interface TestDatabase {
  url: string;
  /** An ORM over it, for factories and checks from the test process. */
  orm(): Promise<MikroORM>;
  admin<T>(work: (c: pg.Client) => Promise<T>): Promise<T>;
  drop(): Promise<void>;
}

/** A fresh database on the test server (the processes' `public` schema is theirs alone). */
export async function createDatabase(): Promise<TestDatabase> {
  const server = inject('databaseUrl');
  const name = `mkt_proc_${randomBytes(5).toString('hex')}`;
  const admin = async <T>(work: (c: pg.Client) => Promise<T>, url = server): Promise<T> => {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      return await work(client);
    } finally {
      await client.end();
    }
  };
  await admin((c) => c.query(`create database "${name}"`));
  const u = new URL(server);
  u.pathname = `/${name}`;
  const url = u.href;
  let orm: MikroORM | undefined;
  return {
    url,
    orm: async () => (orm ??= await openAppOrm({ clientUrl: url, poolMax: 4 })),
    admin: (work) => admin(work, url),
    drop: async () => {
      await orm?.close(true);
      await admin((c) => c.query(`drop database if exists "${name}" with (force)`));
    },
  };
}

export interface AppProcess {
  name: string;
  url: string;
  pid: number;
  child: ChildProcess;
  output(): string;
  /** Log lines (pino JSON) whose message contains `text`. */
  logged(text: string): Record<string, unknown>[];
  request<T, V>(doc: TypedDocumentNode<T, V>, variables?: V, token?: string): Promise<GraphQLResponse<T>>;
  /** `kill -9`: no shutdown, no clean-up, connections dropped by the kernel. */
  kill(): Promise<void>;
  /** SIGTERM and wait (graceful). */
  stop(): Promise<void>;
}

/**
 * One app secret for every process a test file starts, as a deployment shares APP_SECRET: an
 * instance must open the e-mails another (or its killed predecessor) sealed in the outbox.
 */
const APP_SECRET = randomBytes(48).toString('base64');

/** Starts the app with `env` on top of a quiet test environment; resolves once /ready says 200. */
export async function spawnApp(name: string, env: Record<string, string>, timeoutMs = 60_000): Promise<AppProcess> {
  const port = await freePort();
  const childEnv: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: 'test',
    HOST: '127.0.0.1',
    PORT: String(port),
    LOG_LEVEL: 'info',
    SEED: 'none',
    ADMIN_EMAIL: 'owner@crash.example',
    ADMIN_PASSWORD: 'correct horse battery staple',
    DB_APPLICATION_NAME: `mkt-${name}-${process.pid}`,
    APP_SECRET,
    ...env,
  };
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], { cwd: root, env: childEnv, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout!.on('data', (b: Buffer) => (out += b.toString()));
  child.stderr!.on('data', (b: Buffer) => (out += b.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = `http://127.0.0.1:${port}/graphql`;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${name} exited (${child.exitCode}) before it was ready:\n${out}`);
    if (Date.now() > deadline) throw new Error(`${name} not ready within ${timeoutMs} ms:\n${out}`);
    const ready = await fetch(`http://127.0.0.1:${port}/ready`).then((r) => r.status === 200, () => false);
    if (ready) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    name,
    url,
    pid: child.pid!,
    child,
    output: () => out,
    logged: (text) =>
      out
        .split('\n')
        .filter((l) => l.startsWith('{') && l.includes(text))
        .map((l) => JSON.parse(l) as Record<string, unknown>),
    request: async <T, V>(doc: TypedDocumentNode<T, V>, variables?: V, token?: string) => {
      const res = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
        body: JSON.stringify({ query: print(doc), variables }),
      });
      return { ...((await res.json()) as object), status: res.status } as GraphQLResponse<T>;
    },
    kill: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
    },
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 15_000))]);
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
    },
  };
}
