import { Entity, Enum, Index, Property, Unique, type Opt } from '@mikro-orm/core';
import { BaseEntity } from '../../shared/db/base.entity.js';
import { CentsType } from '../../shared/money/index.js';

export enum ProviderCallKind {
  AUTHORIZE_CARD = 'AUTHORIZE_CARD',
  CREATE_PIX = 'CREATE_PIX',
  REFUND = 'REFUND',
}

export enum ProviderCallStatus {
  /** Sent, no answer recorded (a time-out, or the process stopped): look it up before acting again. */
  STARTED = 'STARTED',
  /** The provider did it; `result` holds its answer, which a repeat of the key gets without a call. */
  DONE = 'DONE',
  /** The provider said no (declined, rejected): nothing to undo. */
  REFUSED = 'REFUSED',
  /** Looked up after an unknown outcome: the provider has no such operation. */
  ABSENT = 'ABSENT',
  /** An authorization of an attempt that did not complete, given back (voided) — once. */
  VOIDED = 'VOIDED',
  /** A Pix charge of an attempt that did not complete: never shown to the buyer, it lapses at its expiry. */
  LAPSED = 'LAPSED',
}

/**
 * The journal of money-moving provider calls (provider-calls.ts): one row per provider
 * idempotency key, written before the request goes out and completed with the answer, so what
 * a provider may have done is known in PostgreSQL whatever happens to the process — and to
 * every instance. It is the "look before posting again" memory of adapters without
 * idempotency keys (Cielo), the store of their first answers, and what the recovery of an
 * abandoned idempotency claim voids.
 */
@Entity({ tableName: 'provider_call' })
@Unique({ name: 'provider_call_key_unique', properties: ['provider', 'kind', 'providerKey'] })
@Index({ name: 'provider_call_claim', properties: ['claimId'] })
@Index({ name: 'provider_call_payment', properties: ['provider', 'providerRef'] })
export class ProviderCall extends BaseEntity {
  @Property({ type: 'string', length: 20 })
  provider!: string;

  @Enum({ items: () => ProviderCallKind })
  kind!: ProviderCallKind;

  /** The idempotency key sent to the provider. */
  @Property({ type: 'string', length: 200 })
  providerKey!: string;

  /** Our reference for it (cart number and part), as the provider's back office shows it. */
  @Property({ type: 'string', length: 100 })
  reference!: string;

  @Property({ type: new CentsType() })
  amountCents!: number;

  @Property({ type: 'string', length: 3 })
  currency!: string;

  /** The idempotency claim (shared/idempotency) of the operation that made the call, and its attempt. */
  @Property({ type: 'uuid', nullable: true })
  claimId?: string | null;

  @Property({ type: 'integer', nullable: true })
  attempt?: number | null;

  /** The provider's id of the payment (for refunds: of the refunded payment). */
  @Property({ type: 'string', length: 100, nullable: true })
  providerRef?: string | null;

  @Enum({ items: () => ProviderCallStatus })
  status!: ProviderCallStatus;

  /** The provider's answer (JSON), for repeats of the key. */
  @Property({ type: 'json', nullable: true })
  result?: unknown;

  /** What the adapter noted before sending (CallMemory.note). */
  @Property({ type: 'json', nullable: true })
  notes?: Record<string, unknown> | null;

  @Property({ type: 'text', nullable: true })
  lastError?: string | null;

  /** How many times the request was sent under this key. */
  @Property({ type: 'integer', default: 0 })
  sends: Opt<number> = 0;
}
