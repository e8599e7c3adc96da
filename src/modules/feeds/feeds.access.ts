import { UserRole, type AccessTable } from '../../shared/access/index.js';

const { OWNER, ADMIN, SUPPORT, FINANCE, SERVICE, CATALOG } = UserRole;

/** Who may read the change feeds; whose changes they see is sellerFilter's (their own seller's, or the store's for staff). */
export const FEEDS_ACCESS = {
  /** Orders and returns: those who may read the orders themselves. */
  readOrderChanges: { operator: [OWNER, ADMIN, SUPPORT], seller: [OWNER, FINANCE, SERVICE], integration: 'ANY' },
  /** Products, SKUs, prices and stock: those who may write or read the private catalog. */
  readCatalogChanges: { operator: [OWNER, ADMIN, SUPPORT], seller: [OWNER, CATALOG], integration: 'ANY' },
} as const satisfies AccessTable;
