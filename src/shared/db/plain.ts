import { JsonType, ReferenceKind, type EntityMetadata, type EntityProperty, type Platform } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { ResilientConnection } from './resilience.js';

/**
 * Plain rows shaped like entities, for reads that run often (the storefront's listing and
 * product page): a row from `select t.*` (or `row_to_json(t.*)` of a joined table) becomes an
 * object with the entity's property names — scalars converted as MikroORM converts them,
 * many-to-one relations as `{ id }`, embeddables as nested objects — without the identity map,
 * change-set snapshots and reference wrappers that hydrating an entity costs (a CPU profile of
 * the listing spent a third of its time there). GraphQL types and shield rules read the same
 * property names, so they serve entities and plain rows alike. Never write a plain row back
 * through the EntityManager: writes load entities.
 */

/** An entity's scalar properties as they are, its many-to-one relations as `{ id }`. */
export type Plain<E> = {
  [K in keyof E]: E[K] extends { id: string } | null | undefined ? ({ id: string } | Extract<E[K], null | undefined>) : E[K];
};

type Column = { name: string; column: string; convert: (value: unknown) => unknown };
type Mapper = (row: Record<string, unknown> | unknown[], offset?: number) => Record<string, unknown>;

function converter(prop: EntityProperty, platform: Platform): (value: unknown) => unknown {
  if (prop.kind === ReferenceKind.MANY_TO_ONE || prop.kind === ReferenceKind.ONE_TO_ONE) {
    return (v) => (v == null ? null : { id: v });
  }
  const custom = prop.customType;
  if (custom instanceof JsonType) return (v) => (typeof v === 'string' ? JSON.parse(v) : v);
  if (custom) return (v) => (v == null ? v : custom.convertToJSValue(v, platform));
  // JSON gives dates as strings; a plain `select` gives them as Date already.
  if (prop.runtimeType === 'Date') return (v) => (typeof v === 'string' ? new Date(v) : v);
  return (v) => v;
}

/** An entity's properties a plain row can hold: scalars, owning relations, embeddables with their columns. */
interface Shape {
  scalars: Column[];
  embedded: { name: string; nullable: boolean; children: Column[] }[];
}

function shapeOf(meta: EntityMetadata, platform: Platform, wanted: ReadonlySet<string> | null): Shape {
  const shape: Shape = { scalars: [], embedded: [] };
  for (const prop of meta.props) {
    if (prop.persist === false || prop.embedded) continue;
    if (wanted && !wanted.has(prop.name)) continue;
    if (prop.kind === ReferenceKind.EMBEDDED) {
      const children = meta.props
        .filter((p) => p.embedded?.[0] === prop.name)
        .map((p) => ({ name: p.embedded![1], column: p.fieldNames[0]!, convert: converter(p, platform) }));
      shape.embedded.push({ name: prop.name, nullable: !!prop.nullable, children });
      continue;
    }
    if (![ReferenceKind.SCALAR, ReferenceKind.MANY_TO_ONE].includes(prop.kind) && !(prop.kind === ReferenceKind.ONE_TO_ONE && prop.owner)) continue;
    shape.scalars.push({ name: prop.name, column: prop.fieldNames[0]!, convert: converter(prop, platform) });
  }
  return shape;
}

const columnsOf = (shape: Shape) => [...shape.scalars, ...shape.embedded.flatMap((e) => e.children)];

/**
 * One object literal per row, in a function made once per entity and projection: every row
 * gets its whole shape in one allocation instead of growing an empty object property by
 * property (a listing maps a few hundred rows per request). The source is built from the
 * entity's metadata only — property and column names — never from data. `byIndex`: the row is
 * an array holding the shape's columns in order from `offset` on (see Projection.jsonArray),
 * else an object keyed by column name.
 */
