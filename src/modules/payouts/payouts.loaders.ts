import DataLoader from 'dataloader';
import { loader, type Context } from '../../shared/runtime/index.js';
import { centsFromDb } from '../../shared/money/index.js';
import type { ReceivableKind } from './receivables.entity.js';

export interface PayoutItemView {
  payoutId: string;
  sellerId: string;
  receivableId: string;
  kind: ReceivableKind;
  orderCode: string | null;
  amount: number;
}

/** A payout's items (with their receivables' order codes), one query per page of payouts. */
export const itemsByPayoutId = (ctx: Context) =>
  loader(ctx, 'payouts.items', () =>
    new DataLoader<string, PayoutItemView[]>(async (ids) => {
      const rows = await ctx.em.execute<{ payout_id: string; seller_id: string; receivable_id: string; kind: ReceivableKind; order_code: string | null; amount: string }[]>(
        `select i.payout_id, r.seller_id, i.receivable_id, r.kind, o.code as order_code, i.amount_cents::text as amount
           from payout_item i join receivable r on r.id = i.receivable_id left join "order" o on o.id = r.order_id
          where i.payout_id in (${ids.map(() => '?').join(', ')}) order by r.created_at, r.id`,
        [...ids],
      );
      return ids.map((id) =>
        rows
          .filter((r) => r.payout_id === id)
          .map((r) => ({ payoutId: r.payout_id, sellerId: r.seller_id, receivableId: r.receivable_id, kind: r.kind, orderCode: r.order_code, amount: centsFromDb(r.amount) })),
      );
    }),
  );

export interface ChargebackShareView {
  orderId: string;
  orderCode: string;
  sellerId: string;
  amount: number;
}

/** A chargeback's shares in the orders' cart positions, one query per page of chargebacks. */
export const sharesByChargebackId = (ctx: Context) =>
  loader(ctx, 'payouts.chargebackShares', () =>
    new DataLoader<string, ChargebackShareView[]>(async (ids) => {
      const rows = await ctx.em.execute<{ chargeback_id: string; order_id: string; code: string; seller_id: string; amount: string }[]>(
        `select s.chargeback_id, s.order_id, o.code, s.seller_id, s.amount_cents::text as amount
           from chargeback_share s join "order" o on o.id = s.order_id
          where s.chargeback_id in (${ids.map(() => '?').join(', ')}) order by o.position`,
        [...ids],
      );
      return ids.map((id) => rows.filter((r) => r.chargeback_id === id).map((r) => ({ orderId: r.order_id, orderCode: r.code, sellerId: r.seller_id, amount: centsFromDb(r.amount) })));
    }),
  );
