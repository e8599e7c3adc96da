import { Entity, ManyToOne, Property, Unique, type Ref, type Opt } from '@mikro-orm/core';
import { BaseEntity } from '../../shared/db/base.entity.js';
import { Seller } from '../sellers/index.js';

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

  /**
   * The token's handle (`mki_` and 8 random characters before its secret), so operators can tell
   * tokens apart; no part of the secret. Tokens issued before handles existed show `mki_` only.
   */
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

/**
 * "Catalog managed by integration" (design.md): while a seller has a row here, portal edits of
 * its products and stock are refused naming the integration, so the ERP stays the single
 * source of truth. One row per seller; it goes with the integration if that is deleted.
 */
@Entity({ tableName: 'seller_catalog_integration' })
export class CatalogIntegration extends BaseEntity {
  @ManyToOne({ entity: () => Seller, ref: true, deleteRule: 'cascade' })
  @Unique({ name: 'seller_catalog_integration_seller_unique' })
  seller!: Ref<Seller>;

  @ManyToOne({ entity: () => Integration, ref: true, index: true, deleteRule: 'cascade' })
  integration!: Ref<Integration>;
}
