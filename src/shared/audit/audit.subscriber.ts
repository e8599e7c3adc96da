import { ChangeSetType, type EventSubscriber, type FlushEventArgs } from '@mikro-orm/core';
import { currentActor } from '../events/index.js';
import { AuditEntry } from './audit.entity.js';

/** One audited entity: its MikroORM name, the type shown in the log, whose data it is, and its code. */
export interface AuditSpec {
  /** The entity class name (`Product`). */
  entity: string;
  /** The `entityType` of its entries (`product`). */
  type: string;
  /** The seller whose data it is; default: its `seller` relation. */
  sellerOf?: (entity: Record<string, unknown>) => string | null;
  /** The code people know it by; default: its `code` field. */
  codeOf?: (entity: Record<string, unknown>) => string | null;
  /** Fields shown as "[redacted]" besides the ones every spec hides (secrets, hashes, hidden properties). */
  redact?: readonly string[];
  /** Fields left out (bookkeeping). */
  ignore?: readonly string[];
}

export const REDACTED = '[redacted]';
/** Whatever looks like a credential is never copied, in any entity. */
const SECRET_FIELD = /password|secret|token|hash|sealed/i;
const snake = (name: string) => name.replace(/[A-Z]/g, (ch) => `_${ch.toLowerCase()}`);
const ALWAYS_IGNORED = new Set(['updatedAt', 'createdAt']);

const refId = (v: unknown): unknown => {
  if (v instanceof Date) return v.toISOString();
  if (v && typeof v === 'object') {
    if ('id' in v && typeof (v as { id: unknown }).id !== 'object') return (v as { id: unknown }).id;
    if (Array.isArray(v)) return v.map(refId);
  }
  return v ?? null;
};

/**
 * Writes the audit log from inside every flush: each create, update or delete of an audited
 * entity becomes one AuditEntry in the same unit of work (so the same transaction). The actor
 * is the request's or job's (shared/events actor scope). Nothing to wire per module: the list
 * of audited entities is the app's (src/app/audit.ts), so any module's write is audited
 * without importing anything.
 */
export class AuditSubscriber implements EventSubscriber {
  private readonly specs: Map<string, AuditSpec>;

  constructor(specs: readonly AuditSpec[]) {
    this.specs = new Map(specs.map((s) => [s.entity, s]));
  }

  onFlush(args: FlushEventArgs): void {
    const entries: AuditEntry[] = [];
    let actor: ReturnType<typeof currentActor> | undefined;
    for (const cs of args.uow.getChangeSets()) {
      const spec = this.specs.get(cs.meta.className);
      if (!spec) continue;
      const entity = cs.entity as Record<string, unknown>;
      const meta = cs.meta;
      const hidden = (field: string) => {
        // A field of an embedded object (Seller.bankData → `bank_data_account`) is judged by the object's property too.
        const owner = meta.properties[field]?.embedded?.[0] ?? field;
        return SECRET_FIELD.test(field) || meta.properties[field]?.hidden === true || !!spec.redact?.some((r) => owner === r || field === r || field.startsWith(`${r}_`) || field.startsWith(snake(r)));
      };
      const before = (cs.originalEntity ?? {}) as Record<string, unknown>;
      const deleting = cs.type === ChangeSetType.DELETE || cs.type === ChangeSetType.DELETE_EARLY;
      const creating = cs.type === ChangeSetType.CREATE;
      const fields = deleting ? Object.keys(before) : Object.keys(cs.payload);
      const changes: AuditEntry['changes'] = {};
      for (const field of fields) {
        if (ALWAYS_IGNORED.has(field) || spec.ignore?.includes(field)) continue;
        const was = creating ? null : refId(before[field]);
        const now = deleting ? null : refId((cs.payload as Record<string, unknown>)[field]);
        if (!creating && !deleting && JSON.stringify(was) === JSON.stringify(now)) continue;
        changes[field] = hidden(field) ? { before: creating ? null : REDACTED, after: deleting ? null : REDACTED } : { before: was, after: now };
      }
      if (!Object.keys(changes).length) continue;
      actor ??= currentActor();
      const sellerId = (spec.sellerOf ? spec.sellerOf(entity) : (refId(entity.seller) as string | null)) ?? null;
      const code = spec.codeOf ? spec.codeOf(entity) : typeof entity.code === 'string' ? entity.code : null;
      entries.push(
        Object.assign(new AuditEntry(), {
          actorKind: actor.kind,
          actorId: actor.id ?? null,
          actorName: actor.name?.slice(0, 200) ?? null,
          actingForSellerId: actor.kind === 'OPERATOR' && sellerId && sellerId !== actor.sellerId ? sellerId : null,
          sellerId,
          entityType: spec.type,
          entityId: String(refId(entity.id ?? before.id)),
          entityCode: code?.slice(0, 120) ?? null,
          action: creating ? 'CREATE' : deleting ? 'DELETE' : 'UPDATE',
          changes,
        }),
      );
    }
    for (const e of entries) args.uow.computeChangeSet(e);
  }
}
