import DataLoader from 'dataloader';
import { loader, plainReadEm, type Context } from '../../shared/runtime/index.js';
import { plainRows, preparedRead, projection, SqlParams, type Plain } from '../../shared/db/plain.js';
import { readWithTimeout } from '../../shared/db/timeout.js';
import { afterSql, connectionFromRows, keysetArgs, orderBySql, orderKeys, type Connection, type ConnectionArgs, type OrderKey } from '../../shared/pagination/index.js';
import { MarketplaceSettings, Seller, primeSettings } from '../sellers/index.js';
import { Brand, Category, Color, Size, Tag } from './attributes.entity.js';
import { Product, Sku } from './catalog.entity.js';
import { onSaleSql } from './on-sale.js';
import { WHOLE, type ProductShape } from './products.shape.js';

/**
 * The catalog's read model for the requests a storefront sends most (listing, product page,
 * a seller page's products, nested under any list): hand-written statements returning plain
 * rows (shared/db/plain.ts), never hydrated entities. The page statement joins what every
 * listing shows — seller, category, brand, in-stock flag and the store settings — so those
 * cost no statement of their own; nested lists load for all their parents in one statement.
 * Of each row it reads the columns the query's fields read (products.shape.ts). Who may see
 * what is decided by the caller (products.read.ts); this file only turns that decision into SQL.
 */

type ProductColumns = Omit<Plain<Product>, 'tags' | 'skus'>;

/** What the page statement read along with the product, so its fields need no other query. */
export interface ProductPreloaded {
  seller: Plain<Seller>;
  category: Plain<Category> | null;
  brand: Plain<Brand> | null;
  inStock: boolean;
  /** Its tags, when the statement read them. */
  tags?: Plain<Tag>[];
  /** Its SKUs in display order, when the statement read them (the query selects them). */
  skus?: SkuRow[];
}

/** A product as a plain row, with what its page statement joined. */
export type ProductRow = ProductColumns & { preloaded?: ProductPreloaded };

/** What the Product type's resolvers accept: an entity (after a write) or a plain row (reads). */
export type ProductView = Product | ProductRow;
export const preloadedOf = (p: ProductView): ProductPreloaded | undefined => (p as ProductRow).preloaded;

/** A SKU as a plain row, with its colour and size joined. */
export type SkuRow = Omit<Plain<Sku>, never> & { preloaded?: { color: Plain<Color> | null; size: Plain<Size> | null } };
export type SkuView = Sku | SkuRow;

export interface ProductConditions {
  /** The storefront's rule (on sale), else everything the scope below lets through. */
  storefront: boolean;
  /** Only this seller's products (a scope or a filter). */
  sellerId?: string | null;
  brandId?: string | null;
  /** Category path prefix (the category and its descendants). */
  categoryPath?: string | null;
  tagIds?: string[] | null;
  search?: string | null;
  status?: string[] | null;
  inStock?: boolean | null;
  marketplaceOut?: boolean | null;
}

/** The WHERE of a product list over alias `p`; `sql` collects the values in textual order. */
function conditionsSql(c: ProductConditions, sql: SqlParams, perParent = false): string {
  const out: string[] = [];
  if (c.storefront) out.push(onSaleSql('p'));
  if (c.sellerId && !perParent) out.push(`p.seller_id = ${sql.p(c.sellerId)}`);
  if (c.status?.length && !c.storefront) out.push(`p.status in (${sql.p(c.status)})`);
  if (c.brandId) out.push(`p.brand_id = ${sql.p(c.brandId)}`);
  if (c.marketplaceOut != null) out.push(`p.marketplace_out = ${sql.p(c.marketplaceOut)}`);
  if (c.categoryPath != null) out.push(`p.category_id in (select cf.id from category cf where cf.path like ${sql.p(`${c.categoryPath}%`)})`);
  // One EXISTS per tag: products carrying every tag asked for.
  for (const tagId of c.tagIds ?? []) out.push(`exists (select 1 from product_tag pt where pt.product_id = p.id and pt.tag_id = ${sql.p(tagId)})`);
  if (c.inStock != null) out.push(`${c.inStock ? '' : 'not '}exists (select 1 from sku ks where ks.product_id = p.id and ks.active and ks.stock > 0)`);
  if (c.search?.trim()) {
    const term = `%${c.search.trim().replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`;
    out.push(`(p.name ilike ${sql.p(term)} or p.code ilike ${sql.p(term)} or p.seller_code ilike ${sql.p(term)})`);
  }
  return out.length ? out.join(' and ') : 'true';
}

