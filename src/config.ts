import { readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { parseCorsOrigins, type CorsOrigins } from './app/cors.js';

const optionalString = z
  .string()
  .optional()
  .transform((v) => (v === undefined || v.trim() === '' ? undefined : v));

const bool = (name: string) =>
  z
    .enum(['true', 'false'], { message: `${name} must be true or false` })
    .optional()
    .transform((v) => (v === undefined ? undefined : v === 'true'));

const postgresUrl = z.string().refine((v) => {
  try {
    return ['postgres:', 'postgresql:'].includes(new URL(v).protocol);
  } catch {
    return false;
  }
}, 'must be a postgres:// or postgresql:// URL');

const SSL_MODES = ['disable', 'require', 'verify-full'] as const;
export type DbSslMode = (typeof SSL_MODES)[number];

const schema = z.object({
  /** Unset: `development` on the embedded database (a local trial), `production` with DATABASE_URL. */
  NODE_ENV: z.enum(['development', 'production', 'test']).optional(),
  /** GraphiQL on GET /graphql; unset: on in development only. */
  EXPLORER: bool('EXPLORER'),
  /** Introspection queries; unset: allowed exactly when the explorer is on. */
  INTROSPECTION: bool('INTROSPECTION'),
  HOST: z.string().default('localhost'),
  PORT: z.coerce.number().int().min(0).max(65535).default(4000),
  /** A real PostgreSQL server; when unset the app runs an embedded one under DATA_DIR. */
  DATABASE_URL: z.preprocess((v) => (typeof v === 'string' && v.trim() === '' ? undefined : v), postgresUrl.optional()),
  DATA_DIR: z.string().default('.data'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Base URL used in links sent by e-mail (password reset). */
  PUBLIC_URL: optionalString,
  /**
   * Signs the order links e-mailed to buyers (and whatever else must not be forged). At least 32
   * characters; the API refuses to start without it on DATABASE_URL in production (every
   * instance must share it). The
   * embedded database keeps a generated one in DATA_DIR/app-secret; elsewhere one is made per
   * process (links then die with it).
   */
  APP_SECRET: optionalString,
  /** The page e-mailed order links open, with `{token}` where the signed token goes (your storefront's order page, which calls orderByLink). */
  ORDER_LINK_URL: optionalString,
  /** How often committed domain events are handed to their consumers (the buyer's e-mails, receivables). */
  EVENTS_POLL_MS: z.coerce.number().int().min(50).default(2_000),
  /** How long an e-mailed order link opens its order. */
  ORDER_LINK_TTL_DAYS: z.coerce.number().int().min(1).max(365).default(90),
  SESSION_TTL_HOURS: z.coerce.number().positive().default(24 * 7),
  PASSWORD_RESET_TTL_MINUTES: z.coerce.number().positive().default(60),
  /** smtp(s)://user:pass@host:port — when unset, e-mails are written as .eml files to MAIL_DIR. */
  SMTP_URL: optionalString,
  MAIL_FROM: z.string().default('Marketplace <no-reply@marketplace.local>'),
  MAIL_DIR: optionalString,
  OUTBOX_POLL_MS: z.coerce.number().int().positive().default(1000),
  /** `demo`: the demo marketplace on an empty database; `none`: only the first operator. */
  SEED: z.enum(['demo', 'none'], { message: 'SEED must be demo or none' }).optional(),
  ADMIN_EMAIL: optionalString,
  ADMIN_PASSWORD: optionalString,
  /** Background jobs (outbox e-mails, payment expiry, fraud resume) in this instance. */
  JOBS: z.enum(['on', 'off'], { message: 'JOBS must be on or off' }).default('on'),
  /** Comma-separated browser origins allowed to call the API (exact, `*.` subdomains, `:*` ports, or `*`). */
  CORS_ORIGINS: z.string().optional(),
  CORS_CREDENTIALS: bool('CORS_CREDENTIALS'),
  CORS_MAX_AGE_SECONDS: z.coerce.number().int().min(0).max(86_400).default(600),
  /** Connections per pool (the primary's, and each replica's). */
  DB_POOL_MAX: z.coerce.number().int().min(2).max(500).default(10),
  /** Connections of the side pool: idempotency claims and the provider-call journal, written apart from a request's open transaction. */
  DB_SIDE_POOL_MAX: z.coerce.number().int().min(1).max(50).default(3),
  /** Longest a single SQL statement may run (lock waits included); 0 turns the limit off. Migrations are exempt. */
  DB_STATEMENT_TIMEOUT_MS: z.coerce.number().int().min(0).max(3_600_000).default(30_000),
  /** Longest a product search statement may run (the storefront's free-text search, open to anyone): answered QUERY_TIMEOUT after it. */
  SEARCH_TIMEOUT_MS: z.coerce.number().int().min(1).max(600_000).default(5_000),
  DB_SSL: z.enum(SSL_MODES, { message: `DB_SSL must be one of ${SSL_MODES.join(', ')}` }).optional(),
  /** PEM file of the certificate authority that signed the server's certificate (verify-full). */
  DB_SSL_CA: optionalString,
  /** Comma-separated read replicas of DATABASE_URL for storefront catalog reads. */
  DB_READ_REPLICA_URLS: optionalString,
  /** PostgreSQL application_name of this instance's connections (tells instances apart in pg_stat_activity). */
  /**
   * Which proxy header holds the client's address (throttling, logs): unset, the socket's peer;
   * `x-forwarded-for` (the address your proxy appended; `x-forwarded-for:2` behind two
   * proxies), or a header one trusted proxy sets whole, e.g. `x-real-ip`, `cf-connecting-ip`.
   */
  TRUST_PROXY: z
    .string()
    .regex(/^[a-z0-9-]+(:[1-9])?$/i, 'TRUST_PROXY: a header name, e.g. x-forwarded-for, x-forwarded-for:2 or x-real-ip')
    .optional(),
  /** Redis for the throttling counters (redis://…); unset: PostgreSQL for login/sign-up/reset, memory for the query budget. */
  RATE_LIMIT_REDIS_URL: optionalString,
  /** Failed logins, sign-ups or resets per account (e-mail) in AUTH_LIMIT_WINDOW_SECONDS before it is refused for that long. */
  AUTH_LIMIT_PER_ACCOUNT: z.coerce.number().int().min(1).max(1_000_000).default(10),
  /** Login, sign-up, verification and reset attempts per client address in AUTH_LIMIT_WINDOW_SECONDS. */
  AUTH_LIMIT_PER_CLIENT: z.coerce.number().int().min(1).max(1_000_000).default(30),
  AUTH_LIMIT_WINDOW_SECONDS: z.coerce.number().int().min(1).max(86_400).default(900),
  /** Query cost (fields × page sizes) one client address may spend per second; headers RateLimit-* tell what is left. */
  /**
   * What runs a GraphQL operation once Apollo has parsed and validated it: graphql-jit (each
   * operation compiled once, app/executor.ts) or graphql-js's interpreter, kept as the way
   * back should a compiled operation ever answer differently.
   */
  GRAPHQL_EXECUTOR: z.enum(['jit', 'graphql-js'], { message: 'GRAPHQL_EXECUTOR must be jit or graphql-js' }).default('jit'),
  QUERY_COST_PER_SECOND: z.coerce.number().int().min(1).max(1_000_000_000).default(20_000),
  /** The shortest an answer of login, sign-up and password reset takes, so timing tells nothing about which e-mails have accounts. */
  AUTH_MIN_RESPONSE_MS: z.coerce.number().int().min(0).max(10_000).default(400),
  DB_APPLICATION_NAME: z.string().regex(/^[A-Za-z0-9_.:-]{1,63}$/, 'DB_APPLICATION_NAME: 1 to 63 letters, digits or . _ : -').default('marketplace-api'),
});

type Parsed = z.infer<typeof schema>;

/** Every variable read here (the README's table lists each of them; a test checks it). */
export const CONFIG_VARIABLES = Object.keys(schema.shape);

export type Config = Omit<Parsed, 'NODE_ENV' | 'EXPLORER' | 'INTROSPECTION' | 'SEED' | 'CORS_ORIGINS' | 'CORS_CREDENTIALS' | 'DB_SSL' | 'DB_READ_REPLICA_URLS'> & {
  NODE_ENV: 'development' | 'production' | 'test';
  EXPLORER: boolean;
  INTROSPECTION: boolean;
  SEED: 'demo' | 'none';
  CORS_ORIGINS: CorsOrigins;
  CORS_CREDENTIALS: boolean;
  DB_SSL: DbSslMode;
  /** The CA file's contents, read once at start. */
  dbSslCa?: string;
  DB_READ_REPLICA_URLS: string[];
  mailDir: string;
  publicUrl: string;
  /** ORDER_LINK_URL, or PUBLIC_URL/order?token={token}. */
  orderLinkUrl: string;
};

class ConfigProblem extends Error {
  constructor(
    readonly variable: string,
    message: string,
  ) {
    super(message);
  }
}

/** libpq's sslmode in DATABASE_URL, mapped onto DB_SSL (MikroORM itself ignores URL parameters). */
function sslModeOfUrl(url: string | undefined): DbSslMode | undefined {
  if (!url) return undefined;
  const mode = new URL(url).searchParams.get('sslmode');
  if (mode === null) return undefined;
  if (mode === 'disable' || mode === 'require' || mode === 'verify-full') return mode;
  throw new ConfigProblem('DATABASE_URL', `sslmode=${mode} is not supported; use disable, require or verify-full (or set DB_SSL)`);
}

function derive(c: Parsed): Config {
  const NODE_ENV = c.NODE_ENV ?? (c.DATABASE_URL ? 'production' : 'development');
  const EXPLORER = c.EXPLORER ?? NODE_ENV === 'development';
  const CORS_CREDENTIALS = c.CORS_CREDENTIALS ?? false;
  let CORS_ORIGINS: CorsOrigins;
  try {
    CORS_ORIGINS = parseCorsOrigins(c.CORS_ORIGINS ?? (NODE_ENV === 'development' ? 'http://localhost:*,http://127.0.0.1:*,http://[::1]:*' : ''));
  } catch (err) {
    throw new ConfigProblem('CORS_ORIGINS', (err as Error).message);
  }
  if (CORS_ORIGINS.any && CORS_CREDENTIALS) {
    throw new ConfigProblem('CORS_CREDENTIALS', 'cannot be true while CORS_ORIGINS is "*": name the origins that may send credentials');
  }
  if (c.APP_SECRET && c.APP_SECRET.length < 32) throw new ConfigProblem('APP_SECRET', 'needs at least 32 characters (e.g. `openssl rand -base64 48`)');
  if (c.ORDER_LINK_URL && (!c.ORDER_LINK_URL.includes('{token}') || !/^https?:\/\//.test(c.ORDER_LINK_URL))) {
    throw new ConfigProblem('ORDER_LINK_URL', 'is an http(s) URL with {token} where the signed token goes, e.g. https://shop.example/pedido?token={token}');
  }
  const urlSsl = sslModeOfUrl(c.DATABASE_URL);
  const DB_SSL = c.DB_SSL ?? urlSsl ?? 'disable';
  let dbSslCa: string | undefined;
  if (c.DB_SSL_CA) {
    if (DB_SSL !== 'verify-full') throw new ConfigProblem('DB_SSL_CA', 'is only used with DB_SSL=verify-full');
    try {
      dbSslCa = readFileSync(c.DB_SSL_CA, 'utf8');
    } catch (err) {
      throw new ConfigProblem('DB_SSL_CA', `cannot be read: ${(err as Error).message}`);
    }
    if (!dbSslCa.includes('-----BEGIN CERTIFICATE-----')) throw new ConfigProblem('DB_SSL_CA', 'is not a PEM certificate file');
  }
  const replicas = (c.DB_READ_REPLICA_URLS ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  for (const url of replicas) {
    if (!postgresUrl.safeParse(url).success) throw new ConfigProblem('DB_READ_REPLICA_URLS', `${JSON.stringify(url)} must be a postgres:// or postgresql:// URL`);
  }
  if (replicas.length && !c.DATABASE_URL) {
    throw new ConfigProblem('DB_READ_REPLICA_URLS', 'needs DATABASE_URL: the embedded database has no replicas');
  }
  return {
    ...c,
    NODE_ENV,
    EXPLORER,
    INTROSPECTION: c.INTROSPECTION ?? EXPLORER,
    // A real database is somebody's store: demo sellers and orders only when asked for.
    SEED: c.SEED ?? (c.DATABASE_URL ? 'none' : 'demo'),
    CORS_ORIGINS,
    CORS_CREDENTIALS,
    DB_SSL,
    dbSslCa,
    DB_READ_REPLICA_URLS: replicas,
    mailDir: path.resolve(c.MAIL_DIR ?? path.join(c.DATA_DIR, 'mail')),
    publicUrl: c.PUBLIC_URL ?? `http://${c.HOST}:${c.PORT}`,
    orderLinkUrl: c.ORDER_LINK_URL ?? `${c.PUBLIC_URL ?? `http://${c.HOST}:${c.PORT}`}/order?token={token}`,
  };
}

/** Reads and validates the environment once; a bad variable stops start-up with its name. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`).join('\n');
    throw new Error(`Invalid configuration:\n${problems}`);
  }
  try {
    return derive(parsed.data);
  } catch (err) {
    if (err instanceof ConfigProblem) throw new Error(`Invalid configuration:\n  ${err.variable}: ${err.message}`);
    throw err;
  }
}
