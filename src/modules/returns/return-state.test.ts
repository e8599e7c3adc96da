import 'reflect-metadata';
import { describe, expect, it } from 'vitest';
import { OPERATOR_ROLES, UserRole, type Viewer, type ViewerSeller } from '../../shared/access/index.js';
import { OrderStatus, type OrderScope } from '../orders/index.js';
import { ReturnStatus } from './returns.entity.js';
import { RETURN_TRANSITIONS, RETURN_UNCHANGED, ReturnAction, returnRowAdmits, returnTransitionFrom, returnTransitionsOf, viewerMayEverReturn } from './return-state.js';

/** The return table against design.md: its states and moves, and who may open and decide. */

const { REQUESTED, APPROVED, REJECTED, RECEIVED, REFUNDED, EXCHANGED } = ReturnStatus;
const alfa: ViewerSeller = { id: 'seller-alfa', name: 'Alfa Modas', status: 'ACTIVE', isAdmin: false };
const beta: ViewerSeller = { id: 'seller-beta', name: 'Beta', status: 'ACTIVE', isAdmin: false };
const admin: ViewerSeller = { id: 'seller-admin', name: 'Loja', status: 'ACTIVE', isAdmin: true };
const user = (id: string) => ({ id, email: `${id}@x.test`, name: id });
const customer: Viewer = { kind: 'CUSTOMER', user: user('maria'), sessionId: 's' };
const seller = (role: UserRole, s = alfa): Viewer => ({ kind: 'SELLER', user: user(`u-${role}`), role, seller: s, sessionId: 's' });
const staff = (role: UserRole): Viewer => ({ kind: 'OPERATOR', user: user(`op-${role}`), role, seller: admin, sessionId: 's' });
const order: OrderScope & { id: string } = { id: 'order-1', code: 'ALFA-100001-2', status: OrderStatus.DELIVERED, seller: { id: alfa.id }, customer: { id: 'maria' } };

describe('the return table', () => {
  it('has design.md\'s moves: REQUESTED → APPROVED | REJECTED, APPROVED → RECEIVED → REFUNDED | EXCHANGED', () => {
    const moves = RETURN_TRANSITIONS.filter((t) => t.to !== RETURN_UNCHANGED).map((t) => `${t.from.join(',') || 'new'}→${t.to}`);
    expect(moves).toEqual([`new→${REQUESTED}`, `${REQUESTED}→${APPROVED}`, `${REQUESTED}→${REJECTED}`, `${APPROVED}→${RECEIVED}`, `${RECEIVED}→${REFUNDED}`, `${RECEIVED}→${EXCHANGED}`]);
    for (const end of [REJECTED, REFUNDED, EXCHANGED]) expect(RETURN_TRANSITIONS.filter((t) => t.from.includes(end))).toEqual([]);
    expect(returnTransitionFrom(ReturnAction.REFUND, APPROVED)).toBeUndefined();
  });

  it('open: the order\'s customer, a signed link to that order, the seller\'s OWNER/SERVICE users, operator staff', () => {
    const [open] = returnTransitionsOf(ReturnAction.OPEN);
    expect(returnRowAdmits(open!, { actor: { viewer: customer } }, order)).toBe(true);
    expect(returnRowAdmits(open!, { actor: { viewer: { kind: 'CUSTOMER', user: user('joao'), sessionId: 's' } } }, order)).toBe(false);
    expect(returnRowAdmits(open!, { actor: { viewer: { kind: 'ANONYMOUS' } }, linkedOrderId: 'order-1' }, order)).toBe(true);
    expect(returnRowAdmits(open!, { actor: { viewer: { kind: 'ANONYMOUS' } }, linkedOrderId: 'order-2' }, order)).toBe(false);
    expect([UserRole.OWNER, UserRole.SERVICE, UserRole.FINANCE, UserRole.CATALOG].map((r) => returnRowAdmits(open!, { actor: { viewer: seller(r) } }, order))).toEqual([true, true, false, false]);
    expect(returnRowAdmits(open!, { actor: { viewer: seller(UserRole.OWNER, beta) } }, order)).toBe(false);
    expect(OPERATOR_ROLES.map((r) => returnRowAdmits(open!, { actor: { viewer: staff(r) } }, order))).toEqual(OPERATOR_ROLES.map(() => true));
  });

  it('the seller side decides, receives and pays: never the customer, never another seller', () => {
    for (const action of [ReturnAction.APPROVE, ReturnAction.REJECT, ReturnAction.RECEIVE, ReturnAction.REFUND, ReturnAction.EXCHANGE]) {
      expect(viewerMayEverReturn(action, customer)).toBe(false);
      expect(viewerMayEverReturn(action, { kind: 'ANONYMOUS' })).toBe(false);
      expect(viewerMayEverReturn(action, seller(UserRole.FINANCE))).toBe(false);
      const [row] = returnTransitionsOf(action);
      expect(returnRowAdmits(row!, { actor: { viewer: seller(UserRole.SERVICE) } }, order)).toBe(true);
      expect(returnRowAdmits(row!, { actor: { viewer: seller(UserRole.SERVICE, beta) } }, order)).toBe(false);
    }
  });
});
