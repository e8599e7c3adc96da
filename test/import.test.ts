import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, codes, type TestApp } from './helpers/app.js';
import { CatalogFactory, Factory } from './helpers/factories.js';
import { ImportBulkUpdateProductsDocument, ImportProductsDocument, ImportUpsertProductsDocument } from './generated/graphql.js';
import { UserRole } from '../src/shared/access/index.js';
import { Category, Color, Size, Tag } from '../src/modules/catalog/attributes.entity.js';
import { KitComponent, Product, ProductStatus, Sku } from '../src/modules/catalog/catalog.entity.js';
import { rowsFromCsv } from '../src/modules/catalog/import.parse.js';
import { Seller } from '../src/modules/sellers/sellers.entity.js';
import { CatalogIntegration } from '../src/modules/integrations/integrations.entity.js';

let t: TestApp;
let f: Factory;
let c: CatalogFactory;
let alfa: Seller;
let beta: Seller;
let category: Category;
let tags: { summer: Tag; promo: Tag; sale: Tag };
let tok: {
  operator: string;
  operatorSupport: string;
  alfaOwner: string;
  alfaCatalog: string;
  alfaFinance: string;
  betaOwner: string;
  alfaErp: string;
  betaErp: string;
  customer: string;
};

const HEADER = 'product_code,name,description,category_slug,brand,tags,sku_code,color,size,price,list_price,weight_grams,stock,image_urls,status';

const importCsv = (data: string, token: string, sellerId?: string) => t.request(ImportProductsDocument, { input: { format: 'CSV', data, sellerId } }, token);
const productsOf = (seller: Seller) => f.em().find(Product, { seller: seller.id }, { populate: ['tags', 'category', 'brand'], orderBy: { sellerCode: 'asc' } });
const skusOf = async (seller: Seller, productCode: string) => {
  const p = await f.em().findOneOrFail(Product, { seller: seller.id, sellerCode: productCode });
  return f.em().find(Sku, { product: p.id }, { populate: ['color', 'size'], orderBy: { position: 'asc' } });
};

beforeAll(async () => {
  t = await startTestApp();
  f = new Factory(t);
  c = new CatalogFactory(f);
  await f.setMarketplace(true);
  alfa = await f.seller({ code: 'ALFA', name: 'Alfa Modas' });
  beta = await f.seller({ code: 'BETA', name: 'Beta Eletrônicos' });
  category = await c.category('Roupas');
  await c.brand('Acme');
  tags = { summer: await c.tag('Verão'), promo: await c.tag('Promo'), sale: await c.tag('Liquidação') };
  const em = f.em();
  for (const name of ['Azul', 'Vermelho']) em.persist(em.create(Color, { name }));
  for (const name of ['P', 'M', 'G', '38']) em.persist(em.create(Size, { name }));
  await em.flush();
  tok = {
    operator: (await f.operator(UserRole.OWNER)).token,
    operatorSupport: (await f.operator(UserRole.SUPPORT)).token,
    alfaOwner: (await f.user({ seller: alfa, role: UserRole.OWNER })).token,
    alfaCatalog: (await f.user({ seller: alfa, role: UserRole.CATALOG })).token,
    alfaFinance: (await f.user({ seller: alfa, role: UserRole.FINANCE })).token,
    betaOwner: (await f.user({ seller: beta, role: UserRole.OWNER })).token,
    alfaErp: (await f.integration({ seller: alfa })).token,
    betaErp: (await f.integration({ seller: beta })).token,
    customer: (await f.customer()).token,
  };
});
afterAll(async () => t?.stop());