export type ProductOrderKey = 'createdAt' | 'name' | 'minPriceCents' | 'code';
const ORDER_SQL: Record<ProductOrderKey, string> = { createdAt: 'p.created_at', name: 'p.name', minPriceCents: 'p.min_price_cents', code: 'p.code' };
export const productOrder = (key: ProductOrderKey, desc: boolean): OrderKey[] => orderKeys([{ sql: ORDER_SQL[key], prop: key, desc }], 'p.id');

/** The projections of a shape (products.shape.ts): which columns of each joined row a page reads. */
function projections(ctx: Context, shape: ProductShape) {
  const metadata = plainReadEm(ctx).getMetadata();
  let known = projected.get(metadata);
  if (!known) projected.set(metadata, (known = new WeakMap()));
  let found = known.get(shape);
  if (!found) known.set(shape, (found = projectionsOf(ctx, shape)));
  return found;
}
// Shapes are made once per query field (products.shape.ts), so their projections are too (per ORM).
const projected = new WeakMap<object, WeakMap<ProductShape, ReturnType<typeof projectionsOf>>>();

function projectionsOf(ctx: Context, shape: ProductShape) {
  const em = plainReadEm(ctx);
  return {
    product: projection(em, Product, shape.product ?? undefined),
    seller: projection(em, Seller, shape.seller ?? undefined),
    category: projection(em, Category, shape.category ?? undefined),
    brand: projection(em, Brand, shape.brand ?? undefined),
    sku: projection(em, Sku, shape.sku ?? undefined),
    color: projection(em, Color, shape.color ?? undefined),
    size: projection(em, Size, shape.size ?? undefined),
  };
}

// Per page row: the product's columns the query reads; whether it is in stock (an aggregate over
// its own SKUs, not `exists` in a select list, which PostgreSQL 15 may plan as a hashed subplan
// reading the whole SKU table; from the SKUs' own join when the page reads them); each joined
// row as a json array of the columns read (see shared/db/plain.ts projection); the settings
// once per page, which the rest of the page points at. The seller comes with every row: sending
// it once per seller took a window over the page sorted by seller, which cost PostgreSQL more
// than the repeated arrays cost Node.
function pageColumns(ctx: Context, extras: PageExtras, single: boolean): string {
  const x = projections(ctx, extras.shape ?? WHOLE);
  const settings = projection(plainReadEm(ctx), MarketplaceSettings).jsonArray('st');
  const inStock = extras.skus ? 'coalesce(ks.in_stock, false)' : 'coalesce((select bool_or(k.active and k.stock > 0) from sku k where k.product_id = p.id), false)';
  return `${x.product.select('p')}, ${inStock} as _in_stock,
  ${x.category.jsonArray('c')} as _category, ${x.brand.jsonArray('b')} as _brand, ${x.seller.jsonArray('s')} as _seller,
  ${single ? settings : `case when row_number() over () = 1 then ${settings} end`} as _settings`;
}
// Its tags, unless the caller knows they are not read (a few rows by product_tag's key: cheaper
// than a statement of their own when a page shows them, ~8 µs a row of PostgreSQL's time when it does not).
// Whole rows, as json arrays: no key names for PostgreSQL to write and Node to parse.
function tagsColumn(ctx: Context): string {
  return `(select json_agg(${projection(plainReadEm(ctx), Tag).jsonArray('t')} order by t.name, t.id) from product_tag pt join tag t on t.id = pt.tag_id where pt.product_id = p.id) as _tags`;
}
const PAGE_JOINS = `join seller s on s.id = p.seller_id
  left join category c on c.id = p.category_id
  left join brand b on b.id = p.brand_id
  join marketplace_settings st on st.id = 1`;

type Raw = Record<string, unknown>;

