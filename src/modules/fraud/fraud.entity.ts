import { Entity, Enum, ManyToOne, Property, Unique, type Opt, type Ref } from '@mikro-orm/core';
import { BaseEntity } from '../../shared/db/base.entity.js';
import { User } from '../auth/index.js';
import type { FraudReason, FraudRequest } from './fraud.analyzer.js';

export enum FraudStatus {
  /** Written at checkout; the analyzer has not answered yet. */
  PENDING = 'PENDING',
  APPROVED = 'APPROVED',
  REJECTED = 'REJECTED',
  /** Waiting for operator staff (`decideFraudAnalysis`). */
  REVIEW = 'REVIEW',
}

/**
 * The one fraud analysis of a cart. Its verdict applies to every order split from the cart,
 * so it hangs off the cart (cartId / cartNumber), not off an order.
 */
@Entity({ tableName: 'fraud_analysis' })
export class FraudAnalysis extends BaseEntity {
  @Property({ type: 'uuid' })
  @Unique({ name: 'fraud_analysis_cart_unique' })
  cartId!: string;

  @Property({ type: 'string', length: 20 })
  @Unique({ name: 'fraud_analysis_cart_number_unique' })
  cartNumber!: string;

  @Enum({ items: () => FraudStatus })
  status!: FraudStatus;

  /** What the analyzer answered (REVIEW stays here after staff decide; `status` is the outcome). */
  @Enum({ items: () => FraudStatus, nullable: true })
  analyzerOutcome?: FraudStatus | null;

  @Property({ type: 'integer', nullable: true })
  score?: number | null;

  @Property({ type: 'json' })
  reasons: Opt<FraudReason[]> = [];

  @Property({ type: 'string', length: 40, nullable: true })
  provider?: string | null;

  @Property({ type: 'string', length: 120, nullable: true })
  providerRef?: string | null;

  /** Exactly what was sent (items with sellers and the marketplace flag); never card numbers. */
  @Property({ type: 'json' })
  request!: FraudRequest;

  @Property({ type: 'datetime', nullable: true })
  analyzedAt?: Date | null;

  @ManyToOne({ entity: () => User, ref: true, nullable: true, deleteRule: 'set null' })
  decidedBy?: Ref<User> | null;

  @Property({ type: 'datetime', nullable: true })
  decidedAt?: Date | null;

  @Property({ type: 'text', nullable: true })
  decisionNote?: string | null;
}
