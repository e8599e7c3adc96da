import { OPERATOR_ROLES, UserRole, type Viewer } from '../../shared/access/index.js';
import { PAYMENT_MANAGER_ROLES } from '../payments/index.js';
import { CancellationReason, OrderStatus, type Order } from './orders.entity.js';

/*
 * Long file: the one transition table of orders (design.md) with its guards, role sets and
 * the words refusals and the README use; splitting it would put half a row's meaning elsewhere.
 */

/**
 * The order state machine's table (design.md, "Orders after checkout"): every status an order
 * takes comes from one row here — what moves it (the action), from which statuses, to which,
 * and who may. `order-machine.ts` applies a row and writes the change into the order's history;
 * orders.rules.ts derives its shield rules from the same rows, so who may call a mutation and
 * who may take the action it performs can never disagree.
 *
 * Several rows may share an action: the row whose `from` holds the order's status applies,
 * which is how "customer until INVOICED, seller until SHIPPED" is written (two CANCEL rows).
 */

/** What moved an order; kept in each history row. */
export enum OrderAction {
  /** Checkout created the order while the payment still waits for the buyer (Pix, deposit). */
  PLACE = 'PLACE',
  /** Checkout created the order with its payment secured (card authorized, gift card taken): it waits for the fraud verdict. */
  PLACE_AUTHORIZED = 'PLACE_AUTHORIZED',
  /** The money arrived while the fraud verdict is still pending or under review. */
  PAY_PENDING_REVIEW = 'PAY_PENDING_REVIEW',
  /** The analyzer asked for a review of a cart whose money is already in or authorized. */
  HOLD_FOR_REVIEW = 'HOLD_FOR_REVIEW',
  /** Money in hand and an approving verdict: whichever fact came second approves. */
  APPROVE = 'APPROVE',
  /** The whole order is cancelled (stock back, its total refunded or voided). */
  CANCEL = 'CANCEL',
  /** The seller issued the order's NF-e (fulfilment: invoiceOrder). */
  INVOICE = 'INVOICE',
  /** The order left with a carrier, tracking code in hand (fulfilment: shipOrder). */
  SHIP = 'SHIP',
  /** The buyer received it (fulfilment: markDelivered or a DELIVERED tracking event). */
  DELIVER = 'DELIVER',
  /** Item unavailable: some lines or units cancelled before shipping; the status stays. */
  CANCEL_LINES = 'CANCEL_LINES',
  /** Lines swapped, removed or added before shipping; the status stays. */
  EDIT = 'EDIT',
  /** An exchange created this order, approved, to replace returned items of another order. */
  PLACE_REPLACEMENT = 'PLACE_REPLACEMENT',
}

/** `to` of a row that changes the order without moving its status (CANCEL_LINES, EDIT). */
export const UNCHANGED = 'UNCHANGED' as const;

/** The store's own processes, which move orders with nobody calling the API for it. */
export enum OrderProcess {
  /** The configured analyzer's verdict, at checkout or in the resume pass (src/jobs/fraud-resume.ts). */
  FRAUD_ANALYZER = 'FRAUD_ANALYZER',
  /** A payment provider's verified webhook (a Pix paid). */
  PAYMENT_PROVIDER = 'PAYMENT_PROVIDER',
  /** The job that expires carts left unpaid (src/jobs/payment-expiry.ts). */
  PAYMENT_EXPIRY = 'PAYMENT_EXPIRY',
  /** A carrier's own tracking notification (design.md: "deliver … or a carrier event"). */
  CARRIER = 'CARRIER',
}

/** Who moved an order, as its history shows it. */
export enum OrderActorKind {
  /** A shopper without an account, holding the cart's token. */
  ANONYMOUS = 'ANONYMOUS',
  CUSTOMER = 'CUSTOMER',
  /** Operator staff (users of the admin seller). */
  OPERATOR = 'OPERATOR',
  /** A user of the order's guest seller. */
  SELLER = 'SELLER',
  /** An ERP integration. */
  INTEGRATION = 'INTEGRATION',
  /** One of the store's own processes (OrderProcess). */
  SYSTEM = 'SYSTEM',
}

