import type http from 'node:http';
import type { Runtime } from './context.js';

/**
 * A plain HTTP endpoint served next to /graphql: provider webhooks post raw bodies whose
 * signatures are computed over the exact bytes, so they cannot go through GraphQL.
 */
export interface HttpRoute {
  /** Exact path or a prefix ending in '/' (e.g. '/webhooks/payments/'). */
  path: string;
  methods: readonly string[];
  /** `bytes` is the same body undecoded (file uploads). */
  handle(runtime: Runtime, req: http.IncomingMessage, rawBody: string, url: URL, bytes: Buffer): Promise<RouteAnswer>;
}

/** A route's answer: JSON `body`, or raw `bytes` (a file download) with its own headers. */
export interface RouteAnswer {
  status: number;
  body: unknown;
  bytes?: Buffer;
  headers?: Record<string, string>;
}

export function findRoute(routes: readonly HttpRoute[], pathname: string): HttpRoute | undefined {
  return routes.find((r) => (r.path.endsWith('/') ? pathname.startsWith(r.path) : pathname === r.path));
}

/** The token of an `Authorization: Bearer <token>` header (GraphQL requests and authenticated routes alike). */
export function bearerToken(req: http.IncomingMessage): string | undefined {
  const header = req.headers.authorization;
  if (!header) return undefined;
  const match = /^Bearer\s+(\S+)$/i.exec(header);
  return match?.[1];
}
