import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, codes, type TestApp } from './helpers/app.js';
import { CatalogFactory, Factory } from './helpers/factories.js';
import { ApproveProductDocument, ArchiveProductDocument, CreateProductDocument, ProductDocument, ProductsDocument, ProductsForHubDocument, ProductPageOnlyDocument, RejectProductDocument, SellerPageDocument, SetStockDocument, SkuStockDocument, UpdateProductDocument, UpdateSellerDocument, SetCatalogIntegrationDocument } from './generated/graphql.js';
import { UserRole } from '../src/shared/access/index.js';
import { Product, ProductStatus, Sku } from '../src/modules/catalog/catalog.entity.js';
import { Seller, SellerStatus } from '../src/modules/sellers/sellers.entity.js';

let t: TestApp;
let f: Factory;
let c: CatalogFactory;
let alfa: Seller;
let beta: Seller;
let tok: { operator: string; alfaOwner: string; alfaCatalog: string; alfaFinance: string; betaOwner: string; alfaErp: string; storeErp: string };

const sku = (sellerCode: string, price = 1990, stock = 3) => ({ sellerCode, price, stock, weightGrams: 300 });
const productCount = () => f.em().count(Product, {});

beforeAll(async () => {
  t = await startTestApp();
  f = new Factory(t);
  c = new CatalogFactory(f);
  await f.setMarketplace(true);
  alfa = await f.seller({ code: 'ALFA', name: 'Alfa Modas' });
  beta = await f.seller({ code: 'BETA', name: 'Beta Eletrônicos' });
  tok = {
    operator: (await f.operator(UserRole.OWNER)).token,
    alfaOwner: (await f.user({ seller: alfa, role: UserRole.OWNER })).token,
    alfaCatalog: (await f.user({ seller: alfa, role: UserRole.CATALOG })).token,
    alfaFinance: (await f.user({ seller: alfa, role: UserRole.FINANCE })).token,
    betaOwner: (await f.user({ seller: beta, role: UserRole.OWNER })).token,
    alfaErp: (await f.integration({ seller: alfa })).token,
    storeErp: (await f.integration()).token,
  };
});
afterAll(async () => t?.stop());