/** What a guard reads of an order: whose it is. The entity fits; tests pass plain objects. */
export interface OrderScope {
  readonly code: string;
  readonly status: OrderStatus;
  readonly seller: { readonly id: string };
  readonly customer?: { readonly id: string } | null;
}

/** Who takes an action: someone calling the API (their viewer) or one of the store's processes. */
export type OrderActor = { viewer: Viewer } | { process: OrderProcess; detail?: string };

/**
 * One kind of actor a row admits. Declarative rather than a bare predicate so the rows read
 * like the design table, a test can compare them with it, and the shield rules can be derived.
 */
export type OrderGrant = (
  /** Whoever holds the cart at checkout: an anonymous shopper or a signed-in customer. */
  | { who: 'SHOPPER' }
  /** The customer the order belongs to. */
  | { who: 'CUSTOMER' }
  | { who: 'OPERATOR'; roles: readonly UserRole[] }
  /** Users of the order's own seller with one of the roles, while that seller is not suspended. */
  | { who: 'SELLER'; roles: readonly UserRole[] }
  /** The ERP integration of the order's own seller, while that seller is not suspended. */
  | { who: 'INTEGRATION' }
  | { who: 'SYSTEM'; process: OrderProcess }
) & {
  /** Through which act, when the grant is narrower than the actor ("fraud review", "bank deposit"); documentation only. */
  via?: string;
};

/**
 * Why a change happened, kept in the history as a code: the CancellationReason of a
 * cancellation; for the others what checkout saw (PAYMENT_PENDING, PAYMENT_AUTHORIZED) or what
 * arrived (PAYMENT_CONFIRMED, FRAUD_APPROVED, FRAUD_REVIEW).
 */
export type OrderChangeReason =
  | CancellationReason
  | 'PAYMENT_PENDING'
  | 'PAYMENT_AUTHORIZED'
  | 'PAYMENT_CONFIRMED'
  | 'FRAUD_APPROVED'
  | 'FRAUD_REVIEW'
  | 'ITEM_UNAVAILABLE'
  | 'ORDER_EDITED'
  | 'EXCHANGE';

/** What a change carries besides its action and actor. */
export interface TransitionDetails {
  /** When it happened; one instant for every order of a batch (a rejected cart). */
  at: Date;
  /** Why (CANCEL needs its CancellationReason). */
  reason?: OrderChangeReason | null;
  /** The caller's own words (a cancellation note); operator staff read it. */
  note?: string | null;
  /** Facts of the change for its domain event (the lines and units of a partial cancellation, the refund). */
  data?: Record<string, unknown>;
}

export interface OrderTransition {
  action: OrderAction;
  /** Statuses the row leaves; null is "no order yet" (checkout creates it). */
  from: readonly (OrderStatus | null)[];
  /** The status after; UNCHANGED for a change that keeps it (recorded in the history all the same). */
  to: OrderStatus | typeof UNCHANGED;
  who: readonly OrderGrant[];
  /** The action as refusals word it: "cannot be cancelled", "may not cancel". */
  verb: { base: string; past: string };
  /**
   * Fields of the order that change with its status, set with it. The money, stock, ledger and
   * e-mail work stays in the calling service (`effects` names it): it spans every order of a
   * cart and follows the store's lock order — payment transaction → fraud analysis → orders →
   * SKUs in primary-key order — e.g. a cancellation refunds each order before it locks all their
   * SKUs in one sorted pass, which a per-order hook here could not keep.
   */
  onEnter?: (order: Order, details: TransitionDetails) => void;
  /** Where the rest of the work happens, for readers of this table (and the README). */
  effects: string;
  /** The domain event each change writes (design.md: e-mails, feeds, webhooks read it). */
  event: string;
}

const { PENDING_PAYMENT, PENDING_FRAUD_REVIEW, APPROVED, INVOICED, SHIPPED, DELIVERED, CANCELLED } = OrderStatus;
const { OWNER, ADMIN, SUPPORT, SERVICE, FINANCE } = UserRole;

