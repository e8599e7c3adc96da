import { UserRole, type AccessTable } from '../../shared/access/index.js';

const { OWNER, ADMIN } = UserRole;

/** Who may do what with ERP integrations: read by integrations.rules.ts; the service scopes to the seller. */
export const INTEGRATIONS_ACCESS = {
  /** Create, revoke, set permissions, declare the catalog's integration: operator owners/admins (any seller), a seller's owner (its own). */
  manageIntegrations: { operator: [OWNER, ADMIN], seller: [OWNER], write: true },
  /** List and read integrations: the same people (an integration also reads itself). */
  readIntegrations: { operator: [OWNER, ADMIN], seller: [OWNER] },
} as const satisfies AccessTable;