describe('codes', () => {
  it('two sellers reuse the same ERP code; the store sees the prefix, the ERP its raw code', async () => {
    const a = await t.request(CreateProductDocument, { input: { sellerCode: '1001', name: 'Camiseta', status: 'DRAFT', skus: [sku('1001.P')] } }, tok.alfaCatalog);
    expect(a.data?.createProduct.userErrors).toEqual([]);
    const b = await t.request(CreateProductDocument, { input: { sellerCode: '1001', name: 'Fone', status: 'DRAFT', skus: [sku('1001.P')] } }, tok.betaOwner);
    expect(b.data?.createProduct.userErrors).toEqual([]);
    expect(a.data?.createProduct.product).toMatchObject({ code: 'ALFA-1001', sellerCode: '1001' });
    expect(b.data?.createProduct.product).toMatchObject({ code: 'BETA-1001', sellerCode: '1001' });
    expect(a.data?.createProduct.product?.skus.edges[0]?.node.code).toBe('ALFA-1001.P');

    // The store looks products up by the displayed code; the codes are never ambiguous.
    const byCode = await t.request(ProductDocument, { code: 'BETA-1001' }, tok.operator);
    expect(byCode.data?.product?.name).toBe('Fone');

    // Alfa's ERP reads and finds by its raw codes and never sees the prefix.
    const erp = await t.request(ProductDocument, { code: '1001' }, tok.alfaErp);
    expect(erp.data?.product).toMatchObject({ code: '1001', sellerCode: '1001', name: 'Camiseta' });
    expect(erp.data?.product?.skus.edges[0]?.node.code).toBe('1001.P');
    expect(JSON.stringify(erp.data)).not.toContain('ALFA-');
    // ...and cannot reach Beta's product of the same raw code.
    const stock = await t.request(SetStockDocument, { skuCode: '1001.P', quantity: 9 }, tok.alfaErp);
    expect(stock.data?.setStock.sku).toEqual({ code: '1001.P', stock: 9 });
    const rows = await f.em().find(Sku, { sellerCode: '1001.P' }, { populate: ['seller'] });
    expect(Object.fromEntries(rows.map((r) => [r.code, r.stock]))).toEqual({ 'ALFA-1001.P': 9, 'BETA-1001.P': 3 });
  });

  it('refuses a reused code within one seller, and raw codes that could pose as a prefixed one', async () => {
    await c.product(alfa, { sellerCode: '2002', skus: [{ code: '2002_A', price: 100 }] });
    const before = await productCount();
    const dup = await t.request(CreateProductDocument, { input: { sellerCode: '2002', name: 'Again', skus: [sku('2002_B')] } }, tok.alfaOwner);
    expect(dup.data?.createProduct.userErrors.map((e) => [e.code, e.field])).toEqual([['CONFLICT', ['input', 'sellerCode']]]);
    const dupSku = await t.request(CreateProductDocument, { input: { sellerCode: '2003', name: 'Sku clash', skus: [sku('2002_A')] } }, tok.alfaOwner);
    expect(dupSku.data?.createProduct.userErrors.map((e) => [e.code, e.field])).toEqual([['CONFLICT', ['input', 'skus', '0', 'sellerCode']]]);
    // The admin seller has no prefix: a raw "BETA-1001" would collide with Beta's displayed code.
    const imposter = await t.request(CreateProductDocument, { input: { sellerCode: 'BETA-1001', name: 'Imposter', skus: [sku('BETA-1001.P')] } }, tok.operator);
    expect(imposter.data?.createProduct.userErrors.map((e) => e.field?.join('.'))).toEqual(['input.sellerCode', 'input.skus.0.sellerCode']);
    expect(await productCount()).toBe(before);
  });

  it('a displayed code taken by another seller is a CONFLICT', async () => {
    // Give the admin seller the prefix GAMA while it has no products, then let a guest
    // seller... no: prefixes are unique, so the only way two sellers' displayed codes meet is
    // the unique index itself. Prove the index backs the service check.
    const admin = await f.adminSeller();
    const em = f.em();
    const p = await c.product(admin, { sellerCode: 'X1', skus: [{ code: 'X1_1', price: 1 }] });
    await expect(
      em.getConnection().execute(`update product set code = 'ALFA-1001' where id = ?`, [p.id]),
    ).rejects.toThrow(/product_code_unique/);
  });

  it('a seller with products keeps its concatenation code', async () => {
    const res = await t.request(UpdateSellerDocument, { id: alfa.id, input: { concatenationCode: 'ALFA2' } }, tok.operator);
    expect(res.data?.updateSeller.userErrors.map((e) => [e.code, e.field])).toEqual([['CONFLICT', ['input', 'concatenationCode']]]);
    expect((await f.em().findOneOrFail(Seller, { id: alfa.id })).concatenationCode).toBe('ALFA');
    // Without products it may still change.
    const fresh = await f.seller({ code: 'NEWB' });
    const ok = await t.request(UpdateSellerDocument, { id: fresh.id, input: { concatenationCode: 'NEWC' } }, tok.operator);
    expect(ok.data?.updateSeller.seller?.concatenationCode).toBe('NEWC');
  });
});