/**
 * The orders module's role sets; the transition rows, the shield rules (orders.rules.ts) and
 * the service all read them from here.
 */
export const ORDER_ROLES = {
  /** Operator staff who cancel any order. */
  operatorCancels: OPERATOR_ROLES,
  /** A guest seller's users who cancel its orders (owner, customer service). */
  sellerCancels: [OWNER, SERVICE] as readonly UserRole[],
  /** Operator staff who settle a fraud review (decideFraudAnalysis), approving or cancelling the cart's orders. */
  fraudReview: [OWNER, ADMIN, SUPPORT] as readonly UserRole[],
  /** Operator staff who confirm a bank deposit (the payments module's rule), which approves or moves the orders. */
  confirmDeposit: PAYMENT_MANAGER_ROLES,
  /** A guest seller's users who read its orders: catalog users look after products and stock. */
  sellerReads: [OWNER, FINANCE, SERVICE] as readonly UserRole[],
  /** A guest seller's users who invoice, ship and deliver its orders (design.md: OWNER/SERVICE). */
  sellerFulfils: [OWNER, SERVICE] as readonly UserRole[],
  /** Operator staff who invoice, ship and deliver any order (design.md: OWNER/ADMIN). */
  operatorFulfils: [OWNER, ADMIN] as readonly UserRole[],
  /** A guest seller's users who cancel unavailable items, edit orders and complete exchanges (design.md: OWNER/SERVICE). */
  sellerAdjusts: [OWNER, SERVICE] as readonly UserRole[],
  /** Operator staff who do the same for any order (design.md: "operator staff"). */
  operatorAdjusts: OPERATOR_ROLES,
} as const;

const shopper: OrderGrant = { who: 'SHOPPER' };
const operator = (roles: readonly UserRole[], via?: string): OrderGrant => ({ who: 'OPERATOR', roles, ...(via ? { via } : {}) });
const system = (process: OrderProcess, via?: string): OrderGrant => ({ who: 'SYSTEM', process, ...(via ? { via } : {}) });

const isCancellationReason = (reason: unknown): reason is CancellationReason =>
  typeof reason === 'string' && (Object.values(CancellationReason) as string[]).includes(reason);

const cancelled = (order: Order, d: TransitionDetails): void => {
  if (!isCancellationReason(d.reason)) throw new Error(`CANCEL needs a CancellationReason, got ${String(d.reason)}`);
  order.cancelledAt = d.at;
  order.cancellationReason = d.reason;
  order.cancellationNote = d.note ?? null;
};

