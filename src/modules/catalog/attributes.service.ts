import { LockMode, ref } from '@mikro-orm/core';
import type { EntityManager, FilterQuery } from '@mikro-orm/postgresql';
import type { Context } from '../../shared/runtime/index.js';
import { AppError, ErrorCode, Validation, badInput, conflict, notFound } from '../../shared/errors/index.js';
import { paginate, type ConnectionArgs } from '../../shared/pagination/index.js';
import { assertMay, type Viewer } from '../../shared/access/index.js';
import { CATALOG_ACCESS } from './catalog.access.js';
import { Brand, Category, Color, Size, Tag } from './attributes.entity.js';
import { Product, Sku } from './catalog.entity.js';
import { assertIdExists, findById, isId } from '../../shared/db/ids.js';

/*
 * Store attributes: the category tree, brands, colours, sizes and tags. Everybody reads them;
 * only operator owners/admins and integrations acting for the admin seller with the
 * attribute-write permission change them (CATALOG_ACCESS.writeAttributes: the shield rule, and
 * checked again here so other callers of these functions, such as bulk import, cannot skip it).
 */

const SLUG_MAX = 140;
export const SLUG_RE = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
const HEX_RE = /^#[0-9a-f]{6}$/i;

export interface ListArgs extends ConnectionArgs {
  search?: string | null;
}

export interface CategoryListArgs extends ListArgs {
  parentId?: string | null;
  rootsOnly?: boolean | null;
}

export interface CategoryData {
  name?: string | null;
  slug?: string | null;
  /** undefined keeps the parent; null means the top level. */
  parentId?: string | null;
  position?: number | null;
}

/** Same test as the shield rule, for callers that do not come through GraphQL. */
export function assertAttributeWriter(viewer: Viewer): void {
  assertMay(viewer, CATALOG_ACCESS.writeAttributes);
}

/** "Acessórios Femininos" → "acessorios-femininos": accents stripped, anything else becomes "-". */
export function slugify(name: string): string {
  return name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, SLUG_MAX - 10) // room for a "-<n>" suffix
    .replace(/-+$/, '');
}

const escapeLike = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);
/** An ILIKE pattern matching exactly `s`, ignoring case. */
const sameNameAs = (s: string) => ({ $ilike: escapeLike(s) });
const cleanName = (s: string) => s.trim().replace(/\s+/g, ' ');

/**
 * Serialises writes to one kind of attribute for the rest of the transaction. Names are
 * unique ignoring case, which the plain unique indexes cannot enforce, and category moves
 * rewrite whole subtrees from paths read a moment before; with the lock, "check, then write"
 * cannot interleave with another writer. Attribute writes are rare, so the wait costs nothing.
 */
async function lockKind(em: EntityManager, kind: 'category' | 'brand' | 'color' | 'size' | 'tag'): Promise<void> {
  await em.execute('select pg_advisory_xact_lock(hashtext(?))', [`attributes:${kind}`]);
}

function checkName(v: Validation, name: string | null | undefined, max: number, required: boolean): string | undefined {
  if (name == null) {
    if (required) v.add(ErrorCode.BAD_USER_INPUT, 'Give it a name.', ['input', 'name']);
    return undefined;
  }
  const clean = cleanName(name);
  v.check(clean.length > 0 && clean.length <= max, `Names have 1 to ${max} characters.`, ['input', 'name']);
  return clean;
}

function checkPosition(v: Validation, position: number | null | undefined): void {
  if (position == null) return;
  v.check(Number.isInteger(position) && position >= 0 && position <= 1_000_000, 'Position is a whole number from 0 to 1000000.', ['input', 'position']);
}

function checkId(id: string, ...field: string[]): void {
  if (!isId(id)) throw notFound('Nothing has this id.', ...field);
}

function searchWhere(search: string | null | undefined): { name?: { $ilike: string } } {
  const term = search?.trim();
  return term ? { name: { $ilike: `%${escapeLike(term)}%` } } : {};
}

// ---------------------------------------------------------------------------------------
// Categories

/**
 * Categories: without `parentId`/`rootsOnly`, every category in tree order (by path, so each
 * subtree is contiguous and parents come before their children); with them, one level
 * ordered by position then name.
 */
export async function listCategories(ctx: Context, args: CategoryListArgs) {
  if (args.parentId && args.rootsOnly) throw badInput('Give parentId or rootsOnly, not both.', 'rootsOnly');
  if (args.parentId) await assertIdExists(ctx.em, Category, args.parentId, ['parentId'], 'category');
  const where: FilterQuery<Category> = { ...searchWhere(args.search) };
  if (args.parentId) where.parent = args.parentId;
  else if (args.rootsOnly) where.parent = null;
  const level = !!args.parentId || !!args.rootsOnly;
  return paginate(ctx.em, Category, where, args, level ? { position: 'asc', name: 'asc' } : { path: 'asc' });
}