describe('CSV reading', () => {
  it('numbers rows by the physical line they start on, through quoted line breaks, CRLF and doubled quotes', () => {
    const csv = ['product_code,name,sku_code,price', 'A,"two\r\nlines",A.1,100', '', 'B,"say ""hi""",B.1,200', 'C,"x\ny\nz",C.1,300', 'D,plain,D.1,400'].join('\r\n');
    const rows = rowsFromCsv(`\uFEFF${csv}\r\n`);
    expect(rows.map((r) => [r.line, r.cells.product_code, r.cells.name])).toEqual([
      [2, 'A', 'two\r\nlines'],
      [5, 'B', 'say "hi"'],
      [6, 'C', 'x\ny\nz'],
      [9, 'D', 'plain'],
    ]);
  });

  it('reads semicolon files (Brazilian spreadsheets) and refuses unknown or missing columns', () => {
    expect(rowsFromCsv('product_code;sku_code;price\nA;A.1;1990').map((r) => r.cells)).toEqual([{ product_code: 'A', sku_code: 'A.1', price: '1990' }]);
    expect(() => rowsFromCsv('product_code,sku_code,prise\nA,A.1,1')).toThrow(/Unknown column/);
    expect(() => rowsFromCsv('product_code,name\nA,x')).toThrow(/needs the column\(s\) sku_code, price/);
    expect(() => rowsFromCsv('product_code,sku_code,price\nA,"A.1,1\nB,B.1,2')).toThrow(/Line 2: a quoted field is never closed/);
  });

  it('round-trips any fields a spreadsheet could write (property)', () => {
    const field = fc.string({ unit: fc.constantFrom('a', 'Z', '9', ',', '"', '\n', '\r\n', ' ', 'ç', '|'), maxLength: 8 });
    fc.assert(
      fc.property(fc.array(fc.tuple(field, field, field), { minLength: 1, maxLength: 6 }), fc.boolean(), (records, crlf) => {
        const nl = crlf ? '\r\n' : '\n';
        const quote = (s: string) => `"${s.replace(/"/g, '""')}"`;
        // A record that is one empty field would be a blank line; the first column is never empty here.
        const rows = records.map(([a, b, d]) => [`k${a}`, b, d]);
        const text = ['product_code,sku_code,price', ...rows.map((r) => r.map(quote).join(','))].join(nl);
        const parsed = rowsFromCsv(text);
        let line = 2;
        const lines = rows.map((r) => {
          const start = line;
          line += 1 + r.join(',').split(/\r\n|\n/).length - 1;
          return start;
        });
        expect(parsed.map((p) => [p.cells.product_code, p.cells.sku_code, p.cells.price])).toEqual(rows);
        expect(parsed.map((p) => p.line)).toEqual(lines);
      }),
    );
  });
});

