import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemo } from '../src/app/seed.js';
import { startTestApp, type TestApp } from './helpers/app.js';
import { browserAvailable, launchChromium, screenshotPath, serveStatic } from './helpers/browser.js';
import { capturingLogger } from './helpers/logs.js';

/**
 * Real Chromium against the real API. The storefront example (examples/storefront) is served
 * from another origin and calls the API with its own fetch — no page.request, no interception,
 * no proxy — so CORS is exercised exactly as a shop's browser would. The explorer is GraphiQL
 * from npm packages, which must render the schema docs without reaching any other host.
 */
const storefrontDir = path.resolve(import.meta.dirname, '../examples/storefront');

describe.skipIf(!browserAvailable)('in Chromium', () => {
  let t: TestApp;
  let browser: Browser;
  let site: Awaited<ReturnType<typeof serveStatic>>;
  const logs = capturingLogger();

  beforeAll(async () => {
    site = await serveStatic(storefrontDir);
    t = await startTestApp({ CORS_ORIGINS: `http://localhost:${site.port}`, EXPLORER: 'true' }, { logger: logs.logger });
    const seeded = await seedDemo(t.app.runtime, t.config);
    expect(seeded).not.toBeNull();
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await site?.close();
    await t?.stop();
  });

  const requestLines = () => logs.lines().filter((l) => l.msg === 'request completed' || l.msg === 'request failed');

  it('a storefront on an allowed origin lists two sellers, fills a cart and pays; the API saw its preflight', async () => {
    const page = await browser.newPage();
    try {
      const before = requestLines().length;
      await page.goto(`http://localhost:${site.port}/index.html?api=${encodeURIComponent(t.url)}`);
      await page.getByRole('heading', { name: 'Alfa Modas' }).waitFor();
      await page.getByRole('heading', { name: 'Beta Eletrônicos' }).waitFor();
      await page.locator('button[data-sku="ALFA-CAMISETA_M"]').click();
      await page.getByText(/1 × Camiseta básica de algodão \(Alfa Modas\)/).waitFor();
      await page.locator('button[data-sku="BETA-FONE_PRETO"]').click();
      await page.getByText(/1 × Fone de ouvido Bluetooth \(Beta Eletrônicos\)/).waitFor();

      const form = page.locator('#checkout-form');
      const fields: Record<string, string> = {
        name: 'Carla Mendes',
        email: 'carla.mendes@example.com',
        document: '529.982.247-25',
        phone: '(11) 97654-3210',
        recipient: 'Carla Mendes',
        street: 'Rua Augusta',
        number: '1500',
        district: 'Consolação',
        city: 'São Paulo',
        state: 'SP',
        postalCode: '01304-001',
      };
      for (const [name, value] of Object.entries(fields)) await form.locator(`input[name="${name}"]`).fill(value);
      expect(await form.locator('input[name="cardToken"]').inputValue()).toBe('tok_approve');
      await page.getByRole('button', { name: 'Pay' }).click();

      const result = page.locator('#result');
      await result.locator('#orders').waitFor();
      const cartNumber = await result.getAttribute('data-cart-number');
      expect(cartNumber).toMatch(/^\d+$/);
      // One order per seller, both carrying the cart's number, guest sellers by concatenation code.
      expect((await result.getAttribute('data-orders'))!.split(' ')).toEqual([`ALFA-${cartNumber}-1`, `BETA-${cartNumber}-2`]);
      await expect(result.textContent()).resolves.toContain(`Cart number ${cartNumber}`);
      await page.screenshot({ path: screenshotPath('storefront.png'), fullPage: true });

      // The browser asked before each cross-origin POST (CORS preflight), and the API allowed it.
      const seen = requestLines().slice(before);
      const preflights = seen.filter((l) => (l.req as { method: string }).method === 'OPTIONS');
      expect(preflights.length).toBeGreaterThan(0);
      expect(preflights.every((l) => (l.res as { statusCode: number }).statusCode === 204)).toBe(true);
      const operations = seen.filter((l) => l.operationType).map((l) => l.operation);
      expect(operations).toEqual(expect.arrayContaining(['StorefrontCatalog', 'CreateCart', 'AddCartLine', 'SetBuyer', 'SetShippingAddress', 'Checkout']));
    } finally {
      await page.close();
    }
  }, 90_000);

  it('the same page on an origin that is not allowed cannot call the API', async () => {
    const page = await browser.newPage();
    try {
      const before = requestLines().length;
      // 127.0.0.1 and localhost are different origins; only localhost:<port> is allowed.
      await page.goto(`http://127.0.0.1:${site.port}/index.html?api=${encodeURIComponent(t.url)}`);
      const status = page.locator('#catalog-status.error');
      await status.waitFor();
      expect(await status.textContent()).toContain('Could not reach the API');
      expect(await page.locator('button[data-sku]').count()).toBe(0);
      // The preflight reached the API and was refused; the POST itself never came.
      const seen = requestLines().slice(before);
      expect(seen.map((l) => [(l.req as { method: string }).method, (l.res as { statusCode: number }).statusCode])).toEqual([['OPTIONS', 403]]);
    } finally {
      await page.close();
    }
  }, 60_000);

  it('GraphiQL renders the schema docs from this server alone', async () => {
    const page = await browser.newPage();
    const elsewhere: string[] = [];
    const problems: string[] = [];
    const origin = new URL(t.url).origin;
    page.on('request', (r) => {
      if (!r.url().startsWith(origin) && !r.url().startsWith('data:')) elsewhere.push(r.url());
    });
    page.on('console', (m) => {
      if (m.type() === 'error') problems.push(m.text());
    });
    page.on('pageerror', (e) => problems.push(e.message));
    page.on('response', (r) => {
      if (r.status() >= 400) problems.push(`${r.status()} ${r.url()}`);
    });
    try {
      await page.setViewportSize({ width: 1400, height: 900 });
      await page.goto(t.url, { waitUntil: 'load' });
      await page.locator('.graphiql-container').waitFor();
      await page.getByRole('button', { name: /documentation explorer/i }).click();
      const docs = page.locator('.graphiql-doc-explorer');
      await docs.getByText('Root Types').waitFor();
      await docs.getByRole('link', { name: 'Query' }).first().click();
      await docs.getByText('products', { exact: true }).first().waitFor();
      await docs.getByText('The cart of a token. An unknown token is NOT_FOUND.').waitFor();
      await page.screenshot({ path: screenshotPath('explorer.png') });
      expect(elsewhere).toEqual([]);
      expect(problems).toEqual([]);
    } finally {
      await page.close();
    }
  }, 60_000);
});
