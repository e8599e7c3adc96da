// Reading the audit log (written by shared/audit from every module's flush).
import { AuditResolver } from './audit.resolver.js';
export const auditResolvers = [AuditResolver] as const;
export { auditRules } from './audit.rules.js';
