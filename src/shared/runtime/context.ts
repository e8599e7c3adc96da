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
 * The context of a request over HTTP, whose EntityManager is forked when first used: the
 * storefront's reads go to SQL through the ORM's connection (shared/db/plain.ts) and never
 * need one, and a fork (an identity map, a unit of work, a loader, a validator, and a write to
 * process.env on the way) was 2 % of a product page's CPU.
 */
export class RequestContext implements Context {
  private forked?: EntityManager;
  readonly loaders = new Map<string, unknown>();
  constructor(
    readonly runtime: Runtime,
    public viewer: Viewer,
    readonly requestId: string,
    readonly clientAddress?: string,
  ) {}
  get em(): EntityManager {
    return (this.forked ??= this.runtime.orm.em.fork());
  }
}

/**
 * The ORM's own EntityManager, for what a plain read (shared/db/plain.ts) takes of one: the
 * metadata, the platform and a connection — never an identity map, so the request's own need
 * not be forked for it. Never load or write entities through it (MikroORM refuses the global
 * context anyway).
 */
export const plainReadEm = (from: Context | Runtime): EntityManager => ('runtime' in from ? from.runtime : from).orm.em as EntityManager;

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
