import { Check, Entity, Enum, Index, ManyToOne, Property, Unique, type Ref } from '@mikro-orm/core';
import { BaseEntity } from '../../shared/db/base.entity.js';
import { User } from '../auth/index.js';
import { Product } from './catalog.entity.js';

/**
 * Reviews belong to the product, shared by every seller (not scoped per seller). One per
 * customer and product: the unique index backs the service check against a double submit.
 */
@Entity({ tableName: 'product_review' })
@Check({ name: 'product_review_rating_range', expression: '(rating >= 1) AND (rating <= 5)' })
@Unique({ name: 'product_review_one_per_author', properties: ['product', 'author'] })
@Index({ name: 'product_review_listing', properties: ['product', 'createdAt', 'id'] })
export class ProductReview extends BaseEntity {
  @ManyToOne({ entity: () => Product, ref: true, deleteRule: 'cascade' })
  product!: Ref<Product>;

  @ManyToOne({ entity: () => User, ref: true, deleteRule: 'cascade' })
  author!: Ref<User>;

  @Property({ type: 'integer' })
  rating!: number;

  @Property({ type: 'string', length: 200, nullable: true })
  title?: string | null;

  @Property({ type: 'text' })
  body!: string;
}

/** Which side of the store wrote an answer; the storefront shows this, never the user. */
export enum AnswerSide {
  /** The product's own (guest) seller. */
  SELLER = 'SELLER',
  /** Operator staff, including for the admin seller's own products. */
  STORE = 'STORE',
}

/** A shopper's question; answered by the owning seller's users or by operator staff. */
@Entity({ tableName: 'product_question' })
@Index({ name: 'product_question_listing', properties: ['product', 'createdAt', 'id'] })
export class ProductQuestion extends BaseEntity {
  @ManyToOne({ entity: () => Product, ref: true, deleteRule: 'cascade' })
  product!: Ref<Product>;

  @ManyToOne({ entity: () => User, ref: true, deleteRule: 'cascade' })
  author!: Ref<User>;

  @Property({ type: 'text' })
  question!: string;

  @Property({ type: 'text', nullable: true })
  answer?: string | null;

  /** The last user who wrote the answer, kept for staff audit; not shown on the storefront. */
  @ManyToOne({ entity: () => User, nullable: true, ref: true, deleteRule: 'set null' })
  answeredBy?: Ref<User> | null;

  /**
   * Stored rather than derived from `answeredBy`, which is nulled when that user is deleted:
   * the public label and who may edit the answer must survive that.
   */
  @Enum({ items: () => AnswerSide, nullable: true })
  answeredAs?: AnswerSide | null;

  @Property({ type: 'datetime', nullable: true })
  answeredAt?: Date | null;
}
