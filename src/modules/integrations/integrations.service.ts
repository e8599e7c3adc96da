import { LockMode } from '@mikro-orm/core';
import type { EntityManager, FilterQuery } from '@mikro-orm/postgresql';
import type { Context } from '../../app/context.js';
import { UUID_RE } from '../../shared/db/ids.js';
import { Validation, conflict, forbidden, notFound } from '../../shared/errors/index.js';
import { paginate, type ConnectionArgs } from '../../shared/pagination/index.js';
import { hashToken, newToken } from '../auth/crypto.js';
import { INTEGRATION_TOKEN_PREFIX } from '../auth/auth.service.js';
import { Seller } from '../sellers/sellers.entity.js';
import { sellerFilter } from '../sellers/sellers.scope.js';
import { Integration } from './integrations.entity.js';


/** Integrations of guest sellers never write store attributes; the others may (default on). */
function attributeWritesAllowed(seller: Seller | null): boolean {
  return !seller || seller.isAdmin;
}

export async function listIntegrations(ctx: Context, sellerId: string | null | undefined, args: ConnectionArgs) {
  const scope = sellerFilter(ctx.viewer, sellerId);
  let where: FilterQuery<Integration> = {};
  if (scope) {
    // A malformed id would reach PostgreSQL's uuid cast and fail as a server error.
    const seller = UUID_RE.test(scope) ? await ctx.em.findOne(Seller, { id: scope }) : null;
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
    if (!UUID_RE.test(scope)) throw notFound('No seller has this id.', 'input', 'sellerId');
    seller = await em.findOne(Seller, { id: scope });
    if (!seller) throw notFound('No seller has this id.', 'input', 'sellerId');
  }
  const allowed = attributeWritesAllowed(seller);
  if (input.canWriteAttributes && !allowed) {
    throw forbidden("Integrations of guest sellers cannot write store attributes; those are the operator's.");
  }
  const token = newToken(INTEGRATION_TOKEN_PREFIX);
  const integration = em.create(Integration, {
    name: input.name.trim(),
    seller,
    tokenHash: hashToken(token),
    tokenPrefix: token.slice(0, 12),
    canWriteAttributes: allowed && (input.canWriteAttributes ?? true),
  });
  em.persist(integration);
  return { integration, token };
}

async function lockOwnIntegration(ctx: Context, em: EntityManager, id: string): Promise<Integration> {
  const integration = UUID_RE.test(id)
    ? await em.findOne(Integration, { id }, { lockMode: LockMode.PESSIMISTIC_WRITE })
    : null;
  if (!integration) throw notFound('No integration has this id.', 'id');
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
  const integration = await lockOwnIntegration(ctx, em, input.id);
  const seller = integration.seller?.getEntity() ?? null;
  if (input.canWriteAttributes && !attributeWritesAllowed(seller)) {
    throw forbidden("Integrations of guest sellers cannot write store attributes; those are the operator's.");
  }
  integration.canWriteAttributes = input.canWriteAttributes;
  return integration;
}
