import type { FilterQuery } from '@mikro-orm/postgresql';
import type { Context } from '../../shared/runtime/index.js';
import { AuditEntry } from '../../shared/audit/index.js';
import { Validation, notFound } from '../../shared/errors/index.js';
import { isId } from '../../shared/db/ids.js';
import { paginate, type Connection } from '../../shared/pagination/index.js';
import { knownSellerFilter } from '../sellers/index.js';
import type { AuditEntryType, AuditLogArgs } from './audit.types.js';

/** The audit log, newest first: the store's for operator staff, the caller's seller's for a seller's owner. */
export async function auditLog(ctx: Context, args: AuditLogArgs): Promise<Connection<AuditEntryType>> {
  const f = args.filter ?? {};
  const v = new Validation();
  v.check(!f.entityType || f.entityType.length <= 40, 'entityType is too long.', ['filter', 'entityType']);
  v.throwIfAny();
  const scope = await knownSellerFilter(ctx, f.sellerId, ['filter', 'sellerId']);
  // An actor or entity id filters the log: one the log has never named is NOT_FOUND (a typo
  // would otherwise read as "nothing happened"), malformed or not (shared/db/ids.ts).
  if (f.actorId && (!isId(f.actorId) || !(await ctx.em.findOne(AuditEntry, { actorId: f.actorId }, { fields: ['id'] })))) throw notFound('No audit entry names this actor.', 'filter', 'actorId');
  if (f.entityId && (f.entityId.length > 64 || !(await ctx.em.findOne(AuditEntry, { entityId: f.entityId }, { fields: ['id'] })))) throw notFound('No audit entry names this entity.', 'filter', 'entityId');
  const where: FilterQuery<AuditEntry> = {
    ...(scope ? { sellerId: scope } : {}),
    ...(f.entityType ? { entityType: f.entityType } : {}),
    ...(f.entityId ? { entityId: f.entityId } : {}),
    ...(f.actorId ? { actorId: f.actorId } : {}),
    ...(f.from || f.to ? { at: { ...(f.from ? { $gte: f.from } : {}), ...(f.to ? { $lt: f.to } : {}) } } : {}),
  };
  const page = await paginate(ctx.em, AuditEntry, where, args, { at: 'desc' } as never);
  return {
    pageInfo: page.pageInfo,
    get totalCount() {
      return page.totalCount;
    },
    edges: page.edges.map((e) => ({
      cursor: e.cursor,
      node: {
        id: e.node.id,
        at: e.node.at,
        action: e.node.action,
        entityType: e.node.entityType,
        entityId: e.node.entityId,
        entityCode: e.node.entityCode ?? null,
        sellerId: e.node.sellerId ?? null,
        changes: e.node.changes,
        actor: { kind: e.node.actorKind, id: e.node.actorId ?? null, name: e.node.actorName ?? null, actingForSellerId: e.node.actingForSellerId ?? null },
      },
    })),
  };
}
