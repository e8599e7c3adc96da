import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startTestApp, codes, type TestApp } from './helpers/app.js';
import { CatalogFactory, Factory } from './helpers/factories.js';
import { AttrBrandsDocument, AttrCategoriesDocument, AttrCategoryDocument, AttrColorsDocument, AttrCreateBrandDocument, AttrCreateCategoryDocument, AttrCreateColorDocument, AttrCreateProductDocument, AttrCreateSizeDocument, AttrCreateTagDocument, AttrDeleteBrandDocument, AttrDeleteCategoryDocument, AttrDeleteColorDocument, AttrDeleteSizeDocument, AttrDeleteTagDocument, AttrProductsInCategoryDocument, AttrSetIntegrationPermissionDocument, AttrSizesDocument, AttrTagsDocument, AttrUpdateBrandDocument, AttrUpdateCategoryDocument, AttrUpdateColorDocument, AttrUpdateSizeDocument, AttrUpdateTagDocument } from './generated/graphql.js';
import { UserRole } from '../src/shared/access/index.js';
import { Brand, Category, Color, Size, Tag } from '../src/modules/catalog/attributes.entity.js';
import { ProductStatus } from '../src/modules/catalog/catalog.entity.js';
import { Integration } from '../src/modules/integrations/integrations.entity.js';
import type { Seller } from '../src/modules/sellers/sellers.entity.js';

let t: TestApp;
let f: Factory;
let c: CatalogFactory;
let admin: Seller;
let alfa: Seller;
let operator: string;

const errs = (e: { code: string; field?: string[] | null }[] | undefined) => (e ?? []).map((x) => [x.code, x.field?.join('.')]);
const pathOf = async (id: string) => (await f.em().findOneOrFail(Category, { id })).path;

async function createCategory(name: string, parentId?: string, extra: { slug?: string; position?: number } = {}) {
  const res = await t.request(AttrCreateCategoryDocument, { input: { name, parentId, ...extra } }, operator);
  expect(res.data?.createCategory.userErrors).toEqual([]);
  return res.data!.createCategory.category!;
}

beforeAll(async () => {
  t = await startTestApp();
  f = new Factory(t);
  c = new CatalogFactory(f);
  await f.setMarketplace(true);
  admin = await f.adminSeller();
  alfa = await f.seller({ code: 'ALFA', name: 'Alfa Modas' });
  operator = (await f.operator(UserRole.OWNER)).token;
});
afterAll(async () => t?.stop());

