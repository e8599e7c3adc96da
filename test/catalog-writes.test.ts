import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from './helpers/app.js';
import { CatalogFactory, Factory } from './helpers/factories.js';
import { ArchiveProductDocument, CreateProductDocument, ImportProductsDocument, ImportUpsertProductsDocument, ProductDocument, UpdateProductDocument } from './generated/graphql.js';
import { UserRole } from '../src/shared/access/index.js';
import { Product } from '../src/modules/catalog/catalog.entity.js';
import { MarketplaceSettings } from '../src/modules/sellers/sellers.entity.js';

/**
 * Codes under concurrency, and displayed-code collisions: raw codes cannot contain '-', so a
 * collision needs a product whose prefix is not its seller's current one (the race below);
 * the service must still answer CONFLICT and never show an ERP its prefix.
 */
let t: TestApp;
let f: Factory;
let c: CatalogFactory;

beforeAll(async () => {
  t = await startTestApp();
  f = new Factory(t);
  c = new CatalogFactory(f);
  await f.setMarketplace(true);
});
afterAll(async () => t?.stop());

const input = (sellerCode: string) => ({ sellerCode, name: 'Race', skus: [{ sellerCode: `${sellerCode}_1`, price: 100 }] });

describe('catalog codes', () => {
  it("two writers of one seller's catalog sending the same code at once: one creates it, the others get a CONFLICT", async () => {
    const s = await f.seller({ code: 'RACE' });
    const tokens = [
      (await f.user({ seller: s, role: UserRole.OWNER })).token,
      (await f.user({ seller: s, role: UserRole.CATALOG })).token,
      (await f.integration({ seller: s })).token,
      (await f.operator(UserRole.ADMIN)).token,
    ];
    const results = await Promise.all(
      tokens.map((token, i) => t.request(CreateProductDocument, { input: { ...input('R1'), ...(i === 3 ? { sellerId: s.id } : {}) } }, token)),
    );
    expect(results.flatMap((r) => r.errors ?? [])).toEqual([]);
    const outcomes = results.map((r) => r.data?.createProduct.userErrors.map((e) => e.code).join() || 'CREATED').sort();
    expect(outcomes).toEqual(['CONFLICT', 'CONFLICT', 'CONFLICT', 'CREATED']);
    expect(await f.em().count(Product, { seller: s.id })).toBe(1);
  });

  it("products written while the seller's concatenation code changes carry the new code (portal and file import)", async () => {
    // updateSeller's order: lock the seller row, count its products (none yet), change the code.
    const whileCodeChanges = async (sellerId: string, code: string, write: () => Promise<unknown>) => {
      const trx = await f.em().getConnection().getKnex().transaction();
      let pending: Promise<unknown> | undefined;
      try {
        await trx.raw('select id from seller where id = ? for update', [sellerId]);
        await trx.raw('update seller set concatenation_code = ? where id = ?', [code, sellerId]);
        pending = write();
        await new Promise((r) => setTimeout(r, 300));
        await trx.commit();
      } catch (err) {
        await trx.rollback();
        throw err;
      }
      return pending;
    };
    const s = await f.seller({ code: 'OLDC' });
    const { token } = await f.user({ seller: s, role: UserRole.OWNER });
    await whileCodeChanges(s.id, 'NEWC', () => t.request(CreateProductDocument, { input: input('C1') }, token));
    expect((await f.em().find(Product, { seller: s.id })).map((p) => p.code)).toEqual(['NEWC-C1']);

    const i = await f.seller({ code: 'OLDI' });
    const erp = (await f.integration({ seller: i })).token;
    const data = 'product_code,sku_code,name,price\nI1,I1_1,Imported,100\n';
    await whileCodeChanges(i.id, 'NEWI', () => t.request(ImportProductsDocument, { input: { format: 'CSV', data } }, erp));
    expect((await f.em().find(Product, { seller: i.id })).map((p) => p.code)).toEqual(['NEWI-I1']);
  });

  it("a displayed code held by another seller's product is a CONFLICT; the ERP is told its raw code only", async () => {
    const owner = await f.seller({ code: 'COLA' });
    const other = await f.seller({ code: 'COLB' });
    const erp = (await f.integration({ seller: owner })).token;
    const portal = (await f.user({ seller: owner, role: UserRole.OWNER })).token;
    // A product of another seller whose displayed code carries COLA's prefix (written while a
    // concatenation code changed, before that was locked out, or by hand).
    const legacy = await c.product(other, { sellerCode: 'L1', skus: [{ code: 'L1_1', price: 100 }] });
    await f.em().nativeUpdate(Product, { id: legacy.id }, { code: 'COLA-Z9' });

    const viaErp = await t.request(CreateProductDocument, { input: input('Z9') }, erp);
    expect(viaErp.data?.createProduct.userErrors.map((e) => [e.code, e.field])).toEqual([['CONFLICT', ['input', 'sellerCode']]]);
    expect(viaErp.data?.createProduct.userErrors[0]?.message).toContain('Z9');
    expect(JSON.stringify(viaErp)).not.toContain('COLA');

    const upsert = await t.request(ImportUpsertProductsDocument, { input: { products: [input('Z9')] } }, erp);
    expect(upsert.data?.upsertProducts.userErrors.map((e) => [e.code, e.field])).toEqual([['CONFLICT', ['input', 'products', '0', 'sellerCode']]]);
    expect(JSON.stringify(upsert)).not.toContain('COLA');

    const imported = await t.request(ImportProductsDocument, { input: { format: 'CSV', data: 'product_code,sku_code,name,price\nZ9,Z9_1,Race,100\n' } }, erp);
    expect(imported.data?.importProducts.errors?.map((e) => [e.line, e.column, e.code])).toEqual([[2, 'product_code', 'CONFLICT']]);
    expect(JSON.stringify(imported)).not.toContain('COLA');

    // The portal reads displayed codes, so it is told the displayed one.
    const viaPortal = await t.request(CreateProductDocument, { input: input('Z9') }, portal);
    expect(viaPortal.data?.createProduct.userErrors[0]?.message).toContain('COLA-Z9');
    expect(await f.em().count(Product, { seller: owner.id })).toBe(0);
  });
});

