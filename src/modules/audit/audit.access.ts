import { UserRole, type AccessTable } from '../../shared/access/index.js';

const { OWNER, ADMIN } = UserRole;

/** Who may read the audit log: operator owners/admins (the whole store), a guest seller's owner (its own seller's entries). */
export const AUDIT_ACCESS = {
  readAudit: { operator: [OWNER, ADMIN], seller: [OWNER] },
} as const satisfies AccessTable;