describe('who may write store attributes', () => {
  /** Every actor of the design, with whether it may create categories and brands. */
  const actors: [string, 'ok' | 'UNAUTHENTICATED' | 'FORBIDDEN', () => Promise<string | undefined>][] = [
    ['anonymous', 'UNAUTHENTICATED', async () => undefined],
    ['customer', 'FORBIDDEN', async () => (await f.customer()).token],
    ['operator OWNER', 'ok', async () => (await f.operator(UserRole.OWNER)).token],
    ['operator ADMIN', 'ok', async () => (await f.operator(UserRole.ADMIN)).token],
    ['operator SUPPORT', 'FORBIDDEN', async () => (await f.operator(UserRole.SUPPORT)).token],
    ['operator AGENT', 'FORBIDDEN', async () => (await f.operator(UserRole.AGENT)).token],
    ['guest seller OWNER', 'FORBIDDEN', async () => (await f.user({ seller: alfa, role: UserRole.OWNER })).token],
    ['guest seller CATALOG', 'FORBIDDEN', async () => (await f.user({ seller: alfa, role: UserRole.CATALOG })).token],
    ['guest-linked integration', 'FORBIDDEN', async () => (await f.integration({ seller: alfa })).token],
    // Even with the flag set behind the API's back, acting for a guest seller is refused.
    ['guest-linked integration, flag forced on in the database', 'FORBIDDEN', async () => (await f.integration({ seller: alfa, canWriteAttributes: true })).token],
    ['unlinked integration, permission on', 'ok', async () => (await f.integration()).token],
    [
      'unlinked integration, permission turned off by the operator',
      'FORBIDDEN',
      async () => {
        const erp = await f.integration();
        const off = await t.request(AttrSetIntegrationPermissionDocument, { input: { id: erp.integration.id, canWriteAttributes: false } }, operator);
        expect(off.data?.updateIntegrationPermissions.integration?.canWriteAttributes).toBe(false);
        return erp.token;
      },
    ],
    ['admin-linked integration', 'ok', async () => (await f.integration({ seller: admin })).token],
    ['admin-linked integration, permission off', 'FORBIDDEN', async () => (await f.integration({ seller: admin, canWriteAttributes: false })).token],
  ];

  it.each(actors)('%s → %s', async (label, expected, token) => {
    const tok = await token();
    const name = `Matrix ${label}`.slice(0, 60).trim();
    const before = { categories: await f.em().count(Category, {}), brands: await f.em().count(Brand, {}) };

    const cat = await t.request(AttrCreateCategoryDocument, { input: { name } }, tok);
    const brand = await t.request(AttrCreateBrandDocument, { input: { name } }, tok);

    if (expected === 'ok') {
      expect(cat.errors).toBeUndefined();
      expect(cat.data?.createCategory.userErrors).toEqual([]);
      expect(cat.data?.createCategory.category?.name).toBe(name);
      expect(brand.data?.createBrand.userErrors).toEqual([]);
      expect(brand.data?.createBrand.brand?.name).toBe(name);
      expect(await f.em().count(Category, { name })).toBe(1);
      expect(await f.em().count(Brand, { name })).toBe(1);
    } else {
      expect(codes(cat)).toEqual([expected]);
      expect(codes(brand)).toEqual([expected]);
      expect(cat.data?.createCategory ?? null).toBeNull();
      expect(brand.data?.createBrand ?? null).toBeNull();
      expect(await f.em().count(Category, {})).toBe(before.categories);
      expect(await f.em().count(Brand, {})).toBe(before.brands);
    }
  });

  it('a refused writer changes nothing on update and delete either', async () => {
    const cat = await createCategory('Untouchable');
    const guestErp = (await f.integration({ seller: alfa })).token;
    const catalogUser = (await f.user({ seller: alfa, role: UserRole.CATALOG })).token;
    for (const tok of [guestErp, catalogUser]) {
      expect(codes(await t.request(AttrUpdateCategoryDocument, { id: cat.id, input: { name: 'Hijacked' } }, tok))).toEqual(['FORBIDDEN']);
      expect(codes(await t.request(AttrDeleteCategoryDocument, { id: cat.id }, tok))).toEqual(['FORBIDDEN']);
    }
    expect((await f.em().findOneOrFail(Category, { id: cat.id })).name).toBe('Untouchable');
  });

  it('the permission is read on every request: turning it back on lets the integration write again', async () => {
    const erp = await f.integration({ canWriteAttributes: false });
    expect(codes(await t.request(AttrCreateTagDocument, { input: { name: 'Toggle tag' } }, erp.token))).toEqual(['FORBIDDEN']);
    await t.request(AttrSetIntegrationPermissionDocument, { input: { id: erp.integration.id, canWriteAttributes: true } }, operator);
    expect((await f.em().findOneOrFail(Integration, { id: erp.integration.id })).canWriteAttributes).toBe(true);
    const ok = await t.request(AttrCreateTagDocument, { input: { name: 'Toggle tag' } }, erp.token);
    expect(ok.data?.createTag.userErrors).toEqual([]);
  });

  it('everybody reads attributes, signed in or not', async () => {
    await createCategory('Readable');
    for (const tok of [undefined, (await f.customer()).token, (await f.integration({ seller: alfa })).token]) {
      const res = await t.request(AttrCategoriesDocument, { search: 'Readable', first: 5 }, tok);
      expect(res.errors).toBeUndefined();
      expect(res.data?.categories.edges.map((e) => e.node.name)).toEqual(['Readable']);
      expect((await t.request(AttrBrandsDocument, { first: 1 }, tok)).errors).toBeUndefined();
    }
  });
});

