import { randomUUID } from 'node:crypto';
import type http from 'node:http';
import type { Level, Logger } from 'pino';
import { newSqlScope, type SqlScope } from '../shared/db/sql-scope.js';

/**
 * What the request log line says about a request beyond method, path and status; filled in
 * as the request goes (context: viewer; Apollo plugin: operation, error codes; MikroORM
 * logger: statements). Never tokens, variables or anything a shopper typed.
 */
export interface RequestFacts {
  /** The request's id: the caller's `x-request-id` when it is a plain token, else a UUID. */
  readonly requestId: string;
  /** The request's logger, bound to its request id. */
  readonly log: Logger;
  operation?: string | null;
  operationType?: string;
  /** Root fields of the operation (named or not), e.g. ["products"]. */
  fields?: string[];
  viewer?: string;
  errorCodes?: string[];
  sql: SqlScope;
}

/** A caller's id is kept when it is a plain token (so it cannot forge log fields); otherwise a UUID. */
const CALLER_REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

const PROBES = new Set(['/health', '/ready']);

const pathOf = (req: http.IncomingMessage) => {
  const url = req.url ?? '/';
  const query = url.indexOf('?');
  return query < 0 ? url : url.slice(0, query);
};

// 503 is this instance saying "not now" (starting, stopping), not a failure.
function levelOf(path: string, status: number, err: unknown): Level {
  if (PROBES.has(path)) return 'debug';
  if (err || (status >= 500 && status !== 503)) return 'error';
  return status === 503 ? 'warn' : 'info';
}

/**
 * A request's facts, whose bound logger is made only when something logs through it: a
 * pino child costs an object and its serialised bindings, and most requests log nothing but
 * their one line, which names its request id itself.
 */
class Facts implements RequestFacts {
  readonly sql = newSqlScope();
  operation?: string | null;
  operationType?: string;
  fields?: string[];
  viewer?: string;
  errorCodes?: string[];
  #log?: Logger;
  constructor(
    private readonly root: Logger,
    readonly requestId: string,
  ) {}
  get log(): Logger {
    return (this.#log ??= this.root.child({ reqId: this.requestId }));
  }
}

/**
 * One structured line per request, written when the response is finished or the client went
 * away: request id, method and path, status, response time and the facts above. The request id
 * comes from the caller's `x-request-id` or is made here, and is echoed in the response's
 * `x-request-id`. Health probes log at debug, so a load balancer polling every few seconds does
 * not drown the requests. Only method and path of the request: headers carry tokens, query
 * strings carry GraphQL variables.
 *
 * Written here rather than with pino-http, whose line this keeps field for field: pino-http
 * made two child loggers per request (one for the request id, one more for the request's
 * serialiser) before anything was logged — on the storefront's product page that and its
 * listeners were 4 % of the request's CPU.
 */
export function createRequestLogger(logger: Logger): (req: http.IncomingMessage, res: http.ServerResponse) => RequestFacts {
  return (req, res) => {
    const given = req.headers['x-request-id'];
    const id = typeof given === 'string' && CALLER_REQUEST_ID.test(given) ? given : randomUUID();
    res.setHeader('x-request-id', id);
    const facts = new Facts(logger, id);
    const started = Date.now();
    const done = (err?: unknown) => {
      res.off('close', done);
      res.off('finish', done);
      res.off('error', done);
      const path = pathOf(req);
      const level = levelOf(path, res.statusCode, err);
      if (!logger.isLevelEnabled(level)) return;
      const line: Record<string, unknown> = {
        reqId: id,
        req: { method: req.method, path },
        res: { statusCode: res.statusCode },
        ...(err ? { err } : {}),
        responseTime: Date.now() - started,
        ...(facts.operationType ? { operation: facts.operation ?? null, operationType: facts.operationType, fields: facts.fields } : {}),
        ...(facts.viewer ? { viewer: facts.viewer } : {}),
        ...(facts.errorCodes?.length ? { errorCodes: facts.errorCodes } : {}),
        sql: facts.sql.statements,
        ...(facts.sql.replicaStatements ? { sqlReplica: facts.sql.replicaStatements } : {}),
      };
      const failed = err || res.statusCode >= 500;
      logger[level](line, !failed ? 'request completed' : res.statusCode === 503 ? 'request refused: not ready' : 'request failed');
    };
    res.on('close', done);
    res.on('finish', done);
    res.on('error', done);
    return facts;
  };
}
