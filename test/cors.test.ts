import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from './helpers/app.js';

/** CORS over HTTP, header by header (browser.test.ts tries it from a real browser). */

const preflight = (url: string, origin: string) =>
  fetch(url, {
    method: 'OPTIONS',
    headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type,authorization' },
  });

describe('CORS', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ CORS_ORIGINS: 'http://localhost:3000,https://*.shop.example', CORS_MAX_AGE_SECONDS: '900' });
  });
  afterAll(async () => t?.stop());

  it('answers an allowed preflight with the origin, methods, headers and a cache time, and no credentials', async () => {
    for (const origin of ['http://localhost:3000', 'https://www.shop.example']) {
      const res = await preflight(t.url, origin);
      expect(res.status).toBe(204);
      expect(res.headers.get('access-control-allow-origin')).toBe(origin);
      expect(res.headers.get('access-control-allow-methods')).toBe('GET,POST,OPTIONS');
      expect(res.headers.get('access-control-allow-headers')).toBe('content-type,authorization');
      expect(res.headers.get('access-control-max-age')).toBe('900');
      expect(res.headers.get('access-control-allow-credentials')).toBeNull();
      expect(res.headers.get('vary')).toMatch(/Origin/);
    }
  });

  it('exposes Retry-After, the rate-limit headers and x-request-id on responses to an allowed origin', async () => {
    const res = await fetch(t.url, { method: 'POST', headers: { origin: 'http://localhost:3000', 'content-type': 'application/json' }, body: '{"query":"{ viewer { kind } }"}' });
    expect(res.status).toBe(200);
    expect(res.headers.get('access-control-allow-origin')).toBe('http://localhost:3000');
    expect(res.headers.get('access-control-expose-headers')!.split(',')).toEqual(
      expect.arrayContaining(['Retry-After', 'RateLimit', 'RateLimit-Policy', 'RateLimit-Limit', 'RateLimit-Remaining', 'RateLimit-Reset', 'X-Request-Id']),
    );
    expect(res.headers.get('x-request-id')).toBeTruthy();
  });

  it('writes no Access-Control-* header for a request without Origin (a server, an app), but still varies on Origin', async () => {
    const res = await fetch(t.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"query":"{ viewer { kind } }"}' });
    expect(res.status).toBe(200);
    expect([...res.headers.keys()].filter((k) => k.startsWith('access-control-'))).toEqual([]);
    expect(res.headers.get('vary')).toMatch(/Origin/);
  });

  it('answers a plain OPTIONS (no preflight) with what is allowed', async () => {
    const res = await fetch(t.url, { method: 'OPTIONS' });
    expect(res.status).toBe(204);
    expect(res.headers.get('allow')).toBe('GET, POST, OPTIONS');
  });

  it('refuses a preflight from any other origin with 403 and no Access-Control-* headers', async () => {
    for (const origin of ['http://localhost:3001', 'https://shop.example', 'https://evil.example', 'null']) {
      const res = await preflight(t.url, origin);
      expect(res.status).toBe(403);
      expect([...res.headers.keys()].filter((k) => k.startsWith('access-control-'))).toEqual([]);
    }
    // A request that needs no preflight is served, but without the header the browser would need to read it.
    const res = await fetch(`${t.url}?query=${encodeURIComponent('{ viewer { kind } }')}`, { headers: { origin: 'https://evil.example', 'apollo-require-preflight': 'true' } });
    expect(res.status).toBe(200);
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
  });
});

describe('CORS with credentials', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ CORS_ORIGINS: 'https://admin.shop.example', CORS_CREDENTIALS: 'true' });
  });
  afterAll(async () => t?.stop());

  it('says so to the allowed origin only', async () => {
    const res = await preflight(t.url, 'https://admin.shop.example');
    expect(res.status).toBe(204);
    expect(res.headers.get('access-control-allow-credentials')).toBe('true');
    expect((await preflight(t.url, 'https://www.shop.example')).status).toBe(403);
  });
});
