import 'reflect-metadata';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { inject } from 'vitest';
import { pino, type Logger } from 'pino';
import { print } from 'graphql';
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { loadConfig, type Config } from '../../src/config.js';
import { startApp, type App } from '../../src/app/app.js';
import type { Services } from '../../src/shared/runtime/index.js';
import { dropSchema } from '../../src/shared/db/orm.js';
import { AUTH_THROTTLE } from '../../src/modules/auth/index.js';

export interface GraphQLResponse<T> {
  data?: T | null;
  errors?: { message: string; path?: (string | number)[]; extensions?: { code?: string; field?: string[] } & Record<string, unknown> }[];
  status: number;
}

export interface TestApp {
  app: App;
  url: string;
  config: Config;
  schema: string;
  /** Sends a typed operation over HTTP, with a bearer token when given. */
  request<T, V>(doc: TypedDocumentNode<T, V>, variables?: V, token?: string): Promise<GraphQLResponse<T>>;
  /** Sends raw text (for malformed or hostile queries). */
  raw(body: unknown, token?: string, headers?: Record<string, string>): Promise<GraphQLResponse<unknown>>;
  /** Turns pending domain events into e-mails, sends every queued e-mail, and returns the .eml files written so far. */
  deliverMail(): Promise<string[]>;
  stop(): Promise<void>;
}

/**
 * Starts the real app (migrations, schema, shield, HTTP) on a random port in a PostgreSQL
 * schema of its own, so test files run in parallel without seeing each other's rows.
 */
export async function startTestApp(env: Record<string, string> = {}, opts: { overrides?: Services; logger?: Logger; databaseUrl?: string; schema?: string } = {}): Promise<TestApp> {
  const schema = opts.schema ?? `t_${randomBytes(6).toString('hex')}`;
  const mailDir = mkdtempSync(path.join(os.tmpdir(), 'mkt-mail-'));
  const config = loadConfig({
    NODE_ENV: 'test',
    HOST: '127.0.0.1',
    PORT: '0',
    LOG_LEVEL: 'silent',
    MAIL_DIR: mailDir,
    OUTBOX_POLL_MS: '3600000',
    // Events reach their consumers when a test asks (deliverMail, or the consumer by hand); webhook
    // deliveries likewise (app.webhooks.runOnce; WEBHOOK_POLL_MS below, read from the env).
    EVENTS_POLL_MS: '3600000',
    // Throttling and the equalised auth timing stay out of the way of tests that do not test
    // them (test/throttling.test.ts and test/enumeration.test.ts set their own).
    AUTH_LIMIT_PER_ACCOUNT: '1000000',
    AUTH_LIMIT_PER_CLIENT: '1000000',
    QUERY_COST_PER_SECOND: '1000000000',
    AUTH_MIN_RESPONSE_MS: '0',
    ...env,
  });
  const app = await startApp({ config, databaseUrl: opts.databaseUrl ?? inject('databaseUrl'), schema, logger: opts.logger ?? pino({ level: 'silent' }), env: { WEBHOOK_POLL_MS: '3600000', ...process.env, ...env }, overrides: opts.overrides });
  const url = app.server.url;

  async function post(body: unknown, token?: string, headers: Record<string, string> = {}) {
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });
    const text = await res.text();
    let json: Record<string, unknown> = {};
    try {
      json = JSON.parse(text);
    } catch {
      json = { errors: [{ message: text }] };
    }
    return { ...json, status: res.status } as GraphQLResponse<unknown>;
  }

  return {
    app,
    url,
    config,
    schema,
    request: async <T, V>(doc: TypedDocumentNode<T, V>, variables?: V, token?: string) =>
      (await post({ query: print(doc), variables }, token)) as GraphQLResponse<T>,
    raw: post,
    deliverMail: async () => {
      // Events become e-mails first (order updates), then the outbox sends them.
      await app.events?.drain(10_000);
      // The worker sends a batch per pass: pass until the outbox is empty.
      while (app.worker && (await app.worker.runOnce()) > 0);
      return readdirSync(mailDir)
        .sort()
        .map((f) => readFileSync(path.join(mailDir, f), 'utf8'));
    },
    stop: async () => {
      await app.worker?.stop();
      await app.events?.stop();
      await app.paymentExpiry?.stop();
      await app.fraudResume?.stop();
      await app.events?.stop();
      await app.payouts?.stop();
      await app.claimRecovery?.stop();
      await app.webhooks?.stop();
      await app.server.close();
      await app.runtime.services.get(AUTH_THROTTLE).close();
      await dropSchema(app.runtime.orm, schema);
      await app.runtime.orm.close(true);
      rmSync(mailDir, { recursive: true, force: true });
    },
  };
}

/** The error codes of a response, in order. */
export const codes = (res: GraphQLResponse<unknown>) => (res.errors ?? []).map((e) => e.extensions?.code);
