import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { chromium, type Browser } from 'playwright-core';

/** Debian's Chromium (apt `chromium`); .ci/run installs it when missing. */
export const CHROMIUM = '/usr/bin/chromium';

/**
 * Browser tests run wherever Chromium is installed, and always in CI (where a missing browser
 * must fail the run, not skip it).
 */
export const browserAvailable = existsSync(CHROMIUM) || process.env.CI === 'true';

/** Screenshots land here (git-ignored) for a person to look at. */
export const SCREENSHOT_DIR = path.resolve(import.meta.dirname, '../../test-results');

export function screenshotPath(name: string): string {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  return path.join(SCREENSHOT_DIR, name);
}

export function launchChromium(): Promise<Browser> {
  // playwright's launch gives each run a fresh --user-data-dir; the flags keep Chromium from
  // calling home (updates, sync, field trials) on a machine without internet.
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

const TYPES: Record<string, string> = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8' };

/** Serves a directory's files on 127.0.0.1 (any host name reaching it is another origin). */
export async function serveStatic(dir: string): Promise<{ port: number; close(): Promise<void> }> {
  const server = http.createServer((req, res) => {
    const name = new URL(req.url ?? '/', 'http://x').pathname.replace(/^\/+/, '') || 'index.html';
    const file = path.join(dir, path.normalize(name));
    if (!file.startsWith(dir) || !existsSync(file)) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream' });
    res.end(readFileSync(file));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
