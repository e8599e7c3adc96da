import type { Seller } from '../sellers/sellers.entity.js';
import type { Integration } from '../integrations/integrations.entity.js';
import type { User, UserRole } from './auth.entity.js';

/**
 * Who is calling, resolved once per request from the bearer token.
 * - OPERATOR: a user of the admin seller (operator staff), sees the whole store.
 * - SELLER: a user of a guest seller, confined to that seller.
 * - CUSTOMER: a shopper with an account.
 * - INTEGRATION: an ERP token; `seller` is the seller it acts for (the admin seller when it
 *   is unlinked or admin-linked).
 */
export type Viewer =
  | { kind: 'ANONYMOUS' }
  | { kind: 'CUSTOMER'; user: User; sessionId: string }
  | { kind: 'OPERATOR'; user: User; role: UserRole; seller: Seller; sessionId: string }
  | { kind: 'SELLER'; user: User; role: UserRole; seller: Seller; sessionId: string }
  | { kind: 'INTEGRATION'; integration: Integration; seller: Seller };

export const anonymous: Viewer = { kind: 'ANONYMOUS' };

/** The seller a viewer works for, or null (anonymous, customers). */
export function viewerSeller(viewer: Viewer): Seller | null {
  return viewer.kind === 'OPERATOR' || viewer.kind === 'SELLER' || viewer.kind === 'INTEGRATION' ? viewer.seller : null;
}

export function isOperator(viewer: Viewer, roles?: readonly UserRole[]): boolean {
  return viewer.kind === 'OPERATOR' && (!roles || roles.includes(viewer.role));
}
