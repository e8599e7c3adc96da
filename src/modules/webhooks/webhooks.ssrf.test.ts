import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { checkWebhookUrl, isPrivateAddress } from './webhooks.ssrf.js';
import { sendWebhook } from './webhooks.sender.js';

describe('webhook SSRF guard', () => {
  it('knows private, loopback, link-local and reserved addresses', () => {
    for (const a of ['127.0.0.1', '10.0.0.1', '172.16.5.4', '192.168.1.1', '169.254.169.254', '100.64.0.1', '0.0.0.0', '::1', 'fe80::1', 'fd00::1', '::ffff:127.0.0.1', '::ffff:10.0.0.1']) expect(isPrivateAddress(a), a).toBe(true);
    for (const a of ['8.8.8.8', '1.1.1.1', '2606:4700:4700::1111', '::ffff:8.8.8.8']) expect(isPrivateAddress(a), a).toBe(false);
  });

  it('refuses plain http and private hosts unless allowed', async () => {
    await expect(checkWebhookUrl('http://example.com/x', false)).rejects.toThrow(/https/);
    await expect(checkWebhookUrl('https://127.0.0.1/x', false)).rejects.toThrow(/private/);
    await expect(checkWebhookUrl('https://localhost/x', false)).rejects.toThrow(/private/);
    await expect(checkWebhookUrl('http://127.0.0.1/x', true)).resolves.toBeInstanceOf(URL);
  });

  it('re-checks at delivery time: nothing reaches a loopback receiver when private addresses are not allowed', async () => {
    let hits = 0;
    const server = http.createServer((_req, res) => {
      hits += 1;
      res.end('ok');
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as AddressInfo).port;
    try {
      const message = { id: 'msg_1', timestamp: new Date(), body: '{}' };
      const secret = `whsec_${Buffer.alloc(32, 1).toString('base64')}`;
      const refused = await sendWebhook({ url: `http://localhost:${port}/`, secret, message, timeoutMs: 1000, allowPrivate: false });
      expect(refused).toMatchObject({ ok: false, status: null });
      expect(refused.error).toMatch(/refused/);
      expect(hits).toBe(0);
      const sent = await sendWebhook({ url: `http://localhost:${port}/`, secret, message, timeoutMs: 1000, allowPrivate: true });
      expect(sent).toMatchObject({ ok: true, status: 200 });
      expect(hits).toBe(1);
    } finally {
      await new Promise((r) => server.close(r));
    }
  });
});
