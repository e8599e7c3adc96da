import { Entity, ManyToOne, Property, Unique, type Ref, type Opt } from '@mikro-orm/core';
import { BaseEntity } from '../../shared/db/base.entity.js';
import { Seller } from '../sellers/sellers.entity.js';

/**
 * An ERP integration. Linked to a guest seller it acts only for that seller; linked to the
 * admin seller or to none it acts for the admin seller.
 */
@Entity({ tableName: 'integration' })
export class Integration extends BaseEntity {
  @Property({ type: 'string', length: 200 })
  name!: string;

  @ManyToOne({ entity: () => Seller, nullable: true, ref: true, index: true, deleteRule: 'restrict' })
  seller?: Ref<Seller> | null;

  @Property({ type: 'string', length: 64, hidden: true })
  @Unique({ name: 'integration_token_hash_unique' })
  tokenHash!: string;

  /** First characters of the token, so operators can tell tokens apart without the secret. */
  @Property({ type: 'string', length: 16 })
  tokenPrefix!: string;

  /** May create/change store attributes (categories, brands, colours, sizes, tags). */
  @Property({ type: 'boolean', default: true })
  canWriteAttributes: Opt<boolean> = true;

  @Property({ type: 'datetime', nullable: true })
  lastUsedAt?: Date | null;

  @Property({ type: 'datetime', nullable: true })
  revokedAt?: Date | null;
}
