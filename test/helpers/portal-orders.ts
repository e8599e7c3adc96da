import { randomUUID } from 'node:crypto';
import type { Factory } from './factories.js';

export interface SeedOrder {
  sellerId: string;
  skuId: string;
  placedAt: Date;
  status?: string;
  customerId?: string | null;
  lines?: { quantity: number; unitPrice: number; cancelled?: number }[];
  buyerDocument?: string;
  postalCode?: string;
  approvedAt?: Date | null;
  shippedAt?: Date | null;
  cancelledAt?: Date | null;
  cancellationReason?: string | null;
  /** Commission rate in basis points (default 1500). */
  commissionBps?: number;
}

let seq = 0;

/**
 * An order and its lines written straight into the tables, with the frozen figures the
 * checkout writes (merchandise, commission, receivable) computed the same simple way, so
 * read-side tests (the dashboard, tickets) choose the exact instants and statuses they need.
 */
export async function seedOrder(f: Factory, o: SeedOrder): Promise<{ id: string; code: string; merchandise: number; receivable: number; items: number }> {
  const id = randomUUID();
  seq += 1;
  const code = `${900000 + seq}-1-${id.slice(0, 4)}`.toUpperCase();
  const lines = o.lines ?? [{ quantity: 1, unitPrice: 1000 }];
  const bps = o.commissionBps ?? 1500;
  const fig = lines.map((l) => {
    const merchandise = l.quantity * l.unitPrice;
    const commission = Math.floor((merchandise * bps) / 10_000);
    return { ...l, merchandise, commission, receivable: merchandise - commission };
  });
  const sum = (k: 'merchandise' | 'commission' | 'receivable') => fig.reduce((a, l) => a + l[k], 0);
  const em = f.em();
  const status = o.status ?? 'APPROVED';
  await em.execute(
    `insert into "order" (id, created_at, updated_at, code, cart_id, cart_number, position, seller_id, customer_id, status,
       buyer_name, buyer_email, buyer_document, buyer_phone, shipping_address, shipping_carrier, shipping_method, shipping_days, shipping_source, currency,
       merchandise_cents, discount_cents, seller_funded_discount_cents, freight_cents, total_cents, weight_grams, commission_cents, seller_receivable_cents,
       placed_at, approved_at, shipped_at, cancelled_at, cancellation_reason)
     values (?, ?, ?, ?, ?, ?, 1, ?, ?, ?, 'Maria da Silva', 'maria@example.com', ?, '11987654321', ?::jsonb, 'Correios', 'PAC', 6, 'TABLE', 'BRL',
       ?, 0, 0, 1000, ?, 0, ?, ?, ?, ?, ?, ?, ?)`,
    [
      id, o.placedAt, o.placedAt, code, randomUUID(), String(900000 + seq), o.sellerId, o.customerId ?? null, status,
      o.buyerDocument ?? '52998224725',
      JSON.stringify({ recipientName: 'Maria', street: 'Av. Paulista', number: '1000', complement: null, district: 'Bela Vista', city: 'São Paulo', state: 'SP', postalCode: o.postalCode ?? '01310100' }),
      sum('merchandise'), sum('merchandise') + 1000, sum('commission'), sum('receivable'),
      o.placedAt,
      o.approvedAt === undefined ? (['APPROVED', 'INVOICED', 'SHIPPED', 'DELIVERED'].includes(status) ? o.placedAt : null) : o.approvedAt,
      o.shippedAt ?? null, o.cancelledAt ?? (status === 'CANCELLED' ? o.placedAt : null), o.cancellationReason ?? (status === 'CANCELLED' ? 'SHOPPER_REQUEST' : null),
    ],
  );
  let position = 0;
  for (const l of fig) {
    position += 1;
    await em.execute(
      `insert into order_line (id, created_at, updated_at, order_id, position, sku_id, sku_code, sku_seller_code, product_name, quantity, unit_price_cents, weight_grams,
         merchandise_cents, discount_cents, seller_funded_discount_cents, freight_cents, total_cents, commission_bps, commission_base_cents, commission_cents, seller_receivable_cents, cancelled_quantity)
       select ?, ?, ?, ?, ?, k.id, k.code, k.seller_code, 'Produto', ?, ?, 0, ?, 0, 0, 0, ?, ?, ?, ?, ?, ? from sku k where k.id = ?`,
      [randomUUID(), o.placedAt, o.placedAt, id, position, l.quantity, l.unitPrice, l.merchandise, l.merchandise, bps, l.merchandise, l.commission, l.receivable, l.cancelled ?? 0, o.skuId],
    );
  }
  return { id, code, merchandise: sum('merchandise'), receivable: sum('receivable'), items: fig.reduce((a, l) => a + l.quantity - (l.cancelled ?? 0), 0) };
}