describe('kits and links', () => {
  it("refuses a kit holding another seller's SKU, and builds one from its own", async () => {
    await c.product(alfa, { sellerCode: 'K1', skus: [{ code: 'K1_1', price: 500, stock: 10 }] });
    await c.product(alfa, { sellerCode: 'K2', skus: [{ code: 'K2_1', price: 700, stock: 10 }] });
    await c.product(beta, { sellerCode: 'K3', skus: [{ code: 'K3_1', price: 900, stock: 10 }] });
    const before = await productCount();
    const mixed = await t.request(
      CreateProductDocument,
      { input: { sellerCode: 'KIT1', name: 'Kit', skus: [sku('KIT1_1', 1100)], kitComponents: [{ skuCode: 'ALFA-K1_1' }, { skuCode: 'BETA-K3_1' }] } },
      tok.alfaOwner,
    );
    expect(mixed.data?.createProduct.userErrors).toEqual([
      { code: 'BAD_USER_INPUT', field: ['input', 'kitComponents', '1', 'skuCode'], message: expect.stringMatching(/own seller/) },
    ]);
    expect(await productCount()).toBe(before);

    const kit = await t.request(
      CreateProductDocument,
      { input: { sellerCode: 'KIT1', name: 'Kit', skus: [sku('KIT1_1', 1100)], kitComponents: [{ skuCode: 'ALFA-K1_1', quantity: 2 }, { skuCode: 'ALFA-K2_1' }] } },
      tok.alfaOwner,
    );
    expect(kit.data?.createProduct.userErrors).toEqual([]);
    const read = await t.request(ProductDocument, { id: kit.data!.createProduct.product!.id }, tok.alfaOwner);
    expect(read.data?.product?.isKit).toBe(true);
    expect(read.data?.product?.kitComponents).toEqual([
      { quantity: 2, sku: { code: 'ALFA-K1_1', product: { code: 'ALFA-K1' } } },
      { quantity: 1, sku: { code: 'ALFA-K2_1', product: { code: 'ALFA-K2' } } },
    ]);

    // A published kit must not lead the storefront to a component's product that is not on sale.
    const em = f.em();
    await em.nativeUpdate(Product, { id: kit.data!.createProduct.product!.id }, { status: ProductStatus.PUBLISHED });
    await em.nativeUpdate(Product, { code: 'ALFA-K2' }, { status: ProductStatus.DRAFT });
    const anon = await t.request(ProductDocument, { id: kit.data!.createProduct.product!.id });
    // Nor show that component's SKU at all (issue 12: its code and price are not public): the storefront sees the one on sale.
    expect(anon.data?.product?.kitComponents.map((k) => k.sku.code)).toEqual(['ALFA-K1_1']);
    const owner = await t.request(ProductDocument, { id: kit.data!.createProduct.product!.id }, tok.alfaOwner);
    expect(owner.data?.product?.kitComponents.map((k) => k.sku.product?.code ?? null)).toEqual(['ALFA-K1', 'ALFA-K2']);
  });

  it('buy-together and related links may cross sellers; the storefront sees only linked products on sale', async () => {
    const own = await c.product(alfa, { sellerCode: 'L1' });
    const other = await c.product(beta, { sellerCode: 'L2' });
    const hidden = await c.product(beta, { sellerCode: 'L3', status: 'DRAFT' as never });
    const res = await t.request(
      UpdateProductDocument,
      { id: own.id, input: { links: [{ productId: other.id, kind: 'BUY_TOGETHER' }, { productId: hidden.id, kind: 'RELATED' }] } },
      tok.alfaOwner,
    );
    expect(res.data?.updateProduct.userErrors).toEqual([]);
    const anon = await t.request(ProductDocument, { id: own.id });
    expect(anon.data?.product?.buyTogether.edges.map((e) => e.node.code)).toEqual(['BETA-L2']);
    expect(anon.data?.product?.related.edges).toEqual([]);
  });
});

