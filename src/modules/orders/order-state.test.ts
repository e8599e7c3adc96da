import 'reflect-metadata';
import { describe, expect, it } from 'vitest';
import { OPERATOR_ROLES, SELLER_ROLES, UserRole, type Viewer, type ViewerSeller } from '../../shared/access/index.js';
import { OrderStatus } from './orders.entity.js';
import { ORDER_ROLES, ORDER_TRANSITIONS, OrderAction, OrderProcess, UNCHANGED, rowAdmits, transitionFrom, transitionsOf, viewerMayEver, type OrderGrant, type OrderScope } from './order-state.js';

/**
 * The transition table against design.md ("Orders after checkout", the who-may table) for the
 * moves that exist today, and the shape every row must keep as the table grows.
 */

const { PENDING_PAYMENT, PENDING_FRAUD_REVIEW, APPROVED, INVOICED, SHIPPED, DELIVERED, CANCELLED } = OrderStatus;
const { OWNER, ADMIN, AGENT, SUPPORT, FINANCE, CATALOG, SERVICE } = UserRole;

const alfa: ViewerSeller = { id: 'seller-alfa', name: 'Alfa Modas', status: 'ACTIVE', isAdmin: false };
const beta: ViewerSeller = { id: 'seller-beta', name: 'Beta', status: 'ACTIVE', isAdmin: false };
const admin: ViewerSeller = { id: 'seller-admin', name: 'Loja', status: 'ACTIVE', isAdmin: true };
const user = (id: string) => ({ id, email: `${id}@x.test`, name: id });
const v = {
  anonymous: { kind: 'ANONYMOUS' } as Viewer,
  customer: { kind: 'CUSTOMER', user: user('maria'), sessionId: 's' } as Viewer,
  otherCustomer: { kind: 'CUSTOMER', user: user('joao'), sessionId: 's' } as Viewer,
  operator: (role: UserRole): Viewer => ({ kind: 'OPERATOR', user: user(`op-${role}`), role, seller: admin, sessionId: 's' }),
  seller: (role: UserRole, seller = alfa): Viewer => ({ kind: 'SELLER', user: user(`alfa-${role}`), role, seller, sessionId: 's' }),
  integration: (seller = alfa): Viewer => ({ kind: 'INTEGRATION', integration: { id: 'erp', name: 'ERP', canWriteAttributes: false }, seller }),
};
const order = (status: OrderStatus): OrderScope => ({ code: 'ALFA-100001-2', status, seller: { id: alfa.id }, customer: { id: 'maria' } });

/** The actors a grant list admits, as comparable strings. */
const actorsOf = (grants: readonly OrderGrant[]) =>
  grants
    .map((g) => {
      switch (g.who) {
        case 'OPERATOR':
        case 'SELLER':
          return `${g.who}:${[...g.roles].sort().join(',')}`;
        case 'SYSTEM':
          return `SYSTEM:${g.process}`;
        default:
          return g.who;
      }
    })
    .sort();

