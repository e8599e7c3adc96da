import type { EntityManager } from '@mikro-orm/postgresql';
import type { EntityName, FilterQuery, FindOneOptions, Loaded } from '@mikro-orm/core';
import { notFound } from '../errors/index.js';

/**
 * Ids are UUIDs, and every id a client sends is read through this file.
 *
 * The rule: **a malformed id means the same as an id that exists nowhere.** What that is
 * depends on the kind of operation, never on how the id is malformed:
 * - a query returning one nullable object by id (`product(id:)`, `seller(id:)`) answers `null`;
 * - a query whose id argument filters or scopes its answer (`orders(sellerId:)`,
 *   `products(filter: {categoryId})`, `sellerBalance(sellerId:)`) answers a top-level
 *   `NOT_FOUND` error whose `field` names the argument (an empty list would hide a typo);
 * - a mutation answers a `NOT_FOUND` userError on the field's path (`["input", "sellerId"]`).
 * A malformed id is never BAD_USER_INPUT, and never reaches PostgreSQL (where the uuid cast
 * would fail as an internal error). Access comes first: a seller user naming another seller
 * is FORBIDDEN whether that id is well-formed or not.
 */
const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Whether `value` has the shape of an id. */
export function isId(value: unknown): value is string {
  return typeof value === 'string' && UUID_RE.test(value);
}

/** The id, or null when it is absent or malformed — which callers treat as "no such row". */
export function parseId(value: string | null | undefined): string | null {
  return isId(value) ? value : null;
}

/** The row with this id (and `where`, if given), or null when the id is malformed or matches nothing. */
export async function findById<T extends object, P extends string = never>(
  em: EntityManager,
  entity: EntityName<T>,
  id: string | null | undefined,
  opts: { where?: FilterQuery<T>; options?: FindOneOptions<T, P> } = {},
): Promise<Loaded<T, P> | null> {
  const valid = parseId(id);
  if (!valid) return null;
  const where = (opts.where ? { $and: [{ id: valid }, opts.where] } : { id: valid }) as FilterQuery<T>;
  return em.findOne(entity, where, opts.options);
}

/**
 * The row with this id, or NOT_FOUND on `field` (`message` defaults to "No <what> has this
 * id."). Thrown from a query it is the top-level error of a filtering argument; inside a
 * mutation (runMutation) it becomes a userError.
 */
export async function getById<T extends object, P extends string = never>(
  em: EntityManager,
  entity: EntityName<T>,
  id: string | null | undefined,
  field: readonly string[],
  what: string,
  options?: FindOneOptions<T, P>,
): Promise<Loaded<T, P>> {
  const row = await findById(em, entity, id, { options });
  if (!row) throw notFound(`No ${what} has this id.`, ...field);
  return row;
}

/**
 * For id arguments that filter or scope a query: resolves when a row has this id, else
 * NOT_FOUND on `field`. One primary-key probe (`select id … limit 1`, not a count: listings
 * count only when the client asks for totalCount), and no entity enters the identity map.
 */
export async function assertIdExists<T extends object>(em: EntityManager, entity: EntityName<T>, id: string, field: readonly string[], what: string): Promise<void> {
  const valid = parseId(id);
  const row = valid ? await em.createQueryBuilder(entity).select('id').where({ id: valid } as FilterQuery<T>).limit(1).execute('get') : null;
  if (!row) throw notFound(`No ${what} has this id.`, ...field);
}
