import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type http from 'node:http';
import { startTestApp, type TestApp } from './helpers/app.js';
import { Factory } from './helpers/factories.js';
import { hashPassword } from '../src/modules/auth/crypto.js';
import { User } from '../src/modules/auth/auth.entity.js';
import { clientAddress } from '../src/app/client-address.js';

/*
 * Issue 12, item 2, with limits made tight for this file only (the other tests run with
 * generous ones, test/helpers/app.ts): login throttled per account and per client address in
 * PostgreSQL, the per-client query-cost budget with its RateLimit-* headers, and 429 +
 * RATE_LIMITED + Retry-After for every refusal. Clients are told apart by X-Forwarded-For,
 * which TRUST_PROXY makes the API believe.
 */

const PASSWORD = 'correct horse battery';
let t: TestApp;
let f: Factory;

beforeAll(async () => {
  t = await startTestApp({ AUTH_LIMIT_PER_ACCOUNT: '3', AUTH_LIMIT_PER_CLIENT: '6', AUTH_LIMIT_WINDOW_SECONDS: '600', QUERY_COST_PER_SECOND: '40', TRUST_PROXY: 'x-forwarded-for' });
  f = new Factory(t);
});
afterAll(async () => t?.stop());

async function post(body: unknown, client: string) {
  const res = await fetch(t.url, { method: 'POST', headers: { 'content-type': 'application/json', 'x-forwarded-for': client }, body: JSON.stringify(body) });
  const json = (await res.json()) as { data?: Record<string, unknown> | null; errors?: { extensions?: { code?: string; retryAfterSeconds?: number } }[] };
  return { status: res.status, headers: res.headers, ...json };
}

const login = (email: string, password: string, client: string) =>
  post({ query: 'mutation($input: LoginInput!) { login(input: $input) { token userErrors { code } } }', variables: { input: { email, password } } }, client);

async function account(email: string) {
  const { user } = await f.user({ email });
  await f.em().nativeUpdate(User, { id: user.id }, { passwordHash: await hashPassword(PASSWORD) });
}

function expectRateLimited(res: Awaited<ReturnType<typeof post>>) {
  expect(res.status).toBe(429);
  expect(res.errors?.map((e) => e.extensions?.code)).toEqual(['RATE_LIMITED']);
  const retry = Number(res.headers.get('retry-after'));
  expect(retry).toBeGreaterThan(0);
  expect(res.errors![0]!.extensions!.retryAfterSeconds).toBe(retry);
}

describe('login throttling', () => {
  it('after 3 wrong passwords the account is refused with 429, even with the right password, from any client', async () => {
    const email = 'victim@throttle.example';
    await account(email);
    for (let i = 0; i < 3; i++) {
      const res = await login(email, `wrong password ${i}`, `10.0.1.${i}`);
      expect(res.status).toBe(200);
      expect(res.errors?.map((e) => e.extensions?.code)).toEqual(['UNAUTHENTICATED']);
    }
    expectRateLimited(await login(email, PASSWORD, '10.0.1.9'));
    // The counters live in PostgreSQL, where every instance reads them.
    const rows = await f.em().getConnection().execute<{ n: string }[]>('select count(*) as n from rate_limit');
    expect(Number(rows[0]!.n)).toBeGreaterThan(0);
  });

  it('a successful login clears the account\'s failures', async () => {
    const email = 'forgetful@throttle.example';
    await account(email);
    for (let i = 0; i < 2; i++) await login(email, 'wrong password', '10.0.2.1');
    expect((await login(email, PASSWORD, '10.0.2.2')).data?.login).toMatchObject({ userErrors: [] });
    for (let i = 0; i < 2; i++) await login(email, 'wrong password', '10.0.2.3');
    expect((await login(email, PASSWORD, '10.0.2.4')).data?.login).toMatchObject({ userErrors: [] });
  });

  it('one client address gets 6 attempts over any accounts, then 429; another address is unaffected', async () => {
    for (let i = 0; i < 6; i++) expect((await login(`nobody${i}@throttle.example`, 'whatever password', '10.0.3.1')).status).toBe(200);
    expectRateLimited(await login('nobody-else@throttle.example', 'whatever password', '10.0.3.1'));
    expectRateLimited(await post({ query: 'mutation { requestPasswordReset(email: "x@throttle.example") { ok } }' }, '10.0.3.1'));
    expect((await login('nobody@throttle.example', 'whatever password', '10.0.3.2')).status).toBe(200);
  });
});

