import { or, rule } from 'graphql-shield';
import type { Context } from '../../shared/runtime/index.js';
import { UserRole, operator, sellerUser } from '../../shared/access/index.js';
import { sellerProfile } from '../sellers/index.js';
import type { Integration } from './integrations.entity.js';

const { OWNER, ADMIN } = UserRole;
const manage = or(operator(OWNER, ADMIN), sellerUser([OWNER], { write: true }));


/**
 * A guest seller's owner reads its own seller's integrations only. The services already
 * scope every path to an integration; this keeps a future path from showing another seller's.
 */
const ownSellersOwner = rule('integration.ownSellersOwner', { cache: 'no_cache' })(
  (parent: Integration, _args, ctx: Context) =>
    ctx.viewer.kind === 'SELLER' && ctx.viewer.role === OWNER && parent.seller?.id === ctx.viewer.seller.id,
);

/** An integration reading itself through `viewer`. */
const itself = rule('integration.self', { cache: 'no_cache' })(
  (parent: Integration, _args, ctx: Context) => ctx.viewer.kind === 'INTEGRATION' && ctx.viewer.integration.id === parent.id,
);

/** Integrations are managed by operator owners/admins (any seller) and seller owners (their own). */
export const integrationRules = {
  Query: { integrations: or(operator(OWNER, ADMIN), sellerUser([OWNER])) },
  Mutation: {
    createIntegration: manage,
    revokeIntegration: manage,
    updateIntegrationPermissions: manage,
    setCatalogIntegration: manage,
  },
  Seller: { catalogIntegration: sellerProfile },
  Integration: { '*': or(operator(OWNER, ADMIN), ownSellersOwner, itself) },
};
