import type { EntityManager, FilterQuery } from '@mikro-orm/postgresql';
import { raw } from '@mikro-orm/core';
import type { Context } from '../../shared/runtime/index.js';
import { may } from '../../shared/access/index.js';
import { Validation, notFound } from '../../shared/errors/index.js';
import { checkText } from '../../shared/validation/index.js';
import { isId } from '../../shared/db/ids.js';
import { paginate, type ConnectionArgs } from '../../shared/pagination/index.js';
import { HELP_ACCESS } from './help.access.js';
import { FaqArticle, FaqStatus } from './help.entity.js';

export interface FaqInput {
  topic?: string | null;
  title?: string | null;
  body?: string | null;
  status?: FaqStatus | null;
  position?: number | null;
}

function check(input: FaqInput, creating: boolean): void {
  const v = new Validation();
  checkText(v, input.topic, 'topic', 80, creating);
  checkText(v, input.title, 'title', 200, creating);
  checkText(v, input.body, 'body', 50_000, creating);
  if (input.position != null) v.check(Number.isInteger(input.position) && Math.abs(input.position) <= 100_000, 'The position is a whole number up to 100,000.', ['input', 'position']);
  v.throwIfAny();
}

function apply(a: FaqArticle, input: FaqInput): void {
  if (input.topic != null) a.topic = input.topic.trim();
  if (input.title != null) a.title = input.title.trim();
  if (input.body != null) a.body = input.body.trim();
  if (input.status != null) a.status = input.status;
  if (input.position != null) a.position = input.position;
}

export function createFaqArticle(_ctx: Context, em: EntityManager, input: FaqInput): FaqArticle {
  check(input, true);
  const a = em.create(FaqArticle, { topic: '', title: '', body: '', status: FaqStatus.DRAFT });
  apply(a, input);
  return a;
}

export async function updateFaqArticle(_ctx: Context, em: EntityManager, id: string, input: FaqInput): Promise<FaqArticle> {
  const a = isId(id) ? await em.findOne(FaqArticle, { id }) : null;
  if (!a) throw notFound('No help article has this id.', 'id');
  check(input, false);
  apply(a, input);
  return a;
}

/**
 * Articles by topic and text. Seller users see published ones only; operator writers see
 * drafts too when they ask. The text search is PostgreSQL's Portuguese full-text search over
 * title and body (accents and plurals folded), so "repasse" finds "repasses".
 */
export function searchFaq(ctx: Context, filter: { topic?: string | null; text?: string | null; status?: FaqStatus | null }, args: ConnectionArgs) {
  const writer = may(ctx.viewer, HELP_ACCESS.writeFaq);
  const where: FilterQuery<FaqArticle>[] = [];
  if (!writer) where.push({ status: FaqStatus.PUBLISHED });
  else if (filter.status) where.push({ status: filter.status });
  if (filter.topic) where.push({ topic: filter.topic.trim() });
  const text = filter.text?.trim();
  return paginate(
    ctx.em,
    FaqArticle,
    () => ({
      $and: [
        ...where,
        ...(text ? [{ [raw((alias) => `(to_tsvector('portuguese', ${alias}.title || ' ' || ${alias}.body) @@ plainto_tsquery('portuguese', ?))`, [text.slice(0, 200)])]: true } as FilterQuery<FaqArticle>] : []),
      ],
    }),
    args,
    { topic: 'asc', position: 'asc' } as never,
  );
}