/**
 * What the caller's query will read of a page besides its rows, fetched by the page statement
 * itself instead of statements of their own: the list's total and each product's SKUs (with
 * colour and size). Both off unless the query selects them (see shared/pagination selects);
 * `shape`, the columns read of each row (all of them unless given).
 */
export interface PageExtras {
  count?: boolean;
  skus?: boolean;
  /** Read unless false: the caller knows the query selects no product's tags. */
  tags?: boolean;
  shape?: ProductShape;
}

function selectList(ctx: Context, extras: PageExtras, single = false): string {
  return `${pageColumns(ctx, extras, single)}${extras.tags === false ? '' : `, ${tagsColumn(ctx)}`}${extras.skus ? ', ks.skus as _skus' : ''}`;
}

/** What a page statement joins to its rows: seller, category, brand, settings, and the SKUs when read. */
function pageJoins(ctx: Context, extras: PageExtras): string {
  return extras.skus ? `${PAGE_JOINS}\n  ${skusJoin(ctx, extras.shape ?? WHOLE)}` : PAGE_JOINS;
}

// Each product's SKUs in display order (skuRowsByProductId's order), each one flat json array:
// the SKU's columns, then whether it has a colour and the colour's columns, then the same of its
// size (skuOf reads it back). One flat array per SKU rather than [sku, colour, size] arrays. The
// same pass over the SKUs tells whether the product is in stock.
function skusJoin(ctx: Context, shape: ProductShape): string {
  const x = projections(ctx, shape);
  const columns = [x.sku.select('k'), 'co.id is not null', x.color.select('co'), 'sz.id is not null', x.size.select('sz')].filter(Boolean);
  return `left join lateral (
    select bool_or(k.active and k.stock > 0) as in_stock, json_agg(json_build_array(${columns.join(', ')}) order by k.position, k.id) as skus
    from sku k left join color co on co.id = k.color_id left join size sz on sz.id = k.size_id where k.product_id = p.id) ks on true`;
}

function skuOf(x: ReturnType<typeof projections>, values: unknown[]): SkuRow {
  const hasColor = x.sku.columns.length;
  const hasSize = hasColor + 1 + x.color.columns.length;
  const sku = x.sku.fromArrayAt(values, 0) as SkuRow;
  sku.preloaded = {
    color: values[hasColor] ? x.color.fromArrayAt(values, hasColor + 1) : null,
    size: values[hasSize] ? x.size.fromArrayAt(values, hasSize + 1) : null,
  };
  return sku;
}

/** Maps page rows, and hands the settings they carry to the request's settings loader. */
function productRows(ctx: Context, rows: Raw[], shape: ProductShape = WHOLE): ProductRow[] {
  const x = projections(ctx, shape);
  const tag = projection(plainReadEm(ctx), Tag);
  const settings = rows.find((r) => r._settings)?._settings;
  if (settings) primeSettings(ctx, projection(plainReadEm(ctx), MarketplaceSettings).fromArray(settings as unknown[]) as MarketplaceSettings);
  const sellers = new Map<string, Plain<Seller>>();
  for (const r of rows) if (!sellers.has(r.seller_id as string)) sellers.set(r.seller_id as string, x.seller.fromArray(r._seller as unknown[])!);
  const withSkus = rows.length > 0 && '_skus' in rows[0]!;
  return rows.map((r) => {
    const row = x.product.fromRow(r) as ProductRow;
    row.preloaded = {
      seller: sellers.get(r.seller_id as string)!,
      category: x.category.fromArray(r._category as unknown[]),
      brand: x.brand.fromArray(r._brand as unknown[]),
      inStock: r._in_stock === true,
      ...('_tags' in r ? { tags: ((r._tags as unknown[][] | null) ?? []).map((t) => tag.fromArray(t)!) } : {}),
      ...(withSkus
        ? {
            skus: ((r._skus as unknown[][] | null) ?? []).map((values) => skuOf(x, values)),
          }
        : {}),
    };
    return row;
  });
}

/** A statement of a product read; one that searches free text runs under the search timeout (issue 12). */
const read = (ctx: Context, text: string, sql: SqlParams, c?: Pick<ProductConditions, 'search'>) =>
  c?.search?.trim()
    ? readWithTimeout<Raw>(plainReadEm(ctx).getConnection('read'), text, sql.values, ctx.runtime.config.SEARCH_TIMEOUT_MS, ['filter', 'search'])
    : preparedRead<Raw>(plainReadEm(ctx), text, sql.values);

