import { Entity, PrimaryKey, Property } from '@mikro-orm/core';

/**
 * rate-limiter-flexible's PostgreSQL store (its own table layout): one row per throttled key
 * (an account or a client address, hashed), shared by every instance of the API.
 */
@Entity({ tableName: 'rate_limit' })
export class RateLimitBucket {
  @PrimaryKey({ type: 'string', length: 255 })
  key!: string;

  @Property({ type: 'integer', default: 0 })
  points: number = 0;

  /** Epoch milliseconds when the window (or block) ends. */
  @Property({ type: 'bigint', nullable: true })
  expire?: string | null;
}
