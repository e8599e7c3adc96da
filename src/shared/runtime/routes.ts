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
  handle(runtime: Runtime, req: http.IncomingMessage, rawBody: string, url: URL): Promise<{ status: number; body: unknown }>;
}

export function findRoute(routes: readonly HttpRoute[], pathname: string): HttpRoute | undefined {
  return routes.find((r) => (r.path.endsWith('/') ? pathname.startsWith(r.path) : pathname === r.path));
}
