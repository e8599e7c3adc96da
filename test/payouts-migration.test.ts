import { randomBytes, randomUUID } from 'node:crypto';
import { afterAll, expect, inject, it } from 'vitest';
import type { MikroORM } from '@mikro-orm/postgresql';
import { openAppOrm } from '../src/app/entities.js';
import { OrderStatus } from '../src/modules/orders/index.js';
import { SellerStatus } from '../src/modules/sellers/sellers.entity.js';
import { dropSchema } from '../src/shared/db/orm.js';

/**
 * The payouts migration gives every order that already exists its receivable: PENDING,
 * SCHEDULED (dated by the default rule: 14 days after delivery or 30 after shipping, the
 * earlier, São Paulo dates) or CANCELLED. The orders are written by the code as it stood
 * before the migration (the order and seller tables it does not change).
 */
const schema = `migpay_${randomBytes(4).toString('hex')}`;
let orm: MikroORM | undefined;

afterAll(async () => {
  if (orm) {
    await dropSchema(orm, schema);
    await orm.close(true);
  }
});

it('creates the receivables of the orders that already exist', async () => {
  orm = await openAppOrm({ clientUrl: inject('databaseUrl'), schema });
  const migrator = orm.getMigrator();
  await migrator.up({ to: 'Migration20261206141552_fulfilment' });
  const em = orm.em.fork();
  // A plain row too: saving an entity now also writes an audit entry, a table this point lacks.
  const seller = { id: randomUUID() };
  await em.getConnection().getKnex().withSchema(schema).table('seller').insert({ id: seller.id, name: 'Antiga', concatenation_code: 'OLD', status: SellerStatus.ACTIVE });
  const at = (iso: string) => new Date(iso);
  // Rows of the columns the order table had then, written by a plain insert: the order entity
  // has since gained columns later migrations add (campaign discounts), which are not there yet.
  const order = (n: number, status: OrderStatus, dates: { shippedAt?: Date; deliveredAt?: Date } = {}) => ({
    id: randomUUID(),
    code: `OLD-9000${n}-1`,
    cart_id: randomUUID(),
    cart_number: `9000${n}`,
    position: 1,
    seller_id: seller.id,
    status,
    buyer_name: 'Ana',
    buyer_email: 'ana@example.com',
    buyer_document: '52998224725',
    buyer_phone: '11987654321',
    shipping_address: JSON.stringify({ recipientName: 'Ana', street: 'Rua A', number: '1', complement: null, district: 'Centro', city: 'São Paulo', state: 'SP', postalCode: '01001000' }),
    shipping_carrier: 'Correios',
    shipping_method: 'PAC',
    shipping_days: 5,
    shipping_source: 'TABLE',
    currency: 'BRL',
    merchandise_cents: 10_000,
    discount_cents: 0,
    seller_funded_discount_cents: 0,
    freight_cents: 0,
    total_cents: 10_000,
    weight_grams: 100,
    commission_cents: 1_500,
    seller_receivable_cents: 8_500,
    placed_at: at('2026-11-01T12:00:00Z'),
    shipped_at: dates.shippedAt ?? null,
    delivered_at: dates.deliveredAt ?? null,
  });
  const rows = [
    order(1, OrderStatus.PENDING_PAYMENT),
    order(2, OrderStatus.APPROVED),
    order(3, OrderStatus.SHIPPED, { shippedAt: at('2026-11-02T02:30:00Z') }), // still Nov 1st in São Paulo
    order(4, OrderStatus.DELIVERED, { shippedAt: at('2026-11-02T12:00:00Z'), deliveredAt: at('2026-11-05T12:00:00Z') }),
    order(5, OrderStatus.CANCELLED),
  ];
  await em.getConnection().getKnex().withSchema(schema).table('order').insert(rows);

  await migrator.up();
  const got = await orm.em.getConnection().execute<{ order_id: string; status: string; available_on: string | null; kind: string; settled_cents: string }[]>(
    `select order_id, status, available_on::text as available_on, kind, settled_cents::text as settled_cents from receivable`,
  );
  const of = (o: { id: string }) => got.find((r) => r.order_id === o.id);
  expect(rows.map((o) => [of(o)?.status, of(o)?.available_on ?? null])).toEqual([
    ['PENDING', null],
    ['SCHEDULED', null],
    ['SCHEDULED', '2026-12-01'],
    ['SCHEDULED', '2026-11-19'],
    ['CANCELLED', null],
  ]);
  expect(got.every((r) => r.kind === 'ORDER' && r.settled_cents === '0')).toBe(true);
});
