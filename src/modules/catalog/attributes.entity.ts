import { Entity, Index, ManyToOne, Property, Unique, type Opt, type Ref } from '@mikro-orm/core';
import { BaseEntity } from '../../shared/db/base.entity.js';

/**
 * Store attributes ("estrutura mercadológica", brands, colours, sizes, tags) belong to the
 * store: operator staff and attribute-permitted integrations write them, every seller uses them.
 */
@Entity({ tableName: 'category' })
export class Category extends BaseEntity {
  @Property({ type: 'string', length: 120 })
  name!: string;

  @Property({ type: 'string', length: 140 })
  @Unique({ name: 'category_slug_unique' })
  slug!: string;

  @ManyToOne({ entity: () => Category, nullable: true, ref: true, index: true, deleteRule: 'restrict' })
  parent?: Ref<Category> | null;

  /**
   * Ids from the root down to this node, "/<root>/…/<id>/": "this category and its
   * descendants" is one indexed prefix match instead of a recursive query per listing.
   */
  @Property({ type: 'text' })
  @Index({ name: 'category_path_prefix', expression: 'create index "category_path_prefix" on "category" ("path" text_pattern_ops)' })
  path!: string;

  @Property({ type: 'integer', default: 0 })
  position: Opt<number> = 0;
}

@Entity({ tableName: 'brand' })
export class Brand extends BaseEntity {
  @Property({ type: 'string', length: 120 })
  @Unique({ name: 'brand_name_unique' })
  name!: string;
}

@Entity({ tableName: 'color' })
export class Color extends BaseEntity {
  @Property({ type: 'string', length: 60 })
  @Unique({ name: 'color_name_unique' })
  name!: string;

  /** "#RRGGBB" swatch, optional. */
  @Property({ type: 'string', length: 7, nullable: true })
  hex?: string | null;
}

@Entity({ tableName: 'size' })
export class Size extends BaseEntity {
  @Property({ type: 'string', length: 30 })
  @Unique({ name: 'size_name_unique' })
  name!: string;

  @Property({ type: 'integer', default: 0 })
  position: Opt<number> = 0;
}

@Entity({ tableName: 'tag' })
export class Tag extends BaseEntity {
  @Property({ type: 'string', length: 60 })
  @Unique({ name: 'tag_name_unique' })
  name!: string;
}
