import { createHash } from 'node:crypto';
import type { MikroORM } from '@mikro-orm/postgresql';
import { RateLimiterMemory, RateLimiterPostgres, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import type { Redis } from 'ioredis';
import { AppError, ErrorCode } from '../errors/index.js';
import { sidePoolKnex } from '../db/side-pool.js';

/**
 * Throttling with rate-limiter-flexible (issue 12, item 2). Limits that must hold across
 * instances (login, sign-up, password reset) live in PostgreSQL by default — the `rate_limit`
 * table, reached through the side pool (shared/db/side-pool.ts) — or in Redis when
 * RATE_LIMIT_REDIS_URL is set.
 */
export interface LimitSpec {
  /** Key prefix, e.g. "login-account". */
  name: string;
  points: number;
  durationSeconds: number;
  /** Once spent, refuse for this long (default: the rest of the window). */
  blockSeconds?: number;
}

export type LimiterStore = { kind: 'postgres'; orm: () => MikroORM } | { kind: 'redis'; client: Redis } | { kind: 'memory' };

export function createLimiter(store: LimiterStore, spec: LimitSpec): RateLimiterAbstract {
  const common = { keyPrefix: spec.name, points: spec.points, duration: spec.durationSeconds, blockDuration: spec.blockSeconds ?? 0 };
  if (store.kind === 'redis') return new RateLimiterRedis({ ...common, storeClient: store.client });
  if (store.kind === 'memory') return new RateLimiterMemory(common);
  return new RateLimiterPostgres({
    ...common,
    // The throttled mutation holds a main-pool connection in its transaction while it asks: through
    // the main pool, DB_POOL_MAX concurrent logins each waited for a second connection and the
    // whole API stalled until the acquire timeout. The side pool always has one for them.
    storeClient: sidePoolKnex(store.orm()) ?? store.orm().em.getConnection().getKnex(),
    storeType: 'knex',
    tableName: 'rate_limit',
    // Created by a migration, in the app's schema (the pool's search path).
    tableCreated: true,
    clearExpiredByTimeout: false,
  });
}

/** Keys never hold an e-mail or an address in the clear, and always fit the store's 255 characters. */
export const limitKey = (...parts: string[]) => createHash('sha256').update(parts.join('\u0000')).digest('base64url');

export class RateLimitedError extends AppError {
  constructor(message: string, retryAfterSeconds: number) {
    super(ErrorCode.RATE_LIMITED, message);
    this.retryAfterSeconds = retryAfterSeconds;
  }
}

export const secondsUntil = (res: RateLimiterRes) => Math.max(1, Math.ceil(res.msBeforeNext / 1000));

/** Spends `points` of `key`; a spent budget is a RateLimitedError with the seconds until it refills. */
export async function spend(limiter: RateLimiterAbstract, key: string, message: string, points = 1): Promise<RateLimiterRes> {
  try {
    return await limiter.consume(key, points);
  } catch (err) {
    if (err instanceof RateLimiterRes) throw new RateLimitedError(message, secondsUntil(err));
    throw err;
  }
}

/** Refuses when `key` already spent its budget, without spending any. */
export async function assertNotSpent(limiter: RateLimiterAbstract, key: string, message: string): Promise<void> {
  const res = await limiter.get(key);
  if (res && (res.remainingPoints <= 0 || res.consumedPoints > limiter.points)) throw new RateLimitedError(message, secondsUntil(res));
}
