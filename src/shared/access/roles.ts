import { registerEnumType } from 'type-graphql';

/**
 * One role list for everyone who works for a seller. Operator staff (users of the admin
 * seller) take OWNER, ADMIN, AGENT or SUPPORT; guest seller users take OWNER, FINANCE,
 * CATALOG or SERVICE. Customers have no role.
 *
 * It lives in shared because every module's permission table is written against it
 * (design.md: "every rule is written against these from the start").
 */
export enum UserRole {
  OWNER = 'OWNER',
  ADMIN = 'ADMIN',
  AGENT = 'AGENT',
  SUPPORT = 'SUPPORT',
  FINANCE = 'FINANCE',
  CATALOG = 'CATALOG',
  SERVICE = 'SERVICE',
}

registerEnumType(UserRole, {
  name: 'UserRole',
  description: 'Operator staff: OWNER, ADMIN, AGENT, SUPPORT. Guest seller users: OWNER, FINANCE, CATALOG, SERVICE.',
  valuesConfig: {
    OWNER: { description: 'Operator: everything in the store. Guest seller: everything of its seller.' },
    ADMIN: { description: 'Operator staff: administers the store.' },
    AGENT: { description: 'Operator staff: sales agent; builds assisted-sale carts for customers.' },
    SUPPORT: { description: 'Operator staff: customer support.' },
    FINANCE: { description: 'Guest seller: finance, receivables, payouts and bank data.' },
    CATALOG: { description: 'Guest seller: products and stock.' },
    SERVICE: { description: "Guest seller: its orders' customer service and tickets." },
  },
});

/** Roles operator staff may hold. */
export const OPERATOR_ROLES: readonly UserRole[] = [UserRole.OWNER, UserRole.ADMIN, UserRole.AGENT, UserRole.SUPPORT];
/** Roles a guest seller's users may hold. */
export const SELLER_ROLES: readonly UserRole[] = [UserRole.OWNER, UserRole.FINANCE, UserRole.CATALOG, UserRole.SERVICE];