/** One page of products: one statement (the page with its joins), plus one for totalCount when selected. */
export async function pageOfProducts(ctx: Context, c: ProductConditions, keys: OrderKey[], args: ConnectionArgs, extras: PageExtras = {}): Promise<Connection<ProductRow>> {
  const { first, after } = keysetArgs(args, keys, plainReadEm(ctx), Product);
  const sql = new SqlParams();
  // The total as an uncorrelated scalar subquery: planned once (an InitPlan), not per row.
  const count = extras.count ? `, (select count(*)::int from product p where ${conditionsSql(c, sql)}) as _total` : '';
  const text = `select ${selectList(ctx, extras)}${count}
    from (select p.* from product p where ${conditionsSql(c, sql)}${after ? ` and ${afterSql(keys, after, sql)}` : ''}
          order by ${orderBySql(keys)} limit ${sql.p(first + 1)}) p
    ${pageJoins(ctx, extras)}
    order by ${orderBySql(keys)}`;
  const raw = await read(ctx, text, sql, c);
  const total = raw[0]?._total;
  const rows = productRows(ctx, raw, extras.shape);
  // An empty page carries no total: then it is counted apart (cheap: nothing matched past the cursor).
  return connectionFromRows(rows, first, keys, !!after, () => (total != null ? Promise.resolve(Number(total)) : countProducts(ctx, c)));
}

async function countProducts(ctx: Context, c: ProductConditions): Promise<number> {
  const sql = new SqlParams();
  const rows = await read(ctx, `select count(*)::int as n from product p where ${conditionsSql(c, sql)}`, sql, c);
  return Number(rows[0]!.n);
}

/**
 * Products of many sellers at once (`sellers { products }`, a seller inside any list): one
 * statement per request for however many parents, each seller's page a LATERAL subquery
 * with its own LIMIT. That is the per-parent top-N a `row_number() over (partition by
 * seller_id …)` window gives, without numbering every product of every seller first: with the
 * (seller_id, created_at) index each seller's page reads only its own first rows.
 * `conditions` and `args` are the same for every parent of one field in one request (they
 * are part of the loader's key).
 */
export function productsOfSellers(ctx: Context, c: Omit<ProductConditions, 'sellerId'>, keys: OrderKey[], args: ConnectionArgs, extras: Pick<PageExtras, 'tags' | 'shape'> = {}) {
  const key = `catalog.productsOfSellers:${JSON.stringify([c, keys, args.first ?? null, args.after ?? null, extras.tags ?? null, extras.shape ?? null])}`;
  return loader(ctx, key, () => {
    const { first, after } = keysetArgs(args, keys, plainReadEm(ctx), Product);
    const counts = new DataLoader<string, number>(async (ids) => {
      const sql = new SqlParams();
      const rows = await read(ctx, `select p.seller_id, count(*)::int as n from product p
        where p.seller_id in (${sql.p([...ids])}) and ${conditionsSql(c, sql, true)} group by p.seller_id`, sql, c);
      const byId = new Map(rows.map((r) => [r.seller_id as string, Number(r.n)]));
      return ids.map((id) => byId.get(id) ?? 0);
    });
    return new DataLoader<string, Connection<ProductRow>>(async (ids) => {
      const sql = new SqlParams();
      const text = `select ${selectList(ctx, extras)}
        from unnest(array[${sql.p([...ids])}]::uuid[]) as parent(id)
        cross join lateral (
          select p.* from product p where p.seller_id = parent.id and ${conditionsSql(c, sql, true)}${after ? ` and ${afterSql(keys, after, sql)}` : ''}
          order by ${orderBySql(keys)} limit ${sql.p(first + 1)}) p
        ${pageJoins(ctx, extras)}
        order by p.seller_id, ${orderBySql(keys)}`;
      const rows = productRows(ctx, await read(ctx, text, sql, c), extras.shape);
      return ids.map((id) => connectionFromRows(rows.filter((r) => r.seller.id === id), first, keys, !!after, () => counts.load(id)));
    });
  });
}