describe('guest sellers use existing attributes', () => {
  it('a guest seller creates a product with the store\'s category, brand, tags, colour and size, but cannot create them', async () => {
    const category = await createCategory('Guest Shoes');
    const brand = (await t.request(AttrCreateBrandDocument, { input: { name: 'Guest Brand' } }, operator)).data!.createBrand.brand!;
    const tag = (await t.request(AttrCreateTagDocument, { input: { name: 'Guest Tag' } }, operator)).data!.createTag.tag!;
    const color = (await t.request(AttrCreateColorDocument, { input: { name: 'Guest Blue', hex: '#0000ff' } }, operator)).data!.createColor.color!;
    const size = (await t.request(AttrCreateSizeDocument, { input: { name: 'Guest 42', position: 42 } }, operator)).data!.createSize.size!;
    expect(color.hex).toBe('#0000FF');

    const catalogUser = (await f.user({ seller: alfa, role: UserRole.CATALOG })).token;
    const res = await t.request(
      AttrCreateProductDocument,
      {
        input: {
          sellerCode: 'GUEST1',
          name: 'Tênis',
          categoryId: category.id,
          brandId: brand.id,
          tagIds: [tag.id],
          skus: [{ sellerCode: 'GUEST1_42', price: 19990, stock: 2, colorId: color.id, sizeId: size.id }],
        },
      },
      catalogUser,
    );
    expect(res.data?.createProduct.userErrors).toEqual([]);
    expect(res.data?.createProduct.product).toMatchObject({
      code: 'ALFA-GUEST1',
      category: { id: category.id },
      brand: { id: brand.id },
      tags: [{ id: tag.id }],
      skus: { edges: [{ node: { code: 'ALFA-GUEST1_42', color: { id: color.id, name: 'Guest Blue' }, size: { id: size.id, name: 'Guest 42' } } }] },
    });

    const counts = async () => {
      const em = f.em();
      return Promise.all([em.count(Category, {}), em.count(Brand, {}), em.count(Color, {}), em.count(Size, {}), em.count(Tag, {})]);
    };
    const before = await counts();
    expect(codes(await t.request(AttrCreateCategoryDocument, { input: { name: 'Guest made' } }, catalogUser))).toEqual(['FORBIDDEN']);
    expect(codes(await t.request(AttrCreateBrandDocument, { input: { name: 'Guest made' } }, catalogUser))).toEqual(['FORBIDDEN']);
    expect(codes(await t.request(AttrCreateColorDocument, { input: { name: 'Guest made' } }, catalogUser))).toEqual(['FORBIDDEN']);
    expect(codes(await t.request(AttrCreateSizeDocument, { input: { name: 'Guest made' } }, catalogUser))).toEqual(['FORBIDDEN']);
    expect(codes(await t.request(AttrCreateTagDocument, { input: { name: 'Guest made' } }, catalogUser))).toEqual(['FORBIDDEN']);
    expect(await counts()).toEqual(before);

    // And now that a product and its SKU use them, none of them can be deleted.
    const refusals = [
      (await t.request(AttrDeleteCategoryDocument, { id: category.id }, operator)).data?.deleteCategory,
      (await t.request(AttrDeleteBrandDocument, { id: brand.id }, operator)).data?.deleteBrand,
      (await t.request(AttrDeleteTagDocument, { id: tag.id }, operator)).data?.deleteTag,
      (await t.request(AttrDeleteColorDocument, { id: color.id }, operator)).data?.deleteColor,
      (await t.request(AttrDeleteSizeDocument, { id: size.id }, operator)).data?.deleteSize,
    ];
    for (const r of refusals) {
      expect(r?.deletedId).toBeNull();
      expect(errs(r?.userErrors)).toEqual([['CONFLICT', 'id']]);
    }
    expect(refusals[3]?.userErrors[0]?.message).toMatch(/1 SKU uses this colour/);
    expect(await counts()).toEqual(before);
  });
});