export async function findCategory(ctx: Context, by: { id?: string | null; slug?: string | null }): Promise<Category | null> {
  if (!by.id === !by.slug) throw badInput('Give exactly one of id and slug.', by.id ? 'slug' : 'id');
  if (by.id) return findById(ctx.em, Category, by.id);
  return ctx.em.findOne(Category, { slug: by.slug! });
}

/** Ids of a category's ancestors, root first, read from its path (no query). */
export function ancestorIds(category: Pick<Category, 'id' | 'path'>): string[] {
  return category.path.split('/').filter((id) => id && id !== category.id);
}

/** The first of `base`, `<parent slug>-<base>`, `base-2`, `base-3`… that no category uses. */
async function freeSlug(em: EntityManager, base: string, parent: Category | null): Promise<string> {
  const candidates = [base, ...(parent ? [`${parent.slug}-${base}`.slice(0, SLUG_MAX).replace(/-+$/, '')] : [])];
  const taken = new Set(
    (await em.find(Category, { $or: [{ slug: { $in: candidates } }, { slug: { $like: `${escapeLike(base)}-%` } }] }, { fields: ['slug'] })).map((c) => c.slug),
  );
  const free = candidates.find((s) => !taken.has(s));
  if (free) return free;
  for (let n = 2; ; n += 1) if (!taken.has(`${base}-${n}`)) return `${base}-${n}`;
}

async function siblingNamed(em: EntityManager, parentId: string | null, name: string, exceptId?: string): Promise<Category | null> {
  return em.findOne(Category, { parent: parentId, name: sameNameAs(name), ...(exceptId ? { id: { $ne: exceptId } } : {}) });
}

function validateCategoryInput(v: Validation, input: CategoryData, creating: boolean) {
  const name = checkName(v, input.name, 120, creating);
  if (input.slug != null) {
    v.check(SLUG_RE.test(input.slug) && input.slug.length <= SLUG_MAX, `Slugs use lower-case letters, digits and single "-" (up to ${SLUG_MAX}).`, ['input', 'slug']);
  }
  checkPosition(v, input.position);
  if (input.parentId && !isId(input.parentId)) v.add(ErrorCode.NOT_FOUND, 'No category has this id.', ['input', 'parentId']);
  return name;
}

export async function createCategory(ctx: Context, em: EntityManager, input: CategoryData): Promise<Category> {
  assertAttributeWriter(ctx.viewer);
  const v = new Validation();
  const name = validateCategoryInput(v, input, true)!;
  v.throwIfAny();

  await lockKind(em, 'category');
  const parent = input.parentId ? await em.findOne(Category, { id: input.parentId }) : null;
  if (input.parentId && !parent) v.add(ErrorCode.NOT_FOUND, 'No category has this id.', ['input', 'parentId']);
  if (await siblingNamed(em, parent?.id ?? null, name)) {
    v.add(ErrorCode.CONFLICT, `There is already a category named "${name}" ${parent ? `under ${parent.name}` : 'at the top level'}.`, ['input', 'name']);
  }
  let slug = input.slug ?? undefined;
  if (slug) {
    if (await em.findOne(Category, { slug })) v.add(ErrorCode.CONFLICT, `The slug "${slug}" is taken by another category.`, ['input', 'slug']);
  } else if (!slugify(name)) {
    v.add(ErrorCode.BAD_USER_INPUT, 'No slug can be derived from this name: give one.', ['input', 'slug']);
  }
  v.throwIfAny();
  slug ??= await freeSlug(em, slugify(name), parent);

  const category = em.create(Category, { name, slug, path: '', parent: parent ? ref(parent) : null, position: input.position ?? 0 });
  category.path = `${parent?.path ?? '/'}${category.id}/`;
  em.persist(category);
  return category;
}

/**
 * Renames, re-slugs, reorders or moves a category. A move rewrites the path of the whole
 * subtree in one UPDATE, and is refused under the category itself or one of its descendants.
 * Renaming keeps the slug (links to the old one keep working) unless a new slug is given.
 */
