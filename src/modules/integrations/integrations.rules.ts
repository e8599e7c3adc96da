import { or, rule } from 'graphql-shield';
import type { Context } from '../../app/context.js';
import { UserRole } from '../auth/auth.entity.js';
import { operator, sellerUser } from '../auth/auth.rules.js';
import type { Integration } from './integrations.entity.js';

const { OWNER, ADMIN } = UserRole;
const manage = or(operator(OWNER, ADMIN), sellerUser([OWNER], { write: true }));

/** An integration reading itself through `viewer`. */
const itself = rule('integration.self', { cache: 'strict' })(
  (parent: Integration, _args, ctx: Context) => ctx.viewer.kind === 'INTEGRATION' && ctx.viewer.integration.id === parent.id,
);

/** Integrations are managed by operator owners/admins (any seller) and seller owners (their own). */
export const integrationRules = {
  Query: { integrations: or(operator(OWNER, ADMIN), sellerUser([OWNER])) },
  Mutation: {
    createIntegration: manage,
    revokeIntegration: manage,
    updateIntegrationPermissions: manage,
  },
  Integration: { '*': or(operator(OWNER, ADMIN), sellerUser([OWNER]), itself) },
};