describe('status', () => {
  it('an archived guest product asked back to PUBLISHED goes through review again; a pending one stays pending until the operator decides', async () => {
    const s = await f.seller({ code: 'STAT' });
    const { token } = await f.user({ seller: s, role: UserRole.OWNER });
    await f.em().nativeUpdate(MarketplaceSettings, { id: 1 }, { requireProductReview: true });
    try {
      const p = await c.product(s, { sellerCode: 'A1' });
      expect((await t.request(ArchiveProductDocument, { id: p.id }, token)).data?.archiveProduct.product?.status).toBe('ARCHIVED');
      const back = await t.request(UpdateProductDocument, { id: p.id, input: { status: 'PUBLISHED' } }, token);
      expect(back.data?.updateProduct.product?.status).toBe('PENDING_REVIEW');
      expect((await t.request(ProductDocument, { id: p.id })).data?.product).toBeNull();
      // Editing a pending product, or asking again, leaves it pending; ARCHIVED/PENDING_REVIEW cannot be asked for here.
      const edit = await t.request(UpdateProductDocument, { id: p.id, input: { name: 'Renamed', status: 'PUBLISHED' } }, token);
      expect(edit.data?.updateProduct.product?.status).toBe('PENDING_REVIEW');
      for (const status of ['ARCHIVED', 'PENDING_REVIEW'] as const) {
        const refused = await t.request(UpdateProductDocument, { id: p.id, input: { status } }, token);
        expect(refused.data?.updateProduct.userErrors.map((e) => e.field)).toEqual([['input', 'status']]);
      }
      expect((await f.em().findOneOrFail(Product, { id: p.id })).status).toBe('PENDING_REVIEW');
    } finally {
      await f.em().nativeUpdate(MarketplaceSettings, { id: 1 }, { requireProductReview: false });
    }
  });
});