describe('the transition table matches design.md for the moves that exist today', () => {
  it('cancel whole order: customer until INVOICED; seller OWNER/SERVICE and integration until SHIPPED; operator staff; fraud rejection (and the payment expiry job)', () => {
    const rows = transitionsOf(OrderAction.CANCEL);
    expect(rows).toHaveLength(2);
    const [beforeInvoice, invoiced] = rows;
    expect(beforeInvoice!.from).toEqual([PENDING_PAYMENT, PENDING_FRAUD_REVIEW, APPROVED]);
    expect(beforeInvoice!.to).toBe(CANCELLED);
    expect(actorsOf(beforeInvoice!.who)).toEqual(
      ['CUSTOMER', 'INTEGRATION', `OPERATOR:${[...OPERATOR_ROLES].sort().join(',')}`, 'SELLER:OWNER,SERVICE', 'SYSTEM:FRAUD_ANALYZER', 'SYSTEM:PAYMENT_EXPIRY'].sort(),
    );
    expect(invoiced!.from).toEqual([INVOICED]);
    expect(invoiced!.to).toBe(CANCELLED);
    expect(actorsOf(invoiced!.who)).toEqual(['INTEGRATION', `OPERATOR:${[...OPERATOR_ROLES].sort().join(',')}`, 'SELLER:OWNER,SERVICE'].sort());
  });

  it('invoice, ship, deliver: the order\'s seller OWNER/SERVICE users or its integration, operator OWNER/ADMIN (deliver also by a carrier event)', () => {
    const fulfilers = ['INTEGRATION', 'OPERATOR:ADMIN,OWNER', 'SELLER:OWNER,SERVICE'];
    const only = (action: OrderAction) => {
      const rows = transitionsOf(action);
      expect(rows).toHaveLength(1);
      return rows[0]!;
    };
    expect(only(OrderAction.INVOICE)).toMatchObject({ from: [APPROVED], to: INVOICED });
    expect(actorsOf(only(OrderAction.INVOICE).who)).toEqual(fulfilers);
    expect(only(OrderAction.SHIP)).toMatchObject({ from: [INVOICED], to: SHIPPED });
    expect(actorsOf(only(OrderAction.SHIP).who)).toEqual(fulfilers);
    expect(only(OrderAction.DELIVER)).toMatchObject({ from: [SHIPPED], to: DELIVERED });
    expect(actorsOf(only(OrderAction.DELIVER).who)).toEqual([...fulfilers, 'SYSTEM:CARRIER'].sort());
  });

  it('item unavailable and edits: APPROVED or INVOICED, the status stays; seller OWNER/SERVICE, integration, operator staff', () => {
    for (const action of [OrderAction.CANCEL_LINES, OrderAction.EDIT]) {
      const rows = transitionsOf(action);
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({ from: [APPROVED, INVOICED], to: UNCHANGED });
      expect(actorsOf(rows[0]!.who)).toEqual(['INTEGRATION', `OPERATOR:${[...OPERATOR_ROLES].sort().join(',')}`, 'SELLER:OWNER,SERVICE'].sort());
    }
    const may = (viewer: Viewer) => viewerMayEver(OrderAction.CANCEL_LINES, viewer);
    expect([may(v.customer), may(v.anonymous), may(v.seller(FINANCE)), may(v.seller(SERVICE)), may(v.integration()), may(v.operator(SUPPORT))]).toEqual([false, false, false, true, true, true]);
  });

  it('an exchange places its replacement order approved, by whoever completes the exchange for the original order\'s seller', () => {
    const [row] = transitionsOf(OrderAction.PLACE_REPLACEMENT);
    expect(row).toMatchObject({ from: [null], to: APPROVED });
    expect(rowAdmits(row!, { viewer: v.seller(SERVICE) }, order(DELIVERED))).toBe(true);
    expect(rowAdmits(row!, { viewer: v.seller(SERVICE, beta) }, order(DELIVERED))).toBe(false);
    expect(rowAdmits(row!, { viewer: v.customer }, order(DELIVERED))).toBe(false);
  });

  it('approval: the fraud verdict or the money, whichever comes second; staff settle reviews and confirm deposits', () => {
    const [approve] = transitionsOf(OrderAction.APPROVE);
    expect(approve!.from).toEqual([PENDING_PAYMENT, PENDING_FRAUD_REVIEW]);
    expect(approve!.to).toBe(APPROVED);
    expect(actorsOf(approve!.who)).toEqual(['OPERATOR:ADMIN,OWNER', 'OPERATOR:ADMIN,OWNER,SUPPORT', 'SYSTEM:FRAUD_ANALYZER', 'SYSTEM:PAYMENT_PROVIDER']);
    expect(ORDER_ROLES.fraudReview).toEqual([OWNER, ADMIN, SUPPORT]);
    expect(ORDER_ROLES.confirmDeposit).toEqual([OWNER, ADMIN]);
  });

  it('checkout creates orders waiting for the money or for the verdict; the holds between them', () => {
    expect([OrderAction.PLACE, OrderAction.PLACE_AUTHORIZED].map((a) => transitionFrom(a, null)?.to)).toEqual([PENDING_PAYMENT, PENDING_FRAUD_REVIEW]);
    expect(transitionFrom(OrderAction.PAY_PENDING_REVIEW, PENDING_PAYMENT)?.to).toBe(PENDING_FRAUD_REVIEW);
    expect(actorsOf(transitionsOf(OrderAction.PAY_PENDING_REVIEW)[0]!.who)).toEqual(['OPERATOR:ADMIN,OWNER', 'SYSTEM:PAYMENT_PROVIDER']);
    expect(actorsOf(transitionsOf(OrderAction.HOLD_FOR_REVIEW)[0]!.who)).toEqual(['SYSTEM:FRAUD_ANALYZER']);
  });

  it('the main path is APPROVED → INVOICED → SHIPPED → DELIVERED; after SHIPPED money comes back only through a return; DELIVERED and CANCELLED are final', () => {
    for (const status of [SHIPPED, DELIVERED, CANCELLED]) {
      expect(ORDER_TRANSITIONS.filter((t) => t.from.includes(status) && t.to === CANCELLED)).toEqual([]);
    }
    for (const status of [DELIVERED, CANCELLED]) expect(ORDER_TRANSITIONS.filter((t) => t.from.includes(status))).toEqual([]);
  });
});

