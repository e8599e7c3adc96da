import { randomUUID } from 'node:crypto';
import { Entity, Enum, Index, PrimaryKey, Property, type Opt } from '@mikro-orm/core';

export enum OutboxStatus {
  PENDING = 'PENDING',
  SENT = 'SENT',
  /** Gave up after the maximum number of attempts. */
  DEAD = 'DEAD',
}

/**
 * A message to deliver after the transaction that created it commits. Writing it in the same
 * transaction as the business change means a message exists exactly when the change does.
 */
@Entity({ tableName: 'outbox_message' })
@Index({ name: 'outbox_message_due', properties: ['status', 'nextAttemptAt'] })
export class OutboxMessage {
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  /** e.g. "email". */
  @Property({ type: 'string', length: 40 })
  kind!: string;

  /** Why it was written, e.g. "auth.password_reset"; for operators reading the table. */
  @Property({ type: 'string', length: 80 })
  topic!: string;

  @Property({ type: 'json' })
  payload!: Record<string, unknown>;

  @Enum({ items: () => OutboxStatus, default: OutboxStatus.PENDING })
  status: Opt<OutboxStatus> = OutboxStatus.PENDING;

  @Property({ type: 'integer', default: 0 })
  attempts: Opt<number> = 0;

  @Property({ type: 'datetime', defaultRaw: 'now()' })
  nextAttemptAt: Opt<Date> = new Date();

  /** A worker that claimed the message holds it until then; after a crash it becomes due again. */
  @Property({ type: 'datetime', nullable: true })
  lockedUntil?: Date | null;

  @Property({ type: 'text', nullable: true })
  lastError?: string | null;

  @Property({ type: 'datetime', defaultRaw: 'now()' })
  createdAt: Opt<Date> = new Date();

  @Property({ type: 'datetime', nullable: true })
  sentAt?: Date | null;
}
