import { ChangeSetType, type EventSubscriber, type FlushEventArgs } from '@mikro-orm/core';
import { currentActor, recordEventsInFlush, type NewEvent } from '../../shared/events/index.js';
import { Product, ProductStatus, Sku } from './catalog.entity.js';

/** Columns whose change is bookkeeping, not news for an ERP. */
const QUIET = new Set(['updatedAt', 'createdAt', 'minPriceCents']);

/**
 * The catalog's domain events, derived at flush time from the products and SKUs being written:
 * stock moves in many places (portal and ERP edits, imports, checkout, cancellations, restocks)
 * and prices in several, so reading the change itself is the one home that cannot forget a
 * writer. The events join the flush's unit of work and commit (or roll back) with the change.
 * The actor is the current request's or job's (shared/events actor scope).
 */
export class CatalogEventSubscriber implements EventSubscriber {
  onFlush(args: FlushEventArgs): void {
    const events: NewEvent[] = [];
    let actor: ReturnType<typeof currentActor> | undefined;
    const who = () => (actor ??= currentActor());
    for (const cs of args.uow.getChangeSets()) {
      if (cs.type === ChangeSetType.DELETE || cs.type === ChangeSetType.DELETE_EARLY) continue;
      if (cs.entity instanceof Product) {
        const p = cs.entity;
        const base = { aggregate: { type: 'product', id: p.id, code: p.code }, sellerId: p.seller.id, actor: who() };
        if (cs.type === ChangeSetType.CREATE) {
          events.push({ ...base, type: 'product.created', data: { code: p.code, status: p.status } });
          continue;
        }
        const before = cs.originalEntity as Record<string, unknown> | undefined;
        const changed = Object.keys(cs.payload).filter((k) => !QUIET.has(k));
        const from = before?.status as string | undefined;
        let reviewed = false;
        if ('status' in cs.payload && from === ProductStatus.PENDING_REVIEW && p.status === ProductStatus.PUBLISHED) {
          events.push({ ...base, type: 'product.approved', data: { code: p.code, from, to: p.status } });
          reviewed = true;
        } else if ('status' in cs.payload && from === ProductStatus.PENDING_REVIEW && p.status === ProductStatus.DRAFT) {
          events.push({ ...base, type: 'product.rejected', data: { code: p.code, from, to: p.status, reason: p.rejectionReason ?? null } });
          reviewed = true;
        }
        const rest = reviewed ? changed.filter((k) => !['status', 'publishedAt', 'rejectionReason'].includes(k)) : changed;
        if (rest.length) events.push({ ...base, type: 'product.updated', data: { code: p.code, changed: rest.sort() } });
      } else if (cs.entity instanceof Sku) {
        const s = cs.entity;
        const base = { aggregate: { type: 'sku', id: s.id, code: s.code }, sellerId: s.seller.id, actor: who() };
        const productId = s.product.id;
        if (cs.type === ChangeSetType.CREATE) {
          events.push({ ...base, type: 'sku.created', data: { code: s.code, productId, price: s.priceCents, stock: s.stock } });
          continue;
        }
        const before = (cs.originalEntity ?? {}) as Record<string, unknown>;
        if ('priceCents' in cs.payload && before.priceCents !== s.priceCents) {
          events.push({ ...base, type: 'sku.price_changed', data: { code: s.code, productId, before: before.priceCents ?? null, after: s.priceCents } });
        }
        if ('stock' in cs.payload && before.stock !== s.stock) {
          events.push({ ...base, type: 'sku.stock_changed', data: { code: s.code, productId, before: before.stock ?? null, after: s.stock } });
        }
        const rest = Object.keys(cs.payload).filter((k) => !QUIET.has(k) && k !== 'priceCents' && k !== 'stock');
        if (rest.length) events.push({ ...base, type: 'sku.updated', data: { code: s.code, productId, changed: rest.sort() } });
      }
    }
    if (events.length) recordEventsInFlush(args.uow, events);
  }
}
