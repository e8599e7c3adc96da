import type { ClassType } from 'type-graphql';
import { ArgsType, Field, Int, ObjectType } from 'type-graphql';
import { Cursor, DriverException } from '@mikro-orm/core';
import type { EntityManager, FilterQuery, EntityName, FindByCursorOptions } from '@mikro-orm/postgresql';
import { badInput } from '../errors/errors.js';
import { isId } from '../db/ids.js';

export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 100;

@ObjectType({ description: 'Relay page information.' })
export class PageInfo {
  @Field(() => Boolean, { description: 'True when more items follow this page.' })
  hasNextPage!: boolean;

  @Field(() => Boolean, { description: 'True when items come before this page. Pagination is forward only (`first`/`after`), so this is true on every page after the first.' })
  hasPreviousPage!: boolean;

  @Field(() => String, { nullable: true, description: 'Cursor of the first item on this page. Null when the page is empty.' })
  startCursor!: string | null;

  @Field(() => String, { nullable: true, description: 'Cursor of the last item on this page; pass it as `after` to read the next page. Null when the page is empty.' })
  endCursor!: string | null;
}

@ArgsType()
export class ConnectionArgs {
  @Field(() => Int, { nullable: true, description: `Page size, 1 to ${MAX_PAGE_SIZE} (default ${DEFAULT_PAGE_SIZE}).` })
  first?: number;

  @Field(() => String, { nullable: true, description: 'Cursor of the last item of the previous page.' })
  after?: string;
}

export interface Edge<T> {
  cursor: string;
  node: T;
}

export interface Connection<T> {
  edges: Edge<T>[];
  pageInfo: PageInfo;
  /**
   * A number, or a promise from a getter that GraphQL reads only when the client selects
   * `totalCount`: counting every matching row is often the most expensive part of a page.
   */
  readonly totalCount: number | Promise<number>;
}

/** Builds `<Name>Connection` and `<Name>Edge` GraphQL types for one node type. */
export function ConnectionType<T extends object>(name: string, node: ClassType<T>) {
  @ObjectType(`${name}Edge`, { description: `One ${name} of a page, with its cursor.` })
  class EdgeType {
    @Field(() => String, { description: 'Opaque cursor: pass it as `after` to read the items that follow.' })
    cursor!: string;

    @Field(() => node, { description: `The ${name} itself; the edge's \`cursor\` marks its place in the list.` })
    node!: T;
  }

  @ObjectType(`${name}Connection`, { description: `A page of ${name} items (Relay connection).` })
  class ConnectionClass {
    @Field(() => [EdgeType], { description: 'The items of this page, in the list\'s order.' })
    edges!: EdgeType[];

    @Field(() => PageInfo, { description: 'Where this page stands in the list.' })
    pageInfo!: PageInfo;

    @Field(() => Int, { description: 'Number of items matching the query, over all pages.' })
    totalCount!: number;
  }

  return ConnectionClass;
}

export function pageSize(first: number | undefined): number {
  if (first === undefined || first === null) return DEFAULT_PAGE_SIZE;
  if (!Number.isInteger(first) || first < 1 || first > MAX_PAGE_SIZE) {
    throw badInput(`first must be between 1 and ${MAX_PAGE_SIZE}.`, 'first');
  }
  return first;
}

/**
 * Keyset pagination over one entity, ordered by the given keys; `id` is always appended so
 * the order is total and cursors stay stable when keys repeat.
 */
