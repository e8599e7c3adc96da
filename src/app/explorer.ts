import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type http from 'node:http';
import { createRequire } from 'node:module';
import path from 'node:path';
import { gzipSync } from 'node:zlib';

/**
 * GraphiQL served from npm packages: graphiql 4's prebuilt bundle (its last major with one,
 * and with its fonts inlined) on React 18's UMD builds. Nothing is loaded from a CDN and
 * nothing reports anywhere — the page's Content-Security-Policy only lets it talk to this
 * server, so a missed external fetch would show as a CSP error, not as a silent call out.
 */
const require = createRequire(import.meta.url);
const packageDir = (name: string) => path.dirname(require.resolve(`${name}/package.json`));

export const EXPLORER_PREFIX = '/explorer/';

interface Asset {
  type: string;
  body: Buffer;
  gzipped?: Buffer;
  etag: string;
}

const INIT_SCRIPT = `'use strict';
(function () {
  var endpoint = new URL(document.body.dataset.endpoint, window.location.href).href;
  var fetcher = GraphiQL.createFetcher({ url: endpoint });
  var defaultQuery = [
    '# The marketplace API. Open the docs (book icon, top left) to browse the schema.',
    '# Signed-in calls: add {"Authorization": "Bearer mks_..."} in the Headers tab below.',
    'query Storefront {',
    '  products(first: 5) {',
    '    edges { node { code name soldAndDeliveredBy price { amount currency } inStock } }',
    '  }',
    '}',
    '',
  ].join('\\n');
  ReactDOM.createRoot(document.getElementById('graphiql')).render(
    React.createElement(GraphiQL, { fetcher: fetcher, defaultQuery: defaultQuery, defaultEditorToolsVisibility: true }),
  );
})();
`;

function page(endpoint: string): string {
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Marketplace API — GraphiQL</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="${EXPLORER_PREFIX}graphiql.min.css">
<style>html, body, #graphiql { height: 100%; margin: 0; }</style>
</head>
<body data-endpoint="${endpoint}">
<div id="graphiql">Loading GraphiQL…</div>
<script src="${EXPLORER_PREFIX}react.production.min.js"></script>
<script src="${EXPLORER_PREFIX}react-dom.production.min.js"></script>
<script src="${EXPLORER_PREFIX}graphiql.min.js"></script>
<script src="${EXPLORER_PREFIX}init.js"></script>
</body>
</html>
`;
}

const CSP = [
  "default-src 'none'",
  "script-src 'self'",
  // GraphiQL and CodeMirror set inline styles; its fonts and icons are data: URLs.
  "style-src 'self' 'unsafe-inline'",
  "font-src 'self' data:",
  "img-src 'self' data:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

export interface Explorer {
  /** Answers GET /graphql from a browser and the assets under /explorer/; false when not its request. */
  handle(req: http.IncomingMessage, res: http.ServerResponse, pathname: string): boolean;
}

function asset(type: string, body: Buffer | string): Asset {
  const buf = typeof body === 'string' ? Buffer.from(body) : body;
  return { type, body: buf, etag: `"${createHash('sha256').update(buf).digest('base64url').slice(0, 27)}"` };
}

export function createExplorer(endpointPath: string): Explorer {
  const js = 'text/javascript; charset=utf-8';
  const files: Record<string, Asset> = {
    'graphiql.min.js': asset(js, readFileSync(path.join(packageDir('graphiql'), 'graphiql.min.js'))),
    'graphiql.min.css': asset('text/css; charset=utf-8', readFileSync(path.join(packageDir('graphiql'), 'graphiql.min.css'))),
    'react.production.min.js': asset(js, readFileSync(path.join(packageDir('react'), 'umd/react.production.min.js'))),
    'react-dom.production.min.js': asset(js, readFileSync(path.join(packageDir('react-dom'), 'umd/react-dom.production.min.js'))),
    'init.js': asset(js, INIT_SCRIPT),
  };
  const html = asset('text/html; charset=utf-8', page(endpointPath));

  const send = (req: http.IncomingMessage, res: http.ServerResponse, a: Asset, cache: string) => {
    res.setHeader('content-type', a.type);
    res.setHeader('cache-control', cache);
    res.setHeader('etag', a.etag);
    res.setHeader('x-content-type-options', 'nosniff');
    if (req.headers['if-none-match'] === a.etag) {
      res.writeHead(304);
      res.end();
      return;
    }
    let body = a.body;
    if (/\bgzip\b/.test(String(req.headers['accept-encoding'] ?? '')) && a.body.length > 1024) {
      a.gzipped ??= gzipSync(a.body);
      body = a.gzipped;
      res.setHeader('content-encoding', 'gzip');
    }
    res.setHeader('vary', 'Accept-Encoding, Origin');
    res.writeHead(200, { 'content-length': body.length });
    res.end(req.method === 'HEAD' ? undefined : body);
  };

  return {
    handle(req, res, pathname) {
      if (req.method !== 'GET' && req.method !== 'HEAD') return false;
      if (pathname === endpointPath) {
        // Browsers navigating here ask for HTML; GraphQL clients using GET do not.
        if (!String(req.headers.accept ?? '').includes('text/html')) return false;
        res.setHeader('content-security-policy', CSP);
        res.setHeader('referrer-policy', 'no-referrer');
        send(req, res, html, 'no-cache');
        return true;
      }
      if (!pathname.startsWith(EXPLORER_PREFIX)) return false;
      const file = files[pathname.slice(EXPLORER_PREFIX.length)];
      if (!file) return false;
      // Revalidated by ETag: the files change only with an upgrade of the packages.
      send(req, res, file, 'public, max-age=3600');
      return true;
    },
  };
}
