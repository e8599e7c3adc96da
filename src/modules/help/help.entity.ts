import { Entity, Enum, Index, Property, type Opt } from '@mikro-orm/core';
import { BaseEntity } from '../../shared/db/base.entity.js';

export enum FaqStatus {
  /** Being written; only operator staff see it. */
  DRAFT = 'DRAFT',
  /** Readable by seller users. */
  PUBLISHED = 'PUBLISHED',
}

/** A help article for sellers, written by operator staff, grouped by topic. */
@Entity({ tableName: 'faq_article' })
@Index({ name: 'faq_article_topic', properties: ['status', 'topic', 'position'] })
@Index({
  name: 'faq_article_search',
  expression: `create index "faq_article_search" on "faq_article" using gin (to_tsvector('portuguese', "title" || ' ' || "body"))`,
})
export class FaqArticle extends BaseEntity {
  /** A short topic name sellers browse by ("Pedidos", "Repasses", …). */
  @Property({ type: 'string', length: 80 })
  topic!: string;

  @Property({ type: 'string', length: 200 })
  title!: string;

  /** The text (Markdown). */
  @Property({ type: 'text' })
  body!: string;

  @Enum({ items: () => FaqStatus })
  status!: FaqStatus;

  /** Order within the topic (ascending). */
  @Property({ type: 'integer', default: 0 })
  position: Opt<number> = 0;
}