export const ORDER_TRANSITIONS: readonly OrderTransition[] = [
  {
    action: OrderAction.PLACE,
    from: [null],
    to: PENDING_PAYMENT,
    // Whoever may check the cart out (carts' shopper rule): shoppers, and operator staff in an assisted sale.
    who: [shopper, operator(OPERATOR_ROLES)],
    verb: { base: 'place', past: 'placed' },
    effects: 'checkout.service: stock taken, lines and frozen shares, payment transaction, fraud analysis, ledger and e-mail, in the checkout transaction',
    event: 'order.created',
  },
  {
    action: OrderAction.PLACE_AUTHORIZED,
    from: [null],
    to: PENDING_FRAUD_REVIEW,
    who: [shopper, operator(OPERATOR_ROLES)],
    verb: { base: 'place', past: 'placed' },
    effects: 'as PLACE',
    event: 'order.created',
  },
  {
    action: OrderAction.PAY_PENDING_REVIEW,
    from: [PENDING_PAYMENT],
    to: PENDING_FRAUD_REVIEW,
    who: [system(OrderProcess.PAYMENT_PROVIDER), operator(ORDER_ROLES.confirmDeposit, 'bank deposit confirmation')],
    verb: { base: 'hold for review', past: 'held for review' },
    effects: 'settlement.service (payment lifecycle): the captured money is booked; staff or the analyzer decide next',
    event: 'order.payment_confirmed',
  },
  {
    action: OrderAction.HOLD_FOR_REVIEW,
    from: [PENDING_PAYMENT],
    to: PENDING_FRAUD_REVIEW,
    who: [system(OrderProcess.FRAUD_ANALYZER)],
    verb: { base: 'hold for review', past: 'held for review' },
    effects: 'settlement.service (applyFraudOutcome): captured money is booked',
    event: 'order.under_review',
  },
  {
    action: OrderAction.APPROVE,
    from: [PENDING_PAYMENT, PENDING_FRAUD_REVIEW],
    to: APPROVED,
    who: [
      system(OrderProcess.FRAUD_ANALYZER),
      system(OrderProcess.PAYMENT_PROVIDER),
      operator(ORDER_ROLES.fraudReview, 'fraud review'),
      operator(ORDER_ROLES.confirmDeposit, 'bank deposit confirmation'),
    ],
    verb: { base: 'approve', past: 'approved' },
    onEnter: (order, d) => {
      order.approvedAt = d.at;
    },
    effects: 'settlement.service (captureAndApprove): authorized cards captured and every capture booked before the orders are approved',
    event: 'order.approved',
  },
  {
    action: OrderAction.CANCEL,
    // Nothing has left the warehouse.
    from: [PENDING_PAYMENT, PENDING_FRAUD_REVIEW, APPROVED],
    to: CANCELLED,
    who: [
      { who: 'CUSTOMER' },
      { who: 'SELLER', roles: ORDER_ROLES.sellerCancels },
      { who: 'INTEGRATION' },
      operator(ORDER_ROLES.operatorCancels),
      system(OrderProcess.FRAUD_ANALYZER, 'fraud rejection'),
      system(OrderProcess.PAYMENT_EXPIRY),
    ],
    verb: { base: 'cancel', past: 'cancelled' },
    onEnter: cancelled,
    effects: 'cancellation.service (cancelOrders): the order total refunded or voided, stock returned (SKUs locked in key order), checkout entry reversed and refund booked; the buyer e-mail follows from the order.cancelled event (notifications)',
    event: 'order.cancelled',
  },
  {
    action: OrderAction.CANCEL,
    // Invoiced but not shipped: the customer can no longer cancel on its own (design.md).
    from: [INVOICED],
    to: CANCELLED,
    who: [{ who: 'SELLER', roles: ORDER_ROLES.sellerCancels }, { who: 'INTEGRATION' }, operator(ORDER_ROLES.operatorCancels)],
    verb: { base: 'cancel', past: 'cancelled' },
    onEnter: cancelled,
    effects: 'as CANCEL above; the invoice of the order reads as cancelled from then on (fulfilment)',
    event: 'order.cancelled',
  },
  {
    action: OrderAction.INVOICE,
    from: [APPROVED],
    to: INVOICED,
    who: [{ who: 'SELLER', roles: ORDER_ROLES.sellerFulfils }, { who: 'INTEGRATION' }, operator(ORDER_ROLES.operatorFulfils)],
    verb: { base: 'invoice', past: 'invoiced' },
    onEnter: (order, d) => {
      order.invoicedAt = d.at;
    },
    effects: 'fulfilment (invoiceOrder): the NF-e is checked (access key, issuer, amount) and kept with the order',
    event: 'order.invoiced',
  },
  {
    action: OrderAction.SHIP,
    from: [INVOICED],
    to: SHIPPED,
    who: [{ who: 'SELLER', roles: ORDER_ROLES.sellerFulfils }, { who: 'INTEGRATION' }, operator(ORDER_ROLES.operatorFulfils)],
    verb: { base: 'ship', past: 'shipped' },
    onEnter: (order, d) => {
      order.shippedAt = d.at;
    },
    effects: 'fulfilment (shipOrder): carrier, tracking code and link kept; the order.shipped e-mail carries them (notifications)',
    event: 'order.shipped',
  },
  {
    action: OrderAction.DELIVER,
    from: [SHIPPED],
    to: DELIVERED,
    who: [{ who: 'SELLER', roles: ORDER_ROLES.sellerFulfils }, { who: 'INTEGRATION' }, operator(ORDER_ROLES.operatorFulfils), system(OrderProcess.CARRIER)],
    verb: { base: 'deliver', past: 'delivered' },
    onEnter: (order, d) => {
      order.deliveredAt = d.at;
    },
    effects: 'fulfilment (markDelivered, or a DELIVERED tracking event): the delivery time is kept; returns can be opened from here',
    event: 'order.delivered',
  },
  {
    action: OrderAction.CANCEL_LINES,
    // Before shipping; design.md: "item unavailable … APPROVED, INVOICED".
    from: [APPROVED, INVOICED],
    to: UNCHANGED,
    who: [{ who: 'SELLER', roles: ORDER_ROLES.sellerAdjusts }, { who: 'INTEGRATION' }, operator(ORDER_ROLES.operatorAdjusts)],
    verb: { base: 'cancel items of', past: 'partly cancelled' },
    effects: 'line-cancellation.service (cancelOrderLines): those units\' frozen merchandise − discount refunded over the payment parts, stock returned, LINE_CANCELLATION and REFUND entries; cancelling every unit left is the whole cancellation (CANCEL)',
    event: 'order.lines_cancelled',
  },
  {
    action: OrderAction.EDIT,
    from: [APPROVED, INVOICED],
    to: UNCHANGED,
    who: [{ who: 'SELLER', roles: ORDER_ROLES.sellerAdjusts }, { who: 'INTEGRATION' }, operator(ORDER_ROLES.operatorAdjusts)],
    verb: { base: 'edit', past: 'edited' },
    effects: 'order-edit.service (editOrder): removed units refunded and restocked, added lines (the seller\'s own SKUs, discount 0) take stock; a lower total is refunded, a higher one refused; EDIT and REFUND entries',
    event: 'order.edited',
  },
  {
    action: OrderAction.PLACE_REPLACEMENT,
    from: [null],
    to: APPROVED,
    // Whoever completes the exchange (returns module): the seller's service, its integration, operator staff.
    who: [{ who: 'SELLER', roles: ORDER_ROLES.sellerAdjusts }, { who: 'INTEGRATION' }, operator(ORDER_ROLES.operatorAdjusts)],
    verb: { base: 'place a replacement for', past: 'placed' },
    onEnter: (order, d) => {
      order.approvedAt = d.at;
    },
    effects: 'returns (exchangeReturn): a fresh cart number, linked to the original order and its payment transaction; stock taken (SKUs locked in key order); no money, no receivable',
    event: 'order.created',
  },
];