describe('the category tree', () => {
  it('builds paths and ancestors, moves a subtree in one go, and filters products by subtree', async () => {
    const moda = await createCategory('Moda');
    const feminino = await createCategory('Feminino', moda.id);
    const vestidos = await createCategory('Vestidos', feminino.id);
    const outlet = await createCategory('Outlet');
    expect(await pathOf(vestidos.id)).toBe(`/${moda.id}/${feminino.id}/${vestidos.id}/`);
    expect(vestidos.ancestors.map((a) => a.name)).toEqual(['Moda', 'Feminino']);
    expect(vestidos.parent?.id).toBe(feminino.id);

    const inVestidos = await c.product(admin, { sellerCode: 'TREE1', category: await f.em().findOneOrFail(Category, { id: vestidos.id }) });
    const inFeminino = await c.product(admin, { sellerCode: 'TREE2', category: await f.em().findOneOrFail(Category, { id: feminino.id }) });
    const inModa = await c.product(admin, { sellerCode: 'TREE3', category: await f.em().findOneOrFail(Category, { id: moda.id }) });
    const inOutlet = await c.product(alfa, { sellerCode: 'TREE4', category: await f.em().findOneOrFail(Category, { id: outlet.id }) });
    const inTree = async (id: string) =>
      ((await t.request(AttrProductsInCategoryDocument, { categoryId: id }, operator)).data?.products.edges ?? []).map((e) => e.node.id).sort();
    expect(await inTree(moda.id)).toEqual([inVestidos.id, inFeminino.id, inModa.id].sort());
    expect(await inTree(outlet.id)).toEqual([inOutlet.id]);

    // Move Feminino (with Vestidos) under Outlet.
    const moved = await t.request(AttrUpdateCategoryDocument, { id: feminino.id, input: { parentId: outlet.id } }, operator);
    expect(moved.data?.updateCategory.userErrors).toEqual([]);
    expect(moved.data?.updateCategory.category).toMatchObject({ parent: { id: outlet.id }, ancestors: [{ name: 'Outlet' }] });
    expect(await pathOf(feminino.id)).toBe(`/${outlet.id}/${feminino.id}/`);
    expect(await pathOf(vestidos.id)).toBe(`/${outlet.id}/${feminino.id}/${vestidos.id}/`);
    expect(await pathOf(moda.id)).toBe(`/${moda.id}/`);

    const read = await t.request(AttrCategoryDocument, { id: vestidos.id });
    expect(read.data?.category?.ancestors.map((a) => a.name)).toEqual(['Outlet', 'Feminino']);
    const modaRead = await t.request(AttrCategoryDocument, { id: moda.id });
    expect(modaRead.data?.category?.children.totalCount).toBe(0);
    const outletRead = await t.request(AttrCategoryDocument, { slug: 'outlet' });
    expect(outletRead.data?.category?.id).toBe(outlet.id);
    expect(outletRead.data?.category?.children.edges.map((e) => [e.node.name, e.node.children.edges.map((g) => g.node.name)])).toEqual([
      ['Feminino', ['Vestidos']],
    ]);
    expect(await inTree(moda.id)).toEqual([inModa.id]);
    expect(await inTree(outlet.id)).toEqual([inVestidos.id, inFeminino.id, inOutlet.id].sort());

    // Never under itself or its own descendant; nothing moves.
    for (const target of [feminino.id, vestidos.id]) {
      const loop = await t.request(AttrUpdateCategoryDocument, { id: feminino.id, input: { parentId: target } }, operator);
      expect(errs(loop.data?.updateCategory.userErrors)).toEqual([['BAD_USER_INPUT', 'input.parentId']]);
    }
    expect(await pathOf(vestidos.id)).toBe(`/${outlet.id}/${feminino.id}/${vestidos.id}/`);

    // parentId: null takes it (and its subtree) to the top level.
    const top = await t.request(AttrUpdateCategoryDocument, { id: feminino.id, input: { parentId: null } }, operator);
    expect(top.data?.updateCategory.category).toMatchObject({ parent: null, ancestors: [] });
    expect(await pathOf(vestidos.id)).toBe(`/${feminino.id}/${vestidos.id}/`);
    // Leaving parentId out keeps it where it is.
    const renamed = await t.request(AttrUpdateCategoryDocument, { id: vestidos.id, input: { name: 'Vestidos de festa' } }, operator);
    expect(renamed.data?.updateCategory.category).toMatchObject({ name: 'Vestidos de festa', slug: 'vestidos', parent: { id: feminino.id } });
  });

  it('lists every category in tree order, or one level by position', async () => {
    const root = await createCategory('Listing Root');
    const b = await createCategory('Listing B', root.id, { position: 2 });
    const a = await createCategory('Listing A', root.id, { position: 1 });
    const z = await createCategory('Listing Z', root.id, { position: 1 });
    const deep = await createCategory('Listing Deep', b.id);

    const all = await t.request(AttrCategoriesDocument, { first: 100, search: 'Listing' });
    const order = all.data!.categories.edges.map((e) => e.node.id);
    expect(order).toHaveLength(5);
    // Tree order: every category after its parent, and a subtree is contiguous.
    expect(order[0]).toBe(root.id);
    expect(order.indexOf(deep.id)).toBe(order.indexOf(b.id) + 1);

    const level = await t.request(AttrCategoriesDocument, { parentId: root.id, first: 2 });
    expect(level.data?.categories.totalCount).toBe(3);
    expect(level.data?.categories.edges.map((e) => e.node.name)).toEqual(['Listing A', 'Listing Z']);
    expect(level.data?.categories.pageInfo.hasNextPage).toBe(true);
    const next = await t.request(AttrCategoriesDocument, { parentId: root.id, first: 2, after: level.data!.categories.pageInfo.endCursor });
    expect(next.data?.categories.edges.map((e) => e.node.name)).toEqual(['Listing B']);
    expect(next.data?.categories.pageInfo.hasNextPage).toBe(false);

    const roots = await t.request(AttrCategoriesDocument, { rootsOnly: true, first: 100 });
    const rootIds = roots.data!.categories.edges.map((e) => e.node.id);
    expect(rootIds).toContain(root.id);
    expect(rootIds).not.toContain(a.id);
    expect(roots.data!.categories.edges.every((e) => e.node.parent === null)).toBe(true);
    expect(z.ancestors.map((x) => x.id)).toEqual([root.id]);

    const both = await t.request(AttrCategoriesDocument, { parentId: root.id, rootsOnly: true });
    expect(codes(both)).toEqual(['BAD_USER_INPUT']);
  });

  it('parents, children and ancestors cost one query per relation, however many categories are listed', async () => {
    const root = await createCategory('Loader Root');
    const mid = await createCategory('Loader Mid', root.id);
    for (let i = 0; i < 6; i += 1) await createCategory(`Loader Leaf ${i}`, mid.id);
    const connection = t.app.runtime.orm.em.getConnection();
    const statementsFor = async (first: number) => {
      const spy = vi.spyOn(connection, 'execute');
      try {
        const res = await t.request(AttrCategoryDocument, { id: root.id });
        expect(res.errors).toBeUndefined();
        const list = await t.request(AttrCategoriesDocument, { search: 'Loader', first });
        expect(list.data?.categories.edges).toHaveLength(first);
        return spy.mock.calls.length;
      } finally {
        spy.mockRestore();
      }
    };
    const few = await statementsFor(2);
    expect(few).toBeGreaterThan(0);
    expect(await statementsFor(8)).toBe(few);
  });

  it('refuses to delete a category with subcategories or products, and deletes an empty one', async () => {
    const parent = await createCategory('Del Parent');
    const child = await createCategory('Del Child', parent.id);
    const withProduct = await createCategory('Del With Product');
    await c.product(admin, { sellerCode: 'DELCAT', category: await f.em().findOneOrFail(Category, { id: withProduct.id }) });

    const hasChildren = await t.request(AttrDeleteCategoryDocument, { id: parent.id }, operator);
    expect(errs(hasChildren.data?.deleteCategory.userErrors)).toEqual([['CONFLICT', 'id']]);
    expect(hasChildren.data?.deleteCategory.userErrors[0]?.message).toMatch(/subcategories/);
    const hasProducts = await t.request(AttrDeleteCategoryDocument, { id: withProduct.id }, operator);
    expect(errs(hasProducts.data?.deleteCategory.userErrors)).toEqual([['CONFLICT', 'id']]);
    expect(await f.em().count(Category, { id: { $in: [parent.id, withProduct.id] } })).toBe(2);

    const leaf = await t.request(AttrDeleteCategoryDocument, { id: child.id }, operator);
    expect(leaf.data?.deleteCategory).toEqual({ deletedId: child.id, userErrors: [] });
    expect(await f.em().count(Category, { id: child.id })).toBe(0);
    const nowEmpty = await t.request(AttrDeleteCategoryDocument, { id: parent.id }, operator);
    expect(nowEmpty.data?.deleteCategory.deletedId).toBe(parent.id);

    const missing = await t.request(AttrDeleteCategoryDocument, { id: child.id }, operator);
    expect(errs(missing.data?.deleteCategory.userErrors)).toEqual([['NOT_FOUND', 'id']]);
  });
});

