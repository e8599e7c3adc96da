import { OPERATOR_ROLES, UserRole, type Viewer } from '../../shared/access/index.js';
import { admits, grantMayEver, grantWords, type OrderActor, type OrderGrant, type OrderScope } from '../orders/index.js';
import { ReturnStatus } from './returns.entity.js';

/**
 * The return state machine's table (design.md: REQUESTED → APPROVED | REJECTED,
 * APPROVED → RECEIVED → REFUNDED | EXCHANGED): every status a return takes comes from one row
 * here, with who may take it. return-machine.ts applies a row and writes the return's history
 * and its domain event; returns.rules.ts derives the shield rules from the same rows. Whose
 * order it is (the order's customer, its seller) is judged against the return's order, with
 * the orders module's grant vocabulary; a signed order link (design.md: anonymous buyers open
 * returns from their e-mail) is this table's own grant.
 */
export enum ReturnAction {
  OPEN = 'OPEN',
  APPROVE = 'APPROVE',
  REJECT = 'REJECT',
  /** Reverse-logistics tracking given or changed; the status stays. */
  TRACK = 'TRACK',
  RECEIVE = 'RECEIVE',
  REFUND = 'REFUND',
  EXCHANGE = 'EXCHANGE',
}

/** An order grant, or whoever presents a valid signed link to the return's order. */
export type ReturnGrant = OrderGrant | { who: 'ORDER_LINK' };

export const RETURN_UNCHANGED = 'UNCHANGED' as const;

export interface ReturnTransition {
  action: ReturnAction;
  /** null: the return does not exist yet (OPEN creates it). */
  from: readonly (ReturnStatus | null)[];
  to: ReturnStatus | typeof RETURN_UNCHANGED;
  who: readonly ReturnGrant[];
  verb: { base: string; past: string };
  /** The domain event of each change; the e-mails to the buyer are read from it. */
  event: string;
  /** Where the work happens. */
  effects: string;
}

const { REQUESTED, APPROVED, REJECTED, RECEIVED, REFUNDED, EXCHANGED } = ReturnStatus;
const { OWNER, SERVICE } = UserRole;

/** The returns module's role sets (design.md: seller SERVICE/OWNER users; operator staff). */
export const RETURN_ROLES = {
  seller: [OWNER, SERVICE] as readonly UserRole[],
  operator: OPERATOR_ROLES,
} as const;

const seller: ReturnGrant = { who: 'SELLER', roles: RETURN_ROLES.seller };
const staff: ReturnGrant = { who: 'OPERATOR', roles: RETURN_ROLES.operator };
const erp: ReturnGrant = { who: 'INTEGRATION' };
/** The seller side: its service users, its integration, operator staff. */
const sellerSide = [seller, erp, staff];

export const RETURN_TRANSITIONS: readonly ReturnTransition[] = [
  {
    action: ReturnAction.OPEN,
    from: [null],
    to: REQUESTED,
    // design.md: "the customer (or a signed order link), seller SERVICE/OWNER, operator staff".
    who: [{ who: 'CUSTOMER' }, { who: 'ORDER_LINK' }, seller, staff],
    verb: { base: 'open a return of', past: 'returned' },
    event: 'return.opened',
    effects: 'open.service (openReturn): a DELIVERED order within the store\'s return window (operator staff also after it); units not cancelled, returned or in another open return',
  },
  { action: ReturnAction.APPROVE, from: [REQUESTED], to: APPROVED, who: sellerSide, verb: { base: 'approve', past: 'approved' }, event: 'return.approved', effects: 'review.service: the buyer is told to send the items back' },
  { action: ReturnAction.REJECT, from: [REQUESTED], to: REJECTED, who: sellerSide, verb: { base: 'reject', past: 'rejected' }, event: 'return.rejected', effects: 'review.service: the reason is kept; the units may be returned again' },
  {
    action: ReturnAction.TRACK,
    from: [APPROVED],
    to: RETURN_UNCHANGED,
    who: sellerSide,
    verb: { base: 'track', past: 'tracked' },
    event: 'return.tracking_updated',
    effects: 'review.service (setReturnTracking): reverse-logistics carrier, code and link',
  },
  { action: ReturnAction.RECEIVE, from: [APPROVED], to: RECEIVED, who: sellerSide, verb: { base: 'receive', past: 'received' }, event: 'return.received', effects: 'review.service (receiveReturn): resellable units restocked (SKUs locked in key order)' },
  {
    action: ReturnAction.REFUND,
    from: [RECEIVED],
    to: REFUNDED,
    who: sellerSide,
    verb: { base: 'refund', past: 'refunded' },
    event: 'return.refunded',
    effects: 'refund.service (refundReturn): the returned units\' frozen merchandise − discount (and the freight when operator staff decide) refunded over the payment parts; RETURN and REFUND entries',
  },
  {
    action: ReturnAction.EXCHANGE,
    from: [RECEIVED],
    to: EXCHANGED,
    who: sellerSide,
    verb: { base: 'exchange', past: 'exchanged' },
    event: 'return.exchanged',
    effects: 'exchange.service (exchangeReturn): a replacement order of the same seller (PLACE_REPLACEMENT), no money unless the replacement is worth less (the part of what was paid it does not take is refunded)',
  },
];