describe('query cost budget per client', () => {
  it('tells the remaining budget in RateLimit-* headers and answers 429 once it is spent', async () => {
    const cheap = await post({ query: '{ viewer { kind } }' }, '10.0.4.1');
    expect(cheap.status).toBe(200);
    expect(cheap.headers.get('ratelimit-limit')).toBe('40');
    expect(Number(cheap.headers.get('ratelimit-remaining'))).toBe(38);
    // 1 + 30 × (1 + 1): more than what is left of this second.
    const dear = await post({ query: '{ brands(first: 30) { edges { node { name } } } }' }, '10.0.4.1');
    expectRateLimited(dear);
    expect(dear.headers.get('ratelimit-limit')).toBe('40');
    // Another client has its own budget.
    expect((await post({ query: '{ viewer { kind } }' }, '10.0.4.2')).status).toBe(200);
  });
});

describe('client address', () => {
  const req = (remote: string, headers: Record<string, string>) => ({ socket: { remoteAddress: remote }, headers }) as unknown as http.IncomingMessage;
  it('is the socket peer unless TRUST_PROXY names the header, and never an entry the client wrote itself', () => {
    expect(clientAddress(req('192.0.2.1', { 'x-forwarded-for': '6.6.6.6' }), undefined)).toBe('192.0.2.1');
    expect(clientAddress(req('192.0.2.1', { 'x-forwarded-for': '6.6.6.6, 203.0.113.7' }), 'x-forwarded-for')).toBe('203.0.113.7');
    expect(clientAddress(req('192.0.2.1', { 'x-forwarded-for': '6.6.6.6, 203.0.113.7, 10.0.0.2' }), 'x-forwarded-for:2')).toBe('203.0.113.7');
    expect(clientAddress(req('192.0.2.1', { 'x-real-ip': '203.0.113.8' }), 'x-real-ip')).toBe('203.0.113.8');
    expect(clientAddress(req('192.0.2.1', {}), 'x-real-ip')).toBe('192.0.2.1');
  });
});

describe('throttled requests and the connection pool', () => {
  let small: TestApp;
  beforeAll(async () => {
    // Two connections: the throttle's queries used to wait for the pool the throttled transactions held.
    small = await startTestApp({ DB_POOL_MAX: '2' });
  });
  afterAll(async () => small?.stop());

  it('more concurrent logins than the pool has connections all get their answer (the throttle queries through the side pool)', async () => {
    const sf = new Factory(small);
    const { user } = await sf.user({ email: 'crowd@throttle.example' });
    await sf.em().nativeUpdate(User, { id: user.id }, { passwordHash: await hashPassword(PASSWORD) });
    const attempts = await Promise.all(
      Array.from({ length: 6 }, (_, i) =>
        small.raw({ query: 'mutation($input: LoginInput!) { login(input: $input) { token userErrors { code } } }', variables: { input: { email: 'crowd@throttle.example', password: i % 2 ? PASSWORD : 'a wrong password' } } }),
      ),
    );
    expect(attempts.map((r) => (r.errors ?? []).map((e) => e.extensions?.code).join() || 'ok')).toEqual(['UNAUTHENTICATED', 'ok', 'UNAUTHENTICATED', 'ok', 'UNAUTHENTICATED', 'ok']);
  });
});
