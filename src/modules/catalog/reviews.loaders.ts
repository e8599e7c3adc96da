import DataLoader from 'dataloader';
import { loader, type Context } from '../../shared/runtime/index.js';
import { ProductQuestion, ProductReview } from './reviews.entity.js';

export interface RatingSummary {
  /** Mean of the ratings rounded to one decimal; null while the product has no review. */
  average: number | null;
  count: number;
}

/** A position in a newest-first list: the row's creation time in microseconds, and its id. */
export interface NewestFirstCursor {
  micros: string;
  id: string;
}

export interface PageKey {
  productId: string;
  first: number;
  after: NewestFirstCursor | null;
}

export interface Page<E> {
  items: { node: E; cursor: NewestFirstCursor }[];
  hasNextPage: boolean;
}

const placeholders = (n: number) => Array.from({ length: n }, () => '?').join(',');

/** Count and average of every product asked for in this request, in one aggregate query. */
export const ratingByProductId = (ctx: Context) =>
  loader(ctx, 'reviews.rating', () =>
    new DataLoader<string, RatingSummary>(async (ids) => {
      const rows = await ctx.em.getConnection().execute<{ product_id: string; count: string; average: string | null }[]>(
        `select product_id, count(*) as count, round(avg(rating), 1) as average
           from product_review where product_id in (${placeholders(ids.length)}) group by product_id`,
        [...ids],
      );
      const byId = new Map(rows.map((r) => [r.product_id, { count: Number(r.count), average: r.average == null ? null : Number(r.average) }]));
      return ids.map((id) => byId.get(id) ?? { count: 0, average: null });
    }),
  );

export const questionCountByProductId = (ctx: Context) =>
  loader(ctx, 'reviews.questionCount', () =>
    new DataLoader<string, number>(async (ids) => {
      const rows = await ctx.em.getConnection().execute<{ product_id: string; count: string }[]>(
        `select product_id, count(*) as count from product_question where product_id in (${placeholders(ids.length)}) group by product_id`,
        [...ids],
      );
      const byId = new Map(rows.map((r) => [r.product_id, Number(r.count)]));
      return ids.map((id) => byId.get(id) ?? 0);
    }),
  );

/**
 * One page per product, newest first, for every product of the request in one query: a
 * lateral join reads at most `first + 1` rows per product through the (product, created_at,
 * id) index, so a product with thousands of reviews costs no more than one with ten.
 *
 * The cursor carries the creation time in microseconds, read by PostgreSQL, because a JS
 * Date holds milliseconds and rows written with the column default (`now()`) would then
 * compare wrongly against their own cursor.
 */
function newestFirstPages<E extends object>(ctx: Context, key: string, entity: new () => E, table: string) {
  return loader(ctx, key, () =>
    new DataLoader<PageKey, Page<E>, string>(
      async (keys) => {
        const values = keys.map(() => '(?::int, ?::uuid, ?::bigint, ?::uuid, ?::int)').join(', ');
        const params = keys.flatMap((k, i) => [i, k.productId, k.after?.micros ?? null, k.after?.id ?? null, k.first + 1]);
        const rows = await ctx.em.getConnection().execute<Record<string, unknown>[]>(
          `select k.idx as page_idx, floor(extract(epoch from r.created_at) * 1000000)::bigint::text as page_micros, r.*
             from (values ${values}) as k(idx, product_id, after_micros, after_id, lim)
             cross join lateral (
               select * from ${table} r
                where r.product_id = k.product_id
                  and (k.after_id is null
                       or (r.created_at, r.id) < (timestamptz 'epoch' + k.after_micros * interval '1 microsecond', k.after_id))
                order by r.created_at desc, r.id desc
                limit k.lim
             ) r
            order by k.idx, r.created_at desc, r.id desc`,
          params,
        );
        const pages = keys.map((): { node: E; cursor: NewestFirstCursor }[] => []);
        for (const { page_idx, page_micros, ...row } of rows) {
          const node = ctx.em.map(entity, row);
          pages[Number(page_idx)]!.push({ node, cursor: { micros: String(page_micros), id: String(row.id) } });
        }
        return pages.map((items, i) => ({ items: items.slice(0, keys[i]!.first), hasNextPage: items.length > keys[i]!.first }));
      },
      { cacheKeyFn: (k) => `${k.productId}|${k.first}|${k.after ? `${k.after.micros}:${k.after.id}` : ''}` },
    ),
  );
}

export const reviewPages = (ctx: Context) => newestFirstPages(ctx, 'reviews.pages', ProductReview, 'product_review');
export const questionPages = (ctx: Context) => newestFirstPages(ctx, 'reviews.questionPages', ProductQuestion, 'product_question');

/**
 * Public author names by user id. Only `name` is read, and the loader hands out strings, so
 * no e-mail or other account field is ever in reach of a review or question resolver.
 */
export const userNameById = (ctx: Context) =>
  loader(ctx, 'reviews.userName', () =>
    new DataLoader<string, string | null>(async (ids) => {
      const rows = await ctx.em.getConnection().execute<{ id: string; name: string }[]>(
        `select id, name from app_user where id in (${placeholders(ids.length)})`,
        [...ids],
      );
      const byId = new Map(rows.map((r) => [r.id, r.name]));
      return ids.map((id) => byId.get(id) ?? null);
    }),
  );
