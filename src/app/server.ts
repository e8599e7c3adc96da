// Long file: the one HTTP entry of the API (routes, Apollo with its plugins, CORS, request logs,
// readiness and shutdown) — split by concern it would scatter the order requests pass through.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApolloServer, HeaderMap, type ApolloServerPlugin, type BaseContext } from '@apollo/server';
import { ApolloServerPluginCacheControlDisabled, ApolloServerPluginInlineTraceDisabled, ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { unwrapResolverError } from '@apollo/server/errors';
import { ApolloArmor } from '@escape.tech/graphql-armor';
import { GraphQLError, Kind, type GraphQLFormattedError } from 'graphql';
import { AppError } from '../shared/errors/index.js';
import { sqlScope } from '../shared/db/sql-scope.js';
import { actorOf, runWithActor, setScopeActor } from '../shared/events/index.js';
import { isConnectionError } from '../shared/db/resilience.js';
import { isStatementTimeout } from '../shared/db/timeout.js';
import { resolveViewer } from '../modules/auth/index.js';
import { bearerToken, findRoute, RequestContext, type Context, type Runtime } from '../shared/runtime/index.js';
import { anonymous } from '../shared/access/index.js';
import { createCors } from './cors.js';
import { clientAddress } from './client-address.js';
import { costBudget } from './query-cost.js';
import { createExplorer } from './explorer.js';
import { createRequestLogger, type RequestFacts } from './logging.js';
import type { Readiness } from './readiness.js';
import { mayReadFromReplica } from './replica-reads.js';
import { buildAppSchema } from './schema.js';
import { jitGateway } from './executor.js';

/** How long close() lets requests in progress finish before cutting their connections. */
export const SHUTDOWN_GRACE_MS = 10_000;

/** Largest request body accepted; files go through an upload endpoint, not GraphQL. */
export const MAX_BODY_BYTES = 4 * 1024 * 1024;

/**
 * Query shape limits (graphql-armor; tokens by graphql's parser), introspection included; the
 * explorer's own introspection query fits them.
 */
export const LIMITS = {
  maxDepth: 12,
  maxIntrospectionDepth: 15,
  maxAliases: 15,
  // graphql-armor's cost grows ~1.5× per level and ignores page sizes (capped at 100 by the
  // pagination helper); this bound stops pathological shapes, not ordinary listings.
  maxCost: 100_000,
  maxTokens: 5_000,
  maxDirectives: 50,
};

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly code = 'BAD_REQUEST',
  ) {
    super(message);
  }
}

async function readBody(req: http.IncomingMessage): Promise<string> {
  return (await readBytes(req)).toString('utf8');
}

function readBytes(req: http.IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const tooLarge = () => new HttpError(413, `The request body is over the ${MAX_BODY_BYTES / 1024 / 1024} MB limit.`, 'PAYLOAD_TOO_LARGE');
    const declared = Number(req.headers['content-length'] ?? 0);
    if (declared > MAX_BODY_BYTES) {
      reject(tooLarge());
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    // Past the limit, stop buffering but keep the socket: Node discards the rest of the
    // body after the 413 is sent (destroying the request here would lose the response).
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        req.off('data', onData);
        chunks.length = 0;
        reject(tooLarge());
        return;
      }
      chunks.push(chunk);
    };
    req.on('data', onData);
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/**
 * graphql-js suggests names ("Did you mean "viewer"?", "…the enum value "ACTIVE"?"), which
 * maps the schema for anyone even with introspection off: outside development they are
 * removed. Armor's limit errors carry a misleading "Syntax Error: " prefix, always dropped.
 */
export function publicMessage(message: string, development: boolean): string {
  const text = message.replace(/^Syntax Error: (?=.* limit of \d+ exceeded)/, '');
  return development ? text : text.replace(/\s*Did you mean [^?]*\?/g, '');
}


export interface AppServer {
  url: string;
  port: number;
  apollo: ApolloServer<Context>;
  close(): Promise<void>;
}

/** How long a client told 503 (starting, stopping) should wait before trying again. */
export const RETRY_AFTER_SECONDS = 5;