/** The rows of an action. */
export function transitionsOf(action: OrderAction): OrderTransition[] {
  return ORDER_TRANSITIONS.filter((t) => t.action === action);
}

/** The row that takes `action` from `status` (null: creation), if any. */
export function transitionFrom(action: OrderAction, status: OrderStatus | null): OrderTransition | undefined {
  return ORDER_TRANSITIONS.find((t) => t.action === action && t.from.includes(status));
}

/** Why a seller's users and integration may not move its orders now, or null. */
function suspension(viewer: Viewer, verb: string): string | null {
  return (viewer.kind === 'SELLER' || viewer.kind === 'INTEGRATION') && viewer.seller.status === 'SUSPENDED'
    ? `Seller ${viewer.seller.name} is suspended: ask the store to ${verb} the order.`
    : null;
}

/**
 * Whether a grant admits the actor for this order (null: an order about to be created).
 * True, false, or the reason a seller that would qualify may not act now (suspended).
 */
export function admits(grant: OrderGrant, actor: OrderActor, order: OrderScope | null, verb: string): boolean | string {
  if (!('viewer' in actor)) return grant.who === 'SYSTEM' && grant.process === actor.process;
  const v = actor.viewer;
  switch (grant.who) {
    case 'SHOPPER':
      return v.kind === 'ANONYMOUS' || v.kind === 'CUSTOMER';
    case 'CUSTOMER':
      return v.kind === 'CUSTOMER' && !!order?.customer && order.customer.id === v.user.id;
    case 'OPERATOR':
      return v.kind === 'OPERATOR' && grant.roles.includes(v.role);
    case 'SELLER':
      if (v.kind !== 'SELLER' || !grant.roles.includes(v.role) || !order || order.seller.id !== v.seller.id) return false;
      return suspension(v, verb) ?? true;
    case 'INTEGRATION':
      if (v.kind !== 'INTEGRATION' || !order || order.seller.id !== v.seller.id) return false;
      return suspension(v, verb) ?? true;
    case 'SYSTEM':
      return false;
  }
}