describe('importProducts', () => {
  it('reports failing rows by exact line, saves none of their products, and saves the good ones', async () => {
    const csv = [
      HEADER,
      `CAM1,Camiseta,"Algodão, leve",${category.slug},Acme,Verão|Promo,CAM1.P,Azul,P,1990,2990,300,5,https://img.example/cam1-azul.jpg,PUBLISHED`,
      'CAM1,,,,,,CAM1.M,Azul,M,1990,,300,4,https://img.example/cam1-azul.jpg|https://img.example/cam1-b.jpg,',
      'CAL1,Calça,"Uma descrição',
      'em duas linhas, com ""aspas""",,Acme,,CAL1.38,,38,8990,,700,2,,',
      'BAD1,Bermuda,,,,,BAD1.P,Roxo,P,19.90,,300,1,,', // line 6: unknown colour, decimal price
      'BAD1,Bermuda,,,,,BAD1.M,,M,2500,,300,1,,', // line 7: fine, but its product failed
      'BAD2,Saia,,,NoBrand,,BAD2.U,,,1000,500,,,,', // line 8: unknown brand, list price below price
      ',Sem código,,,,,X.1,,,100,,,,,', // line 9: no product code
      'BAD3,Short,,,,,BAD3.1,,,100', // line 10: too few fields
      'BAD4,"Vestido ""longo""",,,,,BAD4.1,,,abc,,,,,DELETED', // line 11: price not a number, unknown status
    ].join('\r\n');
    const before = await f.em().count(Product, {});
    const res = await importCsv(csv, tok.alfaCatalog);
    const out = res.data?.importProducts;
    expect(out?.userErrors).toEqual([]);
    expect(out?.errors?.map((e) => [e.line, e.column, e.code, e.productCode])).toEqual([
      [6, 'price', 'BAD_USER_INPUT', 'BAD1'],
      [6, 'color', 'NOT_FOUND', 'BAD1'],
      [8, 'brand', 'NOT_FOUND', 'BAD2'],
      [8, 'list_price', 'BAD_USER_INPUT', 'BAD2'],
      [9, 'product_code', 'BAD_USER_INPUT', null],
      [10, null, 'BAD_USER_INPUT', 'BAD3'],
      [11, 'price', 'BAD_USER_INPUT', 'BAD4'],
      [11, 'status', 'BAD_USER_INPUT', 'BAD4'],
    ]);
    expect(out?.errors?.[0]?.message).toMatch(/whole centavos: write 1990/);
    expect(out).toMatchObject({ created: 2, updated: 0, unchanged: 0, failed: 5 });
    expect(out?.failedProductCodes?.sort()).toEqual(['BAD1', 'BAD2', 'BAD3', 'BAD4']);

    expect(await f.em().count(Product, {})).toBe(before + 2);
    const saved = await productsOf(alfa);
    expect(saved.map((p) => p.sellerCode)).toEqual(expect.arrayContaining(['CAL1', 'CAM1']));
    expect(saved.some((p) => p.sellerCode.startsWith('BAD'))).toBe(false);
    const cam = saved.find((p) => p.sellerCode === 'CAM1')!;
    expect(cam).toMatchObject({ code: 'ALFA-CAM1', name: 'Camiseta', description: 'Algodão, leve', status: ProductStatus.PENDING_REVIEW, minPriceCents: 1990 });
    expect(cam.category?.getEntity().slug).toBe(category.slug);
    expect(cam.brand?.getEntity().name).toBe('Acme');
    expect(cam.tags.getItems().map((x) => x.name).sort()).toEqual(['Promo', 'Verão']);
    expect(cam.images.map((i) => i.url)).toEqual(['https://img.example/cam1-azul.jpg', 'https://img.example/cam1-b.jpg']);
    const camSkus = await skusOf(alfa, 'CAM1');
    expect(camSkus.map((s) => [s.code, s.color?.getEntity().name, s.size?.getEntity().name, s.priceCents, s.listPriceCents, s.stock])).toEqual([
      ['ALFA-CAM1.P', 'Azul', 'P', 1990, 2990, 5],
      ['ALFA-CAM1.M', 'Azul', 'M', 1990, null, 4],
    ]);
    const cal = saved.find((p) => p.sellerCode === 'CAL1')!;
    expect(cal.description).toBe('Uma descrição\r\nem duas linhas, com "aspas"');
    expect(cal.status).toBe(ProductStatus.DRAFT);
  });

  it('JSON rows are numbered by array index + 1 and follow the same rules', async () => {
    const rows = [
      { product_code: 'J1', name: 'Json', sku_code: 'J1.1', price: 1500, stock: 3, tags: ['Promo'] },
      { product_code: 'J2', name: 'Json 2', sku_code: 'J2.1', price: 19.9 },
      { product_code: 'J2', sku_code: 'J2.2', price: 2000, size: 'XXL' },
      { product_code: 'J3', name: 'Json 3', sku_code: 'J3.1', price: 100, weight: 3 },
    ];
    const res = await t.request(ImportProductsDocument, { input: { format: 'JSON', data: JSON.stringify(rows) } }, tok.alfaErp);
    const out = res.data?.importProducts;
    expect(out?.errors?.map((e) => [e.line, e.column, e.code])).toEqual([
      [2, 'price', 'BAD_USER_INPUT'],
      [3, 'size', 'NOT_FOUND'],
      [4, null, 'BAD_USER_INPUT'],
    ]);
    expect(out).toMatchObject({ created: 1, failed: 2, failedProductCodes: ['J2', 'J3'] });
    const j1 = await f.em().findOneOrFail(Product, { seller: alfa.id, sellerCode: 'J1' }, { populate: ['tags'] });
    expect(j1.tags.getItems().map((x) => x.name)).toEqual(['Promo']);
  });

  it('the same ERP codes imported by two sellers make two products; each keeps its raw code', async () => {
    const csv = [HEADER, 'SAME1,Produto comum,,,,,SAME1.U,,,1000,,100,1,,'].join('\n');
    const a = await importCsv(csv, tok.alfaOwner);
    // Operator staff import for any seller.
    const b = await importCsv(csv, tok.operator, beta.id);
    expect(a.data?.importProducts).toMatchObject({ created: 1, failed: 0, userErrors: [] });
    expect(b.data?.importProducts).toMatchObject({ created: 1, failed: 0, userErrors: [] });
    const rows = await f.em().find(Product, { sellerCode: 'SAME1' }, { orderBy: { code: 'asc' } });
    expect(rows.map((p) => [p.code, p.seller.id])).toEqual([
      ['ALFA-SAME1', alfa.id],
      ['BETA-SAME1', beta.id],
    ]);
    expect((await f.em().find(Sku, { sellerCode: 'SAME1.U' })).map((s) => s.code).sort()).toEqual(['ALFA-SAME1.U', 'BETA-SAME1.U']);
  });

  it('re-importing is idempotent: unchanged, no duplicates; a changed row updates only its product', async () => {
    const file = (price: number, withSecondSku = true) =>
      [
        HEADER,
        `RE1,Repetido,,${category.slug},Acme,Promo,RE1.P,Vermelho,P,${price},,200,10,https://img.example/re1.jpg,DRAFT`,
        ...(withSecondSku ? ['RE1,,,,,,RE1.G,Vermelho,G,2100,,200,10,,'] : []),
        'RE2,Outro,,,,,RE2.U,,,500,,100,1,,DRAFT',
      ].join('\n');
    expect((await importCsv(file(2000), tok.alfaCatalog)).data?.importProducts).toMatchObject({ created: 2, updated: 0, unchanged: 0 });
    const stamp = async () => (await f.em().find(Product, { seller: alfa.id, sellerCode: { $in: ['RE1', 'RE2'] } }, { orderBy: { sellerCode: 'asc' } })).map((p) => p.updatedAt.getTime());
    const first = await stamp();
    const again = await importCsv(file(2000), tok.alfaCatalog);
    expect(again.data?.importProducts).toMatchObject({ created: 0, updated: 0, unchanged: 2, failed: 0, errors: [] });
    expect(await stamp()).toEqual(first);
    expect(await f.em().count(Product, { seller: alfa.id, sellerCode: { $in: ['RE1', 'RE2'] } })).toBe(2);
    expect(await f.em().count(Sku, { seller: alfa.id, sellerCode: { $like: 'RE%' } })).toBe(3);

    // A new price and one SKU left out: RE1 is updated, the missing SKU deactivated, RE2 untouched.
    const changed = await importCsv(file(1800, false), tok.alfaCatalog);
    expect(changed.data?.importProducts).toMatchObject({ created: 0, updated: 1, unchanged: 1 });
    expect((await skusOf(alfa, 'RE1')).map((s) => [s.sellerCode, s.priceCents, s.active])).toEqual([
      ['RE1.P', 1800, true],
      ['RE1.G', 2100, false],
    ]);
    expect((await stamp())[1]).toBe(first[1]);
  });

  it('a column left out keeps the stored value, an empty cell clears it (stock: leaves it)', async () => {
    const full = [HEADER, `KEEP1,Mantido,Texto,${category.slug},Acme,Promo,KEEP1.U,Azul,M,2500,3000,400,5,,DRAFT`].join('\n');
    expect((await importCsv(full, tok.alfaOwner)).data?.importProducts).toMatchObject({ created: 1 });
    const onlyPrice = ['product_code,sku_code,price', 'KEEP1,KEEP1.U,2400'].join('\n');
    expect((await importCsv(onlyPrice, tok.alfaOwner)).data?.importProducts).toMatchObject({ updated: 1, errors: [] });
    let p = await f.em().findOneOrFail(Product, { seller: alfa.id, sellerCode: 'KEEP1' }, { populate: ['tags', 'brand', 'category'] });
    let s = (await skusOf(alfa, 'KEEP1'))[0]!;
    expect([p.name, p.description, p.category?.id, p.brand?.getEntity().name, p.tags.getItems().map((x) => x.name)]).toEqual(['Mantido', 'Texto', category.id, 'Acme', ['Promo']]);
    expect([s.priceCents, s.listPriceCents, s.stock, s.weightGrams, s.color?.getEntity().name, s.size?.getEntity().name]).toEqual([2400, 3000, 5, 400, 'Azul', 'M']);

    const clearing = ['product_code,sku_code,price,brand,tags,list_price,stock,color', 'KEEP1,KEEP1.U,2400,,,,,'].join('\n');
    expect((await importCsv(clearing, tok.alfaOwner)).data?.importProducts).toMatchObject({ updated: 1, errors: [] });
    p = await f.em().findOneOrFail(Product, { seller: alfa.id, sellerCode: 'KEEP1' }, { populate: ['tags', 'brand', 'category'] });
    s = (await skusOf(alfa, 'KEEP1'))[0]!;
    expect([p.brand ?? null, p.tags.getItems(), p.category?.id]).toEqual([null, [], category.id]);
    expect([s.listPriceCents, s.stock, s.color ?? null, s.size?.getEntity().name]).toEqual([null, 5, null, 'M']);
  });

  it('rows of one product must agree, and a SKU code under two products fails both', async () => {
    const csv = [
      'product_code,name,sku_code,price',
      'AG1,Nome A,AG1.1,100',
      'AG1,,AG1.2,100',
      'AG1,Nome B,AG1.3,100', // line 4
      'TW1,Um,TW.X,100', // line 5
      'TW2,Dois,TW.X,100', // line 6
      'OK9,Certo,OK9.1,100',
    ].join('\n');
    const out = (await importCsv(csv, tok.alfaOwner)).data?.importProducts;
    expect(out?.errors?.map((e) => [e.line, e.column, e.code, e.productCode])).toEqual([
      [4, 'name', 'BAD_USER_INPUT', 'AG1'],
      [5, 'sku_code', 'CONFLICT', 'TW1'],
      [6, 'sku_code', 'CONFLICT', 'TW2'],
    ]);
    expect(out?.errors?.[0]?.message).toMatch(/Line 2 gives this product another name/);
    expect(out).toMatchObject({ created: 1, failed: 3 });
  });

  it('imports 10,000 rows in one call', { timeout: 180_000 }, async () => {
    const lines = [HEADER];
    for (let p = 0; p < 2000; p += 1) {
      for (const [i, size] of ['P', 'M', 'G', '38', 'P'].entries()) {
        const sku = `BIG${p}.${i}`;
        lines.push(
          `BIG${p},"Produto ${p}, linha grande",Descrição ${p},${category.slug},Acme,Verão|Promo,${sku},${i % 2 ? 'Azul' : 'Vermelho'},${size},${1000 + i},${2000 + i},300,${i},https://img.example/big/${sku}.jpg,DRAFT`,
        );
      }
    }
    const csv = lines.join('\n');
    const started = performance.now();
    const res = await importCsv(csv, tok.betaErp);
    const seconds = (performance.now() - started) / 1000;
    expect(res.data?.importProducts).toMatchObject({ created: 2000, failed: 0, errors: [], userErrors: [] });
    expect(await f.em().count(Sku, { seller: beta.id, sellerCode: { $like: 'BIG%' } })).toBe(10_000);

    const again = performance.now();
    const res2 = await importCsv(csv, tok.betaErp);
    const seconds2 = (performance.now() - again) / 1000;
    expect(res2.data?.importProducts).toMatchObject({ created: 0, updated: 0, unchanged: 2000 });
    console.log(
      `[import] 10,000 rows (${(csv.length / 1024 / 1024).toFixed(2)} MB): first import ${seconds.toFixed(2)} s = ${Math.round(10_000 / seconds)} rows/s; ` +
        `re-import (all unchanged) ${seconds2.toFixed(2)} s = ${Math.round(10_000 / seconds2)} rows/s`,
    );
  });

  it('who may import: staff for any seller, a seller and its ERP for their own only', async () => {
    const csv = [HEADER, 'WHO1,Quem,,,,,WHO1.U,,,100,,,,,'].join('\n');
    expect(codes(await importCsv(csv, tok.alfaOwner, beta.id))).toEqual(['FORBIDDEN']);
    expect(codes(await importCsv(csv, tok.alfaErp, beta.id))).toEqual(['FORBIDDEN']);
    expect(codes(await importCsv(csv, tok.alfaFinance))).toEqual(['FORBIDDEN']);
    expect(codes(await importCsv(csv, tok.customer))).toEqual(['FORBIDDEN']);
    expect(codes(await t.request(ImportProductsDocument, { input: { format: 'CSV', data: csv } }))).toEqual(['UNAUTHENTICATED']);
    expect(await f.em().count(Product, { sellerCode: 'WHO1' })).toBe(0);
  });

  it('refuses a file over 10,000 rows, and broken files, as a whole', async () => {
    const lines = [HEADER];
    for (let i = 0; i <= 10_000; i += 1) lines.push(`L${i},N,,,,,L${i}.1,,,1,,,,,`);
    const big = await importCsv(lines.join('\n'), tok.alfaOwner);
    expect(big.data?.importProducts.userErrors.map((e) => [e.code, e.field])).toEqual([['BAD_USER_INPUT', ['input', 'data']]]);
    expect(big.data?.importProducts.created).toBeNull();
    const broken = await importCsv(`${HEADER}\nX,"open,,,,,X.1,,,1,,,,,`, tok.alfaOwner);
    expect(broken.data?.importProducts.userErrors[0]?.message).toMatch(/Line 2: a quoted field is never closed/);
    const json = await t.request(ImportProductsDocument, { input: { format: 'JSON', data: '{"product_code":1}' } }, tok.alfaOwner);
    expect(json.data?.importProducts.userErrors.map((e) => e.code)).toEqual(['BAD_USER_INPUT']);
    expect(await f.em().count(Product, { sellerCode: { $like: 'L%' } })).toBe(0);
  });
});

