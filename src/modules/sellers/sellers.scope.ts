import type { EntityManager } from '@mikro-orm/postgresql';
import { forbidden } from '../../shared/errors/index.js';
import type { Viewer } from '../../shared/access/index.js';
import { assertIdExists } from '../../shared/db/ids.js';
import { Seller } from './sellers.entity.js';

/**
 * The one place that turns "which seller does this call work on" into a seller id, so
 * seller-facing operations cannot forget the viewer's scope.
 *
 * Operator staff may name any seller; `null` means the whole store. Seller users and
 * integrations are confined to their own seller: naming another one is FORBIDDEN, never a
 * silent widening or narrowing.
 */
export function sellerFilter(viewer: Viewer, requested?: string | null): string | null {
  if (viewer.kind === 'OPERATOR') return requested ?? null;
  if (viewer.kind === 'SELLER' || viewer.kind === 'INTEGRATION') {
    if (requested && requested !== viewer.seller.id) throw forbidden('You can only work on your own seller.');
    return viewer.seller.id;
  }
  throw forbidden();
}

/** Like sellerFilter, but the call needs one seller: operator staff default to the admin seller. */
export function actingSellerId(viewer: Viewer, requested?: string | null): string {
  const id = sellerFilter(viewer, requested);
  if (id) return id;
  if (viewer.kind === 'OPERATOR') return viewer.seller.id;
  throw forbidden();
}

/** True when the viewer may read the private data of `sellerId` (its own, or any for staff). */
export function canSeeSellerPrivate(viewer: Viewer, sellerId: string): boolean {
  if (viewer.kind === 'OPERATOR') return true;
  return (viewer.kind === 'SELLER' || viewer.kind === 'INTEGRATION') && viewer.seller.id === sellerId;
}

/**
 * sellerFilter, with the id rule of shared/db/ids.ts: a seller id operator staff name must be a
 * seller's (NOT_FOUND on `field` otherwise, malformed or unknown alike); sellers and
 * integrations get FORBIDDEN for another id before that.
 */
export async function knownSellerFilter(ctx: { viewer: Viewer; em: EntityManager }, requested: string | null | undefined, field: readonly string[]): Promise<string | null> {
  const id = sellerFilter(ctx.viewer, requested);
  if (requested && ctx.viewer.kind === 'OPERATOR') await assertIdExists(ctx.em, Seller, requested, field, 'seller');
  return id;
}

/** actingSellerId, with the same check of a named seller as knownSellerFilter. */
export async function knownActingSellerId(ctx: { viewer: Viewer; em: EntityManager }, requested: string | null | undefined, field: readonly string[]): Promise<string> {
  const id = actingSellerId(ctx.viewer, requested);
  if (requested && ctx.viewer.kind === 'OPERATOR') await assertIdExists(ctx.em, Seller, requested, field, 'seller');
  return id;
}
