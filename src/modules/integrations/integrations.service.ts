import { LockMode } from '@mikro-orm/core';
import type { EntityManager, FilterQuery } from '@mikro-orm/postgresql';
import type { Context } from '../../shared/runtime/index.js';
import { findById, isId } from '../../shared/db/ids.js';
import { AppError, ErrorCode, Validation, badInput, conflict, forbidden, notFound } from '../../shared/errors/index.js';
import { paginate, type ConnectionArgs } from '../../shared/pagination/index.js';
import { hashToken, newHandledToken } from '../../shared/crypto/index.js';
import { Seller, canSeeSellerPrivate, lockSeller, sellerFilter } from '../sellers/index.js';
import { CatalogIntegration, Integration } from './integrations.entity.js';

/** Integration tokens read `mki_…`, so a leaked one is recognisable (sessions are `mks_…`). */
export const INTEGRATION_TOKEN_PREFIX = 'mki';


/** Integrations of guest sellers never write store attributes; the others may (default on). */
function attributeWritesAllowed(seller: Seller | null): boolean {
  return !seller || seller.isAdmin;
}

export async function listIntegrations(ctx: Context, sellerId: string | null | undefined, args: ConnectionArgs) {
  const scope = sellerFilter(ctx.viewer, sellerId);
  let where: FilterQuery<Integration> = {};
  if (scope) {
    // A malformed id would reach PostgreSQL's uuid cast and fail as a server error.
    const seller = await findById(ctx.em, Seller, scope);
    if (!seller) throw notFound('No seller has this id.', 'sellerId');
    // The admin seller's integrations include the unlinked ones: both act for it.
    where = seller.isAdmin ? { $or: [{ seller: scope }, { seller: null }] } : { seller: scope };
  }
  return paginate(ctx.em, Integration, where, args, { createdAt: 'asc' } as never);
}

export async function createIntegration(
  ctx: Context,
  em: EntityManager,
  input: { name: string; sellerId?: string | null; canWriteAttributes?: boolean | null },
): Promise<{ integration: Integration; token: string }> {
  const v = new Validation();
  v.check(input.name.trim().length > 0 && input.name.length <= 200, 'Name the integration (up to 200 characters).', ['input', 'name']);
  v.throwIfAny();
  // Seller owners create integrations for their own seller only; operator staff for any.
  const scope = sellerFilter(ctx.viewer, input.sellerId);
  let seller: Seller | null = null;
  if (scope) {
    if (!isId(scope)) throw notFound('No seller has this id.', 'input', 'sellerId');
    seller = await em.findOne(Seller, { id: scope });
    if (!seller) throw notFound('No seller has this id.', 'input', 'sellerId');
  }
  const allowed = attributeWritesAllowed(seller);
  if (input.canWriteAttributes && !allowed) {
    throw forbidden("Integrations of guest sellers cannot write store attributes; those are the operator's.");
  }
  const { token, handle } = newHandledToken(INTEGRATION_TOKEN_PREFIX);
  const integration = em.create(Integration, {
    name: input.name.trim(),
    seller,
    tokenHash: hashToken(token),
    tokenPrefix: handle,
    canWriteAttributes: allowed && (input.canWriteAttributes ?? true),
  });
  em.persist(integration);
  return { integration, token };
}

async function lockOwnIntegration(ctx: Context, em: EntityManager, id: string, field: readonly string[] = ['id']): Promise<Integration> {
  const integration = await findById(em, Integration, id, { options: { lockMode: LockMode.PESSIMISTIC_WRITE } });
  if (!integration) throw notFound('No integration has this id.', ...field);
  await em.populate(integration, ['seller']);
  // Scope check: unlinked integrations belong to the admin seller.
  const ownerId = integration.seller?.id ?? (await em.findOneOrFail(Seller, { isAdmin: true })).id;
  sellerFilter(ctx.viewer, ownerId);
  return integration;
}

export async function revokeIntegration(ctx: Context, em: EntityManager, id: string): Promise<Integration> {
  const integration = await lockOwnIntegration(ctx, em, id);
  if (integration.revokedAt) throw conflict('The integration is already revoked.', 'id');
  integration.revokedAt = new Date();
  return integration;
}

export async function updateIntegrationPermissions(
  ctx: Context,
  em: EntityManager,
  input: { id: string; canWriteAttributes: boolean },
): Promise<Integration> {
  const integration = await lockOwnIntegration(ctx, em, input.id, ['input', 'id']);
  const seller = integration.seller?.getEntity() ?? null;
  if (input.canWriteAttributes && !attributeWritesAllowed(seller)) {
    throw forbidden("Integrations of guest sellers cannot write store attributes; those are the operator's.");
  }
  integration.canWriteAttributes = input.canWriteAttributes;
  return integration;
}

/**
 * Declares (or, with null, withdraws) that an ERP integration manages the seller's catalog;
 * while declared, portal edits of its products and stock are refused naming the integration.
 * Takes the seller row's lock, which catalog writes share-lock, so a write in progress
 * finishes under the old rule and the next one sees the new one.
 */
export async function setCatalogIntegration(ctx: Context, em: EntityManager, sellerId: string, integrationId: string | null): Promise<Seller> {
  if (!canSeeSellerPrivate(ctx.viewer, sellerId)) throw forbidden('You can only change your own seller.');
  const seller = await lockSeller(em, sellerId, 'sellerId');
  const current = await em.findOne(CatalogIntegration, { seller: seller.id });
  if (integrationId === null) {
    if (current) em.remove(current);
    return seller;
  }
  const integration = await findById(em, Integration, integrationId);
  if (!integration) throw notFound('No integration has this id.', 'integrationId');
  // Unlinked integrations act for the admin seller, so they may manage its catalog.
  const actsFor = integration.seller?.id ?? (seller.isAdmin ? seller.id : null);
  if (actsFor !== seller.id) throw badInput('The integration does not act for this seller.', 'integrationId');
  if (integration.revokedAt) throw badInput('The integration is revoked.', 'integrationId');
  if (current) current.integration = em.getReference(Integration, integration.id, { wrapped: true });
  else em.persist(em.create(CatalogIntegration, { seller, integration }));
  return seller;
}

/** The integrations that manage these sellers' catalogs, by seller id (absent: not managed). */
export async function catalogIntegrationsOf(em: EntityManager, sellerIds: readonly string[]): Promise<Map<string, Integration>> {
  if (!sellerIds.length) return new Map();
  const rows = await em.find(CatalogIntegration, { seller: { $in: [...sellerIds] } }, { populate: ['integration'] });
  return new Map(rows.map((r) => [r.seller.id, r.integration.getEntity()]));
}

/**
 * Refuses portal edits of a catalog the seller declared managed by an ERP integration. Only
 * the declared integration writes: a second ERP of the same seller is refused like the portal.
 */
export async function assertCatalogEditable(ctx: Context, em: EntityManager, seller: { id: string; name: string }): Promise<void> {
  const managedBy = (await catalogIntegrationsOf(em, [seller.id])).get(seller.id);
  if (!managedBy) return;
  if (ctx.viewer.kind === 'INTEGRATION' && ctx.viewer.integration.id === managedBy.id) return;
  throw new AppError(
    ErrorCode.CATALOG_MANAGED_BY_INTEGRATION,
    `The catalog of ${seller.name} is managed by the integration "${managedBy.name}": change its products and stock in that ERP.`,
  );
}