/** True when a row admits the actor; otherwise false or the reason it does not (suspended seller). */
export function rowAdmits(row: OrderTransition, actor: OrderActor, order: OrderScope | null): boolean | string {
  let reason: string | false = false;
  for (const grant of row.who) {
    const ok = admits(grant, actor, order, row.verb.base);
    if (ok === true) return true;
    if (typeof ok === 'string') reason = ok;
  }
  return reason;
}

/** Whether a grant could ever admit this viewer, whatever the order: by its kind and role alone. */
export function grantMayEver(grant: OrderGrant, viewer: Viewer): boolean {
  switch (grant.who) {
    case 'SHOPPER':
      return viewer.kind === 'ANONYMOUS' || viewer.kind === 'CUSTOMER';
    case 'CUSTOMER':
      return viewer.kind === 'CUSTOMER';
    case 'OPERATOR':
      return viewer.kind === 'OPERATOR' && grant.roles.includes(viewer.role);
    case 'SELLER':
      return viewer.kind === 'SELLER' && grant.roles.includes(viewer.role);
    case 'INTEGRATION':
      return viewer.kind === 'INTEGRATION';
    case 'SYSTEM':
      return false;
  }
}

/**
 * Whether a caller could ever take the action, whatever the order: its kind and role appear on
 * one of the action's rows. The shield rule of the action's mutation; the order-specific part
 * (whose order, seller suspended, current status) is the machine's.
 */
export function viewerMayEver(action: OrderAction, viewer: Viewer): boolean {
  return transitionsOf(action).some((row) => row.who.some((g) => grantMayEver(g, viewer)));
}

/** "pending payment", "approved": statuses as messages say them. */
export function statusWords(status: OrderStatus): string {
  return status.toLowerCase().replace(/_/g, ' ');
}

const PROCESS_WORDS: Record<OrderProcess, string> = {
  [OrderProcess.FRAUD_ANALYZER]: 'fraud analyzer',
  [OrderProcess.PAYMENT_PROVIDER]: 'payment provider (webhook)',
  [OrderProcess.PAYMENT_EXPIRY]: 'payment expiry job',
  [OrderProcess.CARRIER]: 'carrier tracking',
};

/** A grant in the words of design.md's table. */
export function grantWords(grant: OrderGrant): string {
  return grant.via ? `${whoWords(grant)} (${grant.via})` : whoWords(grant);
}

function whoWords(grant: OrderGrant): string {
  switch (grant.who) {
    case 'SHOPPER':
      return 'shopper holding the cart';
    case 'CUSTOMER':
      return "the order's customer";
    case 'OPERATOR':
      return OPERATOR_ROLES.every((r) => grant.roles.includes(r)) ? 'operator staff' : `operator ${grant.roles.join('/')}`;
    case 'SELLER':
      return `the order's seller ${grant.roles.join('/')} users`;
    case 'INTEGRATION':
      return "the order's seller's integration";
    case 'SYSTEM':
      return PROCESS_WORDS[grant.process];
  }
}

/** The table as README.md shows it (a test keeps the two equal). */
export function renderTransitionsMarkdown(): string {
  const rows = ORDER_TRANSITIONS.map((t) =>
    [
      `\`${t.action}\``,
      t.from.map((f) => (f ? `\`${f}\`` : '(new)')).join(', '),
      t.to === UNCHANGED ? '(unchanged)' : `\`${t.to}\``,
      t.who.map(grantWords).join('; '),
      t.effects,
    ].join(' | '),
  );
  return ['| Action | From | To | Who may | Work done with it |', '|---|---|---|---|---|', ...rows.map((r) => `| ${r} |`)].join('\n');
}