function buildMapper(shape: Shape, byIndex: boolean): Mapper {
  const key = (name: string) => JSON.stringify(name);
  const columns = columnsOf(shape);
  const converters = columns.map((c) => c.convert);
  let at = 0;
  const value = (c: Column) => {
    const i = at++;
    return `c[${i}](row[${byIndex ? `o + ${i}` : key(c.column)}] ?? null)`;
  };
  const fields = shape.scalars.map((c) => `${key(c.name)}: ${value(c)}`);
  const prelude = shape.embedded.map((e, i) => `const e${i} = { ${e.children.map((c) => `${key(c.name)}: ${value(c)}`).join(', ')} };`);
  shape.embedded.forEach((e, i) => {
    // MikroORM leaves a nullable embeddable null when all its columns are.
    const empty = e.children.map((c) => `e${i}[${key(c.name)}] == null`).join(' && ') || 'true';
    fields.push(`${key(e.name)}: ${e.nullable ? `(${empty}) ? null : e${i}` : `e${i}`}`);
  });
  const make = new Function('c', `return function mapRow(row, o) { ${prelude.join(' ')} return { ${fields.join(', ')} }; };`) as (c: unknown[]) => Mapper;
  return make(converters);
}

/**
 * A chosen set of an entity's properties as a hot read reads them: the SQL that selects their
 * columns (as named columns, or as one json array per row, which carries no column names:
 * about half the bytes of `row_to_json` for PostgreSQL to write and Node to parse) and the
 * mapper back to a plain row. A plain row read this way holds only those properties; under
 * tests, reading another of the entity's properties from it throws, so a
 * resolver that needs a column its read did not select fails its tests instead of answering
 * `undefined`.
 */
export interface Projection<E> {
  /** The columns read, in order. */
  readonly columns: readonly string[];
  /** Whether every property is read (no projection). */
  readonly whole: boolean;
  /** `alias.col, …` for a select list, each under its own name. */
  select(alias: string): string;
  /** A json array of the columns of `alias`, in order; null when its id is (an outer join found no row). */
  jsonArray(alias: string): string;
  /** Maps a row selected by `select`. */
  fromRow(row: Record<string, unknown>): Plain<E>;
  /** Maps a json array from `jsonArray` (null for null). */
  fromArray(values: unknown[] | null | undefined): Plain<E> | null;
  /**
   * Maps the columns of `select(alias)` inlined in a longer json array, from `offset` on: several
   * rows joined one to one (a SKU with its colour and size) as one flat array rather than an
   * array of arrays, which Node would parse as one array each.
   */
  fromArrayAt(values: readonly unknown[], offset: number): Plain<E>;
}

const projections = new WeakMap<EntityMetadata, Map<string, Projection<object>>>();
// Under tests, a projected row refuses reads of what it did not select (see Projection).
const GUARDED = process.env.NODE_ENV === 'test';

/**
 * The projection of `entity` on `props` (its property names; unknown names are ignored), or on
 * all its properties when `props` is omitted. Cached per entity and set.
 */
export function projection<E extends object>(em: EntityManager, entity: new () => E, props?: Iterable<string>): Projection<E> {
  const meta = em.getMetadata().get(entity.name);
  const wanted = props ? new Set(props) : null;
  const key = wanted ? [...wanted].sort().join(',') : '*';
  let cache = projections.get(meta);
  if (!cache) projections.set(meta, (cache = new Map()));
  let found = cache.get(key);
  if (!found) {
    found = makeProjection(meta, em.getPlatform(), wanted);
    cache.set(key, found);
  }
  return found as Projection<E>;
}

function makeProjection(meta: EntityMetadata, platform: Platform, wanted: ReadonlySet<string> | null): Projection<object> {
  const shape = shapeOf(meta, platform, wanted);
  const names = (s: Shape) => [...s.scalars, ...s.embedded].map((c) => c.name);
  const read = new Set(names(shape));
  const missing = new Set(names(shapeOf(meta, platform, null)).filter((name) => !read.has(name)));
  const whole = missing.size === 0;
  const columns = columnsOf(shape).map((c) => c.column);
  const byName = buildMapper(shape, false);
  const byIndex = buildMapper(shape, true);
  const guard = GUARDED && !whole ? guardOf(meta.className, read, missing) : (row: Record<string, unknown>) => row;
  const fromArrayAt = (values: readonly unknown[], offset: number) => guard(byIndex(values as unknown[], offset)) as never;
  return {
    columns,
    whole,
    select: (alias) => columns.map((c) => `${alias}."${c}"`).join(', '),
    jsonArray: (alias) => `case when ${alias}."id" is not null then json_build_array(${columns.map((c) => `${alias}."${c}"`).join(', ')}) end`,
    fromRow: (row) => guard(byName(row)) as never,
    fromArray: (values) => (values == null ? null : fromArrayAt(values, 0)),
    fromArrayAt,
  };
}

