import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import type { Logger } from 'pino';
import type { Config } from '../../config.js';
import type { Viewer } from '../access/viewer.js';
import type { HttpRoute } from './routes.js';
import type { Services } from './services.js';

/** Process-wide things a request may use; built once at start-up by src/app. */
export interface Runtime {
  orm: MikroORM;
  config: Config;
  logger: Logger;
  /** Providers and cross-module calls, each in a slot its module declares (services.ts). */
  services: Services;
  /** Plain HTTP routes besides /graphql and /health (provider webhooks). */
  routes: HttpRoute[];
}

/** Per request: a forked EntityManager, the resolved viewer and that request's DataLoaders. */
export interface Context {
  runtime: Runtime;
  em: EntityManager;
  viewer: Viewer;
  loaders: Map<string, unknown>;
  requestId: string;
  /** The caller's address (socket, or the proxy header TRUST_PROXY names); unset outside HTTP requests. */
  clientAddress?: string;
}

/**
 * Gets this request's loader for `key`, creating it on first use. Loaders live for one
 * request only, so they never serve another viewer's data or stale rows.
 */
export function loader<L>(ctx: Context, key: string, create: () => L): L {
  let l = ctx.loaders.get(key) as L | undefined;
  if (!l) {
    l = create();
    ctx.loaders.set(key, l);
  }
  return l;
}