/**
 * The request facts, for the Apollo plugin: it sees a copy of the context, not the request,
 * but runs in the request's async scope, whose SQL counter leads back to them.
 */
const factsOfScope = new WeakMap<object, RequestFacts>();

/** Unexpected errors already logged with their request, so formatError does not log them twice. */
const logged = new WeakSet<object>();

/**
 * What a caller gets when the database could not be reached or dropped the connection mid-way
 * (no retry was safe, see shared/db/resilience.ts): a clean, retryable code, never
 * INTERNAL_SERVER_ERROR. A mutation that got this may or may not have committed: retry it with
 * the same idempotency key.
 */
export const DATABASE_UNAVAILABLE = {
  message: 'The database is unavailable right now; nothing is known to have changed. Try again in a few seconds (mutations with the same idempotency key).',
  extensions: { code: 'SERVICE_UNAVAILABLE', retryAfterSeconds: RETRY_AFTER_SECONDS },
} as const;

/**
 * What a caller gets when a statement ran past DB_STATEMENT_TIMEOUT_MS (a lock held too long,
 * a pathological plan): the transaction rolled back, so nothing changed, and it may be retried.
 */
export const STATEMENT_TIMED_OUT = {
  message: 'The database stopped this request at its time limit; nothing changed. Try again (mutations with the same idempotency key), or narrow the request.',
  extensions: { code: 'QUERY_TIMEOUT' },
} as const;

/** Expected failures carry a code of ours or of graphql/Apollo; anything else is a bug or an outage. */
function isUnexpected(error: GraphQLError): boolean {
  const original = unwrapResolverError(error);
  if (original instanceof AppError) return false;
  if (isConnectionError(original) || isStatementTimeout(original)) return false;
  const code = error.extensions?.code;
  return !code || code === 'INTERNAL_SERVER_ERROR';
}

/**
 * Fills the request's log line (operation, root fields, error codes), lets storefront catalog
 * queries read from a replica, and logs unexpected errors with the request id and operation.
 */
const observe: ApolloServerPlugin<Context> = {
  async requestDidStart({ contextValue }) {
    const scope = sqlScope.getStore();
    const facts = scope && factsOfScope.get(scope);
    if (!facts) return;
    return {
      async didResolveOperation({ operation, operationName }) {
        if (!operation) return;
        facts.operation = operationName ?? null;
        facts.operationType = operation.operation;
        facts.fields = operation.selectionSet.selections.flatMap((s) => (s.kind === Kind.FIELD ? [s.name.value] : []));
        facts.sql.replicaReads = mayReadFromReplica(operation, contextValue.viewer);
      },
      async didEncounterErrors({ errors, operationName }) {
        facts.errorCodes = errors.map((e) => {
          const original = unwrapResolverError(e);
          if (isConnectionError(original)) return 'SERVICE_UNAVAILABLE';
          if (isStatementTimeout(original)) return 'QUERY_TIMEOUT';
          return original instanceof AppError ? original.code : String(e.extensions?.code ?? 'INTERNAL_SERVER_ERROR');
        });
        for (const error of errors) {
          if (isConnectionError(unwrapResolverError(error))) facts.log.warn({ err: unwrapResolverError(error), path: error.path }, 'database unavailable');
          if (!isUnexpected(error)) continue;
          const original = unwrapResolverError(error);
          facts.log.error({ err: original, operation: operationName ?? null, path: error.path }, 'unexpected error');
          if (original && typeof original === 'object') logged.add(original);
        }
      },
    };
  },
};

/**
 * Apollo Server behind a plain node:http listener: we own the body limit, the bearer-token
 * parsing and the routes (/graphql, /health) without another web framework.
 */