describe('every row keeps the table well-formed', () => {
  it('one row per action and status, so the row that applies is never ambiguous', () => {
    const keys = ORDER_TRANSITIONS.flatMap((t) => t.from.map((f) => `${t.action}:${f ?? 'new'}`));
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('no row stays where it is; creation rows create only', () => {
    for (const t of ORDER_TRANSITIONS) {
      expect(t.from).not.toContain(t.to);
      if (t.from.includes(null)) expect(t.from).toEqual([null]);
    }
  });

  it('roles are those of the actor they are given to, and every row admits someone', () => {
    for (const t of ORDER_TRANSITIONS) {
      expect(t.who.length).toBeGreaterThan(0);
      for (const g of t.who) {
        if (g.who === 'OPERATOR') for (const r of g.roles) expect(OPERATOR_ROLES).toContain(r);
        if (g.who === 'SELLER') for (const r of g.roles) expect(SELLER_ROLES).toContain(r);
      }
    }
  });
});

describe('guards', () => {
  const cancel = transitionFrom(OrderAction.CANCEL, APPROVED)!;

  it('the shield rule of cancelOrder (kinds and roles) follows the CANCEL rows', () => {
    const may = (viewer: Viewer) => viewerMayEver(OrderAction.CANCEL, viewer);
    expect(may(v.anonymous)).toBe(false);
    expect(may(v.customer)).toBe(true);
    expect([OWNER, ADMIN, AGENT, SUPPORT].map((r) => may(v.operator(r)))).toEqual([true, true, true, true]);
    expect([OWNER, SERVICE, FINANCE, CATALOG].map((r) => may(v.seller(r)))).toEqual([true, true, false, false]);
    expect(may(v.integration())).toBe(true);
  });

  it('an order is cancelled by its own customer and its own seller, not by another', () => {
    const o = order(APPROVED);
    expect(rowAdmits(cancel, { viewer: v.customer }, o)).toBe(true);
    expect(rowAdmits(cancel, { viewer: v.otherCustomer }, o)).toBe(false);
    expect(rowAdmits(cancel, { viewer: v.seller(SERVICE) }, o)).toBe(true);
    expect(rowAdmits(cancel, { viewer: v.seller(OWNER, beta) }, o)).toBe(false);
    expect(rowAdmits(cancel, { viewer: v.integration(beta) }, o)).toBe(false);
    expect(rowAdmits(cancel, { viewer: v.seller(FINANCE) }, o)).toBe(false);
    expect(rowAdmits(cancel, { viewer: v.anonymous }, o)).toBe(false);
  });

  it('a suspended seller is told why; operator staff still may', () => {
    const suspended = { ...alfa, status: 'SUSPENDED' };
    expect(rowAdmits(cancel, { viewer: v.seller(OWNER, suspended) }, order(APPROVED))).toBe('Seller Alfa Modas is suspended: ask the store to cancel the order.');
    expect(rowAdmits(cancel, { viewer: v.integration(suspended) }, order(APPROVED))).toMatch(/suspended/);
    expect(rowAdmits(cancel, { viewer: v.operator(AGENT) }, order(APPROVED))).toBe(true);
  });

  it('system processes act only where their row names them', () => {
    expect(rowAdmits(cancel, { process: OrderProcess.PAYMENT_EXPIRY }, order(PENDING_PAYMENT))).toBe(true);
    expect(rowAdmits(cancel, { process: OrderProcess.PAYMENT_PROVIDER }, order(PENDING_PAYMENT))).toBe(false);
    const approve = transitionFrom(OrderAction.APPROVE, PENDING_FRAUD_REVIEW)!;
    expect(rowAdmits(approve, { process: OrderProcess.PAYMENT_EXPIRY }, order(PENDING_FRAUD_REVIEW))).toBe(false);
    expect(rowAdmits(approve, { viewer: v.operator(AGENT) }, order(PENDING_FRAUD_REVIEW))).toBe(false);
    expect(rowAdmits(approve, { viewer: v.operator(SUPPORT) }, order(PENDING_FRAUD_REVIEW))).toBe(true);
  });
});
