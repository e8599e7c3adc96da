import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, codes, type TestApp } from './helpers/app.js';
import { CatalogFactory, Factory } from './helpers/factories.js';
import { seedOrder } from './helpers/portal-orders.js';
import { PortalDashboardDocument, PortalDashboardReceivablesDocument } from './generated/graphql.js';
import { UserRole } from '../src/shared/access/index.js';
import { Services } from '../src/shared/runtime/index.js';
import { CLOCK } from '../src/shared/time/index.js';
import { ProductStatus } from '../src/modules/catalog/catalog.entity.js';
import type { Seller } from '../src/modules/sellers/sellers.entity.js';

let t: TestApp;
let f: Factory;
let sellerA: Seller;
let sellerB: Seller;
const clock = { now: () => new Date('2026-11-20T15:00:00Z') };
const seeded: { placedAt: Date; status: string; merchandise: number; receivable: number; items: number; unavailable: number }[] = [];

/** São Paulo's date of an instant (UTC−3 all year since 2019), computed apart from the app's own helpers. */
const spDate = (d: Date) => new Date(d.getTime() - 3 * 3600_000).toISOString().slice(0, 10);

beforeAll(async () => {
  t = await startTestApp({}, { overrides: new Services().set(CLOCK, clock) });
  f = new Factory(t);
  const c = new CatalogFactory(f);
  await f.setMarketplace(true);
  sellerA = await f.seller();
  sellerB = await f.seller();
  const product = await c.product(sellerA, { skus: [{ code: 'A1', price: 1000, stock: 4 }] });
  await c.product(sellerA, { skus: [{ code: 'A2', price: 1000, stock: 0 }] });
  await c.product(sellerA, { status: ProductStatus.ARCHIVED, skus: [{ code: 'A3', price: 1000, stock: 1 }] });
  await c.product(sellerA, { status: ProductStatus.PENDING_REVIEW, skus: [{ code: 'A4', price: 1000, stock: 1 }] });
  const rejected = await c.product(sellerA, { status: ProductStatus.DRAFT, skus: [{ code: 'A5', price: 1000, stock: 1 }] });
  await c.product(sellerA, { status: ProductStatus.DRAFT, skus: [{ code: 'A6', price: 1000, stock: 1 }] });
  await f.em().execute(`update product set rejection_reason = 'Fotos fora do padrão.' where id = ?`, [rejected.id]);
  const bProduct = await c.product(sellerB);
  const sku = (await f.em().execute<{ id: string }[]>(`select id from sku where product_id = ?`, [product.id]))[0]!.id;
  const bSku = (await f.em().execute<{ id: string }[]>(`select id from sku where product_id = ?`, [bProduct.id]))[0]!.id;

  const orders: { placedAt: Date; status: string; shippedAt?: Date; cancellationReason?: string; lines: { quantity: number; unitPrice: number; cancelled?: number }[] }[] = [
    // 23:59:59 on 9 November in São Paulo, 02:59:59 UTC on the 10th: a sale of the 9th. Approved, never shipped: late.
    { placedAt: new Date('2026-11-10T02:59:59Z'), status: 'APPROVED', lines: [{ quantity: 2, unitPrice: 1000 }, { quantity: 1, unitPrice: 500 }] },
    // One second later: midnight of the 10th. Shipped a day after approval (on time), one unit declared unavailable.
    { placedAt: new Date('2026-11-10T03:00:00Z'), status: 'SHIPPED', shippedAt: new Date('2026-11-11T03:00:00Z'), lines: [{ quantity: 1, unitPrice: 3000 }, { quantity: 2, unitPrice: 100, cancelled: 1 }] },
    // Cancelled by the seller: no sale, but in the status counts and the cancellation rate.
    { placedAt: new Date('2026-11-10T12:00:00Z'), status: 'CANCELLED', cancellationReason: 'SELLER_REQUEST', lines: [{ quantity: 5, unitPrice: 700 }] },
    // Shipped four days after approval with a handling time of two: late.
    { placedAt: new Date('2026-11-12T15:00:00Z'), status: 'DELIVERED', shippedAt: new Date('2026-11-16T15:00:00Z'), lines: [{ quantity: 1, unitPrice: 1000 }] },
    // 23:00 on 7 November in São Paulo: before the period (from the 8th), inside the 30-day reputation window.
    { placedAt: new Date('2026-11-08T02:00:00Z'), status: 'DELIVERED', shippedAt: new Date('2026-11-08T12:00:00Z'), lines: [{ quantity: 1, unitPrice: 9000 }] },
  ];
  for (const o of orders) {
    const s = await seedOrder(f, { sellerId: sellerA.id, skuId: sku, ...o });
    seeded.push({ placedAt: o.placedAt, status: o.status, merchandise: s.merchandise, receivable: s.receivable, items: s.items, unavailable: o.lines.reduce((a, l) => a + (l.cancelled ?? 0), 0) });
  }
  // Another seller's sale on the same day: never in A's figures.
  await seedOrder(f, { sellerId: sellerB.id, skuId: bSku, placedAt: new Date('2026-11-10T15:00:00Z'), lines: [{ quantity: 9, unitPrice: 999 }] });
});

afterAll(async () => {
  await t?.stop();
});

