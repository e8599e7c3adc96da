import { allow } from 'graphql-shield';
import { viewerRule } from '../../shared/access/index.js';
import { OrderAction, viewerMayEver } from '../orders/index.js';

// Who may call each mutation comes from the orders' transition table, so the shield rule and
// the state machine never disagree; which order (its seller, its status) is the machine's check.
const may = (action: OrderAction, words: string) => viewerRule(`fulfilment.${action}`, (v) => viewerMayEver(action, v) || words);
const invoice = may(OrderAction.INVOICE, "Only the order's seller (owner, customer service, its integration) and operator owners/admins invoice orders.");
const ship = may(OrderAction.SHIP, "Only the order's seller (owner, customer service, its integration) and operator owners/admins ship orders.");
const deliver = may(OrderAction.DELIVER, "Only the order's seller (owner, customer service, its integration) and operator owners/admins deliver orders.");
const anyFulfilment = viewerRule('fulfilment.any', (v) => viewerMayEver(OrderAction.INVOICE, v) || viewerMayEver(OrderAction.SHIP, v) || viewerMayEver(OrderAction.DELIVER, v));

export const fulfilmentRules = {
  Mutation: { invoiceOrder: invoice, shipOrder: ship, addTrackingEvent: ship, markDelivered: deliver, fulfilOrders: anyFulfilment, importFulfilment: anyFulfilment },
  // Reached only through an Order, whose own rule decides who sees it.
  OrderInvoice: { '*': allow },
  OrderShipment: { '*': allow },
  TrackingEvent: { '*': allow },
  FulfilmentRowResult: { '*': allow },
};