describe('upsertProducts', () => {
  const erpPayload = (stock = 7) => ({
    products: [
      {
        sellerCode: 'ERP1',
        name: 'Tênis',
        categorySlug: category.slug,
        brandName: 'Acme',
        tagNames: ['Verão'],
        status: 'PUBLISHED' as const,
        images: [{ url: 'https://img.example/erp1.jpg', alt: 'Tênis azul' }],
        skus: [
          { sellerCode: 'ERP1.38', sizeName: '38', colorName: 'Azul', price: 19990, stock, images: [{ url: 'https://img.example/erp1-38.jpg' }] },
          { sellerCode: 'ERP1.P', sizeName: 'P', price: 18990, stock: 2 },
        ],
      },
      { sellerCode: 'ERP2', name: 'Meia', skus: [{ sellerCode: 'ERP2.U', price: 990, stock: 50 }] },
      { sellerCode: 'KIT1', name: 'Kit tênis + meia', skus: [{ sellerCode: 'KIT1.U', price: 20500 }], kitComponents: [{ skuCode: 'ERP1.38' }, { skuCode: 'ERP2.U', quantity: 2 }] },
    ],
  });

  it('is idempotent: the same payload twice changes nothing the second time; stock given is absolute', async () => {
    const first = await t.request(ImportUpsertProductsDocument, { input: erpPayload() }, tok.alfaErp);
    const out = first.data?.upsertProducts;
    expect(out?.userErrors).toEqual([]);
    expect(out).toMatchObject({ created: 3, updated: 0, unchanged: 0 });
    const erp1 = out?.results?.[0]?.product;
    // The ERP reads its raw codes only.
    expect(erp1).toMatchObject({ code: 'ERP1', sellerCode: 'ERP1', status: 'PENDING_REVIEW', category: { slug: category.slug }, brand: { name: 'Acme' }, tags: [{ name: 'Verão' }] });
    expect(erp1?.skus.edges.map((e) => [e.node.code, e.node.color?.name ?? null, e.node.size?.name, e.node.stock])).toEqual([
      ['ERP1.38', 'Azul', '38', 7],
      ['ERP1.P', null, 'P', 2],
    ]);
    expect(out?.results?.[2]?.product.isKit).toBe(true);
    const kit = await f.em().find(KitComponent, { kit: out!.results![2]!.product.id }, { populate: ['sku'], orderBy: { position: 'asc' } });
    expect(kit.map((k) => [k.sku.getEntity().code, k.quantity])).toEqual([
      ['ALFA-ERP1.38', 1],
      ['ALFA-ERP2.U', 2],
    ]);
    const stamps = async () => (await f.em().find(Product, { seller: alfa.id, sellerCode: { $in: ['ERP1', 'ERP2', 'KIT1'] } }, { orderBy: { sellerCode: 'asc' } })).map((p) => p.updatedAt.getTime());
    const before = await stamps();

    const second = await t.request(ImportUpsertProductsDocument, { input: erpPayload() }, tok.alfaErp);
    expect(second.data?.upsertProducts).toMatchObject({ created: 0, updated: 0, unchanged: 3, userErrors: [] });
    expect(second.data?.upsertProducts.results?.map((r) => r.outcome)).toEqual(['UNCHANGED', 'UNCHANGED', 'UNCHANGED']);
    expect(await stamps()).toEqual(before);
    expect(await f.em().count(Product, { seller: alfa.id, sellerCode: { $in: ['ERP1', 'ERP2', 'KIT1'] } })).toBe(3);

    // Someone sells 3 units; the ERP then sends its own count, which wins.
    await f.em().nativeUpdate(Sku, { code: 'ALFA-ERP1.38' }, { stock: 4 });
    const third = await t.request(ImportUpsertProductsDocument, { input: erpPayload(6) }, tok.alfaErp);
    expect(third.data?.upsertProducts.results?.map((r) => r.outcome)).toEqual(['UPDATED', 'UNCHANGED', 'UNCHANGED']);
    expect((await f.em().findOneOrFail(Sku, { code: 'ALFA-ERP1.38' })).stock).toBe(6);
  });

  it("a guest seller's ERP addresses only its own seller: the same raw code creates its own product and never touches another seller's", async () => {
    const created = await c.product(beta, { sellerCode: 'SHARED1', name: 'Beta original', skus: [{ code: 'SHARED1.U', price: 700, stock: 9 }] });
    const theirs = await f.em().findOneOrFail(Product, { id: created.id });
    const res = await t.request(
      ImportUpsertProductsDocument,
      { input: { products: [{ sellerCode: 'SHARED1', name: 'Alfa version', skus: [{ sellerCode: 'SHARED1.U', price: 100, stock: 1 }] }] } },
      tok.alfaErp,
    );
    expect(res.data?.upsertProducts).toMatchObject({ created: 1, userErrors: [] });
    const untouched = await f.em().findOneOrFail(Product, { id: theirs.id });
    expect(untouched).toMatchObject({ name: 'Beta original', code: 'BETA-SHARED1' });
    expect(untouched.updatedAt.getTime()).toBe(theirs.updatedAt.getTime());
    expect((await f.em().findOneOrFail(Sku, { code: 'BETA-SHARED1.U' })).stock).toBe(9);
    expect((await f.em().findOneOrFail(Product, { seller: alfa.id, sellerCode: 'SHARED1' })).code).toBe('ALFA-SHARED1');
    // A SKU code its seller already uses elsewhere is a CONFLICT named by the raw code only.
    const moved = await t.request(
      ImportUpsertProductsDocument,
      { input: { products: [{ sellerCode: 'MOVE1', name: 'Moved', skus: [{ sellerCode: 'SHARED1.U', price: 100 }] }] } },
      tok.alfaErp,
    );
    expect(moved.data?.upsertProducts.userErrors.map((e) => [e.code, e.field?.join('.')])).toEqual([['CONFLICT', 'input.products.0.skus.0.sellerCode']]);
    expect(JSON.stringify(moved.data)).not.toContain('ALFA-');
    // Naming the other seller is FORBIDDEN, not a way in.
    const widen = await t.request(ImportUpsertProductsDocument, { input: { sellerId: beta.id, products: [{ sellerCode: 'SHARED1', name: 'Hijack' }] } }, tok.alfaErp);
    expect(codes(widen)).toEqual(['FORBIDDEN']);
    expect((await f.em().findOneOrFail(Product, { id: theirs.id })).name).toBe('Beta original');
  });

  it('unknown attribute names are NOT_FOUND with their field paths, and the whole batch is refused', async () => {
    const before = await f.em().count(Product, {});
    const res = await t.request(
      ImportUpsertProductsDocument,
      {
        input: {
          products: [
            { sellerCode: 'OK1', name: 'Would be fine', skus: [{ sellerCode: 'OK1.U', price: 100 }] },
            { sellerCode: 'UNK1', name: 'Unknown brand', brandName: 'Nope', categorySlug: 'no-such-slug', skus: [{ sellerCode: 'UNK1.U', price: 100 }] },
            { sellerCode: 'UNK2', name: 'Unknown tag', tagNames: ['Promo', 'Ghost'], skus: [{ sellerCode: 'UNK2.U', price: 100, colorName: 'Turquesa', sizeName: 'XG' }] },
            { sellerCode: 'NEG1', name: 'Bad price', skus: [{ sellerCode: 'NEG1.U', price: -5 }] },
          ],
        },
      },
      tok.alfaErp,
    );
    const got = res.data?.upsertProducts.userErrors.map((e) => [e.code, e.field?.join('.')]).sort(byPath);
    expect(got).toEqual(
      [
        ['NOT_FOUND', 'input.products.1.categorySlug'],
        ['NOT_FOUND', 'input.products.1.brandName'],
        ['NOT_FOUND', 'input.products.2.tagNames.1'],
        ['NOT_FOUND', 'input.products.2.skus.0.colorName'],
        ['NOT_FOUND', 'input.products.2.skus.0.sizeName'],
        ['BAD_USER_INPUT', 'input.products.3.skus.0.price'],
      ].sort(byPath),
    );
    expect(await f.em().count(Product, {})).toBe(before);
  });

  it('operator staff upsert for a seller by its raw codes; limits and roles', async () => {
    const res = await t.request(
      ImportUpsertProductsDocument,
      {
        input: {
          sellerId: beta.id,
          products: [
            { sellerCode: 'OPB1', name: 'Por operador', skus: [{ sellerCode: 'OPB1.U', price: 300, stock: 4 }] },
            { sellerCode: 'OPKIT', name: 'Kit', skus: [{ sellerCode: 'OPKIT.U', price: 500 }], kitComponents: [{ skuCode: 'OPB1.U', quantity: 3 }] },
          ],
        },
      },
      tok.operator,
    );
    expect(res.data?.upsertProducts.userErrors).toEqual([]);
    // Staff read displayed codes.
    expect(res.data?.upsertProducts.results?.map((r) => r.product.code)).toEqual(['BETA-OPB1', 'BETA-OPKIT']);
    expect(res.data?.upsertProducts.results?.[1]?.product.isKit).toBe(true);

    const many = Array.from({ length: 501 }, (_, i) => ({ sellerCode: `M${i}`, name: 'x', skus: [{ sellerCode: `M${i}.U`, price: 1 }] }));
    const tooMany = await t.request(ImportUpsertProductsDocument, { input: { products: many } }, tok.alfaErp);
    expect(tooMany.data?.upsertProducts.userErrors.map((e) => [e.code, e.field])).toEqual([['BAD_USER_INPUT', ['input', 'products']]]);
    const dup = await t.request(
      ImportUpsertProductsDocument,
      { input: { products: [{ sellerCode: 'D1', name: 'a', skus: [{ sellerCode: 'D1.1', price: 1 }] }, { sellerCode: 'D1', name: 'b' }] } },
      tok.alfaErp,
    );
    expect(dup.data?.upsertProducts.userErrors.map((e) => [e.code, e.field?.join('.')])).toEqual([['CONFLICT', 'input.products.1.sellerCode']]);
    const sharedSku = await t.request(
      ImportUpsertProductsDocument,
      { input: { products: [{ sellerCode: 'S1', name: 'a', skus: [{ sellerCode: 'S.X', price: 1 }] }, { sellerCode: 'S2', name: 'b', skus: [{ sellerCode: 'S.X', price: 1 }] }] } },
      tok.alfaErp,
    );
    expect(sharedSku.data?.upsertProducts.userErrors.map((e) => [e.code, e.field?.join('.')])).toEqual([['CONFLICT', 'input.products.1.skus.0.sellerCode']]);
    // Seller users use the portal or the file import; support staff do not write catalogs.
    expect(codes(await t.request(ImportUpsertProductsDocument, { input: { products: [] } }, tok.alfaOwner))).toEqual(['FORBIDDEN']);
    expect(codes(await t.request(ImportUpsertProductsDocument, { input: { products: [] } }, tok.operatorSupport))).toEqual(['FORBIDDEN']);
  });
});