export async function updateCategory(ctx: Context, em: EntityManager, id: string, input: CategoryData): Promise<Category> {
  assertAttributeWriter(ctx.viewer);
  checkId(id, 'id');
  const v = new Validation();
  const name = validateCategoryInput(v, input, false);
  v.throwIfAny();

  await lockKind(em, 'category');
  const category = await em.findOne(Category, { id }, { lockMode: LockMode.PESSIMISTIC_WRITE });
  if (!category) throw notFound('No category has this id.', 'id');
  const moving = input.parentId !== undefined && (input.parentId ?? null) !== (category.parent?.id ?? null);
  const parent = moving && input.parentId ? await em.findOne(Category, { id: input.parentId }) : null;
  if (moving && input.parentId) {
    if (!parent) v.add(ErrorCode.NOT_FOUND, 'No category has this id.', ['input', 'parentId']);
    else if (parent.path.startsWith(category.path)) {
      v.add(ErrorCode.BAD_USER_INPUT, 'A category cannot move under itself or one of its descendants.', ['input', 'parentId']);
    }
  }
  const parentId = moving ? (parent?.id ?? null) : (category.parent?.id ?? null);
  const finalName = name ?? category.name;
  if ((moving || (name !== undefined && name.toLowerCase() !== category.name.toLowerCase())) && (await siblingNamed(em, parentId, finalName, category.id))) {
    v.add(ErrorCode.CONFLICT, `There is already a category named "${finalName}" where it would go.`, ['input', 'name']);
  }
  if (input.slug != null && input.slug !== category.slug && (await em.findOne(Category, { slug: input.slug }))) {
    v.add(ErrorCode.CONFLICT, `The slug "${input.slug}" is taken by another category.`, ['input', 'slug']);
  }
  v.throwIfAny();

  if (name !== undefined) category.name = name;
  if (input.slug != null) category.slug = input.slug;
  if (input.position != null) category.position = input.position;
  if (moving) {
    const oldPath = category.path;
    const newPath = `${parent?.path ?? '/'}${category.id}/`;
    await em.execute(
      'update category set path = ? || substr(path, ?), updated_at = now() where path like ?',
      [newPath, oldPath.length + 1, `${escapeLike(oldPath)}%`],
    );
    category.parent = parent ? ref(parent) : null;
    category.path = newPath;
  }
  return category;
}

/** Refused (CONFLICT) while the category has children or any product points at it. */
export async function deleteCategory(ctx: Context, em: EntityManager, id: string): Promise<string> {
  assertAttributeWriter(ctx.viewer);
  checkId(id, 'id');
  await lockKind(em, 'category');
  const category = await em.findOne(Category, { id }, { lockMode: LockMode.PESSIMISTIC_WRITE });
  if (!category) throw notFound('No category has this id.', 'id');
  const [children, products] = await Promise.all([em.count(Category, { parent: id }), em.count(Product, { category: id })]);
  const v = new Validation();
  v.check(children === 0, `${category.name} has ${children} subcategories: move or delete them first.`, ['id'], ErrorCode.CONFLICT);
  v.check(products === 0, `${products} products are in ${category.name}: move them to another category first.`, ['id'], ErrorCode.CONFLICT);
  v.throwIfAny();
  em.remove(category);
  return id;
}

// ---------------------------------------------------------------------------------------
// Brands, colours, sizes, tags: a name unique ignoring case, and a few own fields.

interface Named {
  id: string;
  name: string;
}

interface Kind<E extends Named> {
  key: 'brand' | 'color' | 'size' | 'tag';
  label: string;
  entity: new () => E;
  maxName: number;
  /** Why it cannot be deleted, or null when nothing uses it. */
  usedBy(em: EntityManager, id: string): Promise<string | null>;
}

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

const BRAND: Kind<Brand> = {
  key: 'brand',
  label: 'brand',
  entity: Brand,
  maxName: 120,
  usedBy: async (em, id) => {
    const n = await em.count(Product, { brand: id });
    return n ? `${plural(n, 'product uses', 'products use')} this brand: change them first.` : null;
  },
};
const COLOR: Kind<Color> = {
  key: 'color',
  label: 'colour',
  entity: Color,
  maxName: 60,
  usedBy: async (em, id) => {
    const n = await em.count(Sku, { color: id });
    return n ? `${plural(n, 'SKU uses', 'SKUs use')} this colour: change them first.` : null;
  },
};
const SIZE: Kind<Size> = {
  key: 'size',
  label: 'size',
  entity: Size,
  maxName: 30,
  usedBy: async (em, id) => {
    const n = await em.count(Sku, { size: id });
    return n ? `${plural(n, 'SKU uses', 'SKUs use')} this size: change them first.` : null;
  },
};
const TAG: Kind<Tag> = {
  key: 'tag',
  label: 'tag',
  entity: Tag,
  maxName: 60,
  usedBy: async (em, id) => {
    const n = await em.count(Product, { tags: id });
    return n ? `${plural(n, 'product carries', 'products carry')} this tag: remove it from them first.` : null;
  },
};