describe('who sees and changes what', () => {
  it("a seller user cannot update another seller's product (FORBIDDEN) nor see its unpublished products", async () => {
    const draft = await c.product(beta, { sellerCode: 'SECRET', status: 'DRAFT' as never });
    const published = await c.product(beta, { sellerCode: 'PUB' });
    const upd = await t.request(UpdateProductDocument, { id: published.id, input: { name: 'Hijacked' } }, tok.alfaOwner);
    expect(codes(upd)).toEqual(['FORBIDDEN']);
    expect((await f.em().findOneOrFail(Product, { id: published.id })).name).not.toBe('Hijacked');
    const arch = await t.request(ArchiveProductDocument, { id: published.id }, tok.alfaCatalog);
    expect(codes(arch)).toEqual(['FORBIDDEN']);
    const stock = await t.request(SetStockDocument, { skuCode: 'BETA-PUB_1', quantity: 0 }, tok.alfaCatalog);
    expect(codes(stock)).toEqual(['FORBIDDEN']);

    expect((await t.request(ProductDocument, { id: draft.id }, tok.alfaOwner)).data?.product).toBeNull();
    expect((await t.request(ProductDocument, { code: 'BETA-SECRET' }, tok.alfaOwner)).data?.product).toBeNull();
    expect((await t.request(ProductDocument, { id: published.id }, tok.alfaOwner)).data?.product?.code).toBe('BETA-PUB');
    const page = await t.request(SellerPageDocument, { code: 'BETA', first: 100 }, tok.alfaOwner);
    const seen = page.data?.seller?.products.edges.map((e) => e.node.code) ?? [];
    expect(seen).toContain('BETA-PUB');
    expect(seen).not.toContain('BETA-SECRET');
    // Its own portal listing is confined to its own seller; asking for Beta's is FORBIDDEN.
    const list = await t.request(ProductsDocument, { first: 100, filter: { sellerId: beta.id } }, tok.alfaOwner);
    expect(codes(list)).toEqual(['FORBIDDEN']);
    const mine = await t.request(ProductsDocument, { first: 100 }, tok.alfaOwner);
    expect(mine.data?.products.edges.every((e) => e.node.seller.id === alfa.id)).toBe(true);
    // Beta itself sees its draft.
    expect((await t.request(ProductDocument, { id: draft.id }, tok.betaOwner)).data?.product?.status).toBe('DRAFT');
  });

  it('roles: finance users and customers cannot write products; stock is private', async () => {
    const fin = await t.request(CreateProductDocument, { input: { sellerCode: 'FIN1', name: 'X', skus: [sku('FIN1_1')] } }, tok.alfaFinance);
    expect(codes(fin)).toEqual(['FORBIDDEN']);
    const anon = await t.request(CreateProductDocument, { input: { sellerCode: 'AN1', name: 'X', skus: [sku('AN1_1')] } });
    expect(codes(anon)).toEqual(['UNAUTHENTICATED']);
    const p = await c.product(alfa, { sellerCode: 'STK', skus: [{ code: 'STK_1', price: 100, stock: 7 }] });
    const pub = await t.request(SkuStockDocument, { code: p.code });
    expect(pub.data?.product?.skus.edges[0]?.node).toEqual({ code: 'ALFA-STK_1', stock: null, inStock: true });
    expect(codes(pub)).toEqual(['UNAUTHENTICATED']);
    const own = await t.request(SkuStockDocument, { code: p.code }, tok.alfaCatalog);
    expect(own.data?.product?.skus.edges[0]?.node.stock).toBe(7);
  });

  it('guest products need review when the store asks for it; the operator approves or rejects', async () => {
    const created = await t.request(CreateProductDocument, { input: { sellerCode: 'REV1', name: 'Needs review', status: 'PUBLISHED', skus: [sku('REV1_1')] } }, tok.alfaOwner);
    const id = created.data!.createProduct.product!.id;
    expect(created.data?.createProduct.product?.status).toBe('PENDING_REVIEW');
    expect((await t.request(ProductDocument, { id })).data?.product).toBeNull();
    expect(codes(await t.request(ApproveProductDocument, { id }, tok.alfaOwner))).toEqual(['FORBIDDEN']);
    const rejected = await t.request(RejectProductDocument, { id, reason: 'Photos missing' }, tok.operator);
    expect(rejected.data?.rejectProduct.product).toMatchObject({ status: 'DRAFT', rejectionReason: 'Photos missing' });
    await t.request(UpdateProductDocument, { id, input: { status: 'PUBLISHED' } }, tok.alfaOwner);
    const approved = await t.request(ApproveProductDocument, { id }, tok.operator);
    expect(approved.data?.approveProduct.product?.status).toBe('PUBLISHED');
    expect((await t.request(ProductDocument, { id })).data?.product?.status).toBe('PUBLISHED');
    const twice = await t.request(ApproveProductDocument, { id }, tok.operator);
    expect(twice.data?.approveProduct.userErrors.map((e) => e.code)).toEqual(['CONFLICT']);
    // The operator's own products publish at once.
    const own = await t.request(CreateProductDocument, { input: { sellerCode: 'OWN1', name: 'Store product', status: 'PUBLISHED', skus: [sku('OWN1_1')] } }, tok.operator);
    expect(own.data?.createProduct.product?.status).toBe('PUBLISHED');
  });

  it('a catalog managed by integration refuses portal edits, naming the integration, and still takes the ERP', async () => {
    const s = await f.seller({ code: 'MGD' });
    const { token: owner } = await f.user({ seller: s, role: UserRole.OWNER });
    const { integration, token: erp } = await f.integration({ seller: s });
    const p = await c.product(s, { sellerCode: 'M1', skus: [{ code: 'M1_1', price: 100, stock: 1 }] });
    const other = await f.integration({ seller: alfa });
    const wrong = await t.request(SetCatalogIntegrationDocument, { sellerId: s.id, integrationId: other.integration.id }, owner);
    expect(wrong.data?.setCatalogIntegration.userErrors.map((e) => [e.code, e.field])).toEqual([['BAD_USER_INPUT', ['integrationId']]]);
    expect(codes(await t.request(SetCatalogIntegrationDocument, { sellerId: s.id, integrationId: integration.id }, tok.alfaOwner))).toEqual(['FORBIDDEN']);
    const declared = await t.request(SetCatalogIntegrationDocument, { sellerId: s.id, integrationId: integration.id }, owner);
    expect(declared.data?.setCatalogIntegration.seller?.catalogIntegration).toEqual({ id: integration.id, name: integration.name });
    const edit = await t.request(UpdateProductDocument, { id: p.id, input: { name: 'Portal edit' } }, owner);
    expect(edit.data?.updateProduct.userErrors).toEqual([
      { code: 'CATALOG_MANAGED_BY_INTEGRATION', field: null, message: expect.stringContaining(integration.name) },
    ]);
    const stock = await t.request(SetStockDocument, { skuCode: 'MGD-M1_1', quantity: 50 }, owner);
    expect(stock.data?.setStock.userErrors[0]?.code).toBe('CATALOG_MANAGED_BY_INTEGRATION');
    expect((await f.em().findOneOrFail(Sku, { code: 'MGD-M1_1' })).stock).toBe(1);
    const viaErp = await t.request(SetStockDocument, { skuCode: 'M1_1', quantity: 50 }, erp);
    expect(viaErp.data?.setStock.sku?.stock).toBe(50);
    // Another ERP of the same seller is not the declared one.
    const { token: secondErp } = await f.integration({ seller: s });
    const viaOther = await t.request(SetStockDocument, { skuCode: 'M1_1', quantity: 7 }, secondErp);
    expect(viaOther.data?.setStock.userErrors.map((e) => e.code)).toEqual(['CATALOG_MANAGED_BY_INTEGRATION']);
    // Withdrawn, the portal edits again.
    await t.request(SetCatalogIntegrationDocument, { sellerId: s.id, integrationId: null }, owner);
    const again = await t.request(UpdateProductDocument, { id: p.id, input: { name: 'Portal edit' } }, owner);
    expect(again.data?.updateProduct.product?.name).toBe('Portal edit');
  });
});

