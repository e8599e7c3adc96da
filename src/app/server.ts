import { randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApolloServer, HeaderMap, type ApolloServerPlugin, type BaseContext } from '@apollo/server';
import { ApolloServerPluginLandingPageLocalDefault } from '@apollo/server/plugin/landingPage/default';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { unwrapResolverError } from '@apollo/server/errors';
import { ApolloArmor } from '@escape.tech/graphql-armor';
import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import { AppError } from '../shared/errors/index.js';
import { resolveViewer } from '../modules/auth/auth.service.js';
import type { Context, Runtime } from './context.js';
import { buildAppSchema } from './schema.js';

/** Largest request body accepted; files go through an upload endpoint, not GraphQL. */
export const MAX_BODY_BYTES = 4 * 1024 * 1024;

/** Query shape limits (graphql-armor). Introspection is exempt so the Sandbox works. */
export const LIMITS = {
  maxDepth: 12,
  maxAliases: 15,
  maxCost: 20_000,
  maxTokens: 5_000,
  maxDirectives: 50,
};

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

function readBody(req: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length'] ?? 0);
    if (declared > MAX_BODY_BYTES) {
      reject(new HttpError(413, `Request body over ${MAX_BODY_BYTES} bytes.`));
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        reject(new HttpError(413, `Request body over ${MAX_BODY_BYTES} bytes.`));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function bearerToken(req: http.IncomingMessage): string | undefined {
  const header = req.headers.authorization;
  if (!header) return undefined;
  const match = /^Bearer\s+(\S+)$/i.exec(header);
  return match?.[1];
}

export interface AppServer {
  url: string;
  port: number;
  apollo: ApolloServer<Context>;
  close(): Promise<void>;
}

/**
 * Apollo Server behind a plain node:http listener: we own the body limit, the bearer-token
 * parsing and the routes (/graphql, /health) without another web framework.
 */
export async function startServer(runtime: Runtime, opts: { host: string; port: number }): Promise<AppServer> {
  const { config, logger } = runtime;
  const development = config.NODE_ENV === 'development';
  const armor = new ApolloArmor({
    maxDepth: { n: LIMITS.maxDepth, ignoreIntrospection: true },
    maxAliases: { n: LIMITS.maxAliases },
    costLimit: { maxCost: LIMITS.maxCost, ignoreIntrospection: true },
    maxTokens: { n: LIMITS.maxTokens },
    maxDirectives: { n: LIMITS.maxDirectives },
    blockFieldSuggestion: { enabled: !development },
  });
  const protection = armor.protect();
  const apollo = new ApolloServer<Context>({
    schema: await buildAppSchema(),
    introspection: true,
    allowBatchedHttpRequests: false,
    includeStacktraceInErrorResponses: development,
    validationRules: protection.validationRules,
    // These plugins' typings come from Apollo's CommonJS build; they are the same objects.
    plugins: [
      ...protection.plugins,
      config.SANDBOX ? ApolloServerPluginLandingPageLocalDefault({ embed: true }) : ApolloServerPluginLandingPageDisabled(),
    ] as unknown as ApolloServerPlugin<Context>[],
    formatError: (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
      const original = unwrapResolverError(error);
      if (original instanceof AppError) {
        const gql = original.toGraphQLError();
        return { ...formatted, message: gql.message, extensions: { ...gql.extensions } };
      }
      const code = formatted.extensions?.code;
      // Errors we did not anticipate are logged whole and shown to clients without details.
      if (!code || code === 'INTERNAL_SERVER_ERROR') {
        logger.error({ err: original }, 'unexpected error');
        if (!development) {
          return { message: 'Internal server error.', path: formatted.path, extensions: { code: 'INTERNAL_SERVER_ERROR' } };
        }
      }
      return formatted;
    },
  });
  await apollo.start();

  const server = http.createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const send = (status: number, body: string, type = 'application/json') => {
      res.writeHead(status, { 'content-type': type });
      res.end(body);
    };
    if (url.pathname === '/health') return send(200, JSON.stringify({ ok: true }));
    if (url.pathname !== '/graphql') return send(404, JSON.stringify({ error: 'Not found. GraphQL is at /graphql.' }));
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
        context: () => createContext(runtime, req),
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
        return send(err.status, JSON.stringify({ errors: [{ message: err.message, extensions: { code: 'BAD_REQUEST' } }] }));
      }
      logger.error({ err }, 'request failed');
      return send(500, JSON.stringify({ errors: [{ message: 'Internal server error.', extensions: { code: 'INTERNAL_SERVER_ERROR' } }] }));
    }
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, opts.host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const shownHost = opts.host === '0.0.0.0' || opts.host === '::' ? 'localhost' : opts.host;
  return {
    url: `http://${shownHost}:${port}/graphql`,
    port,
    apollo,
    close: async () => {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await apollo.stop();
    },
  };
}

async function createContext(runtime: Runtime, req: http.IncomingMessage): Promise<Context & BaseContext> {
  const em = runtime.orm.em.fork() as Context['em'];
  try {
    const viewer = await resolveViewer(runtime, em, bearerToken(req));
    return { runtime, em, viewer, loaders: new Map(), requestId: randomUUID() };
  } catch (err) {
    if (err instanceof AppError) {
      // Apollo answers 500 for a failed context unless the error names its HTTP status.
      throw new GraphQLError(err.message, { extensions: { code: err.code, http: { status: 401 } } });
    }
    throw err;
  }
}
