import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LockMode } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { startTestApp, codes, type TestApp } from './helpers/app.js';
import { CatalogFactory, Factory } from './helpers/factories.js';
import { Shop } from './helpers/shop.js';
import { UserRole } from '../src/shared/access/index.js';
import { Sku, ProductStatus } from '../src/modules/catalog/index.js';
import type { Seller } from '../src/modules/sellers/index.js';
import { ApproveProductDocument, CatalogChangesDocument, OrderChangesDocument, RejectProductDocument, SetStockDocument } from './generated/graphql.js';

let t: TestApp;
let f: Factory;
let c: CatalogFactory;
let operator: string;
let sellerA: Seller;
let sellerB: Seller;
let ownerA: string;
let ownerB: string;
let shop: Shop;

beforeAll(async () => {
  t = await startTestApp();
  f = new Factory(t);
  c = new CatalogFactory(f);
  await f.setMarketplace(true);
  const op = await f.operator(UserRole.OWNER);
  operator = op.token;
  sellerA = await f.seller();
  sellerB = await f.seller();
  ownerA = (await f.user({ seller: sellerA, role: UserRole.OWNER })).token;
  ownerB = (await f.user({ seller: sellerB, role: UserRole.OWNER })).token;
  shop = new Shop(t, f, operator, op.user);
  await shop.shippingTable();
});
afterAll(async () => t?.stop());

type Entry = { cursor: string; node: { type: string; code?: string | null; entityId: string; sellerId?: string | null; changes: Record<string, unknown>; position: string } };

/** Reads a feed from `after` to its current end: every page; returns the entries and the cursor to save. */
async function readAll(feed: 'catalog' | 'orders', token: string, after: string | null, sellerId?: string): Promise<{ entries: Entry[]; cursor: string | null }> {
  const entries: Entry[] = [];
  let cursor = after;
  for (;;) {
    const res =
      feed === 'catalog'
        ? (await t.request(CatalogChangesDocument, { after: cursor, first: 100, sellerId }, token)).data?.catalogChanges
        : (await t.request(OrderChangesDocument, { after: cursor, first: 100, sellerId }, token)).data?.orderChanges;
    expect(res).toBeTruthy();
    entries.push(...(res!.edges as Entry[]));
    cursor = res!.pageInfo.endCursor ?? cursor;
    if (!res!.pageInfo.hasNextPage) return { entries, cursor };
  }
}

const skuOf = async (productId: string, position = 0) => f.em().findOneOrFail(Sku, { product: productId, position });

