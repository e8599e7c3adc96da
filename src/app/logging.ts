import { randomUUID } from 'node:crypto';
import type http from 'node:http';
import { pinoHttp } from 'pino-http';
import type { Logger } from 'pino';
import { newSqlScope, type SqlScope } from '../shared/db/sql-scope.js';

/**
 * What the request log line says about a request beyond method, path and status; filled in
 * as the request goes (context: viewer; Apollo plugin: operation, error codes; MikroORM
 * logger: statements). Never tokens, variables or anything a shopper typed.
 */
export interface RequestFacts {
  /** The request's logger, bound to its request id. */
  log: Logger;
  operation?: string | null;
  operationType?: string;
  /** Root fields of the operation (named or not), e.g. ["products"]. */
  fields?: string[];
  viewer?: string;
  errorCodes?: string[];
  sql: SqlScope;
}

const factsOfRequest = new WeakMap<http.IncomingMessage, RequestFacts>();

/** A caller's id is kept when it is a plain token (so it cannot forge log fields); otherwise a UUID. */
const CALLER_REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

const PROBES = new Set(['/health', '/ready']);

const pathOf = (req: http.IncomingMessage) => (req.url ?? '/').split('?')[0]!;

function logFields(req: http.IncomingMessage): Record<string, unknown> {
  const f = factsOfRequest.get(req);
  if (!f) return {};
  return {
    ...(f.operationType ? { operation: f.operation ?? null, operationType: f.operationType, fields: f.fields } : {}),
    ...(f.viewer ? { viewer: f.viewer } : {}),
    ...(f.errorCodes?.length ? { errorCodes: f.errorCodes } : {}),
    sql: f.sql.statements,
    ...(f.sql.replicaStatements ? { sqlReplica: f.sql.replicaStatements } : {}),
  };
}

/**
 * One structured line per request (pino-http), written when the response is finished or the
 * client went away. The request id comes from the caller's `x-request-id` or is made here,
 * and is echoed in the response's `x-request-id`. Health probes log at debug, so a load
 * balancer polling every few seconds does not drown the requests.
 */
export function createRequestLogger(logger: Logger): (req: http.IncomingMessage, res: http.ServerResponse) => RequestFacts {
  const httpLogger = pinoHttp({
    logger,
    quietReqLogger: true,
    wrapSerializers: false,
    genReqId: (req, res) => {
      const given = req.headers['x-request-id'];
      const id = typeof given === 'string' && CALLER_REQUEST_ID.test(given) ? given : randomUUID();
      res.setHeader('x-request-id', id);
      return id;
    },
    // Only method and path: headers carry tokens, query strings carry GraphQL variables.
    serializers: {
      req: (req: http.IncomingMessage) => ({ method: req.method, path: pathOf(req) }),
      res: (res: http.ServerResponse) => ({ statusCode: res.statusCode }),
    },
    // 503 is this instance saying "not now" (starting, stopping), not a failure.
    customLogLevel: (req, res, err) =>
      PROBES.has(pathOf(req)) ? 'debug' : err || (res.statusCode >= 500 && res.statusCode !== 503) ? 'error' : res.statusCode === 503 ? 'warn' : 'info',
    customSuccessMessage: () => 'request completed',
    customErrorMessage: (_req, res) => (res.statusCode === 503 ? 'request refused: not ready' : 'request failed'),
    customSuccessObject: (req, _res, val: Record<string, unknown>) => ({ ...val, ...logFields(req) }),
    // pino-http invents an Error for any 5xx response; the real cause, if any, has its own
    // line with the same reqId (the handler and the Apollo plugin log it), so that one is left out.
    customErrorObject: (req, _res, err, val: Record<string, unknown>) => {
      if (!/^failed with status code \d+$/.test(err.message)) return { ...val, ...logFields(req) };
      const { err: _invented, ...rest } = val;
      return { ...rest, ...logFields(req) };
    },
  });
  return (req, res) => {
    httpLogger(req, res);
    const facts: RequestFacts = { log: req.log, sql: newSqlScope() };
    factsOfRequest.set(req, facts);
    return facts;
  };
}