describe('storefront', () => {
  it('shows "sold and delivered by" and links to the seller page, which lists that seller\'s products', async () => {
    const p = await c.product(beta, { sellerCode: 'SF1', name: 'Caixa de som' });
    const res = await t.request(ProductDocument, { code: 'BETA-SF1' });
    expect(res.data?.product).toMatchObject({ soldAndDeliveredBy: 'Sold and delivered by Beta Eletrônicos', seller: { id: beta.id, concatenationCode: 'BETA' } });
    const page = await t.request(SellerPageDocument, { code: 'BETA', first: 100 });
    expect(page.data?.seller?.products.edges.map((e) => e.node.id)).toContain(p.id);
    expect(page.data?.seller?.products.edges.every((e) => e.node.status === 'PUBLISHED')).toBe(true);
  });

  it("hides guest sellers' products while the marketplace switch is off, and a suspended seller's", async () => {
    const g = await c.product(alfa, { sellerCode: 'HID1' });
    const admin = await c.product(await f.adminSeller(), { sellerCode: 'STORE1' });
    await f.setMarketplace(false);
    try {
      const list = (await t.request(ProductsDocument, { first: 100 })).data!.products.edges.map((e) => e.node.id);
      expect(list).toContain(admin.id);
      expect(list).not.toContain(g.id);
      expect((await t.request(ProductDocument, { id: g.id })).data?.product).toBeNull();
    } finally {
      await f.setMarketplace(true);
    }
    const susp = await f.seller({ code: 'SUSPP' });
    const sp = await c.product(susp, { sellerCode: 'S1' });
    expect((await t.request(ProductDocument, { id: sp.id })).data?.product?.id).toBe(sp.id);
    await f.em().nativeUpdate(Seller, { id: susp.id }, { status: SellerStatus.SUSPENDED });
    expect((await t.request(ProductDocument, { id: sp.id })).data?.product).toBeNull();
  });

  it('filters by category with descendants, brand, tags, search and stock, and orders by price', async () => {
    const s = await f.seller({ code: 'FLT' });
    const root = await c.category('Moda');
    const child = await c.category('Camisetas', root);
    const grandchild = await c.category('Manga longa', child);
    const other = await c.category('Casa');
    const brand = await c.brand('Acme');
    const [summer, sale] = [await c.tag('verao'), await c.tag('promo')];
    const p1 = await c.product(s, { sellerCode: 'F1', name: 'Camiseta azul', category: child, brand, tags: [summer, sale], skus: [{ code: 'F1_1', price: 3000, stock: 0 }] });
    const p2 = await c.product(s, { sellerCode: 'F2', name: 'Camiseta longa', category: grandchild, tags: [summer], skus: [{ code: 'F2_1', price: 1000, stock: 4 }] });
    await c.product(s, { sellerCode: 'F3', name: 'Vaso', category: other, skus: [{ code: 'F3_1', price: 2000, stock: 4 }] });
    const ids = async (filter: object, orderBy?: object) =>
      (await t.request(ProductsDocument, { first: 100, filter: { sellerId: s.id, ...filter }, orderBy: orderBy as never })).data!.products.edges.map((e) => e.node.id);
    expect(new Set(await ids({ categoryId: root.id }))).toEqual(new Set([p1.id, p2.id]));
    expect(await ids({ categoryId: grandchild.id })).toEqual([p2.id]);
    expect(await ids({ brandId: brand.id })).toEqual([p1.id]);
    expect(await ids({ tagIds: [summer.id, sale.id] })).toEqual([p1.id]);
    expect(new Set(await ids({ tagIds: [summer.id] }))).toEqual(new Set([p1.id, p2.id]));
    expect(await ids({ search: 'longa' })).toEqual([p2.id]);
    expect(await ids({ search: 'FLT-F1' })).toEqual([p1.id]);
    expect(new Set(await ids({ inStock: false }))).toEqual(new Set([p1.id]));
    expect((await ids({}, { field: 'PRICE', direction: 'ASC' })).slice(0, 3)).toEqual([p2.id, expect.any(String), p1.id]);
    expect((await ids({}, { field: 'PRICE', direction: 'DESC' }))[0]).toBe(p1.id);
    const bad = await t.request(ProductsDocument, { first: 10, filter: { categoryId: 'nope' } });
    expect(codes(bad)).toEqual(['NOT_FOUND']);
  });

  it('counts the matching rows only when the client asks for totalCount', async () => {
    const s = await f.seller({ code: 'CNT' });
    for (let i = 0; i < 3; i++) await c.product(s, { sellerCode: `CN${i}` });
    const knex = t.app.runtime.orm.em.getKnex();
    const sql: string[] = [];
    const listen = (q: { sql: string }) => sql.push(q.sql);
    knex.on('query', listen);
    try {
      const page = await t.request(ProductPageOnlyDocument, { first: 2, filter: { sellerId: s.id, inStock: true } });
      expect(page.data?.products.edges).toHaveLength(2);
      expect(page.data?.products.pageInfo.hasNextPage).toBe(true);
      expect(sql.filter((q) => /count\(/i.test(q))).toEqual([]);
      const counted = await t.request(ProductsDocument, { first: 2, filter: { sellerId: s.id, inStock: true } });
      expect(counted.data?.products.totalCount).toBe(3);
      expect(sql.filter((q) => /count\(/i.test(q))).toHaveLength(1);
    } finally {
      knex.removeListener('query', listen);
    }
  });

  it('pages the listing with stable cursors', async () => {
    const s = await f.seller({ code: 'PAGE' });
    for (let i = 0; i < 7; i++) await c.product(s, { sellerCode: `PG${i}` });
    const seen: string[] = [];
    let after: string | null | undefined;
    do {
      const page = await t.request(ProductsDocument, { first: 3, after, filter: { sellerId: s.id } });
      expect(page.data!.products.totalCount).toBe(7);
      seen.push(...page.data!.products.edges.map((e) => e.node.code));
      after = page.data!.products.pageInfo.hasNextPage ? page.data!.products.pageInfo.endCursor : null;
    } while (after);
    expect(seen).toHaveLength(7);
    expect(new Set(seen).size).toBe(7);
  });
});

describe('marketplace out', () => {
  it('lists flagged products of every seller for the hub exporter, to staff and the store\'s integration only', async () => {
    const a = await c.product(alfa, { sellerCode: 'HUB1', marketplaceOut: true });
    const b = await c.product(beta, { sellerCode: 'HUB2', marketplaceOut: true, status: 'DRAFT' as never });
    await c.product(beta, { sellerCode: 'HUB3' });
    const res = await t.request(ProductsForHubDocument, { first: 100 }, tok.storeErp);
    const found = res.data!.productsForHub.edges.map((e) => e.node.id);
    expect(found).toEqual(expect.arrayContaining([a.id, b.id]));
    expect(res.data!.productsForHub.edges.every((e) => ['ALFA-HUB1', 'BETA-HUB2'].includes(e.node.code) || e.node.code.startsWith('HUB') === false)).toBe(true);
    expect(found).toHaveLength(res.data!.productsForHub.totalCount);
    expect(codes(await t.request(ProductsForHubDocument, { first: 10 }, tok.alfaErp))).toEqual(['FORBIDDEN']);
    expect(codes(await t.request(ProductsForHubDocument, { first: 10 }, tok.alfaOwner))).toEqual(['FORBIDDEN']);
    // The flag is settable by the product's own seller.
    const flagged = await t.request(UpdateProductDocument, { id: (await c.product(alfa, { sellerCode: 'HUB4' })).id, input: { marketplaceOut: true } }, tok.alfaCatalog);
    expect(flagged.data?.updateProduct.product?.marketplaceOut).toBe(true);
  });
});
