import type { UserRole } from './roles.js';

/**
 * What a permission check needs to know about the seller a viewer works for. The auth module
 * fills it with the Seller entity; every other module reads only these fields, so the
 * access vocabulary sits below the modules that own users, sellers and integrations.
 */
export interface ViewerSeller {
  readonly id: string;
  readonly name: string;
  /** PENDING, ACTIVE or SUSPENDED (sellers module's SellerStatus). */
  readonly status: string;
  readonly isAdmin: boolean;
}

export interface ViewerUser {
  readonly id: string;
  readonly email: string;
  readonly name: string;
}

export interface ViewerIntegration {
  readonly id: string;
  readonly name: string;
  /** May create and change store attributes (categories, brands, colours, sizes, tags). */
  readonly canWriteAttributes: boolean;
}

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
  | { kind: 'CUSTOMER'; user: ViewerUser; sessionId: string }
  | { kind: 'OPERATOR'; user: ViewerUser; role: UserRole; seller: ViewerSeller; sessionId: string }
  | { kind: 'SELLER'; user: ViewerUser; role: UserRole; seller: ViewerSeller; sessionId: string }
  | { kind: 'INTEGRATION'; integration: ViewerIntegration; seller: ViewerSeller };

export type ViewerKindName = Viewer['kind'];

export const anonymous: Viewer = { kind: 'ANONYMOUS' };

/** The seller a viewer works for, or null (anonymous, customers). */
export function viewerSeller(viewer: Viewer): ViewerSeller | null {
  return viewer.kind === 'OPERATOR' || viewer.kind === 'SELLER' || viewer.kind === 'INTEGRATION' ? viewer.seller : null;
}

export function isOperator(viewer: Viewer, roles?: readonly UserRole[]): boolean {
  return viewer.kind === 'OPERATOR' && (!roles || roles.includes(viewer.role));
}

/** The user behind a password session (customers, staff, seller users), or null. */
export function viewerUser(viewer: Viewer): ViewerUser | null {
  return viewer.kind === 'CUSTOMER' || viewer.kind === 'OPERATOR' || viewer.kind === 'SELLER' ? viewer.user : null;
}
