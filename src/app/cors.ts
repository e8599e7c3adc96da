import type http from 'node:http';
import cors from 'cors';

/**
 * The browser origins allowed to call the API, from CORS_ORIGINS: exact origins
 * (`https://shop.example.com`), any subdomain (`https://*.example.com`), any port
 * (`http://localhost:*`), or `*` for every origin.
 */
export interface CorsOrigins {
  any: boolean;
  exact: string[];
  patterns: RegExp[];
  /** As configured, for the start-up log. */
  entries: string[];
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Parses CORS_ORIGINS; throws with the offending entry, so start-up names it. */
export function parseCorsOrigins(value: string): CorsOrigins {
  const entries = value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const out: CorsOrigins = { any: false, exact: [], patterns: [], entries };
  for (const entry of entries) {
    if (entry === '*') {
      out.any = true;
      continue;
    }
    const m = /^(https?):\/\/(\*\.)?([A-Za-z0-9.-]+|\[[0-9A-Fa-f:]+\])(?::(\d{1,5}|\*))?$/.exec(entry);
    if (!m) {
      throw new Error(`${JSON.stringify(entry)} is not an origin: use scheme://host[:port], scheme://*.domain or scheme://host:* (no path, no trailing slash)`);
    }
    const [, scheme, wildcardSub, host, port] = m;
    if (!wildcardSub && port !== '*') {
      // URL normalises case and drops a default port, as browsers do in the Origin header.
      out.exact.push(new URL(entry).origin);
      continue;
    }
    if (wildcardSub && host!.split('.').length < 2) throw new Error(`${JSON.stringify(entry)} would match every host of a top-level domain`);
    const hostPattern = wildcardSub ? `[A-Za-z0-9-]+(?:\\.[A-Za-z0-9-]+)*\\.${escape(host!.toLowerCase())}` : escape(host!.toLowerCase());
    const portPattern = port === '*' ? '(?::\\d{1,5})?' : port ? `:${port}` : '';
    out.patterns.push(new RegExp(`^${scheme}://${hostPattern}${portPattern}$`));
  }
  return out;
}

export function originAllowed(origins: CorsOrigins, origin: string): boolean {
  if (origins.any) return true;
  return origins.exact.includes(origin) || origins.patterns.some((p) => p.test(origin));
}

/** Headers a browser client may read from our responses (CORS hides the others). */
export const EXPOSED_HEADERS = ['Retry-After', 'RateLimit', 'RateLimit-Policy', 'RateLimit-Limit', 'RateLimit-Remaining', 'RateLimit-Reset', 'X-Request-Id'];

export interface CorsSettings {
  origins: CorsOrigins;
  credentials: boolean;
  maxAgeSeconds: number;
}

export type CorsOutcome = 'handled' | 'continue';

/**
 * Applies CORS to one request with the `cors` package. A preflight from an allowed origin
 * is answered here (204, cached for maxAgeSeconds); one from any other origin gets 403
 * without Access-Control-* headers, so the browser refuses the call. Other requests
 * continue, with the headers only when their origin is allowed.
 */
export function createCors(settings: CorsSettings): (req: http.IncomingMessage, res: http.ServerResponse) => CorsOutcome {
  const middleware = cors({
    origin: (origin, cb) => cb(null, origin !== undefined && originAllowed(settings.origins, origin)),
    credentials: settings.credentials,
    methods: ['GET', 'POST', 'OPTIONS'],
    // Unset allowedHeaders reflects Access-Control-Request-Headers: an allowed origin may
    // send the headers its GraphQL client adds (apollographql-client-name and the like).
    exposedHeaders: EXPOSED_HEADERS,
    maxAge: settings.maxAgeSeconds,
    optionsSuccessStatus: 204,
    preflightContinue: false,
  });
  return (req, res) => {
    // The answer depends on Origin whether or not it is allowed: caches must key on it.
    res.setHeader('Vary', 'Origin');
    const origin = req.headers.origin;
    // No Origin, no CORS: a server, an app or a curl, which read no Access-Control-* header;
    // cors would still write its exposed and credential headers (and parse Vary) on each.
    if (origin === undefined) return 'continue';
    const preflight = req.method === 'OPTIONS' && origin !== undefined && req.headers['access-control-request-method'] !== undefined;
    if (preflight && !originAllowed(settings.origins, origin)) {
      res.writeHead(403, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: `Origin ${origin} is not allowed (CORS_ORIGINS).` }));
      return 'handled';
    }
    // The origin check above is synchronous, so `cors` has either answered the preflight or
    // set its headers and called next by the time it returns.
    let failure: unknown;
    middleware(req, res, (err?: unknown) => {
      failure = err;
    });
    if (failure) throw failure;
    return res.writableEnded ? 'handled' : 'continue';
  };
}
