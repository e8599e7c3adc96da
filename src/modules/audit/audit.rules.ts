import { accessRules, sellerAccessRule } from '../../shared/access/index.js';
import type { AuditEntry } from '../../shared/audit/index.js';
import { AUDIT_ACCESS } from './audit.access.js';

const allowed = accessRules('audit', AUDIT_ACCESS);

/** An entry's fields: operator owners/admins, or the owner of the seller it belongs to (store-wide entries: staff only). */
const entryReader = sellerAccessRule('audit.entry', AUDIT_ACCESS.readAudit, (e: AuditEntry) => e.sellerId ?? 'store');

export const auditRules = {
  Query: { auditLog: allowed.readAudit },
  AuditEntry: { '*': entryReader },
  AuditActor: { '*': allowed.readAudit },
};