describe('bulkUpdateProducts', () => {
  it('operator staff update products of two sellers in one call; unknown ids are reported one by one', async () => {
    const a = await c.product(alfa, { sellerCode: 'BLK1', status: ProductStatus.PENDING_REVIEW, tags: [tags.promo] });
    const b = await c.product(beta, { sellerCode: 'BLK2', status: ProductStatus.DRAFT });
    const ghost = randomUUID();
    const input = {
      productIds: [a.id, b.id, ghost, 'not-an-id', a.id],
      setStatus: 'PUBLISHED' as const,
      addTagIds: [tags.sale.id],
      removeTagIds: [tags.promo.id],
      addImages: [{ url: 'https://img.example/bulk.jpg' }],
    };
    const res = await t.request(ImportBulkUpdateProductsDocument, { input }, tok.operator);
    expect(res.data?.bulkUpdateProducts).toMatchObject({ updatedCount: 2, userErrors: [] });
    expect(res.data?.bulkUpdateProducts.errors?.map((e) => [e.productId, e.code])).toEqual([
      [ghost, 'NOT_FOUND'],
      ['not-an-id', 'NOT_FOUND'],
    ]);
    const rows = await f.em().find(Product, { id: { $in: [a.id, b.id] } }, { populate: ['tags'], orderBy: { sellerCode: 'asc' } });
    for (const p of rows) {
      // Operator publishing is an approval: the guest product waiting for review goes live.
      expect(p.status).toBe(ProductStatus.PUBLISHED);
      expect(p.publishedAt).toBeInstanceOf(Date);
      expect(p.tags.getItems().map((x) => x.name)).toEqual(['Liquidação']);
      expect(p.images.map((i) => i.url)).toEqual(['https://img.example/bulk.jpg']);
    }
    // The same call again changes nothing.
    const again = await t.request(ImportBulkUpdateProductsDocument, { input }, tok.operator);
    expect(again.data?.bulkUpdateProducts.updatedCount).toBe(0);

    const archived = await t.request(ImportBulkUpdateProductsDocument, { input: { productIds: [a.id, b.id], setStatus: 'ARCHIVED', replaceImages: [] } }, tok.operator);
    expect(archived.data?.bulkUpdateProducts.updatedCount).toBe(2);
    expect((await f.em().find(Product, { id: { $in: [a.id, b.id] } })).map((p) => [p.status, p.images.length])).toEqual([
      [ProductStatus.ARCHIVED, 0],
      [ProductStatus.ARCHIVED, 0],
    ]);
  });

  it('a catalog managed by an integration is skipped with its own error', async () => {
    const s = await f.seller({ code: 'MGDB' });
    const { integration } = await f.integration({ seller: s });
    const p = await c.product(s, { sellerCode: 'MB1', status: ProductStatus.DRAFT });
    await f.em().insert(CatalogIntegration, { id: randomUUID(), seller: s.id, integration: integration.id });
    const other = await c.product(alfa, { sellerCode: 'MB2', status: ProductStatus.DRAFT });
    const res = await t.request(ImportBulkUpdateProductsDocument, { input: { productIds: [p.id, other.id], setStatus: 'ARCHIVED' } }, tok.operator);
    expect(res.data?.bulkUpdateProducts.updatedCount).toBe(1);
    expect(res.data?.bulkUpdateProducts.errors).toEqual([{ productId: p.id, code: 'CATALOG_MANAGED_BY_INTEGRATION', message: expect.stringContaining(integration.name) }]);
    expect((await f.em().findOneOrFail(Product, { id: p.id })).status).toBe(ProductStatus.DRAFT);
  });

  it('is for operator owners/admins only, with limits on the input', async () => {
    const p = await c.product(alfa, { sellerCode: 'BLK3' });
    for (const token of [tok.alfaOwner, tok.alfaErp, tok.operatorSupport, tok.customer]) {
      expect(codes(await t.request(ImportBulkUpdateProductsDocument, { input: { productIds: [p.id], setStatus: 'ARCHIVED' } }, token))).toEqual(['FORBIDDEN']);
    }
    expect((await f.em().findOneOrFail(Product, { id: p.id })).status).toBe(ProductStatus.PUBLISHED);

    const tooMany = Array.from({ length: 1001 }, () => randomUUID());
    const big = await t.request(ImportBulkUpdateProductsDocument, { input: { productIds: tooMany, setStatus: 'DRAFT' } }, tok.operator);
    expect(big.data?.bulkUpdateProducts.userErrors.map((e) => [e.code, e.field])).toEqual([['BAD_USER_INPUT', ['input', 'productIds']]]);
    const bad = await t.request(
      ImportBulkUpdateProductsDocument,
      { input: { productIds: [p.id], setStatus: 'PENDING_REVIEW', addImages: [{ url: 'ftp://x' }], replaceImages: [], addTagIds: [randomUUID()] } },
      tok.operator,
    );
    expect(bad.data?.bulkUpdateProducts.userErrors.map((e) => [e.code, e.field?.join('.')])).toEqual([
      ['BAD_USER_INPUT', 'input.setStatus'],
      ['BAD_USER_INPUT', 'input.replaceImages'],
      ['BAD_USER_INPUT', 'input.addImages.0.url'],
      ['NOT_FOUND', 'input.addTagIds.0'],
    ]);
    expect((await f.em().findOneOrFail(Product, { id: p.id })).status).toBe(ProductStatus.PUBLISHED);
  });
});

function byPath(a: (string | undefined)[], b: (string | undefined)[]) {
  return String(a[1]).localeCompare(String(b[1]));
}
