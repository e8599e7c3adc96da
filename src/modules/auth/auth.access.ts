import { UserRole, type AccessTable } from '../../shared/access/index.js';

const { OWNER, ADMIN } = UserRole;

/** Who may do what with accounts: read by auth.rules.ts and the users service. */
export const AUTH_ACCESS = {
  /** Adding a user to a seller: operator owners/admins (any seller), a guest seller's owner (its own). */
  createSellerUser: { operator: [OWNER, ADMIN], seller: [OWNER], write: true },
  /** Changing a seller's user (role, deactivation): the same people. */
  manageSellerUsers: { operator: [OWNER, ADMIN], seller: [OWNER], write: true },
  /** A seller's user list: the same people, reading. */
  readSellerUsers: { operator: [OWNER, ADMIN], seller: [OWNER] },
  /** Another user's account (everyone reads their own): operator staff, and the owner of the user's seller. */
  readUser: { operator: 'ALL', seller: [OWNER] },
  /** Handing out the operator roles in PRIVILEGED_OPERATOR_ROLES. */
  grantPrivilegedOperatorRole: { operator: [OWNER], denied: 'Only an operator owner creates operator owners and admins.' },
} as const satisfies AccessTable;

/** Operator roles only grantPrivilegedOperatorRole hands out. */
export const PRIVILEGED_OPERATOR_ROLES: readonly UserRole[] = [OWNER, ADMIN];
