import { Cursor } from '@mikro-orm/core';
import type { EntityManager, EntityName } from '@mikro-orm/postgresql';
import type { SqlParams } from '../db/plain.js';
import { decodeCursorFor, pageSize, type ConnectionArgs, type Connection } from './connection.js';

/**
 * Keyset pagination written as SQL, for reads that build their own statement (plain rows,
 * windowed or lateral batch loaders). Cursors are MikroORM's (`paginate` above): the order
 * keys' values, JSON, base64url, so a cursor from either path reads the same list.
 */

/** One key of a list's order: the SQL expression, the row property holding its value, and the direction. */
export interface OrderKey {
  sql: string;
  prop: string;
  desc: boolean;
}

/** The keys of an order, with `id` appended (ascending) so the order is total, as `paginate` does. */
export function orderKeys(keys: OrderKey[], idSql: string): OrderKey[] {
  return [...keys, { sql: idSql, prop: 'id', desc: false }];
}

export const orderBySql = (keys: OrderKey[]) => keys.map((k) => `${k.sql} ${k.desc ? 'desc' : 'asc'}`).join(', ');

/**
 * The page size and the decoded `after` cursor: one value per key, each of its property's type
 * on `entity` (decodeCursorFor), or BAD_USER_INPUT — a hand-made cursor never reaches the SQL.
 */
export function keysetArgs<T extends object>(args: ConnectionArgs, keys: OrderKey[], em: EntityManager, entity: EntityName<T>): { first: number; after: unknown[] | null } {
  const first = pageSize(args.first);
  if (!args.after) return { first, after: null };
  return { first, after: decodeCursorFor(em, entity, args.after, keys.map((k) => k.prop)) };
}

/**
 * "After this row" in the order of `keys`: the same condition MikroORM's cursor builds
 * (k1 ≤/≥ v1 and (k1 </> v1 or (k1 = v1 and …))), so both paths page alike.
 */
export function afterSql(keys: OrderKey[], values: unknown[], sql: SqlParams): string {
  const [key, ...rest] = keys;
  const value = values[0];
  const op = key!.desc ? '<' : '>';
  if (!rest.length) return `${key!.sql} ${op} ${sql.p(value)}`;
  return `(${key!.sql} ${op}= ${sql.p(value)} and (${key!.sql} ${op} ${sql.p(value)} or ${afterSql(rest, values.slice(1), sql)}))`;
}

/** A page from rows fetched with `first + 1` (the extra one only says there is a next page). */
export function connectionFromRows<T extends object>(rows: T[], first: number, keys: OrderKey[], hadCursor: boolean, totalCount: () => Promise<number>): Connection<T> {
  const items = rows.slice(0, first);
  const cursorOf = (row: T) => Cursor.encode(keys.map((k) => (row as Record<string, unknown>)[k.prop]));
  // An edge's cursor is encoded when read: a storefront page asks for the last one only (pageInfo).
  const edges = items.map((node) => ({
    node,
    get cursor() {
      return cursorOf(node);
    },
  }));
  return {
    edges,
    // Read by GraphQL only when the client selects totalCount: counting is often the dearest part.
    get totalCount() {
      return totalCount();
    },
    pageInfo: {
      hasNextPage: rows.length > first,
      hasPreviousPage: hadCursor,
      startCursor: items.length ? cursorOf(items[0]!) : null,
      endCursor: items.length ? cursorOf(items.at(-1)!) : null,
    },
  };
}
