import { allow, rule } from 'graphql-shield';
import type { Context } from '../../app/context.js';
import { authenticated, forbiddenError, unauthenticatedError, viewerRule } from '../auth/auth.rules.js';
import type { Order } from './orders.entity.js';
import { canSeeOrder, canSeeOrderFinance } from './orders.service.js';

/** Every field of an order: whoever may see that order (orders.service canSeeOrder). */
const orderVisible = rule('orders.visible', { cache: 'no_cache' })((parent: Order, _args, ctx: Context) => {
  if (canSeeOrder(ctx, parent)) return true;
  return ctx.viewer.kind === 'ANONYMOUS' ? unauthenticatedError() : forbiddenError();
});

/** Commission and receivable of an order: operator staff and the order's own seller (owner, finance, integration). */
const orderFinance = rule('orders.finance', { cache: 'no_cache' })((parent: Order, _args, ctx: Context) => {
  if (canSeeOrderFinance(ctx, parent.seller.id)) return true;
  return ctx.viewer.kind === 'ANONYMOUS' ? unauthenticatedError() : forbiddenError();
});

/** Lines are only reached through a visible order; their finance fields need the finance roles. */
const lineFinance = viewerRule(
  'orders.lineFinance',
  (v) => v.kind === 'OPERATOR' || v.kind === 'INTEGRATION' || (v.kind === 'SELLER' && (v.role === 'OWNER' || v.role === 'FINANCE')),
);

export const orderRules = {
  Query: { order: allow, orders: authenticated, ordersOfCart: allow },
  Mutation: { cancelOrder: authenticated },
  Order: { '*': orderVisible, commission: orderFinance, sellerReceivable: orderFinance, sellerFundedDiscount: orderFinance },
  OrderLine: { '*': allow, commissionBps: lineFinance, commissionBase: lineFinance, commission: lineFinance, sellerReceivable: lineFinance },
  OrderBuyer: { '*': allow },
  OrderAddress: { '*': allow },
  OrderShipping: { '*': allow },
};