/**
 * Creates (row null) or updates one attribute: validates the name and the kind's own fields,
 * checks the name is free ignoring case, then lets `apply` write.
 */
async function saveNamed<E extends Named>(
  ctx: Context,
  em: EntityManager,
  kind: Kind<E>,
  id: string | null,
  name: string | null | undefined,
  own: { validate?: (v: Validation) => void; create: (name: string) => E; apply?: (row: E) => void },
): Promise<E> {
  assertAttributeWriter(ctx.viewer);
  if (id !== null) checkId(id, 'id');
  const v = new Validation();
  const clean = checkName(v, name, kind.maxName, id === null);
  own.validate?.(v);
  v.throwIfAny();

  await lockKind(em, kind.key);
  const row = id === null ? null : await em.findOne(kind.entity, { id } as FilterQuery<E>, { lockMode: LockMode.PESSIMISTIC_WRITE });
  if (id !== null && !row) throw notFound(`No ${kind.label} has this id.`, 'id');
  if (clean !== undefined) {
    const clash = await em.findOne(kind.entity, { name: sameNameAs(clean), ...(row ? { id: { $ne: row.id } } : {}) } as FilterQuery<E>);
    if (clash) throw conflict(`There is already a ${kind.label} named "${clash.name}".`, 'input', 'name');
  }
  const target = row ?? own.create(clean!);
  if (clean !== undefined) target.name = clean;
  own.apply?.(target);
  em.persist(target);
  return target;
}

async function deleteNamed<E extends Named>(ctx: Context, em: EntityManager, kind: Kind<E>, id: string): Promise<string> {
  assertAttributeWriter(ctx.viewer);
  checkId(id, 'id');
  await lockKind(em, kind.key);
  const row = await em.findOne(kind.entity, { id } as FilterQuery<E>, { lockMode: LockMode.PESSIMISTIC_WRITE });
  if (!row) throw notFound(`No ${kind.label} has this id.`, 'id');
  const used = await kind.usedBy(em, id);
  if (used) throw new AppError(ErrorCode.CONFLICT, used, ['id']);
  em.remove(row);
  return id;
}

export const listBrands = (ctx: Context, args: ListArgs) => paginate(ctx.em, Brand, searchWhere(args.search), args, { name: 'asc' });
export const listColors = (ctx: Context, args: ListArgs) => paginate(ctx.em, Color, searchWhere(args.search), args, { name: 'asc' });
export const listSizes = (ctx: Context, args: ListArgs) => paginate(ctx.em, Size, searchWhere(args.search), args, { position: 'asc', name: 'asc' });
export const listTags = (ctx: Context, args: ListArgs) => paginate(ctx.em, Tag, searchWhere(args.search), args, { name: 'asc' });

export function saveBrand(ctx: Context, em: EntityManager, id: string | null, input: { name?: string | null }) {
  return saveNamed(ctx, em, BRAND, id, input.name, { create: (name) => em.create(Brand, { name }) });
}

export function saveColor(ctx: Context, em: EntityManager, id: string | null, input: { name?: string | null; hex?: string | null }) {
  return saveNamed(ctx, em, COLOR, id, input.name, {
    validate: (v) => v.check(input.hex == null || HEX_RE.test(input.hex), 'Colours are "#RRGGBB".', ['input', 'hex']),
    create: (name) => em.create(Color, { name }),
    apply: (row) => {
      if (input.hex !== undefined) row.hex = input.hex?.toUpperCase() ?? null;
    },
  });
}

export function saveSize(ctx: Context, em: EntityManager, id: string | null, input: { name?: string | null; position?: number | null }) {
  return saveNamed(ctx, em, SIZE, id, input.name, {
    validate: (v) => checkPosition(v, input.position),
    create: (name) => em.create(Size, { name }),
    apply: (row) => {
      if (input.position != null) row.position = input.position;
    },
  });
}

export function saveTag(ctx: Context, em: EntityManager, id: string | null, input: { name?: string | null }) {
  return saveNamed(ctx, em, TAG, id, input.name, { create: (name) => em.create(Tag, { name }) });
}

export const deleteBrand = (ctx: Context, em: EntityManager, id: string) => deleteNamed(ctx, em, BRAND, id);
export const deleteColor = (ctx: Context, em: EntityManager, id: string) => deleteNamed(ctx, em, COLOR, id);
export const deleteSize = (ctx: Context, em: EntityManager, id: string) => deleteNamed(ctx, em, SIZE, id);
export const deleteTag = (ctx: Context, em: EntityManager, id: string) => deleteNamed(ctx, em, TAG, id);