export async function paginate<T extends object>(
  em: EntityManager,
  entity: EntityName<T>,
  /** A filter, or a function building one: filters holding raw() SQL fragments must be built per query. */
  where: FilterQuery<T> | (() => FilterQuery<T>),
  args: ConnectionArgs,
  orderBy: FindByCursorOptions<T, never>['orderBy'] = { createdAt: 'asc' } as never,
): Promise<Connection<T>> {
  const first = pageSize(args.first);
  const filter = (typeof where === 'function' ? where : () => where) as () => FilterQuery<T>;
  const keys = { ...(orderBy as object), id: 'asc' };
  if (args.after) assertCursor(em, entity, args.after, Object.keys(keys));
  let cursor: Cursor<T, never, '*', never, false>;
  try {
    cursor = await em.findByCursor(entity, filter(), {
      first,
      after: args.after ?? undefined,
      orderBy: keys as never,
      includeCount: false,
    });
  } catch (err) {
    // A well-formed cursor holding values of the wrong types fails in PostgreSQL with a data
    // exception (SQLSTATE class 22): still the client's cursor, not a server fault.
    if (args.after && err instanceof DriverException && String(err.code ?? '').startsWith('22')) {
      throw badInput('The cursor is not valid for this list.', 'after');
    }
    throw err;
  }
  return {
    edges: cursor.items.map((node) => ({ node, cursor: cursor.from(node) })),
    get totalCount() {
      return em.count(entity, filter());
    },
    pageInfo: {
      hasNextPage: cursor.hasNextPage ?? false,
      hasPreviousPage: cursor.hasPrevPage ?? false,
      startCursor: cursor.startCursor,
      endCursor: cursor.endCursor,
    },
  };
}

/**
 * A cursor from another list, or edited by hand, is the client's mistake, not a server error:
 * it must decode to one value per sort key, each of that key's type (null only where the
 * column may be null), before it reaches the query builder.
 */
function assertCursor<T extends object>(em: EntityManager, entity: EntityName<T>, after: string, keys: string[]): void {
  decodeCursorFor(em, entity, after, keys);
}

/** The values of `after`, one per sort key of `entity` and of that key's type; BAD_USER_INPUT otherwise. */
export function decodeCursorFor<T extends object>(em: EntityManager, entity: EntityName<T>, after: string, keys: readonly string[]): unknown[] {
  let decoded: unknown;
  try {
    decoded = Cursor.decode(after);
  } catch {
    decoded = null;
  }
  const props = em.getMetadata().find(entity)?.properties as Record<string, { runtimeType?: string; nullable?: boolean }> | undefined;
  const fits = (value: unknown, key: string) => {
    const prop = props?.[key];
    if (value === null) return prop?.nullable === true;
    // Ids are uuid columns: anything else would fail PostgreSQL's cast, not the client's request.
    if (key === 'id') return isId(value);
    switch (prop?.runtimeType) {
      case 'number':
        return typeof value === 'number' && Number.isFinite(value);
      case 'boolean':
        return typeof value === 'boolean';
      case 'Date':
        // Cursor.decode turns ISO timestamps back into dates.
        return value instanceof Date && !Number.isNaN(value.getTime());
      case 'string':
        // (A text that looks like a timestamp comes back as a date, as MikroORM wrote it.)
        return (typeof value === 'string' && value.length <= 500) || value instanceof Date;
      default:
        return (typeof value === 'string' && value.length <= 500) || (typeof value === 'number' && Number.isFinite(value));
    }
  };
  if (!Array.isArray(decoded) || decoded.length !== keys.length || !decoded.every((value, i) => fits(value, keys[i]!))) {
    throw badInput('The cursor is not valid for this list.', 'after');
  }
  return decoded;
}

/**
 * Pages over a list already in memory (small per-parent lists fetched by a DataLoader).
 * The cursor is the item's position, opaque to clients.
 */
export function connectionFromArray<T>(items: readonly T[], args: ConnectionArgs): Connection<T> {
  const first = pageSize(args.first);
  let start = 0;
  if (args.after) {
    const decoded = Buffer.from(args.after, 'base64url').toString('utf8');
    const match = /^pos:(\d+)$/.exec(decoded);
    if (!match) throw badInput('The cursor is not valid for this list.', 'after');
    start = Number(match[1]) + 1;
  }
  const slice = items.slice(start, start + first);
  const cursorAt = (position: number) => Buffer.from(`pos:${position}`).toString('base64url');
  // Encoded when read: a product's SKU list on a listing asks for no cursor at all.
  const edges = slice.map((node, i) => ({
    node,
    get cursor() {
      return cursorAt(start + i);
    },
  }));
  return {
    edges,
    totalCount: items.length,
    pageInfo: {
      hasNextPage: start + first < items.length,
      hasPreviousPage: start > 0,
      startCursor: slice.length ? cursorAt(start) : null,
      endCursor: slice.length ? cursorAt(start + slice.length - 1) : null,
    },
  };
}