/**
 * Under tests, every read of a property a projected row did not select, as its message: the
 * throw alone may be swallowed on its way (a shield rule that throws denies the field, which a
 * caller not allowed to read it could not tell from a refusal), this list is not.
 */
export const unselectedReads: string[] = [];

function guardOf(entity: string, read: ReadonlySet<string>, missing: ReadonlySet<string>) {
  return (row: Record<string, unknown>) =>
    new Proxy(row, {
      get(target, prop, receiver) {
        if (typeof prop === 'string' && missing.has(prop) && !(prop in target)) {
          const message = `${entity}.${prop} was not selected by this read (a projection of ${[...read].join(', ')}).`;
          unselectedReads.push(message);
          throw new Error(message);
        }
        return Reflect.get(target, prop, receiver);
      },
    });
}

/** Maps rows of `entity`'s table (snake_case columns, every one) to plain objects with its property names. */
export function plainRows<E extends object>(em: EntityManager, entity: new () => E): (row: Record<string, unknown> | null | undefined) => Plain<E> | null {
  const whole = projection(em, entity);
  return (row) => (row == null ? null : whole.fromRow(row));
}

/**
 * Numbered parameters for a hand-written statement: `sql.p(value)` adds a value and gives its
 * placeholder. MikroORM's `execute` takes `?` placeholders (knex); PostgreSQL's `$n` would be
 * read as literal text there, so `?` is what this gives, in order.
 */
export class SqlParams {
  readonly values: unknown[] = [];
  p(value: unknown): string {
    this.values.push(value);
    return '?';
  }
}

const loaded = new WeakMap<EntityMetadata, Projection<object>>();

/**
 * The projection on the properties a find loads of an entity (scalars, owning relations and
 * embeddables; not lazy ones): a hand-written statement reads related rows with it, one json
 * array each (`jsonArray`), as the viewer's session, user and seller on every signed-in request.
 */
export function loadedProjection<E extends object>(em: EntityManager, entity: new () => E): Projection<E> {
  const meta = em.getMetadata().get(entity.name);
  let found = loaded.get(meta);
  if (!found) loaded.set(meta, (found = projection(em, entity, meta.props.filter((p) => !p.lazy).map((p) => p.name))));
  return found as Projection<E>;
}

/**
 * A hot read (the storefront's pages, the viewer's session) as a prepared statement on the
 * connection MikroORM would pick for a read (a replica inside a request marked for it): see
 * ResilientConnection.prepared. `?` placeholders, as for `execute`.
 */
export function preparedRead<T = Record<string, unknown>>(em: EntityManager, text: string, values: readonly unknown[], type: 'read' | 'write' = 'read'): Promise<T[]> {
  const connection = em.getConnection(type);
  if (!(connection instanceof ResilientConnection)) return connection.execute<T[]>(text, [...values], 'all');
  const bound = listsExpanded(text, values);
  return connection.prepared<T>(bound.text, bound.values);
}

/**
 * A list value's `?` becomes one placeholder per item (`in (?)` with three ids: `in (?, ?, ?)`),
 * as MikroORM's `execute` spells a list out; PostgreSQL would read a bound JS array as one
 * array literal. An empty list matches nothing (`in (null)`).
 */
function listsExpanded(text: string, values: readonly unknown[]): { text: string; values: unknown[] } {
  if (!values.some(Array.isArray)) return { text, values: [...values] };
  const out: unknown[] = [];
  let at = 0;
  const expanded = text.replace(/\?/g, () => {
    const value = values[at++];
    if (!Array.isArray(value)) {
      out.push(value);
      return '?';
    }
    if (!value.length) return 'null';
    out.push(...value);
    return value.map(() => '?').join(', ');
  });
  return { text: expanded, values: out };
}
