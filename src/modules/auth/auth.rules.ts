import { rule, or } from 'graphql-shield';
import type { Context } from '../../shared/runtime/index.js';
import { UserRole, anyone, forbiddenError, operator, sellerUser, unauthenticatedError, user } from '../../shared/access/index.js';
import { sellerPrivate } from '../sellers/index.js';
import type { User } from './auth.entity.js';

/** A user's account data: the user itself, operator staff, and its own seller's owner. */
const userVisible = rule('user.visible', { cache: 'no_cache' })((parent: User, _args, ctx: Context) => {
  const v = ctx.viewer;
  if (v.kind === 'ANONYMOUS') return unauthenticatedError();
  if ((v.kind === 'CUSTOMER' || v.kind === 'OPERATOR' || v.kind === 'SELLER') && v.user.id === parent.id) return true;
  if (v.kind === 'OPERATOR') return true;
  if (v.kind === 'SELLER' && v.role === UserRole.OWNER && parent.seller?.id === v.seller.id) return true;
  return forbiddenError();
});

/** The auth module's own fields. */
export const authRules = {
  Query: { viewer: anyone },
  Mutation: {
    login: anyone,
    signUp: anyone,
    requestPasswordReset: anyone,
    resetPassword: anyone,
    logout: user,
    createSellerUser: or(operator(UserRole.OWNER, UserRole.ADMIN), sellerUser([UserRole.OWNER], { write: true })),
  },
  Seller: {
    users: sellerPrivate('The user list', { operatorRoles: [UserRole.OWNER, UserRole.ADMIN], sellerRoles: [UserRole.OWNER], integrations: false }),
  },
  Viewer: { '*': anyone },
  User: { '*': userVisible },
};