describe('catalogChanges', () => {
  it("carries a seller's stock and price changes with before and after, and never another seller's", async () => {
    const p = await c.product(sellerA, { skus: [{ code: 'FA1', price: 1500, stock: 5 }] });
    const sku = await skuOf(p.id);
    const start = (await readAll('catalog', ownerA, null)).cursor;
    const startB = (await readAll('catalog', ownerB, null)).cursor;

    const res = await t.request(SetStockDocument, { skuCode: sku.code, quantity: 9 }, ownerA);
    expect(res.data?.setStock.userErrors).toEqual([]);

    const { entries } = await readAll('catalog', ownerA, start);
    expect(entries.map((e) => [e.node.type, e.node.code, e.node.changes])).toEqual([['sku.stock_changed', sku.code, { code: sku.code, productId: p.id, before: 5, after: 9 }]]);
    expect(entries[0]!.node.sellerId).toBe(sellerA.id);

    // Seller B's feed has nothing of A's, and B cannot ask for A's.
    expect((await readAll('catalog', ownerB, startB)).entries.filter((e) => e.node.sellerId !== sellerB.id)).toEqual([]);
    const other = await t.request(CatalogChangesDocument, { sellerId: sellerA.id }, ownerB);
    expect(codes(other)).toEqual(['FORBIDDEN']);
    // Operator staff read the store's feed, and may narrow it to a seller.
    const staff = await readAll('catalog', operator, null, sellerA.id);
    expect(staff.entries.some((e) => e.node.type === 'sku.stock_changed' && e.node.entityId === sku.id)).toBe(true);
    expect(staff.entries.every((e) => e.node.sellerId === sellerA.id)).toBe(true);
  });

  it('carries price changes, product edits, approvals and rejections', async () => {
    const p = await c.product(sellerA, { status: ProductStatus.PENDING_REVIEW, skus: [{ code: 'FB1', price: 2000, stock: 1 }] });
    const q = await c.product(sellerA, { status: ProductStatus.PENDING_REVIEW, skus: [{ code: 'FC1', price: 2000, stock: 1 }] });
    const start = (await readAll('catalog', ownerA, null)).cursor;
    expect((await t.request(ApproveProductDocument, { id: p.id }, operator)).data?.approveProduct.userErrors).toEqual([]);
    expect((await t.request(RejectProductDocument, { id: q.id, reason: 'Blurry photos' }, operator)).data?.rejectProduct.userErrors).toEqual([]);
    await f.em().transactional(async (em) => {
      const sku = await em.findOneOrFail(Sku, { product: p.id });
      sku.priceCents = 1800;
    });
    const { entries } = await readAll('catalog', ownerA, start);
    expect(entries.map((e) => e.node.type)).toEqual(['product.approved', 'product.rejected', 'sku.price_changed']);
    expect(entries[1]!.node.changes).toMatchObject({ from: 'PENDING_REVIEW', to: 'DRAFT', reason: 'Blurry photos' });
    expect(entries[2]!.node.changes).toMatchObject({ before: 2000, after: 1800 });
  });

  it('a change rolled back leaves no entry', async () => {
    const p = await c.product(sellerA, { skus: [{ code: 'FD1', price: 1000, stock: 3 }] });
    const start = (await readAll('catalog', ownerA, null)).cursor;
    await expect(
      f.em().transactional(async (em) => {
        const sku = await em.findOneOrFail(Sku, { product: p.id });
        sku.stock = 0;
        await em.flush();
        throw new Error('rolled back on purpose');
      }),
    ).rejects.toThrow('rolled back on purpose');
    expect((await readAll('catalog', ownerA, start)).entries).toEqual([]);
  });

  it('misses nothing under concurrent updates: a change whose transaction took the lower position and commits last is read after the saved cursor', async () => {
    const p = await c.product(sellerA, { skus: [{ code: 'FE1', price: 1000, stock: 10 }, { code: 'FE2', price: 1000, stock: 20 }] });
    const skuA = await skuOf(p.id, 0);
    const skuB = await skuOf(p.id, 1);
    const saved = (await readAll('catalog', ownerA, null)).cursor;

    // Transaction A writes its change (and so takes the lower event position) and stays open.
    let commitA!: () => void;
    const mayCommit = new Promise<void>((r) => (commitA = r));
    let written!: () => void;
    const aWritten = new Promise<void>((r) => (written = r));
    const a = f.em().transactional(async (em) => {
      const sku = await em.findOneOrFail(Sku, { id: skuA.id }, { lockMode: LockMode.PESSIMISTIC_WRITE });
      sku.stock = 11;
      await (em as EntityManager).flush();
      written();
      await mayCommit;
    });
    await aWritten;
    let first: Awaited<ReturnType<typeof readAll>>;
    try {
      // B commits through the API, then the feed is read while A is still open.
      expect((await t.request(SetStockDocument, { skuCode: skuB.code, quantity: 21 }, ownerA)).data?.setStock.userErrors).toEqual([]);
      first = await readAll('catalog', ownerA, saved);
      expect(first.entries.map((e) => e.node.entityId)).not.toContain(skuA.id);
    } finally {
      commitA();
      await a;
    }
    // The next read from the saved cursor brings A (and B, if the horizon held it back).
    const second = await readAll('catalog', ownerA, first.cursor);
    expect(second.entries.map((e) => e.node.entityId)).toContain(skuA.id);
    const all = [...first.entries, ...second.entries].map((e) => `${e.node.type}:${e.node.entityId}`);
    expect(all.sort()).toEqual([`sku.stock_changed:${skuA.id}`, `sku.stock_changed:${skuB.id}`].sort());
    const aPos = [...first.entries, ...second.entries].find((e) => e.node.entityId === skuA.id)!.node.position;
    const bPos = [...first.entries, ...second.entries].find((e) => e.node.entityId === skuB.id)!.node.position;
    expect(Number(aPos)).toBeLessThan(Number(bPos));
  });

  it('refuses a cursor it did not give out, and callers without the right', async () => {
    expect(codes(await t.request(CatalogChangesDocument, { after: 'nonsense' }, ownerA))).toEqual(['BAD_USER_INPUT']);
    expect(codes(await t.request(CatalogChangesDocument, {}))).toEqual(['UNAUTHENTICATED']);
    const finance = (await f.user({ seller: sellerA, role: UserRole.FINANCE })).token;
    expect(codes(await t.request(CatalogChangesDocument, {}, finance))).toEqual(['FORBIDDEN']);
  });
});

describe('orderChanges', () => {
  it('carries the orders and their moves of the seller, not of others', async () => {
    const p = await c.product(sellerA, { skus: [{ code: 'FO1', price: 3000, stock: 10 }] });
    const sku = await skuOf(p.id);
    const start = (await readAll('orders', ownerA, null)).cursor;
    const startB = (await readAll('orders', ownerB, null)).cursor;
    const placed = await shop.place([[sku.code, 1]]);
    await shop.cancel(placed.orders[0]!.code);
    const { entries } = await readAll('orders', ownerA, start);
    const types = entries.map((e) => e.node.type);
    expect(types[0]).toBe('order.created');
    expect(types.at(-1)).toBe('order.cancelled');
    expect(entries.every((e) => e.node.code === placed.orders[0]!.code && e.node.sellerId === sellerA.id)).toBe(true);
    expect((await readAll('orders', ownerB, startB)).entries).toEqual([]);
    // The stock the sale took and the cancellation gave back are in the catalog feed too.
    const stock = (await readAll('catalog', ownerA, null)).entries.filter((e) => e.node.entityId === sku.id).map((e) => e.node.changes);
    expect(stock).toEqual(expect.arrayContaining([expect.objectContaining({ before: 10, after: 9 }), expect.objectContaining({ before: 9, after: 10 })]));
  });
});
