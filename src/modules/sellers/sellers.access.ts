import { UserRole, type Access, type AccessTable } from '../../shared/access/index.js';

const { OWNER, ADMIN, FINANCE } = UserRole;

/** Bank data: operator owners/admins, and the seller's own owner and finance users. */
const bankData: Access = { operator: [OWNER, ADMIN], seller: [OWNER, FINANCE] };

/** Who may do what with sellers and the store settings: read by sellers.rules.ts (and other modules' rules on Seller fields). */
export const SELLERS_ACCESS = {
  /** Store settings, creating, approving and suspending sellers. */
  manageSellers: { operator: [OWNER, ADMIN] },
  /** A seller's profile: operator owners/admins, or its owner (SELF_EDITABLE fields only). */
  editSeller: { operator: [OWNER, ADMIN], seller: [OWNER], write: true },
  readBankData: bankData,
  writeBankData: { ...bankData, write: true },
  /** A seller's private profile fields: operator staff, its own users and its integration. */
  readProfile: { operator: 'ALL', seller: 'ALL', integration: 'ANY' },
  /** Store settings that are the operator's business (commission, review policy). */
  readStoreSettings: { operator: 'ALL' },
} as const satisfies AccessTable;