export function returnTransitionsOf(action: ReturnAction): ReturnTransition[] {
  return RETURN_TRANSITIONS.filter((t) => t.action === action);
}

export function returnTransitionFrom(action: ReturnAction, status: ReturnStatus | null): ReturnTransition | undefined {
  return RETURN_TRANSITIONS.find((t) => t.action === action && t.from.includes(status));
}

/** Who acts on a return: an order actor, and whether it presented a valid link to the return's order. */
export interface ReturnActor {
  actor: OrderActor;
  /** The order id a verified signed link names (null: no link presented). */
  linkedOrderId?: string | null;
}

/** Whether a row admits the actor for the return's order; true, false or why not (a suspended seller). */
export function returnRowAdmits(row: ReturnTransition, who: ReturnActor, order: OrderScope & { id: string }): boolean | string {
  let reason: string | false = false;
  for (const grant of row.who) {
    if (grant.who === 'ORDER_LINK') {
      // The buyer's link stands for the buyer: shoppers without an account or signed in as customers.
      const shopper = 'viewer' in who.actor && (who.actor.viewer.kind === 'ANONYMOUS' || who.actor.viewer.kind === 'CUSTOMER');
      if (shopper && who.linkedOrderId && who.linkedOrderId === order.id) return true;
      continue;
    }
    const ok = admits(grant, who.actor, order, row.verb.base);
    if (ok === true) return true;
    if (typeof ok === 'string') reason = ok;
  }
  return reason;
}

/** Whether a caller could ever take the action, by kind and role: the shield rule of its mutation. */
export function viewerMayEverReturn(action: ReturnAction, viewer: Viewer): boolean {
  // Whoever holds an order's signed link is a shopper without an account, or signed in as a customer.
  return returnTransitionsOf(action).some((row) =>
    row.who.some((g) => (g.who === 'ORDER_LINK' ? viewer.kind === 'ANONYMOUS' || viewer.kind === 'CUSTOMER' : grantMayEver(g, viewer))),
  );
}

export const returnStatusWords = (s: ReturnStatus) => s.toLowerCase();

/** The table as README.md shows it (a test keeps the two equal). */
export function renderReturnTransitionsMarkdown(): string {
  const rows = RETURN_TRANSITIONS.map((t) =>
    [
      `\`${t.action}\``,
      t.from.map((f) => (f ? `\`${f}\`` : '(new)')).join(', '),
      t.to === RETURN_UNCHANGED ? '(unchanged)' : `\`${t.to}\``,
      t.who.map((g) => (g.who === 'ORDER_LINK' ? 'whoever holds a signed link to the order' : grantWords(g).replace("the order's customer", "the order's customer (signed in)"))).join('; '),
      t.effects,
    ].join(' | '),
  );
  return ['| Action | From | To | Who may | Work done with it |', '|---|---|---|---|---|', ...rows.map((r) => `| ${r} |`)].join('\n');
}