/**
 * One product by id, displayed code, or a seller's raw code (an ERP integration), with its
 * seller, category, brand, in-stock flag and the store settings: one statement. Whether the
 * viewer may see it is the caller's question.
 */
export async function productRow(ctx: Context, by: { id: string } | { code: string } | { sellerId: string; sellerCode: string }, extras: Pick<PageExtras, 'skus' | 'shape'> = {}): Promise<ProductRow | null> {
  const kind = 'id' in by ? 'id' : 'code' in by ? 'code' : 'raw';
  const values = 'id' in by ? [by.id] : 'code' in by ? [by.code] : [by.sellerId, by.sellerCode];
  const rows = productRows(ctx, await preparedRead<Raw>(plainReadEm(ctx), productStatement(ctx, kind, extras), values), extras.shape);
  return rows[0] ?? null;
}

// The product page's statement is the same text for every product of one query: made once per
// shape (itself made once per query field), which also spares hashing a fresh 2 KB string to
// find its prepared statement on every request.
const productStatements = new WeakMap<ProductShape, Map<string, string>>();
function productStatement(ctx: Context, kind: 'id' | 'code' | 'raw', extras: Pick<PageExtras, 'skus' | 'shape'>): string {
  const shape = extras.shape ?? WHOLE;
  let known = productStatements.get(shape);
  if (!known) productStatements.set(shape, (known = new Map()));
  const key = `${kind}:${!!extras.skus}`;
  let text = known.get(key);
  if (!text) {
    const where = kind === 'id' ? 'p.id = ?' : kind === 'code' ? 'p.code = ?' : 'p.seller_id = ? and p.seller_code = ?';
    known.set(key, (text = `select ${selectList(ctx, extras, true)} from product p ${pageJoins(ctx, extras)} where ${where}`));
  }
  return text;
}

/** Maps SKU rows (from `k.*`) with their colour and size (`_color`, `_size`). */
function skuRows(ctx: Context): (r: Raw) => SkuRow {
  const sku = plainRows(plainReadEm(ctx), Sku);
  const color = plainRows(plainReadEm(ctx), Color);
  const size = plainRows(plainReadEm(ctx), Size);
  return (r) => {
    const row = sku(r) as SkuRow;
    row.preloaded = { color: color(r._color as Raw | null), size: size(r._size as Raw | null) };
    return row;
  };
}

/** Every SKU of these products in display order, with colour and size: one statement. */
export const skuRowsByProductId = (ctx: Context) =>
  loader(ctx, 'catalog.skuRows', () =>
    new DataLoader<string, SkuRow[]>(async (ids) => {
      const sql = new SqlParams();
      const rows = await read(ctx, `select k.*, row_to_json(co.*) as _color, row_to_json(sz.*) as _size
        from sku k left join color co on co.id = k.color_id left join size sz on sz.id = k.size_id
        where k.product_id in (${sql.p([...ids])}) order by k.product_id, k.position, k.id`, sql);
      const byProduct = new Map<string, SkuRow[]>(ids.map((id) => [id, []]));
      const sku = skuRows(ctx);
      for (const r of rows) {
        const row = sku(r);
        byProduct.get(row.product.id)?.push(row);
      }
      return ids.map((id) => byProduct.get(id)!);
    }),
  );

/** Each product's tags by name: one statement. */
export const tagRowsByProductId = (ctx: Context) =>
  loader(ctx, 'catalog.tagRows', () =>
    new DataLoader<string, Plain<Tag>[]>(async (ids) => {
      const sql = new SqlParams();
      const rows = await read(ctx, `select pt.product_id as _product_id, t.* from product_tag pt join tag t on t.id = pt.tag_id
        where pt.product_id in (${sql.p([...ids])}) order by t.name, t.id`, sql);
      const tag = plainRows(plainReadEm(ctx), Tag);
      const byProduct = new Map<string, Plain<Tag>[]>(ids.map((id) => [id, []]));
      for (const r of rows) byProduct.get(r._product_id as string)?.push(tag(r)!);
      return ids.map((id) => byProduct.get(id)!);
    }),
  );