describe('sellerDashboard', () => {
  it("equals the sums of the seeded orders, day by day in São Paulo time", async () => {
    const owner = await f.user({ seller: sellerA, role: UserRole.OWNER });
    const res = await t.request(PortalDashboardDocument, { from: '2026-11-08', to: '2026-11-12' }, owner.token);
    expect(res.errors).toBeUndefined();
    const d = res.data!.sellerDashboard;
    expect(d).toMatchObject({ sellerId: sellerA.id, from: '2026-11-08', to: '2026-11-12', timeZone: 'America/Sao_Paulo' });

    const inPeriod = seeded.filter((o) => spDate(o.placedAt) >= '2026-11-08' && spDate(o.placedAt) <= '2026-11-12');
    const expected = ['2026-11-08', '2026-11-09', '2026-11-10', '2026-11-11', '2026-11-12'].map((date) => {
      const day = inPeriod.filter((o) => spDate(o.placedAt) === date && o.status !== 'CANCELLED');
      return {
        date,
        orders: day.length,
        items: day.reduce((a, o) => a + o.items, 0),
        gross: { amount: day.reduce((a, o) => a + o.merchandise, 0) },
        net: { amount: day.reduce((a, o) => a + o.receivable, 0) },
      };
    });
    expect(d.days).toEqual(expected);
    // The boundary itself, spelled out: 23:59:59 belongs to the 9th, 00:00:00 to the 10th.
    expect(d.days.map((x) => x.orders)).toEqual([0, 1, 1, 0, 1]);
    expect(d.days[1]!.gross.amount).toBe(2500);
    expect(d.days[2]!.gross.amount).toBe(3200);

    const byStatus = new Map<string, number>();
    for (const o of inPeriod) byStatus.set(o.status, (byStatus.get(o.status) ?? 0) + 1);
    expect(d.ordersByStatus).toEqual([...byStatus].map(([status, count]) => ({ status, count })).sort((a, b) => a.status.localeCompare(b.status)));
    expect(d.itemsUnavailable).toBe(inPeriod.filter((o) => o.status !== 'CANCELLED').reduce((a, o) => a + o.unavailable, 0));
    expect(d.products).toEqual({ published: 2, outOfStock: 1, archived: 1, awaitingReview: 1, rejected: 1, drafts: 1 });
    expect(d.tickets).toEqual({ open: 0, overdue: 0 });
    // 30 days up to the clock's now: five orders, one cancelled by the seller; four dispatches due, two late.
    expect(d.reputation).toEqual({ ticketAnswers: 0, ticketAnswersOnTime: 0, orders: 5, sellerCancellations: 1, shipmentsDue: 4, lateShipments: 2 });
  });

  it('names the seller: staff any, a seller only its own; receivables only for owner and finance', async () => {
    const staff = await f.operator(UserRole.SUPPORT);
    const asStaff = await t.request(PortalDashboardDocument, { sellerId: sellerA.id, from: '2026-11-09', to: '2026-11-09' }, staff.token);
    expect(asStaff.data?.sellerDashboard.days).toEqual([{ date: '2026-11-09', orders: 1, items: 3, gross: { amount: 2500 }, net: { amount: 2125 } }]);
    const bOwner = await f.user({ seller: sellerB, role: UserRole.OWNER });
    expect(codes(await t.request(PortalDashboardDocument, { sellerId: sellerA.id, from: '2026-11-09', to: '2026-11-09' }, bOwner.token))).toEqual(['FORBIDDEN']);
    const own = await t.request(PortalDashboardDocument, { from: '2026-11-09', to: '2026-11-10' }, bOwner.token);
    expect(own.data?.sellerDashboard.days.map((x) => x.orders)).toEqual([0, 1]);
    expect(codes(await t.request(PortalDashboardDocument, { from: '2026-11-09', to: '2026-11-09' }))).toEqual(['UNAUTHENTICATED']);
    expect(codes(await t.request(PortalDashboardDocument, { from: '2026-11-09', to: '2026-11-09' }, (await f.customer()).token))).toEqual(['FORBIDDEN']);

    const finance = await f.user({ seller: sellerA, role: UserRole.FINANCE });
    const money = await t.request(PortalDashboardReceivablesDocument, { from: '2026-11-09', to: '2026-11-09' }, finance.token);
    // Weekly payouts on Wednesdays by default; the clock says Friday 20 November.
    expect(money.data?.sellerDashboard.receivables).toEqual({ pending: { amount: 0 }, scheduled: { amount: 0 }, available: { amount: 0 }, debits: { amount: 0 }, nextPayoutDate: '2026-11-25' });
    const catalog = await f.user({ seller: sellerA, role: UserRole.CATALOG });
    expect(codes(await t.request(PortalDashboardReceivablesDocument, { from: '2026-11-09', to: '2026-11-09' }, catalog.token))).toEqual(['FORBIDDEN']);
  });

  it('refuses bad periods and unknown sellers as typed errors', async () => {
    const staff = await f.operator();
    const bad = await t.request(PortalDashboardDocument, { from: '2026-02-30', to: '2026-03-01' }, staff.token);
    expect(bad.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: ['from'] });
    expect((await t.request(PortalDashboardDocument, { from: '2026-03-02', to: '2026-03-01' }, staff.token)).errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect((await t.request(PortalDashboardDocument, { from: '2025-01-01', to: '2026-03-01' }, staff.token)).errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect((await t.request(PortalDashboardDocument, { sellerId: '00000000-0000-4000-8000-000000000000', from: '2026-03-01', to: '2026-03-01' }, staff.token)).errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
  });
});
