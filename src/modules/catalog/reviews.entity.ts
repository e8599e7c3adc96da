import { Check, Entity, ManyToOne, Property, type Ref } from '@mikro-orm/core';
import { BaseEntity } from '../../shared/db/base.entity.js';
import { User } from '../auth/auth.entity.js';
import { Product } from './catalog.entity.js';

/** Reviews belong to the product, shared by every seller (not scoped per seller). */
@Entity({ tableName: 'product_review' })
@Check({ name: 'product_review_rating_range', expression: '(rating >= 1) AND (rating <= 5)' })
export class ProductReview extends BaseEntity {
  @ManyToOne({ entity: () => Product, ref: true, index: true, deleteRule: 'cascade' })
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

/** A shopper's question; answered by the owning seller's users or by operator staff. */
@Entity({ tableName: 'product_question' })
export class ProductQuestion extends BaseEntity {
  @ManyToOne({ entity: () => Product, ref: true, index: true, deleteRule: 'cascade' })
  product!: Ref<Product>;

  @ManyToOne({ entity: () => User, ref: true, deleteRule: 'cascade' })
  author!: Ref<User>;

  @Property({ type: 'text' })
  question!: string;

  @Property({ type: 'text', nullable: true })
  answer?: string | null;

  @ManyToOne({ entity: () => User, nullable: true, ref: true, deleteRule: 'set null' })
  answeredBy?: Ref<User> | null;

  @Property({ type: 'datetime', nullable: true })
  answeredAt?: Date | null;
}
