import http from 'node:http';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startTestApp, type TestApp } from './helpers/app.js';

/** Stopping the server (SIGTERM in `npm start`) answers the requests already in progress. */
let t: TestApp;

beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => t?.stop());

function post(url: string, body: string, beforeEnd: (req: http.ClientRequest) => Promise<void>) {
  return new Promise<{ status: number; body: string }>((resolve, reject) => {
    const req = http.request(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
    });
    req.on('response', (res) => {
      let text = '';
      res.on('data', (c: Buffer) => (text += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
    });
    req.on('error', reject);
    const half = Math.floor(body.length / 2);
    req.write(body.slice(0, half));
    void beforeEnd(req).then(() => req.end(body.slice(half)), reject);
  });
}

it('close() lets a request in progress finish, then closes without waiting out the grace period', async () => {
  // Keep-alive connection of an earlier request: idle, so it must not hold close() up.
  expect((await fetch(t.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"query":"{ viewer { kind } }"}' })).status).toBe(200);

  let closed: Promise<void> | undefined;
  let closeCalledAt = 0;
  const res = await post(t.url, JSON.stringify({ query: '{ viewer { kind } }' }), async () => {
    // The request is being read when the server is told to stop.
    await new Promise((r) => setTimeout(r, 100));
    closeCalledAt = Date.now();
    closed = t.app.server.close();
    await new Promise((r) => setTimeout(r, 100));
  });
  expect(res).toEqual({ status: 200, body: expect.stringContaining('"kind":"ANONYMOUS"') });
  await closed;
  // Well under the grace period: the finished keep-alive connections were let go at once.
  expect(Date.now() - closeCalledAt).toBeLessThan(2_000);
  // No new connections once closed.
  await expect(fetch(t.url, { method: 'POST', body: '{}' })).rejects.toThrow();
});
