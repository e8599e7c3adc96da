import { allow, rule } from 'graphql-shield';
import type { Context } from '../../shared/runtime/index.js';
import { accessRule, authenticated, forbiddenError, operator, unauthenticatedError, viewerRule } from '../../shared/access/index.js';
import type { Order, OrderLine } from './orders.entity.js';
// Reading a cart's orders by its token is a storefront act, like the cart itself.
import { cartHolderRule } from '../carts/index.js';
import { CAMPAIGNS_ACCESS } from '../campaigns/index.js';
import { canSeeOrder, canSeeOrderFinance } from './orders.service.js';
import { ORDER_ROLES, OrderAction, viewerMayEver } from './order-state.js';

/**
 * `cancelOrder`: whoever appears on a CANCEL row of the transition table, by kind and role (a
 * seller's FINANCE or CATALOG users never cancel). Which order, its status and a suspended
 * seller are the state machine's checks.
 */
const mayCancel = viewerRule('orders.cancel', (v) => viewerMayEver(OrderAction.CANCEL, v) || "Only the order's customer, the seller's owner and customer-service users, its integration and operator staff cancel orders.");

/** `cancelOrderLines` and `editOrder`: whoever appears on the CANCEL_LINES / EDIT rows, by kind and role. */
const mayCancelLines = viewerRule('orders.cancelLines', (v) => viewerMayEver(OrderAction.CANCEL_LINES, v) || "Only the order's seller (owner, customer service, its integration) and operator staff cancel unavailable items.");
const mayEdit = viewerRule('orders.edit', (v) => viewerMayEver(OrderAction.EDIT, v) || "Only the order's seller (owner, customer service, its integration) and operator staff edit orders.");

/** Who acted exactly (user, integration, role) and their note: operator staff. Everyone who sees the order reads the kind and label. */
const historyDetail = operator();

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

/**
 * A line's commission terms: the same people as its order's (the line's order is in this
 * request's identity map, since lines are only reached through their order). Another seller
 * who reaches the order as a shopper (a cart token) never sees them.
 */
const lineFinance = rule('orders.lineFinance', { cache: 'no_cache' })((parent: OrderLine, _args, ctx: Context) => {
  const sellerId = parent.order.unwrap().seller?.id;
  if (sellerId && canSeeOrderFinance(ctx, sellerId)) return true;
  return ctx.viewer.kind === 'ANONYMOUS' ? unauthenticatedError() : forbiddenError();
});

/**
 * The buyer's CPF/CNPJ: operator staff and the order's seller where it invoices (owner,
 * service, finance users; its ERP). Storefront clients read `maskedDocument` only.
 */
const buyerDocument = viewerRule(
  'orders.buyerDocument',
  (v) => v.kind === 'OPERATOR' || v.kind === 'INTEGRATION' || (v.kind === 'SELLER' && (v.role === 'OWNER' || v.role === 'SERVICE' || v.role === 'FINANCE')),
);


/** Who lists orders: staff, customers (their own), integrations and a seller's users but its catalog users (orders.service canSeeOrder). */
const orderReaders = viewerRule('orders.list', (v) =>
  v.kind === 'OPERATOR' || v.kind === 'CUSTOMER' || v.kind === 'INTEGRATION' || (v.kind === 'SELLER' && ORDER_ROLES.sellerReads.includes(v.role))
    ? true
    : "Orders are read by the seller's owner, finance and customer-service users.",
);

export const orderRules = {
  Query: { order: allow, orders: orderReaders, ordersOfCart: cartHolderRule, orderByLink: allow, campaignResults: accessRule('orders.campaignResults', CAMPAIGNS_ACCESS.readCampaignResults) },
  Mutation: { cancelOrder: mayCancel, cancelOrderLines: mayCancelLines, editOrder: mayEdit, decideFraudAnalysis: operator(...ORDER_ROLES.fraudReview) },
  Order: { '*': orderVisible, commission: orderFinance, sellerReceivable: orderFinance, sellerFundedDiscount: orderFinance },
  OrderLine: { '*': allow, commissionBps: lineFinance, commissionBase: lineFinance, commission: lineFinance, sellerReceivable: lineFinance },
  OrderBuyer: { '*': allow, document: buyerDocument },
  OrderAddress: { '*': allow },
  OrderShipping: { '*': allow },
  // Reached only through an order its viewer may see (Order.history).
  OrderStatusChange: { '*': allow, actorRole: historyDetail, actorUserId: historyDetail, actorIntegrationId: historyDetail, note: historyDetail },
};

