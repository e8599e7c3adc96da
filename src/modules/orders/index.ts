import { Order, OrderLine } from './orders.entity.js';
import { OrderStatusChange } from './order-history.entity.js';
import { OrderAdjustment } from './order-adjustment.entity.js';
import { OrderLineResolver, OrderResolver } from './orders.resolver.js';
import { FraudDecisionResolver } from './fraud-decision.resolver.js';
import { CampaignResultsResolver } from './campaign-results.js';
import { orderRules as rules } from './orders.rules.js';

export { Order, OrderLine, OrderStatus, CancellationReason } from './orders.entity.js';
export { cancelOrder, type CancelOptions } from './cancellation.service.js';
export { applyFraudOutcome, orderPaymentLifecycle } from './settlement.service.js';
export { canSeeOrder, grantCart, grantOrder } from './orders.service.js';
export { OrderType } from './orders.types.js';
export { OrderAction, OrderActorKind, OrderProcess, ORDER_TRANSITIONS, ORDER_ROLES, UNCHANGED, viewerMayEver, grantMayEver, statusWords, admits, grantWords, type OrderActor, type OrderGrant, type OrderScope, type OrderTransition } from './order-state.js';
export { placeOrder, transitionOrders, assertTransition, assertMayEver, describeActor } from './order-machine.js';
export { OrderStatusChange } from './order-history.entity.js';
export { ORDER_LINKS, createOrderLinks, orderLinkUrl, type OrderLinks } from './order-links.js';
export { OrderAdjustment, OrderAdjustmentKind } from './order-adjustment.entity.js';
export { cancelOrderLines } from './line-cancellation.service.js';
export { editOrder } from './order-edit.service.js';
// The money, stock and ledger steps of giving money back for an order, shared with the returns module.
export {
  ZERO,
  addFigures,
  refundOf,
  unitsFigures,
  unitsLeft,
  releaseKey,
  lockOrderForMoney,
  paymentOf,
  releaseForOrder,
  restock,
  reversalLines,
  postOrderJournal,
  postRefund,
  NOTHING_RELEASED,
  type Figures,
  type Released,
} from './order-money.js';
export { resolveSellerSkus, takeStock, createLine, type NewLine, type WantedSku } from './new-lines.js';
export { keyDigest } from './order-adjustments.js';

// What this module adds to the app: GraphQL resolvers, shield rules, MikroORM entities.
export const orderResolvers: readonly (abstract new (...args: never[]) => unknown)[] = [OrderResolver, OrderLineResolver, FraudDecisionResolver, CampaignResultsResolver];
export const orderRules: Record<string, Record<string, unknown>> = rules;
export const orderEntities: readonly (abstract new (...args: never[]) => unknown)[] = [Order, OrderLine, OrderStatusChange, OrderAdjustment];