describe('names and slugs', () => {
  it('derives slugs without accents, keeps them on rename and refuses taken or malformed ones', async () => {
    const cat = await createCategory('  Camisetas &  Regatas Básicas ');
    expect(cat).toMatchObject({ name: 'Camisetas & Regatas Básicas', slug: 'camisetas-regatas-basicas' });
    const accents = await createCategory('Ação Çedilha Ñandú');
    expect(accents.slug).toBe('acao-cedilha-nandu');

    const taken = await t.request(AttrCreateCategoryDocument, { input: { name: 'Other', slug: 'camisetas-regatas-basicas' } }, operator);
    expect(errs(taken.data?.createCategory.userErrors)).toEqual([['CONFLICT', 'input.slug']]);
    const bad = await t.request(AttrCreateCategoryDocument, { input: { name: '', slug: 'Not A Slug' } }, operator);
    expect(errs(bad.data?.createCategory.userErrors)).toEqual([
      ['BAD_USER_INPUT', 'input.name'],
      ['BAD_USER_INPUT', 'input.slug'],
    ]);
    const underivable = await t.request(AttrCreateCategoryDocument, { input: { name: '★★★' } }, operator);
    expect(errs(underivable.data?.createCategory.userErrors)).toEqual([['BAD_USER_INPUT', 'input.slug']]);

    const reslug = await t.request(AttrUpdateCategoryDocument, { id: cat.id, input: { slug: 'camisetas' } }, operator);
    expect(reslug.data?.updateCategory.category?.slug).toBe('camisetas');
    const clash = await t.request(AttrUpdateCategoryDocument, { id: accents.id, input: { slug: 'camisetas' } }, operator);
    expect(errs(clash.data?.updateCategory.userErrors)).toEqual([['CONFLICT', 'input.slug']]);
  });

  it('category names are unique among siblings, ignoring case; the same name elsewhere gets its own slug', async () => {
    const fem = await createCategory('Names Feminino');
    const masc = await createCategory('Names Masculino');
    const acc = await createCategory('Acessórios', fem.id);
    expect(acc.slug).toBe('acessorios');
    const dup = await t.request(AttrCreateCategoryDocument, { input: { name: 'ACESSÓRIOS', parentId: fem.id } }, operator);
    expect(errs(dup.data?.createCategory.userErrors)).toEqual([['CONFLICT', 'input.name']]);
    const elsewhere = await createCategory('acessórios', masc.id);
    expect(elsewhere.slug).toBe('names-masculino-acessorios');
    const third = await createCategory('Acessórios');
    expect(third.slug).toBe('acessorios-2');

    // Moving next to a namesake is refused too, and nothing moves.
    const move = await t.request(AttrUpdateCategoryDocument, { id: elsewhere.id, input: { parentId: fem.id } }, operator);
    expect(errs(move.data?.updateCategory.userErrors)).toEqual([['CONFLICT', 'input.name']]);
    expect(await pathOf(elsewhere.id)).toBe(`/${masc.id}/${elsewhere.id}/`);
    // Renaming its own case is fine.
    const recase = await t.request(AttrUpdateCategoryDocument, { id: elsewhere.id, input: { name: 'Acessórios' } }, operator);
    expect(recase.data?.updateCategory.userErrors).toEqual([]);
  });

  it('brand, colour, size and tag names are unique ignoring case and surrounding spaces', async () => {
    const nike = (await t.request(AttrCreateBrandDocument, { input: { name: 'Nike' } }, operator)).data!.createBrand.brand!;
    for (const name of ['NIKE', ' nike ']) {
      const dup = await t.request(AttrCreateBrandDocument, { input: { name } }, operator);
      expect(errs(dup.data?.createBrand.userErrors)).toEqual([['CONFLICT', 'input.name']]);
    }
    const adidas = (await t.request(AttrCreateBrandDocument, { input: { name: 'Adidas' } }, operator)).data!.createBrand.brand!;
    const rename = await t.request(AttrUpdateBrandDocument, { id: adidas.id, input: { name: 'nike' } }, operator);
    expect(errs(rename.data?.updateBrand.userErrors)).toEqual([['CONFLICT', 'input.name']]);
    const recase = await t.request(AttrUpdateBrandDocument, { id: nike.id, input: { name: 'NIKE' } }, operator);
    expect(recase.data?.updateBrand.brand?.name).toBe('NIKE');
    // A name with LIKE wildcards matches only itself.
    expect((await t.request(AttrCreateBrandDocument, { input: { name: 'N_KE' } }, operator)).data?.createBrand.userErrors).toEqual([]);

    const red = (await t.request(AttrCreateColorDocument, { input: { name: 'Vermelho' } }, operator)).data!.createColor.color!;
    expect(errs((await t.request(AttrCreateColorDocument, { input: { name: 'vermelho' } }, operator)).data?.createColor.userErrors)).toEqual([
      ['CONFLICT', 'input.name'],
    ]);
    const badHex = await t.request(AttrUpdateColorDocument, { id: red.id, input: { hex: 'red' } }, operator);
    expect(errs(badHex.data?.updateColor.userErrors)).toEqual([['BAD_USER_INPUT', 'input.hex']]);
    const hex = await t.request(AttrUpdateColorDocument, { id: red.id, input: { hex: '#ff0000' } }, operator);
    expect(hex.data?.updateColor.color).toMatchObject({ name: 'Vermelho', hex: '#FF0000' });

    await t.request(AttrCreateSizeDocument, { input: { name: 'GG' } }, operator);
    expect(errs((await t.request(AttrCreateSizeDocument, { input: { name: 'gg' } }, operator)).data?.createSize.userErrors)).toEqual([
      ['CONFLICT', 'input.name'],
    ]);
    await t.request(AttrCreateTagDocument, { input: { name: 'Promoção' } }, operator);
    expect(errs((await t.request(AttrCreateTagDocument, { input: { name: 'PROMOÇÃO' } }, operator)).data?.createTag.userErrors)).toEqual([
      ['CONFLICT', 'input.name'],
    ]);
    const missing = await t.request(AttrUpdateTagDocument, { id: red.id, input: { name: 'x' } }, operator);
    expect(errs(missing.data?.updateTag.userErrors)).toEqual([['NOT_FOUND', 'id']]);
    expect(await f.em().count(Tag, { name: 'x' })).toBe(0);
  });
});

