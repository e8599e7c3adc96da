import { or, rule } from 'graphql-shield';
import type { Context } from '../../shared/runtime/index.js';
import { accessRules, sellerAccessRule } from '../../shared/access/index.js';
import { sellerProfile } from '../sellers/index.js';
import type { Integration } from './integrations.entity.js';
import { INTEGRATIONS_ACCESS } from './integrations.access.js';

const allowed = accessRules('integrations', INTEGRATIONS_ACCESS);

/**
 * A guest seller's owner reads its own seller's integrations only (unlinked ones belong to
 * the admin seller, i.e. to operator staff). The services already scope every path to an
 * integration; this keeps a future path from showing another seller's.
 */
const readable = sellerAccessRule('integration.read', INTEGRATIONS_ACCESS.readIntegrations, (parent: Integration) => parent.seller?.id ?? null);

/** An integration reading itself through `viewer`. */
const itself = rule('integration.self', { cache: 'no_cache' })(
  (parent: Integration, _args, ctx: Context) => ctx.viewer.kind === 'INTEGRATION' && ctx.viewer.integration.id === parent.id,
);

/** Integrations are managed by operator owners/admins (any seller) and seller owners (their own). */
export const integrationRules = {
  Query: { integrations: allowed.readIntegrations },
  Mutation: {
    createIntegration: allowed.manageIntegrations,
    revokeIntegration: allowed.manageIntegrations,
    updateIntegrationPermissions: allowed.manageIntegrations,
    setCatalogIntegration: allowed.manageIntegrations,
  },
  Seller: { catalogIntegration: sellerProfile },
  Integration: { '*': or(readable, itself) },
};
