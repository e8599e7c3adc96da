export { AuditEntry } from './audit.entity.js';
export { AuditSubscriber, REDACTED, type AuditSpec } from './audit.subscriber.js';