describe('lists and deletes', () => {
  it('pages brands by name with cursors, and searches by part of the name', async () => {
    for (const n of [3, 1, 5, 2, 4]) await t.request(AttrCreateBrandDocument, { input: { name: `Paged Brand ${n}` } }, operator);
    const names: string[] = [];
    let after: string | null | undefined;
    for (let page = 0; page < 3; page += 1) {
      const res = await t.request(AttrBrandsDocument, { first: 2, after, search: 'paged brand' });
      expect(res.data?.brands.totalCount).toBe(5);
      expect(res.data?.brands.pageInfo.hasNextPage).toBe(page < 2);
      names.push(...res.data!.brands.edges.map((e) => e.node.name));
      after = res.data!.brands.pageInfo.endCursor;
    }
    expect(names).toEqual([1, 2, 3, 4, 5].map((n) => `Paged Brand ${n}`));
    expect(codes(await t.request(AttrBrandsDocument, { first: 2, after: 'bogus' }))).toEqual(['BAD_USER_INPUT']);
    expect(codes(await t.request(AttrBrandsDocument, { first: 500 }))).toEqual(['BAD_USER_INPUT']);
  });

  it('sizes come by position; colours and tags by name', async () => {
    for (const [name, position] of [['Pos G', 3], ['Pos P', 1], ['Pos M', 2]] as const) {
      await t.request(AttrCreateSizeDocument, { input: { name, position } }, operator);
    }
    const sizes = await t.request(AttrSizesDocument, { search: 'Pos ', first: 10 });
    expect(sizes.data?.sizes.edges.map((e) => e.node.name)).toEqual(['Pos P', 'Pos M', 'Pos G']);
    const m = sizes.data!.sizes.edges[1]!.node;
    await t.request(AttrUpdateSizeDocument, { id: m.id, input: { position: 0 } }, operator);
    const again = await t.request(AttrSizesDocument, { search: 'Pos ', first: 10 });
    expect(again.data?.sizes.edges.map((e) => e.node.name)).toEqual(['Pos M', 'Pos P', 'Pos G']);

    for (const name of ['Sorted Verde', 'Sorted Azul']) await t.request(AttrCreateColorDocument, { input: { name } }, operator);
    expect((await t.request(AttrColorsDocument, { search: 'sorted' })).data?.colors.edges.map((e) => e.node.name)).toEqual(['Sorted Azul', 'Sorted Verde']);
    for (const name of ['Sorted Novo', 'Sorted Frete']) await t.request(AttrCreateTagDocument, { input: { name } }, operator);
    expect((await t.request(AttrTagsDocument, { search: 'sorted' })).data?.tags.edges.map((e) => e.node.name)).toEqual(['Sorted Frete', 'Sorted Novo']);
  });

  it('deletes attributes nothing uses', async () => {
    const brand = (await t.request(AttrCreateBrandDocument, { input: { name: 'Unused Brand' } }, operator)).data!.createBrand.brand!;
    const color = (await t.request(AttrCreateColorDocument, { input: { name: 'Unused Colour' } }, operator)).data!.createColor.color!;
    const size = (await t.request(AttrCreateSizeDocument, { input: { name: 'Unused Size' } }, operator)).data!.createSize.size!;
    const tag = (await t.request(AttrCreateTagDocument, { input: { name: 'Unused Tag' } }, operator)).data!.createTag.tag!;
    expect((await t.request(AttrDeleteBrandDocument, { id: brand.id }, operator)).data?.deleteBrand.deletedId).toBe(brand.id);
    expect((await t.request(AttrDeleteColorDocument, { id: color.id }, operator)).data?.deleteColor.deletedId).toBe(color.id);
    expect((await t.request(AttrDeleteSizeDocument, { id: size.id }, operator)).data?.deleteSize.deletedId).toBe(size.id);
    expect((await t.request(AttrDeleteTagDocument, { id: tag.id }, operator)).data?.deleteTag.deletedId).toBe(tag.id);
    expect(await f.em().count(Brand, { id: brand.id })).toBe(0);
    expect(await f.em().count(Color, { id: color.id })).toBe(0);
    expect(await f.em().count(Size, { id: size.id })).toBe(0);
    expect(await f.em().count(Tag, { id: tag.id })).toBe(0);
  });

  it('a tagged product and a branded product block their deletion', async () => {
    const brand = await c.brand('Blocked Brand');
    const tag = await c.tag('Blocked Tag');
    await c.product(alfa, { sellerCode: 'BLOCK1', brand, tags: [tag], status: ProductStatus.ARCHIVED });
    const b = await t.request(AttrDeleteBrandDocument, { id: brand.id }, operator);
    expect(errs(b.data?.deleteBrand.userErrors)).toEqual([['CONFLICT', 'id']]);
    const tg = await t.request(AttrDeleteTagDocument, { id: tag.id }, operator);
    expect(errs(tg.data?.deleteTag.userErrors)).toEqual([['CONFLICT', 'id']]);
    expect(await f.em().count(Brand, { id: brand.id })).toBe(1);
    expect(await f.em().count(Tag, { id: tag.id })).toBe(1);
  });
});
