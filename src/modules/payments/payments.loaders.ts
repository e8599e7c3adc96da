import DataLoader from 'dataloader';
import type { EntityManager } from '@mikro-orm/postgresql';
import { loader, type Context } from '../../shared/runtime/index.js';
import { PaymentTransaction } from './payments.entity.js';
import { toPaymentTransactionType, type PaymentTransactionType } from './payments.types.js';

/** Loads transactions with everything their GraphQL type shows (parts and their gift cards), in one round of queries. */
export async function transactionsForDisplay(em: EntityManager, where: { cartId: { $in: string[] } } | { cartNumber: string } | { id: string }): Promise<PaymentTransaction[]> {
  return em.find(PaymentTransaction, where, { populate: ['parts', 'parts.giftCard'] });
}

/**
 * A cart's payment transaction by cart id, for the cart and order types to expose to whoever
 * may see them (their own rules gate the parent field; PaymentTransaction's fields are open).
 */
export const transactionByCartId = (ctx: Context) =>
  loader(ctx, 'payments.transactionByCartId', () =>
    new DataLoader<string, PaymentTransactionType | null>(async (cartIds) => {
      const rows = await transactionsForDisplay(ctx.em, { cartId: { $in: [...cartIds] } });
      const byCart = new Map(rows.map((t) => [t.cartId, toPaymentTransactionType(t)]));
      return cartIds.map((id) => byCart.get(id) ?? null);
    }),
  );