export async function startServer(runtime: Runtime, opts: { host: string; port: number; readiness: Readiness }): Promise<AppServer> {
  const { config, logger } = runtime;
  const { readiness } = opts;
  const development = config.NODE_ENV === 'development';
  const armor = new ApolloArmor({
    // Introspection is held to the same limits (issue 12, item 6): a deep `__schema` query or a
    // thousand `__typename` aliases cost like any other selection.
    maxDepth: { n: LIMITS.maxDepth, ignoreIntrospection: true },
    maxAliases: { n: LIMITS.maxAliases, allowList: [] },
    costLimit: { maxCost: LIMITS.maxCost, ignoreIntrospection: false },
    maxDirectives: { n: LIMITS.maxDirectives },
    // Armor's token plugin throws from a parsing hook, which Apollo answers with HTTP 500;
    // graphql's own parser limit (parseOptions below) gives a 400 GRAPHQL_PARSE_FAILED.
    maxTokens: { enabled: false },
    // Armor's mask leaves "[Suggestion hidden]?" and misses enum-value suggestions;
    // formatError below removes every "Did you mean …?" instead.
    blockFieldSuggestion: { enabled: false },
  });
  // A second depth rule for introspection alone, deep enough for the explorer's own query (15
  // with its fragments flattened) and no deeper.
  const off = { enabled: false };
  const introspectionDepth = new ApolloArmor({ maxDepth: { n: LIMITS.maxIntrospectionDepth, ignoreIntrospection: false, flattenFragments: true }, ...{ maxAliases: off, costLimit: off, maxDirectives: off, maxTokens: off, blockFieldSuggestion: off } }).protect();
  const protection = armor.protect();
  const schema = await buildAppSchema();
  const apollo = new ApolloServer<Context>({
    // Apollo takes another executor only through its gateway door (app/executor.ts).
    ...(config.GRAPHQL_EXECUTOR === 'jit' ? { gateway: jitGateway(schema) } : { schema }),
    introspection: config.INTROSPECTION,
    // main.ts owns shutdown (worker, HTTP, database, in that order). Apollo's own SIGINT/SIGTERM
    // handler would call stop() concurrently, and a second stop() waiting on the first one
    // never returns (Apollo 5 does not resolve that wait), so `npm start` would hang on Ctrl-C.
    stopOnTerminationSignals: false,
    allowBatchedHttpRequests: false,
    parseOptions: { maxTokens: LIMITS.maxTokens },
    includeStacktraceInErrorResponses: development,
    validationRules: [...protection.validationRules, ...introspectionDepth.validationRules],
    // These plugins' typings come from Apollo's CommonJS build; they are the same objects.
    // GraphiQL (explorer.ts) replaces Apollo's landing page, which loads the Sandbox from a CDN.
    // Cache control is off: no field declares a cache hint and no response is cached by HTTP
    // caches (answers depend on the viewer), yet Apollo's default plugin wraps every resolved
    // field to compute a policy nobody reads. Inline tracing is for federated subgraphs only.
    plugins: [
      ...protection.plugins,
      ApolloServerPluginLandingPageDisabled(),
      ApolloServerPluginCacheControlDisabled(),
      ApolloServerPluginInlineTraceDisabled(),
      observe,
      costBudget(config.QUERY_COST_PER_SECOND),
    ] as unknown as ApolloServerPlugin<Context>[],
    formatError: (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
      formatted = { ...formatted, message: publicMessage(formatted.message, development) };
      const original = unwrapResolverError(error);
      if (original instanceof AppError) {
        // `http` (a 429's status and Retry-After) was applied by Apollo already; it is no field of the answer.
        const { http: _http, ...extensions } = original.toGraphQLError().extensions;
        return { ...formatted, message: original.errors[0]!.message, extensions };
      }
      if (isConnectionError(original)) return { ...DATABASE_UNAVAILABLE, path: formatted.path };
      if (isStatementTimeout(original)) return { ...STATEMENT_TIMED_OUT, path: formatted.path };
      const code = formatted.extensions?.code;
      // Errors we did not anticipate are logged whole (with their request by the plugin above,
      // here when they happened outside it) and shown to clients without details.
      if (!code || code === 'INTERNAL_SERVER_ERROR') {
        if (!(original && typeof original === 'object' && logged.has(original))) logger.error({ err: original }, 'unexpected error');
        if (!development) {
          return { message: 'Internal server error.', path: formatted.path, extensions: { code: 'INTERNAL_SERVER_ERROR' } };
        }
      }
      return formatted;
    },
  });
  await apollo.start();

  /** Responses not yet sent: told to close their connection when the server is stopping. */
  const pending = new Set<http.ServerResponse>();
  let stopping = false;
  const logRequest = createRequestLogger(logger);
  const cors = createCors({ origins: config.CORS_ORIGINS, credentials: config.CORS_CREDENTIALS, maxAgeSeconds: config.CORS_MAX_AGE_SECONDS });
  const explorer = config.EXPLORER ? createExplorer('/graphql') : null;

  const handle = async (req: http.IncomingMessage, res: http.ServerResponse, facts: RequestFacts) => {
    pending.add(res);
    res.once('close', () => pending.delete(res));
    if (stopping) res.setHeader('connection', 'close');
    const url = new URL(req.url ?? '/', 'http://localhost');
    const send = (status: number, body: string, type = 'application/json') => {
      res.writeHead(status, { 'content-type': type });
      res.end(body);
    };
    if (cors(req, res) === 'handled') return;
    // An OPTIONS that is no CORS preflight (those were answered above) asks what is allowed.
    if (req.method === 'OPTIONS' && url.pathname === '/graphql') {
      res.writeHead(204, { allow: 'GET, POST, OPTIONS' });
      return res.end();
    }
    if (url.pathname === '/health') return send(200, JSON.stringify({ ok: true }));
    if (url.pathname === '/ready') {
      const report = await readiness.check();
      return send(report.ready ? 200 : 503, JSON.stringify(report));
    }
    if (explorer?.handle(req, res, url.pathname)) return;
    const route = findRoute(runtime.routes, url.pathname);
    if (url.pathname !== '/graphql' && !route) return send(404, JSON.stringify({ error: 'Not found. GraphQL is at /graphql.' }));
    // Until migrated and seeded, and once shutting down, this instance takes no work: a load
    // balancer sends it elsewhere (and /ready says so), a client retries after Retry-After.
    if (!readiness.serving) {
      res.setHeader('retry-after', String(RETRY_AFTER_SECONDS));
      const message = readiness.phase === 'stopping' ? 'The API is shutting down.' : 'The API is starting.';
      return send(503, JSON.stringify({ errors: [{ message, extensions: { code: 'SERVICE_UNAVAILABLE' } }] }));
    }
    if (route) {
      try {
        if (!route.methods.includes(req.method ?? 'GET')) return send(405, JSON.stringify({ error: `Use ${route.methods.join(' or ')}.` }));
        const bytes = await readBytes(req);
        const answer = await route.handle(runtime, req, bytes.toString('utf8'), url, bytes);
        if (answer.bytes) {
          res.writeHead(answer.status, { ...answer.headers });
          return res.end(answer.bytes);
        }
        for (const [key, value] of Object.entries(answer.headers ?? {})) res.setHeader(key, value);
        return send(answer.status, JSON.stringify(answer.body));
      } catch (err) {
        if (err instanceof HttpError) return send(err.status, JSON.stringify({ error: err.message }));
        // A provider redelivers a webhook answered 503: nothing is lost while the database is away.
        if (isConnectionError(err)) {
          res.setHeader('retry-after', String(RETRY_AFTER_SECONDS));
          return send(503, JSON.stringify({ error: DATABASE_UNAVAILABLE.message }));
        }
        facts.log.error({ err, path: url.pathname }, 'route failed');
        return send(500, JSON.stringify({ error: 'Internal server error.' }));
      }
    }
    try {
      const raw = req.method === 'POST' ? await readBody(req) : '';
      const headers = new HeaderMap();
      for (const [key, value] of Object.entries(req.headers)) {
        if (value !== undefined) headers.set(key, Array.isArray(value) ? value.join(', ') : value);
      }
      let body: unknown = undefined;
      if (raw) {
        try {
          body = JSON.parse(raw);
        } catch {
          throw new HttpError(400, 'The request body is not valid JSON.');
        }
      }
      const response = await apollo.executeHTTPGraphQLRequest({
        httpGraphQLRequest: { method: req.method ?? 'GET', headers, search: url.search, body },
        context: () => createContext(runtime, req, facts),
      });
      for (const [key, value] of response.headers) res.setHeader(key, value);
      res.statusCode = response.status ?? 200;
      if (response.body.kind === 'complete') {
        res.end(response.body.string);
      } else {
        for await (const chunk of response.body.asyncIterator) res.write(chunk);
        res.end();
      }
    } catch (err) {
      if (err instanceof HttpError) {
        return send(err.status, JSON.stringify({ errors: [{ message: err.message, extensions: { code: err.code } }] }));
      }
      if (isConnectionError(err)) {
        facts.log.warn({ err }, 'database unavailable');
        res.setHeader('retry-after', String(RETRY_AFTER_SECONDS));
        return send(503, JSON.stringify({ errors: [DATABASE_UNAVAILABLE] }));
      }
      facts.log.error({ err }, 'request failed');
      return send(500, JSON.stringify({ errors: [{ message: 'Internal server error.', extensions: { code: 'INTERNAL_SERVER_ERROR' } }] }));
    }
  };

  const server = http.createServer((req, res) => {
    const facts = logRequest(req, res);
    factsOfScope.set(facts.sql, facts);
    // Every statement the request sends, however it is sent, is counted in its scope.
    void sqlScope.run(facts.sql, () => runWithActor(null, () => handle(req, res, facts))).catch((err: unknown) => {
      facts.log.error({ err }, 'request failed');
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' });
      res.end();
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, opts.host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const shownHost = opts.host === '0.0.0.0' || opts.host === '::' ? 'localhost' : opts.host;
  let closing: Promise<void> | undefined;
  return {
    url: `http://${shownHost}:${port}/graphql`,
    port,
    apollo,
    // Graceful: stop accepting, let requests in progress finish (a mutation half-way through
    // its transaction gets its answer), and cut what is still open after the grace period.
    close: () =>
      (closing ??= (async () => {
        stopping = true;
        readiness.set('stopping');
        // A keep-alive client would otherwise hold its connection open after its answer.
        for (const res of pending) if (!res.headersSent) res.setHeader('connection', 'close');
        await new Promise<void>((resolve) => {
          const force = setTimeout(() => server.closeAllConnections(), SHUTDOWN_GRACE_MS);
          server.close(() => {
            clearTimeout(force);
            resolve();
          });
          server.closeIdleConnections();
        });
        await apollo.stop();
      })()),
  };
}

async function createContext(runtime: Runtime, req: http.IncomingMessage, facts: RequestFacts): Promise<Context & BaseContext> {
  const ctx = new RequestContext(runtime, anonymous, facts.requestId, clientAddress(req, runtime.config.TRUST_PROXY));
  try {
    const viewer = await resolveViewer(runtime, () => ctx.em, bearerToken(req));
    ctx.viewer = viewer;
    facts.viewer = viewer.kind;
    // Flush-time writers (catalog events, the audit log) name this viewer as the actor.
    setScopeActor(actorOf(viewer));
    return ctx;
  } catch (err) {
    if (err instanceof AppError) {
      // Apollo answers 500 for a failed context unless the error names its HTTP status.
      throw new GraphQLError(err.message, { extensions: { code: err.code, http: { status: 401 } } });
    }
    if (isConnectionError(err)) {
      // The bearer token could not be checked: the whole request waits for the database.
      facts.log.warn({ err }, 'database unavailable while resolving the viewer');
      throw new GraphQLError(DATABASE_UNAVAILABLE.message, {
        extensions: { ...DATABASE_UNAVAILABLE.extensions, http: { status: 503, headers: new HeaderMap([['retry-after', String(RETRY_AFTER_SECONDS)]]) } },
      });
    }
    facts.log.error({ err }, 'unexpected error while resolving the viewer');
    if (err && typeof err === 'object') logged.add(err);
    throw err;
  }
}
