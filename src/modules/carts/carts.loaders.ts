import DataLoader from 'dataloader';
import { loader, type Context } from '../../shared/runtime/index.js';
import { Cart } from './carts.entity.js';
import { evaluateCarts, type CartEvaluation } from './carts.snapshot.js';

/**
 * One evaluation per cart per request (lines, quote, promotions, pricing), shared by every
 * field of the Cart type; a page of myCarts loads all its lines in one query.
 *
 * It reads through a fresh fork so a mutation's payload sees what that mutation committed,
 * not entities the request's identity map held from before.
 */
export const cartEvaluation = (ctx: Context) =>
  loader(ctx, 'carts.evaluation', () =>
    new DataLoader<string, CartEvaluation>(async (ids) => {
      const em = ctx.em.fork();
      const carts = await em.find(Cart, { id: { $in: [...ids] } });
      const evaluations = await evaluateCarts(ctx.runtime, em, carts);
      const byId = new Map(evaluations.map((e) => [e.cart.id, e]));
      return ids.map((id) => byId.get(id) ?? new Error(`cart ${id} vanished`));
    }),
  );
